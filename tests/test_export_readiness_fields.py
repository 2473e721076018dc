"""`export --check` and the words of the exported document: every prose field the Markdown
shows is linted, a name the merge left is listed, and nothing `pminterview lint` finds in the
exported Markdown (bar hints dismissed as being about a system) lets the check pass."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest

from pminterview import locations
from pminterview.cli import main
from pminterview.export import readiness, submitted_only, to_markdown
from pminterview.lint import lint_text
from pminterview.lint.command import run_lint_command
from pminterview.merge import merge
from pminterview.merge.blame import dismissed_keys
from pminterview.merge.text import shorten
from pminterview.model import Account, AccountStatus, ActionStatus, Answer, DismissedHint, Postmortem, Suggestion
from pminterview.workspace import Workspace

ALICE = Account(
    participant="alice",
    role="on-call SRE",
    status=AccountStatus.SUBMITTED,
    answers={
        "involved": Answer(text="I was paged at 14:02. Bob from payments had just rolled out a config change, so I asked in the payments channel."),
    },
    suggestions=[
        Suggestion(text="Bob needs to be more careful with config"),
        Suggestion(text="Alert when the payments connection pool stays above 90%"),
    ],
)
BOB = Account(
    participant="bob",
    role="payments owner",
    status=AccountStatus.SUBMITTED,
    answers={"involved": Answer(text="Bob and I reverted it at 14:20; the error rate fell within a minute.")},
)


def _check(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    status = main(["export", str(folder), "--check"])
    return status, capsys.readouterr().out


def _retitle(action, title: str) -> None:
    """What the facilitator screen does when an action's title is typed: the flag follows the
    title's own lint."""
    action.title, action.edited = title, True
    findings = lint_text(title, names=["alice", "bob"], roles=["on-call SRE", "payments owner"])
    action.needs_rewrite = bool(findings)
    action.rewrite_hint = (findings[0].suggestion or findings[0].message) if findings else ""


def test_check_blocks_on_vigilance_wording_and_names_until_the_facilitator_rewrites_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "checkout"
    assert main(["new", str(folder), "--title", "Checkout outage", "--started", "2026-11-27T14:00Z"]) == 0
    workspace = Workspace.open(folder)
    workspace.save_account(ALICE)
    workspace.save_account(BOB)

    # The exports name nobody: "Bob" at a sentence start is the person.
    capsys.readouterr()
    assert main(["export", str(folder), "-o", "-"]) == 0
    markdown = capsys.readouterr().out
    assert "Bob" not in markdown and "alice" not in markdown.lower()
    assert "The payments owner from payments had just rolled out a config change" in markdown

    status, out = _check(folder, capsys)
    assert status == 1
    assert (
        'action "The payments owner needs to be more careful with…" (title and description): '
        "needs a rewrite as a change to a tool, process or safeguard" in out
    )
    assert "Bob" not in out

    # The facilitator retitles the action; the description still quotes the suggestion.
    pm = merge(workspace.incident(), [ALICE, BOB])
    careful = next(a for a in pm.actions if a.needs_rewrite)
    _retitle(careful, "Show the config diff before a rollout is applied")
    assert not careful.needs_rewrite
    for action in pm.actions:
        action.owner, action.due = "payments team", dt.date(2026, 12, 15)
    workspace.save_postmortem(pm)
    status, out = _check(folder, capsys)
    assert status == 1
    number = pm.actions.index(careful) + 1
    lines = [line for line in out.splitlines() if "be more careful" in line]
    assert len(lines) == 1, out
    assert lines[0].startswith(f'- action {number} "Show the config diff before a rollout…": description: vigilance wording "be more careful')

    # Blame written into the summary is listed too, naming the field.
    pm.summary = "The payments owner should have tested the change."
    workspace.save_postmortem(pm)
    status, out = _check(folder, capsys)
    assert status == 1 and "- the summary: text: counterfactual wording" in out

    # Rewritten: ready.
    pm.summary = "A renamed config key fell back to a pool limit of 20 and checkout failed for 18 minutes."
    careful.description = "The rollout tool shows no diff of the effective config, so a renamed key went unnoticed."
    workspace.save_postmortem(pm)
    assert _check(folder, capsys) == (0, "Ready to share.\n")


