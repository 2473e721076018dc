"""Is the postmortem ready to share? The reasons it is not, each one line a person can act on.

Checked: every account submitted, a narrative with no lint findings (hints a responder
dismissed as being about a system stay dismissed), no participant name in the exported text,
at least one action, and every action that is still open or in progress has an owner and a due
date, a won't-do has its reason, and nothing is left marked as needing a rewrite.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pminterview.merge import role_labels
from pminterview.merge.blame import dismissed_keys, is_dismissed
from pminterview.merge.text import name_variants, shorten
from pminterview.model import Account, AccountStatus, ActionStatus, Postmortem


def readiness(pm: Postmortem, accounts: Sequence[Account]) -> list[str]:
    """Why `pm` is not ready to share (empty when it is)."""
    from pminterview.export.markdown import to_markdown
    from pminterview.lint import lint_text

    reasons: list[str] = []
    ordered = sorted(accounts, key=lambda a: a.participant)
    if not ordered:
        reasons.append("no accounts yet; responders give theirs with `pminterview interview DIR`")
    for account, role in zip(ordered, role_labels(ordered)):
        if account.status != AccountStatus.SUBMITTED:
            reasons.append(f"the account of the {role} ({account.participant}) is still a draft; ask them to review and submit it")

    names = sorted({v for a in ordered for v in name_variants(a.participant)}, key=str.lower)
    if not pm.narrative.strip():
        reasons.append("the narrative is empty; write or generate the 'how we got here' draft")
    else:
        dismissed = dismissed_keys(h for a in ordered for answer in a.answers.values() for h in answer.dismissed)
        for finding in lint_text(pm.narrative, names=names, roles=pm.roles):
            if is_dismissed(finding, dismissed):
                continue
            reasons.append(
                f"narrative line {finding.line}: {finding.category} wording \"{shorten(finding.excerpt, 60)}\"; {finding.suggestion or finding.message}"
            )

    exported = to_markdown(pm)
    for name in names:
        count = len(re.findall(rf"(?<![\w-]){re.escape(name)}(?![\w-])", exported, re.IGNORECASE))
        if count:
            reasons.append(f"the export names participant {name!r} ({count}x); use their role instead")

    if not pm.actions:
        reasons.append("no action items; a postmortem without changes to the system tends to repeat")
    for number, action in enumerate(pm.actions, 1):
        label = _action_label(number, action.title)
        if action.needs_rewrite:
            reasons.append(f"{label} needs a rewrite as a change to the system; {action.rewrite_hint or 'what guardrail would help?'}")
        if action.status == ActionStatus.WONT_DO:
            if not action.status_reason.strip():
                reasons.append(f"{label} is won't do without a reason; say why")
            continue
        if action.status == ActionStatus.DONE:
            continue
        if not action.owner.strip():
            reasons.append(f"{label} has no owner")
        if action.due is None:
            reasons.append(f"{label} has no due date")
    return reasons


def _action_label(number: int, title: str) -> str:
    """How a reason names an action: by its title, which is what a person recognises; by its
    place in the exported list only when it has no title."""
    if title.strip():
        return f'action "{shorten(title, 50)}"'
    return f"action {number} (no title)"
