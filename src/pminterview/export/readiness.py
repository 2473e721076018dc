"""Is the postmortem ready to share? The reasons it is not, each one line a person can act on.

Checked: every account submitted and with a role, a narrative that covers every merged
account, no lint finding in any exported prose field (narrative, summary, impact, timeline,
factors, actions and the rest; hints a responder dismissed as being about a system stay
dismissed), no participant name in the exported text, at least one action, and every action
that is still open or in progress has an owner and a due date, a won't-do has its reason, and
nothing is left marked as needing a rewrite (a won't-do with its reason stands as asked).

The lint runs on each field, not on the exported Markdown, so a reason can say where to fix
it ("action 3 "Show the config diff…": description: …"); the fields are the ones the Markdown
shows, so a finding `pminterview lint` would report in the export is a reason here too, but
in the title and description of a won't-do with its reason, which are kept as they were asked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pminterview.merge import base_role, role_labels
from pminterview.merge.blame import dismissed_keys, is_dismissed, lint_many
from pminterview.merge.factors import rewrite_advice
from pminterview.merge.text import name_mentions, name_variants, role_phrase, shorten
from pminterview.model import Account, AccountStatus, Action, ActionStatus, Perspective, Postmortem

if TYPE_CHECKING:
    from pminterview.lint import Finding


@dataclass(frozen=True)
class FieldLint:
    """How a field of the postmortem is linted, for the readiness check and the facilitator
    screen alike, so a hint the screen shows is a reason here and the other way round.

    Participants' names in every form the text may use them (`name_variants`: "priya" of
    "priya.nair" too), the document's roles, and the hints responders dismissed in their
    accounts as being about a system, which are left out of what `lint` finds.
    """

    names: tuple[str, ...]
    roles: tuple[str, ...]
    dismissed: frozenset[tuple[str, str]]

    @classmethod
    def of(cls, pm: Postmortem, accounts: Sequence[Account]) -> FieldLint:
        """The names and dismissals of `accounts` (drafts too: a name is a name), and `pm`'s roles."""
        names: set[str] = set()
        hints = []
        for account in accounts:
            names.update(name_variants(account.participant))
            for answer in account.answers.values():
                hints.extend(answer.dismissed)
        return cls(tuple(sorted(names, key=str.lower)), tuple(pm.roles), dismissed_keys(hints))

    def lint(self, text: str) -> list[Finding]:
        """The findings in `text` (a narrative, a field), dismissed hints left out."""
        from pminterview.lint import lint_text

        return [f for f in lint_text(text, names=self.names, roles=self.roles) if not is_dismissed(f, self.dismissed)]

    def lint_many(self, texts: Iterable[str]) -> dict[str, list[Finding]]:
        """`lint` for each distinct non-blank text. Linted in batches and remembered per text
        (`merge.blame.lint_many`), since the facilitator screen asks again after every edit."""
        found = lint_many(texts, self.names, self.roles)
        return {text: [f for f in findings if not is_dismissed(f, self.dismissed)] for text, findings in found.items()}