def test_a_hint_dismissed_in_an_account_does_not_block_a_field_that_repeats_it() -> None:
    pm = merge(_incident(), [ALICE, BOB])
    for action in pm.actions:
        action.owner, action.due = "payments team", dt.date(2026, 12, 15)
    careful = next(a for a in pm.actions if a.needs_rewrite)
    _retitle(careful, "Check the pool size in the pipeline")
    careful.description = "The runbook says to double-check the pool size by hand."
    found = lint_text(careful.description)
    assert found
    assert [r for r in readiness(pm, [ALICE, BOB]) if ": description: " in r]
    # The responder said, in the interview, that this wording is about a system.
    dismissing = ALICE.model_copy(deep=True)
    dismissing.answers["involved"].dismissed = [DismissedHint(rule_id=f.rule_id, excerpt=f.excerpt) for f in found]
    assert readiness(pm, [dismissing, BOB]) == []


def _incident():
    from pminterview.model import Incident

    return Incident(id="checkout", title="Checkout outage", started=dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.timezone.utc))


# --- nothing `pminterview lint` finds in the export escapes the check --------------------------


def _markdown_findings(pm: Postmortem, accounts: list[Account], tmp_path: Path) -> list[dict]:
    """Findings of `pminterview lint` on the exported Markdown, less dismissed hints."""
    path = tmp_path / "postmortem.export.md"
    path.write_text(to_markdown(pm), encoding="utf-8")
    out = io.StringIO()
    run_lint_command([str(path)], "json", None, None, io.StringIO(), out, io.StringIO())
    dismissed = dismissed_keys(h for a in accounts for answer in a.answers.values() for h in answer.dismissed)
    return [f for f in json.loads(out.getvalue() or "[]") if (f["rule_id"], f["excerpt"].strip().lower()) not in dismissed]


def _covered(finding: dict, pm: Postmortem, reasons: list[str]) -> bool:
    """Whether a reason names this finding: by its wording, or, for an action marked as
    needing a rewrite, by that action's line."""
    excerpt = shorten(finding["excerpt"], 60)
    if any(f'"{excerpt}"' in reason for reason in reasons):
        return True
    for action in pm.actions:
        if action.needs_rewrite and finding["excerpt"] in f"{action.title}\n{action.description}":
            title = shorten(action.title, 30).rstrip("…")
            if any("needs a rewrite" in reason and title in reason for reason in reasons):
                return True
            if any("need a rewrite" in reason and title[:20] in reason for reason in reasons):
                return True
    return False


@pytest.fixture
def sample(tmp_path: Path) -> tuple[Postmortem, list[Account]]:
    folder = tmp_path / "sample"
    shutil.copytree(locations.sample_incident(), folder)
    workspace = Workspace.open(folder)
    accounts = [entry.account for entry in workspace.accounts() if entry.account is not None]
    return merge(workspace.incident(), submitted_only(accounts), workspace.load_postmortem()), accounts


def _edited_by_the_facilitator(pm: Postmortem) -> None:
    """The sample after a facilitator's edits that bring blame wording back into fields the
    merge had kept clean, one of each kind the Markdown shows."""
    flagged = next(a for a in pm.actions if a.needs_rewrite)
    _retitle(flagged, "Validate pool settings in the config pipeline")
    pm.summary = "Checkout failed because the engineer was careless with a config key."
    pm.impact = "Obviously, customers could not pay for 18 minutes."
    pm.factors[0].description += " The on-call SRE should have checked the dashboard sooner."
    pm.actions[-1].description = "Remind people to double-check pool sizes."
    pm.surprises.append("Anyone could have seen the pool was full.")
    pm.went_well.append("The payments owner failed to escalate, but the rollback worked.")
    pm.open_questions.append("Why did the on-call SRE not notice the alert?")
    pm.supporting_material.append("Human error caused the outage, per the chat log.")
    if pm.timeline and pm.timeline[0].perspectives:
        pm.timeline[0].perspectives[0].did = "made a sloppy change to the pool"


