"""Which accounts go into the postmortem.

A responder's account is private until they submit it (the interview's review page says so),
so only submitted accounts are merged into the document and its exports. Drafts are still
counted: the facilitator's Participants tab shows them, and readiness lists them as not
submitted yet.
"""

from __future__ import annotations

from collections.abc import Iterable

from pminterview.model import Account, AccountStatus


def submitted_only(accounts: Iterable[Account]) -> list[Account]:
    """The accounts that may be merged: those their author submitted, in the given order."""
    return [account for account in accounts if account.status is AccountStatus.SUBMITTED]