def readiness(pm: Postmortem, accounts: Sequence[Account]) -> list[str]:
    """Why `pm` is not ready to share (empty when it is)."""
    from pminterview.export.markdown import to_markdown

    reasons: list[str] = []
    ordered = sorted(accounts, key=lambda a: a.participant)
    if not ordered:
        reasons.append("no accounts yet; responders give theirs with `pminterview interview DIR`")
    drafts = [
        f"the {role} ({account.participant})"
        for account, role in zip(ordered, role_labels(ordered))
        if account.status != AccountStatus.SUBMITTED
    ]
    if len(drafts) == 1:
        reasons.append(f"the account of {drafts[0]} is still a draft, so it is not in the document; ask them to review and submit it")
    elif drafts:
        reasons.append(
            f"{len(drafts)} accounts are still drafts, so they are not in the document: {', '.join(drafts)}; ask them to review and submit"
        )

    roleless = [a.participant for a in ordered if a.status == AccountStatus.SUBMITTED and not a.role.strip()]
    if roleless:
        # The document would call them "responder", and two such could not be told apart.
        paths = ", ".join(f"accounts/{name}.toml" for name in roleless)
        reasons.append(f"no role for {', '.join(roleless)}; set role = \"...\" in {paths} (the export says \"responder\")")

    people = FieldLint.of(pm, ordered)
    if not pm.narrative.strip():
        reasons.append("the narrative is empty; write it, or re-merge (ctrl+r) to draft it from the accounts")
    else:
        unheard = _merged_since(pm.roles, pm.narrative_roles) if pm.narrative_edited else []
        if unheard:
            reasons.append(
                f"the narrative was last edited before {_accounts_of(unheard)} merged; "
                "work it in, or empty the narrative and re-merge (ctrl+r) for a fresh draft"
            )
        for finding in people.lint(pm.narrative):
            reasons.append(
                f"narrative line {finding.line}: {finding.category} wording \"{shorten(finding.excerpt, 60)}\"; {finding.suggestion or finding.message}"
            )

    flagged = _field_findings(pm, people)
    rewrite = {_action_where(n, a) for n, a in enumerate(pm.actions, 1) if a.awaits_rewrite}
    for (where, field), findings in flagged.items():
        if where in rewrite:
            continue  # said once, with the rewrite below
        reasons.append(f"{where}: {field}: {_wording(findings)}")

    # The rule the merge uses to replace names, and the occurrences it kept that could still
    # be a name; "the root cause" is not a mention of a participant called root.
    mentions = name_mentions(to_markdown(pm), [a.participant for a in ordered], role_labels(ordered))
    for name, count in sorted(mentions.items()):
        reasons.append(f"the export names participant {name!r} ({count}x); use their role instead")

    if not pm.actions:
        reasons.append("no action items; a postmortem without changes to the system tends to repeat")
    reasons.extend(_action_reasons(pm, flagged))
    return reasons


_Findings = dict[tuple[str, str], list]


def _field_findings(pm: Postmortem, people: FieldLint) -> _Findings:
    """Lint findings per exported field other than the narrative, keyed by (where, field),
    dismissed hints left out."""
    fields = list(_prose_fields(pm))
    found = people.lint_many(text for _, _, text in fields)
    flagged: _Findings = {}
    for where, field, text in fields:
        kept = found.get(text)
        if kept:
            flagged.setdefault((where, field), []).extend(kept)
    return flagged


def _prose_fields(pm: Postmortem) -> Iterator[tuple[str, str, str]]:
    """(where, field, text) for every prose field the Markdown export shows, narrative aside:
    each named as a facilitator finds it."""
    yield "the incident", "title", pm.incident.title
    yield "the summary", "text", pm.summary
    yield "the impact", "text", pm.impact
    for entry in pm.timeline:
        for view in entry.perspectives:
            yield from _perspective_fields(f"timeline {entry.time or '(no time)'}", view)
    for label, items in (
        ("what surprised us", pm.surprises),
        ("what went well", pm.went_well),
        ("open questions", pm.open_questions),
        ("supporting material", pm.supporting_material),
    ):
        for number, item in enumerate(items, 1):
            yield f"{label}, item {number}", "text", item
    for differing in pm.differing_accounts:
        where = f'differing account "{shorten(differing.topic, 40)}"'
        yield where, "topic", differing.topic
        yield where, "note", differing.note
        for view in differing.versions:
            yield from _perspective_fields(where, view)
    for number, factor in enumerate(pm.factors, 1):
        where = f'factor {number} "{shorten(factor.title, 40)}"'
        yield where, "title", factor.title
        yield where, "description", factor.description
    for number, action in enumerate(pm.actions, 1):
        where = _action_where(number, action)
        if not action.declined:
            yield where, "title", action.title
            yield where, "description", action.description
        yield where, "won't-do reason", action.status_reason


def _action_where(number: int, action: Action) -> str:
    return f'action {number} "{shorten(action.title, 40)}"' if action.title.strip() else f"action {number} (no title)"


def _perspective_fields(where: str, view: Perspective) -> Iterator[tuple[str, str, str]]:
    for field in ("saw", "did", "expected"):
        yield f"{where} ({view.role})", field, getattr(view, field)


def _wording(findings: list) -> str:
    """The findings of one field in one line: each category and excerpt, then what to do."""
    parts = list(dict.fromkeys(f'{f.category} wording "{shorten(f.excerpt, 60)}"' for f in findings))
    first = findings[0]
    return f"{', '.join(parts)}; {first.suggestion or first.message}"