@pytest.mark.parametrize("edited", [False, True], ids=["as merged", "edited by the facilitator"])
def test_no_lint_finding_in_the_exported_markdown_escapes_the_check(
    sample: tuple[Postmortem, list[Account]], edited: bool, tmp_path: Path
) -> None:
    pm, accounts = sample
    if edited:
        _edited_by_the_facilitator(pm)
    findings = _markdown_findings(pm, accounts, tmp_path)
    assert findings  # the sample carries a vigilance suggestion; the edits add more
    reasons = readiness(pm, accounts)
    escaped = [f'{f["line"]}: {f["category"]} "{f["excerpt"]}"' for f in findings if not _covered(f, pm, reasons)]
    assert escaped == [], "\n".join(reasons)


def test_the_first_name_of_a_dotted_login_in_the_export_is_listed() -> None:
    priya = ALICE.model_copy(update={"participant": "priya.nair"})
    pm = merge(_incident(), [priya])
    pm.summary = "Priya restarted the pool."
    reasons = readiness(pm, [priya])
    assert any("the export names participant 'priya'" in reason for reason in reasons), reasons


def test_a_participant_whose_login_is_an_acronym_does_not_block_every_export() -> None:
    sre = ALICE.model_copy(update={"participant": "sre"})
    pm = merge(_incident(), [sre])
    pm.summary = "The API returned errors until the on-call SRE rolled back; the SRE paged the DEV team."
    reasons = readiness(pm, [sre])
    assert not [reason for reason in reasons if "names participant" in reason], reasons


def _sre(participant: str) -> Account:
    text = f"I was paged at 14:0{len(participant)} and looked at the pool dashboard."
    return Account(participant=participant, role="on-call SRE", status=AccountStatus.SUBMITTED, answers={"involved": Answer(text=text)})


def _stale(pm: Postmortem, accounts: list[Account]) -> list[str]:
    return [reason for reason in readiness(pm, accounts) if "narrative was last edited before" in reason]


def test_a_stale_narrative_names_the_role_with_more_accounts_not_a_renumbered_label() -> None:
    first_two = [_sre("alice"), _sre("carol")]
    first = merge(_incident(), first_two)
    first.narrative, first.narrative_edited = "Our own words about what happened.", True
    # bob sorts between alice and carol: carol becomes "on-call SRE (3)", and bob "(2)".
    everyone = [*first_two, _sre("bob"), BOB]
    second = merge(_incident(), everyone, first)
    assert "on-call SRE (3)" in second.roles and second.narrative_roles == first.roles
    stale = _stale(second, everyone)
    assert len(stale) == 1, stale
    assert "before an account of the on-call SRE and an account of the payments owner were merged" in stale[0]
    assert "(3)" not in stale[0] and "(2)" not in stale[0]
    # Edited again with every account merged, as the narrative pane records it: no longer stale.
    second.narrative_roles = list(second.roles)
    assert _stale(second, everyone) == []
    # Two more of one role.
    second.narrative_roles = first.roles[:1]
    assert "before 2 accounts of the on-call SRE and an account of the payments owner were merged" in _stale(second, everyone)[0]


def test_a_flagged_action_declined_with_a_reason_stands_as_asked() -> None:
    pm = merge(_incident(), [ALICE, BOB])
    careful = next(a for a in pm.actions if a.needs_rewrite)
    assert any("needs a rewrite" in r for r in readiness(pm, [ALICE, BOB]))
    careful.status = ActionStatus.WONT_DO
    assert any("won't do without a reason" in r for r in readiness(pm, [ALICE, BOB]))
    careful.status_reason = "reminders are not a fix; the canary stage covers this"
    reasons = readiness(pm, [ALICE, BOB])
    assert not [r for r in reasons if "needs a rewrite" in r or shorten(careful.title, 40) in r], reasons
    section = to_markdown(pm).split(careful.title, 1)[1].split("\n- ", 1)[0]
    assert "Needs a rewrite" not in section and "reminders are not a fix" in section


def test_a_submitted_account_without_a_role_is_listed() -> None:
    nobody = Account(participant="dave", status=AccountStatus.SUBMITTED, answers={"cues": Answer(text="The graph was flat.")})
    pm = merge(_incident(), [ALICE, nobody])
    reasons = [r for r in readiness(pm, [ALICE, nobody]) if r.startswith("no role for")]
    assert reasons == ['no role for dave; set role = "..." in accounts/dave.toml (the export says "responder")']
