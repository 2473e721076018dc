"""One participant's whole account, read-only, opened from the Participants tab.

The facilitator reads what each person said, including what they gave off the record (marked
as such: it is for the facilitator, and the merge keeps it out of every export). q, v and
Escape close it; never Escape alone, which arrives late or garbled on a slow link.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from pminterview.model import Account, AccountStatus
from pminterview.tui.common.account_text import OFF_RECORD_MARK, account_renderable, off_record_count
from pminterview.tui.common.keybar import KeyBar
from pminterview.tui.facilitator.panes.base import count, local_time
from pminterview.tui.facilitator.session import Session


def account_heading(participant: str, account: Account | None, session: Session) -> str:
    """"alice: on-call SRE, submitted, last change 2026-11-28 10:15 UTC"."""
    if account is None:
        return f"{participant}: no readable account"
    parts = [account.role or "(no role)", account.status.value]
    changed = local_time(account.updated, session.postmortem.incident, with_zone=True)
    if changed:
        parts.append(f"last change {changed}")
    return f"{participant}: " + ", ".join(parts)


def account_note(account: Account | None) -> Text:
    """What the reader should know before reading: read-only, drafts, off the record."""
    if account is None:
        return Text("The account file is gone or cannot be read; see the Participants tab.")
    note = Text("Read-only.")
    if account.status is AccountStatus.DRAFT:
        note.append(" A draft: not in the postmortem until its author submits it.")
    off_record = off_record_count(account)
    if off_record:
        note.append(" ")
        note.append(OFF_RECORD_MARK, style="bold reverse")
        note.append(f" marks {count(off_record, 'item')} given off the record: for you only, never exported.")
    return note


class AccountScreen(Screen[None]):
    """The account of one participant, scrollable; `show()` redraws it after a merge."""

    BINDINGS = [
        # q first: it is the key the key line shows, and it works on any link.
        Binding("q,v,escape", "close", "Close", id="account-close"),
    ]

    def __init__(self, session: Session, participant: str) -> None:
        super().__init__()
        self.session = session
        self.participant = participant

    def compose(self) -> ComposeResult:
        yield Static(id="account-heading", markup=False)
        yield Static(id="account-note")
        with VerticalScroll(id="account-body", can_focus=True):
            yield Static(id="account-text")
        yield KeyBar(id="account-keys")

    def on_mount(self) -> None:
        self.show(self.session)
        self.query_one("#account-body").focus()

    def _account(self) -> Account | None:
        for entry in self.session.entries:
            if entry.participant == self.participant:
                return entry.account
        return None

    def show(self, session: Session) -> None:
        """Draw the account as it is in `session` now (it may have changed on disk)."""
        self.session = session
        account = self._account()
        self.query_one("#account-heading", Static).update(account_heading(self.participant, account, session))
        self.query_one("#account-note", Static).update(account_note(account))
        body = Text("") if account is None else account_renderable(account, session.guide, session.postmortem.incident.timezone)
        self.query_one("#account-text", Static).update(body)

    def action_close(self) -> None:
        """Back to the participants."""
        self.dismiss(None)
