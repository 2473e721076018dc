"""Which accounts go into the postmortem.

A responder's account is private until they submit it (the interview's review page says so),
so only submitted accounts are merged into the document and its exports. Drafts are still
counted: the facilitator's Participants tab shows them, and readiness lists them as not
submitted yet. Their authors' names, and those of files that do not load, are still replaced
wherever someone else's account mentions them (`named`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from pminterview.model import Account, AccountStatus

if TYPE_CHECKING:
    from pminterview.workspace import AccountEntry


def submitted_only(accounts: Iterable[Account]) -> list[Account]:
    """The accounts that may be merged: those their author submitted, in the given order."""
    return [account for account in accounts if account.status is AccountStatus.SUBMITTED]


def named(entries: Iterable[AccountEntry]) -> list[tuple[str, str]]:
    """(participant, role) of everyone with a file in the incident, for `merge(also_named=)`:
    a draft's role as it stands, none for a file that does not load."""
    return [(entry.participant, entry.account.role if entry.account else "") for entry in entries]
