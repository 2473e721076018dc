"""Is the postmortem ready to share? The reasons it is not, each one line a person can act on.

Checked: every account submitted, a narrative with no lint findings (hints a responder
dismissed as being about a system stay dismissed) that covers every merged account, no
participant name in the exported text,
at least one action, and every action that is still open or in progress has an owner and a due
date, a won't-do has its reason, and nothing is left marked as needing a rewrite.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pminterview.merge import role_labels
from pminterview.merge.blame import dismissed_keys, is_dismissed
from pminterview.merge.text import name_mentions, name_variants, role_phrase, shorten
from pminterview.model import Account, AccountStatus, Action, ActionStatus, Postmortem


def readiness(pm: Postmortem, accounts: Sequence[Account]) -> list[str]:
    """Why `pm` is not ready to share (empty when it is)."""
    from pminterview.export.markdown import to_markdown
    from pminterview.lint import lint_text

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

    names = sorted({v for a in ordered for v in name_variants(a.participant)}, key=str.lower)
    if not pm.narrative.strip():
        reasons.append("the narrative is empty; write it, or re-merge (ctrl+r) to draft it from the accounts")
    else:
        unheard = [role for role in pm.roles if pm.narrative_edited and role not in pm.narrative_roles]
        if unheard:
            reasons.append(
                f"the narrative was last edited before {_accounts_of(unheard)} merged; "
                "work it in, or empty the narrative and re-merge (ctrl+r) for a fresh draft"
            )
        dismissed = dismissed_keys(h for a in ordered for answer in a.answers.values() for h in answer.dismissed)
        for finding in lint_text(pm.narrative, names=names, roles=pm.roles):
            if is_dismissed(finding, dismissed):
                continue
            reasons.append(
                f"narrative line {finding.line}: {finding.category} wording \"{shorten(finding.excerpt, 60)}\"; {finding.suggestion or finding.message}"
            )

    # The same rule the merge uses to replace names, so "the root cause" is not a mention of a
    # participant called root.
    mentions = name_mentions(to_markdown(pm), [a.participant for a in ordered])
    for name, count in sorted(mentions.items()):
        reasons.append(f"the export names participant {name!r} ({count}x); use their role instead")

    if not pm.actions:
        reasons.append("no action items; a postmortem without changes to the system tends to repeat")
    reasons.extend(_action_reasons(pm))
    return reasons


def _accounts_of(roles: list[str]) -> str:
    if len(roles) == 1:
        return f"the account of {role_phrase(roles[0])} was"
    return f"the accounts of {', '.join(role_phrase(role) for role in roles)} were"


#: Open actions grouped by what they lack, in the order a facilitator would fix them.
_MISSING = (
    ("no owner and no due date", lambda action: not action.owner.strip() and action.due is None),
    ("no owner", lambda action: not action.owner.strip() and action.due is not None),
    ("no due date", lambda action: action.owner.strip() and action.due is None),
)


def _action_reasons(pm: Postmortem) -> list[str]:
    """One line per kind of problem, naming the actions it concerns, so a draft with a dozen
    actions reads as a short checklist rather than two lines per action."""
    reasons: list[str] = []
    rewrite = [(n, a) for n, a in enumerate(pm.actions, 1) if a.needs_rewrite]
    if len(rewrite) == 1:
        number, action = rewrite[0]
        hint = action.rewrite_hint or "what guardrail would help?"
        reasons.append(f"{_action_label(number, action.title)} needs a rewrite as a change to the system; {hint}")
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