def _merged_since(roles: Sequence[str], narrative_roles: Sequence[str]) -> list[tuple[str, int]]:
    """Each role with more merged accounts now than when the narrative was last edited, and
    how many more, in the order of `roles`.

    Compared by role without its number: the numbers follow the participants' order, so a new
    on-call SRE sorting between two others renumbers them, and the new label would name the
    wrong person. How many accounts of each role there were is all the document keeps; it
    never stores who wrote them, since it is exported.
    """
    then = Counter(base_role(role).lower() for role in narrative_roles)
    now: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for role in roles:
        base = base_role(role)
        now[base.lower()] += 1
        shown.setdefault(base.lower(), base)
    return [(shown[key], now[key] - then[key]) for key in shown if now[key] > then[key]]


def _accounts_of(merged: list[tuple[str, int]]) -> str:
    """"an account of the on-call SRE was", "2 accounts of the on-call SRE and an account of
    the database owner were"."""
    parts = [
        f"an account of {role_phrase(role)}" if more == 1 else f"{more} accounts of {role_phrase(role)}"
        for role, more in merged
    ]
    verb = "was" if len(merged) == 1 and merged[0][1] == 1 else "were"
    joined = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"{joined} {verb}"


#: Open actions grouped by what they lack, in the order a facilitator would fix them.
_MISSING = (
    ("no owner and no due date", lambda action: not action.owner.strip() and action.due is None),
    ("no owner", lambda action: not action.owner.strip() and action.due is not None),
    ("no due date", lambda action: action.owner.strip() and action.due is None),
)


def _action_reasons(pm: Postmortem, flagged: _Findings) -> list[str]:
    """One line per kind of problem, naming the actions it concerns, so a draft with a dozen
    actions reads as a short checklist rather than two lines per action.

    An action marked as needing a rewrite is one line whatever its fields' findings: drafted
    from a flagged suggestion, its title and the description quoting the suggestion carry the
    same wording."""
    reasons: list[str] = []
    rewrite = [(n, a) for n, a in enumerate(pm.actions, 1) if a.awaits_rewrite]
    if len(rewrite) == 1:
        number, action = rewrite[0]
        where = _flagged_fields(_action_where(number, action), flagged)
        advice = rewrite_advice(action.rewrite_hint)
        reasons.append(f"{_action_label(number, action.title)}{where}: {advice[:1].lower()}{advice[1:]}")
    elif rewrite:
        reasons.append(f"{len(rewrite)} actions need a rewrite as a change to the system: {_titles(rewrite)}")
    no_reason = [(n, a) for n, a in enumerate(pm.actions, 1) if a.status == ActionStatus.WONT_DO and not a.status_reason.strip()]
    if no_reason:
        reasons.append(f"{_count(no_reason)} won't do without a reason; say why: {_titles(no_reason)}")
    still_open = [(n, a) for n, a in enumerate(pm.actions, 1) if a.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)]
    for missing, lacks in _MISSING:
        matching = [(n, a) for n, a in still_open if lacks(a)]
        if matching:
            verb = "has" if len(matching) == 1 else "have"
            reasons.append(f"{_count(matching)} {verb} {missing}: {_titles(matching)}")
    return reasons


def _flagged_fields(action_where: str, flagged: _Findings) -> str:
    """" (title and description)": the fields of an action with lint findings."""
    fields = [field for (where, field) in flagged if where == action_where]
    return f" ({' and '.join(fields)})" if fields else ""


def _count(actions: list) -> str:
    return "1 action" if len(actions) == 1 else f"{len(actions)} actions"


def _titles(actions: list[tuple[int, Action]]) -> str:
    """The actions' titles, short, in list order: "Add a canary stage…", "Alert when…"."""
    return ", ".join(_action_label(number, action.title, bare=True) for number, action in actions)


def _action_label(number: int, title: str, bare: bool = False) -> str:
    """How a reason names an action: by its title, which is what a person recognises; by its
    place in the exported list only when it has no title. `bare` leaves out the word "action",
    for a list of several, and shortens the title more."""
    if title.strip():
        return f'"{shorten(title, 44)}"' if bare else f'action "{shorten(title, 50)}"'
    return f"#{number} (no title)" if bare else f"action {number} (no title)"
