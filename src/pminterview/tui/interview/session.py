"""One person's account while their interview is open: load, lock, save, submit.

No Textual here: the screens change `session.account` and call `save()`; this module decides
whether anything needs writing. The file is written when its content or the cursor changed,
and `Account.updated` moves only when the content did, so the same account is the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pminterview import locations
from pminterview.errors import PmError
from pminterview.guide import Guide, Question, QuestionKind
from pminterview.model import Account, AccountStatus, Cursor, Incident
from pminterview.timeparse import ParsedTime, parse_time, zone
from pminterview.workspace import AccountLock, LockHolder, Workspace, remove_stale_temps, to_toml

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    """The current time in UTC, to the second (accounts do not need more)."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


# Fields that are bookkeeping rather than what the person said.
_NOT_CONTENT = {"cursor", "updated"}


class InterviewSession:
    """The open account of one participant in one incident folder.

    When another live session holds the account, this one is read-only: `save()` writes
    nothing until `take_over()` succeeds.
    """

    def __init__(
        self,
        workspace: Workspace,
        participant: str,
        guide: Guide,
        incident: Incident,
        account: Account,
        lock: AccountLock,
        clock: Clock = utc_now,
        on_disk: bool = False,
    ) -> None:
        self.workspace = workspace
        self.participant = participant
        self.guide = guide
        self.incident = incident
        self.account = account
        self.lock = lock
        self.clock = clock
        self._remember_saved(account, on_disk)

    @classmethod
    def open(cls, workspace: Workspace, participant: str, guide: Guide, clock: Clock = utc_now) -> InterviewSession:
        """Lock and load the participant's account (a new one when there is none yet).

        Raises PmError, before anything is written, when the account or incident file is
        damaged; the lock is released again in that case.
        """
        remove_stale_temps(locations.accounts_dir(workspace.root))
        lock = workspace.lock_account(participant)
        lock.acquire()  # not held: another session has it, and this one opens read-only
        try:
            incident = workspace.incident()
            account = workspace.load_account(participant)
        except PmError:
            lock.release()
            raise
        on_disk = account is not None
        if account is None:
            account = Account(participant=participant)
        return cls(workspace, participant, guide, incident, account, lock, clock, on_disk)

    # --- state ---------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        """True when another session holds the account."""
        return not self.lock.held

    @property
    def holder(self) -> LockHolder | None:
        """Who holds the account, when this session is read-only and that is known."""
        return self.lock.holder

    @property
    def submitted(self) -> bool:
        return self.account.status == AccountStatus.SUBMITTED

    @property
    def state(self) -> str:
        """The account's state in a word, for the title bar."""
        if self.read_only:
            return "read-only"
        return "submitted" if self.submitted else "draft"

    @property
    def editable(self) -> bool:
        """Whether the screens should accept edits now."""
        return not self.read_only and not self.submitted

    def is_answered(self, question: Question) -> bool:
        """Whether the person has said anything for `question` yet."""
        account = self.account
        match question.kind:
            case QuestionKind.ROLE:
                return bool(account.role.strip())
            case QuestionKind.TIMELINE:
                return bool(account.timeline)
            case QuestionKind.SAFEGUARDS:
                return bool(account.safeguards)
            case QuestionKind.SUGGESTIONS:
                return bool(account.suggestions)
            case _:
                return bool(account.answer(question.id).text.strip())

    def start_question(self) -> str | None:
        """Where to open: the saved cursor, else the first unanswered question.

        None means everything is answered (or submitted): open on the review page.
        """
        if self.submitted:
            return None
        ids = {q.id for q in self.guide.questions}
        if self.account.cursor.question in ids:
            return self.account.cursor.question
        for question in self.guide.questions:
            if not question.optional and not self.is_answered(question):
                return question.id
        return None

    def set_cursor(self, question_id: str, row: int = 0, column: int = 0) -> None:
        """Remember where the person is; saved with the next save, without touching `updated`."""
        cursor = Cursor(question=question_id, row=max(row, 0), column=max(column, 0))
        if cursor != self.account.cursor:
            self.account.cursor = cursor

    def read_time(self, text: str) -> ParsedTime:
        """Read a timeline time on the incident's day, in its zone; PmError when unreadable."""
        day = None
        if self.incident.started is not None:
            day = self.incident.started.astimezone(zone(self.incident.timezone)).date()
        return parse_time(text, day=day, tz=self.incident.timezone)

    # --- saving --------------------------------------------------------------------------

    def _content(self, account: Account) -> dict:
        return account.model_dump(mode="json", exclude=_NOT_CONTENT)

    def _remember_saved(self, account: Account, on_disk: bool) -> None:
        self._saved_content = self._content(account)
        self._written = to_toml(account) if on_disk else None

    def save(self) -> bool:
        """Write the account if anything changed; True when a file was written.

        Raises PmError (or OSError for a full disk) when the file cannot be written.
        """
        if self.read_only:
            return False
        content = self._content(self.account)
        changed = content != self._saved_content
        if changed:
            self.account.updated = self.clock()
        if self._written is None and not changed:
            # Nothing said yet: no file, so opening and closing the interview leaves no
            # empty account for the facilitator to wonder about.
            return False
        text = to_toml(self.account)
        if text == self._written:
            return False
        self.workspace.save_account(self.account)
        self._written = text
        self._saved_content = content
        return True

    def submit(self) -> None:
        """Mark the account submitted, now, and save it."""
        self.account.status = AccountStatus.SUBMITTED
        self.account.submitted = self.clock()
        self.save()

    def reopen(self) -> None:
        """Back to a draft the person can edit; the earlier submission time is cleared."""
        self.account.status = AccountStatus.DRAFT
        self.account.submitted = None
        self.save()

    def take_over(self) -> bool:
        """Ask the other session to save and exit, then hold the account and reload it.

        Blocks for up to a few seconds; returns False when the other session stayed.
        """
        if not self.lock.take_over():
            return False
        account = self.workspace.load_account(self.participant)
        on_disk = account is not None
        self.account = account or Account(participant=self.participant)
        self._remember_saved(self.account, on_disk)
        return True

    def close(self) -> None:
        """Release the hold on the account."""
        self.lock.release()
