"""Markdown and TOML exports: golden files, round trips, determinism, escaping, readiness.

The golden files in tests/golden/ are the exports of the bundled sample incident. After an
intended change to the merge or the export, regenerate them and review the diff:

    PMINTERVIEW_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_export.py
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from pminterview.errors import PmError
from pminterview.export import from_toml, readiness, submitted_only, to_markdown, to_toml
from pminterview.merge import merge
from pminterview.model import (
    Account,
    AccountStatus,
    Action,
    ActionStatus,
    Answer,
    ContributingFactor,
    Incident,
    MergedTimelineEntry,
    Perspective,
    Postmortem,
    Suggestion,
)

from merge_samples import sample_accounts, sample_incident  # noqa: F401  (fixtures)

GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("PMINTERVIEW_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from the golden file; see the module docstring to regenerate it"


@pytest.fixture
def sample_pm(sample_incident, sample_accounts) -> Postmortem:
    # As `export` builds it: only submitted accounts (the sample's support lead is a draft).
    return merge(sample_incident, submitted_only(sample_accounts))


def test_markdown_matches_the_golden_file(sample_pm: Postmortem) -> None:
    check_golden("checkout-outage.md", to_markdown(sample_pm))


def test_toml_matches_the_golden_file(sample_pm: Postmortem) -> None:
    check_golden("checkout-outage.toml", to_toml(sample_pm))


def test_markdown_has_every_section_in_order(sample_pm: Postmortem) -> None:
    text = to_markdown(sample_pm)
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Summary",
        "## Impact",
        "## Timeline",
        "## How we got here",
        "## What surprised us",
        "## Contributing factors and missing safeguards",
        "## What went well and where we got lucky",
        "## Open questions and differing accounts",
        "## Action items",
        "## Supporting material",
    ]


def test_toml_round_trip_gives_identical_bytes(sample_pm: Postmortem) -> None:
    once = to_toml(sample_pm)
    again = to_toml(from_toml(once, "export.toml"))
    assert once == again
    assert to_markdown(from_toml(once, "export.toml")) == to_markdown(sample_pm)


def test_two_runs_give_the_same_bytes(sample_incident, sample_accounts) -> None:
    first = merge(sample_incident, sample_accounts)
    second = merge(sample_incident, list(reversed(sample_accounts)))
    assert to_markdown(first) == to_markdown(second)
    assert to_toml(first) == to_toml(second)


def test_exports_never_carry_names_off_the_record_text_or_blame_sentences(sample_pm: Postmortem, sample_accounts) -> None:
    assert sample_pm.to_reframe, "the sample has a blame sentence; it must be listed for reframing"
    for text in (to_markdown(sample_pm), to_toml(sample_pm)):
        lowered = text.lower()
        for account in sample_accounts:
            assert account.participant.lower() not in lowered
        assert "should have tested" not in lowered
        assert "had not slept" not in lowered  # the payments service owner's off-the-record answer
        assert "to_reframe" not in lowered


def test_brackets_that_cannot_make_a_link_stay_as_written() -> None:
    pm = Postmortem(
        incident=Incident(id="x", title="Checkout"),
        summary="[WIP] rollback [just after the page]; see [runbook](http://x), [ref][1], [1]: http://y",
    )
    text = to_markdown(pm)
    assert "[WIP] rollback [just after the page]" in text  # plain text stays plain
    assert "[runbook\\](http://x)" in text and "[ref\\][1]" in text and "[1\\]: http://y" in text
    html = pytest.importorskip("markdown_it").MarkdownIt("commonmark").render(text)
    assert "<a " not in html and "[WIP] rollback" in html


def test_a_role_ending_in_a_bracket_cannot_become_a_link_definition() -> None:
    view = Perspective(role="[ops]", saw="x")
    pm = Postmortem(
        incident=Incident(id="x", title="Checkout"),
        timeline=[MergedTimelineEntry(time="14:02", perspectives=[view])],
        summary="Ask [ops] about it.",
    )
    text = to_markdown(pm)
    assert "[ops\\]: saw" in text
    html = pytest.importorskip("markdown_it").MarkdownIt("commonmark").render(text)
    assert "<a " not in html and "[ops]: saw" in html


def test_markdown_escapes_what_markdown_or_a_terminal_would_interpret() -> None:
    hostile = "<script>alert(1)</script> *bold* [link](http://x) `code` | pipe \x1b]0;title\x07"
    pm = Postmortem(
        incident=Incident(id="x", title="# Not a heading"),
        summary="# also not a heading\n- nor a list",
        timeline=[MergedTimelineEntry(time="14:02", perspectives=[Perspective(role="SRE", saw=hostile)])],
        surprises=["1. not a numbered list"],
        actions=[Action(id="a-1", title=hostile, tracker="https://tracker.example/T_1")],
    )
    text = to_markdown(pm)
    assert re.search(r"(?<!\\)<", text) is None and "\\<script>" in text
    # A link is stopped by its escaped closing bracket, whether or not the opening one is.
    assert "\\*bold\\*" in text and "link\\](http://x)" in text and "\\`code\\`" in text and "\\|" in text
    html = pytest.importorskip("markdown_it").MarkdownIt("commonmark").render(text)
    assert "<a " not in html and "<script" not in html and "<em>bold</em>" not in html and "*bold*" in html
    assert "\x1b" not in text and "\x07" not in text
    assert "# Postmortem: \\# Not a heading" in text
    assert "\\# also not a heading\n\\- nor a list" in text
    assert "- 1\\. not a numbered list" in text



def test_an_action_flagged_by_a_narrative_rule_gets_an_action_shaped_hint() -> None:
    # "should have" is reframed for a narrative ("Describe what they knew and saw ..."); an
    # action needs to become a change to a tool, process or safeguard instead.
    suggestion = Suggestion(text="Engineers should have checked the deploy tool before rolling back")
    account = Account(participant="ana", role="on-call SRE", status=AccountStatus.SUBMITTED, suggestions=[suggestion])
    pm = merge(Incident(id="x", title="Lag"), [account])
    assert pm.actions[0].needs_rewrite
    text = to_markdown(pm)
    assert "Describe what they knew" not in text
    assert "    - Needs a rewrite as a change to a tool, process or safeguard, for example a check the tool runs itself, an alert, or a safer default.\n" in text


def test_an_action_flagged_as_vigilance_keeps_the_lints_system_hint() -> None:
    hint = "Change the system instead: what guardrail, default, or automation would make care unnecessary?"
    flagged = [
        Action(id="a-1", title="Be more careful", needs_rewrite=True, rewrite_hint=hint),
        Action(id="a-2", title="Retrain the engineer", needs_rewrite=True, rewrite_hint="an old hint no rule gives"),
        Action(id="a-3", title="Try harder", needs_rewrite=True),
    ]
    lines = [line.strip() for line in to_markdown(Postmortem(incident=Incident(id="x", title="Lag"), actions=flagged)).splitlines()]
    assert f"- Needs a rewrite as a change to a tool, process or safeguard. {hint}" in lines
    example = "- Needs a rewrite as a change to a tool, process or safeguard, for example a check the tool runs itself, an alert, or a safer default."
    assert lines.count(example) == 2


def test_a_factors_details_are_a_line_of_their_own_as_text_and_rendered(sample_pm: Postmortem) -> None:
    text = to_markdown(sample_pm)
    lines = text.splitlines()
    first = sample_pm.factors[0]
    title = lines.index(f"1. **{first.title}**")
    assert lines[title + 1] == "" and lines[title + 2].startswith("    Missing safeguard · raised by ")

    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").render(text)
    for factor in sample_pm.factors:
        assert f"<p><strong>{factor.title}</strong></p>" in html.replace("&quot;", '"').replace("&#x27;", "'")
    assert html.count("<p>Missing safeguard · raised by ") == 2
    assert "<pre><code>" not in html


def test_the_hundredth_factor_keeps_its_details_inside_the_item() -> None:
    factors = [ContributingFactor(id=f"cf-{n}", title=f"Factor {n}", raised_by=["on-call SRE"]) for n in range(1, 101)]
    text = to_markdown(Postmortem(incident=Incident(id="x", title="t"), factors=factors))
    assert "100. **Factor 100**\n\n     Added by the facilitator · raised by on-call SRE · id cf-100\n" in text
    html = pytest.importorskip("markdown_it").MarkdownIt("commonmark").render(text)
    assert "<pre><code>" not in html and "<p>Added by the facilitator · raised by on-call SRE · id cf-100</p>" in html


def test_narrative_headings_sit_below_the_section() -> None:
    pm = Postmortem(incident=Incident(id="x", title="t"), narrative="# Before\n\nText.\n\n## During\n")
    text = to_markdown(pm)
    assert "### Before" in text and "#### During" in text


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("not [valid", "is not valid TOML"),
        ("title = 'x'", "no schema_version"),
        ("schema_version = 99", "newer pminterview"),
        ("schema_version = 1\n[incident]\nid = 'x'\n", "is missing field 'title' (at incident); add it"),
    ],
)
def test_from_toml_names_the_source_on_bad_input(text: str, fragment: str) -> None:
    with pytest.raises(PmError) as caught:
        from_toml(text, "shared/export.toml")
    assert str(caught.value).startswith("shared/export.toml: ") and fragment in str(caught.value)


# --- readiness --------------------------------------------------------------------------------


def test_readiness_lists_every_reason_the_sample_is_not_ready(sample_pm: Postmortem, sample_accounts) -> None:
    reasons = readiness(sample_pm, sample_accounts)
    assert any("support lead (dana) is still a draft" in r for r in reasons)
    assert any("needs a rewrite" in r for r in reasons)
    assert not any(r.startswith("narrative") for r in reasons)
    # One line per kind of problem, not two per action: a short checklist.
    missing = [r for r in reasons if "no owner" in r or "no due date" in r]
    assert missing == [r for r in reasons if r.startswith(f"{len(sample_pm.actions)} actions have no owner and no due date: ")]
    assert len(reasons) == 3
    assert all(f'"{a.title[:20]}' in missing[0] for a in sample_pm.actions)


def test_drafts_are_not_merged_into_the_export(sample_incident, sample_accounts) -> None:
    draft = next(a for a in sample_accounts if a.status is not AccountStatus.SUBMITTED)
    pm = merge(sample_incident, submitted_only(sample_accounts))
    assert draft.role not in pm.roles
    assert draft.role in merge(sample_incident, sample_accounts).roles  # merge itself takes what it is given


def test_the_start_is_given_in_the_incidents_zone() -> None:
    started = dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.timezone.utc)
    berlin = merge(Incident(id="x", title="Lag", started=started, timezone="Europe/Berlin"), [])
    assert "Started 2026-11-27 15:00 CET · times in Europe/Berlin" in to_markdown(berlin)
    utc = merge(Incident(id="x", title="Lag", started=started), [])
    assert "Started 2026-11-27 14:00 UTC · times in UTC" in to_markdown(utc)


def ready_postmortem() -> tuple[Postmortem, list[Account]]:
    account = Account(participant="ana", role="on-call SRE", status=AccountStatus.SUBMITTED, answers={"involved": Answer(text="I was paged at 14:02.")})
    pm = merge(Incident(id="x", title="Lag"), [account])
    pm.actions = [Action(id="a-1", title="Alert on replica lag", owner="db team", due=dt.date(2026, 12, 1))]
    return pm, [account]


def test_a_complete_postmortem_is_ready() -> None:
    pm, accounts = ready_postmortem()
    assert readiness(pm, accounts) == []


def test_readiness_finds_blame_in_an_edited_narrative_names_and_wont_do_without_reason() -> None:
    pm, accounts = ready_postmortem()
    pm.narrative = "Ana should have checked the lag graph first."
    pm.actions.append(Action(id="a-2", title="Move the backup window", status=ActionStatus.WONT_DO))
    reasons = readiness(pm, accounts)
    assert any(r.startswith("narrative line 1: counterfactual") for r in reasons)
    assert any("names participant 'ana'" in r for r in reasons)
    assert any("won't do without a reason" in r for r in reasons)
    assert not any("backup window" in r and "owner" in r for r in reasons)  # a won't-do needs no owner


def test_readiness_groups_actions_by_what_they_lack() -> None:
    pm, accounts = ready_postmortem()
    pm.actions = [
        Action(id="a-1", title="Alert on lag", owner="db team"),
        Action(id="a-2", title="Page on backup lock", due=dt.date(2026, 12, 1)),
        Action(id="a-3", title="Block failover during backups", owner="db team"),
    ]
    assert readiness(pm, accounts) == [
        '1 action has no owner: "Page on backup lock"',
        '2 actions have no due date: "Alert on lag", "Block failover during backups"',
    ]


def test_readiness_names_actions_by_their_title_not_their_id() -> None:
    pm, accounts = ready_postmortem()
    long_title = "Alert when the payments connection pool passes eighty percent of its configured limit"
    pm.actions = [Action(id="a-pool-limit-7", title=long_title), Action(id="a-own-2", title="  ")]
    reasons = readiness(pm, accounts)
    assert '2 actions have no owner and no due date: "Alert when the payments connection pool…", #2 (no title)' in reasons
    assert not any("a-pool-limit-7" in r or "a-own-2" in r for r in reasons)


def test_readiness_without_accounts_or_actions() -> None:
    pm = merge(Incident(id="x", title="Lag"), [])
    reasons = readiness(pm, [])
    assert any(r.startswith("no accounts yet") for r in reasons)
    assert any(r.startswith("no action items") for r in reasons)
    assert any(r.startswith("the narrative is empty") for r in reasons)
