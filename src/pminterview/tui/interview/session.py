"""One person's account while their interview is open: load, lock, save, submit.

No Textual here: the screens change `session.account` and call `save()`; this module decides
whether anything needs writing. The file is written when its content or the cursor changed,
and `Account.updated` moves only when the content did, so the same account is the same bytes.

Opening in two steps. Importing pydantic and the models costs about as much as starting the
whole screen, and a responder on a slow bastion host should see the first question at once.
So `InterviewSession.preview()` reads only what the first screen shows (the incident title,
the account's cursor, role and answers) as raw TOML, with the same file checks as a full load
but without validation, and the screen is drawn from that. `finish_opening()` then, in a
worker thread after the first paint, imports the models, validates the incident and the
account, and takes the lock; until it has, `ready` is False and `save()` writes nothing, so
a file that turns out not to validate is never overwritten. The answer fields take typing
during that moment; what was typed is in the widgets and is saved once the session is
ready. Any code that must save (quit, an exit signal) calls `finish_opening()` itself, which
waits for the worker or does the work.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pminterview import locations
from pminterview.errors import PmError
from pminterview.guide import Guide, Question, QuestionKind
from pminterview.textsafety import clean

if TYPE_CHECKING:
    from pminterview.model import Account, Incident
    from pminterview.timeparse import ParsedTime
    from pminterview.workspace import AccountLock, LockHolder, Workspace

Clock = Callable[[], dt.datetime]

#: The account's status once submitted, as stored (AccountStatus.SUBMITTED is equal to it).
SUBMITTED = "submitted"


def utc_now() -> dt.datetime:
    """The current time in UTC, to the second (accounts do not need more)."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


# Fields that are bookkeeping rather than what the person said.
_NOT_CONTENT = {"cursor", "updated"}


# --- a first look, before the models are imported ---------------------------------------------


@dataclass
class CursorPreview:
    """Where the person left off, as read from the file before validation."""

    question: str = ""
    row: int = 0
    column: int = 0


@dataclass(frozen=True)
class DismissedPreview:
    """A dismissed hint as read before validation (the fields of `DismissedHint`)."""

    rule_id: str
    excerpt: str


@dataclass
class AnswerPreview:
    """One answer as read before validation."""

    text: str = ""
    off_record: bool = False
    dismissed: tuple[DismissedPreview, ...] = ()


@dataclass
class AccountPreview:
    """The parts of an account the first screen reads, with the attribute names of `Account`."""

    participant: str
    role: str = ""
    status: str = "draft"
    answers: dict[str, AnswerPreview] = field(default_factory=dict)
    timeline: list = field(default_factory=list)
    safeguards: list = field(default_factory=list)
    suggestions: list = field(default_factory=list)
    cursor: CursorPreview = field(default_factory=CursorPreview)

    def answer(self, question_id: str) -> AnswerPreview:
        return self.answers.get(question_id) or AnswerPreview()


@dataclass
class IncidentPreview:
    """The incident's title, which is all the first screen shows of it."""

    title: str


def _text(value: object) -> str:
    # Unvalidated: anything that is not text reads as empty here, and the full load that
    # follows reports it. Text is cleaned as validation would clean it.
    return clean(value) if isinstance(value, str) else ""


def _number(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _account_preview(data: dict[str, Any], participant: str) -> AccountPreview:
    answers: dict[str, AnswerPreview] = {}
    raw_answers = data.get("answers")
    if isinstance(raw_answers, dict):
        for key, raw in raw_answers.items():
            if isinstance(raw, dict):
                dismissed = tuple(
                    DismissedPreview(_text(d.get("rule_id")), _text(d.get("excerpt")))
                    for d in _list(raw.get("dismissed"))
                    if isinstance(d, dict)
                )
                answers[str(key)] = AnswerPreview(_text(raw.get("text")), raw.get("off_record") is True, dismissed)
    raw_cursor = data.get("cursor")
    cursor = CursorPreview()
    if isinstance(raw_cursor, dict):
        cursor = CursorPreview(_text(raw_cursor.get("question")), _number(raw_cursor.get("row")), _number(raw_cursor.get("column")))
    return AccountPreview(
        participant=participant,
        role=_text(data.get("role")),
        status=_text(data.get("status")) or "draft",
        answers=answers,
        timeline=_list(data.get("timeline")),
        safeguards=_list(data.get("safeguards")),
        suggestions=_list(data.get("suggestions")),
        cursor=cursor,
    )


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
        #: True when there was no account file on opening: the person has not started yet.
        self.new_account = not on_disk
        #: False while the screen shows a preview and the models are not loaded yet.
        self.ready = True
        self._opening = threading.Lock()
        self._open_error: PmError | None = None

    @classmethod
    def open(cls, workspace: Workspace, participant: str, guide: Guide, clock: Clock = utc_now) -> InterviewSession:
        """Lock and load the participant's account (a new one when there is none yet).

        Raises PmError, before anything is written, when the account or incident file is
        damaged; the lock is released again in that case.
        """
        from pminterview.workspace import remove_stale_temps

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
            from pminterview.model import Account

            account = Account(participant=participant)
        return cls(workspace, participant, guide, incident, account, lock, clock, on_disk)

    @classmethod
    def preview(cls, workspace: Workspace, participant: str, guide: Guide, clock: Clock = utc_now) -> InterviewSession:
        """A session for the first screen, read without the models (see the module docstring).

        Raises PmError when a file cannot even be read as TOML (a symlink, far too big, not
        UTF-8, broken TOML); whether it validates is `finish_opening()`'s to find out.
        """
        from pminterview.workspace import read_toml

        incident = read_toml(locations.incident_file(workspace.root), "incident")
        path = workspace.account_path(participant)
        raw = read_toml(path, "account") if os.path.lexists(path) else {}
        session = cls.__new__(cls)
        session.workspace = workspace
        session.participant = participant
        session.guide = guide
        session.incident = IncidentPreview(_text(incident.get("title")))  # type: ignore[assignment]
        session.account = _account_preview(raw, participant)  # type: ignore[assignment]
        session.lock = None  # type: ignore[assignment]
        session.clock = clock
        session.ready = False
        session.new_account = not raw
        session._opening = threading.Lock()
        session._open_error = None
        return session

    def finish_opening(self) -> None:
        """Load and validate the incident and the account and take the lock (see the module
        docstring); returns at once when that is done. Safe to call from any thread, and
        from several: the work happens once. Raises PmError when a file does not validate,
        every time it is called; nothing has been written then."""
        with self._opening:
            if self._open_error is not None:
                raise self._open_error
            if self.ready:
                return
            try:
                full = InterviewSession.open(self.workspace, self.participant, self.guide, self.clock)
            except PmError as err:
                self._open_error = err
                raise
            self.incident = full.incident
            self.account = full.account
            self.lock = full.lock
            self._saved_content = full._saved_content
            self._written = full._written
            self.ready = True  # last: until now save() writes nothing

    # --- state ---------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        """True when another session holds the account (never known before `ready`)."""
        return self.lock is not None and not self.lock.held

    @property
    def holder(self) -> LockHolder | None:
        """Who holds the account, when this session is read-only and that is known."""
        return self.lock.holder if self.lock is not None else None

    @property
    def submitted(self) -> bool:
        return self.account.status == SUBMITTED

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
        if not self.ready:
            self.account.cursor = CursorPreview(question_id, max(row, 0), max(column, 0))
            return
        from pminterview.model import Cursor

        cursor = Cursor(question=question_id, row=max(row, 0), column=max(column, 0))
        if cursor != self.account.cursor:
            self.account.cursor = cursor

    def read_time(self, text: str) -> ParsedTime:
        """Read a timeline time on the incident's day, in its zone; PmError when unreadable."""
        from pminterview.timeparse import parse_time, zone

        day = None
        if self.incident.started is not None:
            day = self.incident.started.astimezone(zone(self.incident.timezone)).date()
        return parse_time(text, day=day, tz=self.incident.timezone)

    # --- saving --------------------------------------------------------------------------

    def _content(self, account: Account) -> dict:
        return account.model_dump(mode="json", exclude=_NOT_CONTENT)

    def _remember_saved(self, account: Account, on_disk: bool) -> None:
        from pminterview.workspace import to_toml

        self._saved_content = self._content(account)
        self._written = to_toml(account) if on_disk else None

    def save(self) -> bool:
        """Write the account if anything changed; True when a file was written.

        Raises PmError (or OSError for a full disk) when the file cannot be written. Writes
        nothing before the session is `ready`.
        """
        if not self.ready or self.read_only:
            return False
        from pminterview.workspace import to_toml

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
        from pminterview.model import AccountStatus

        self.account.status = AccountStatus.SUBMITTED
        self.account.submitted = self.clock()
        self.save()

    def reopen(self) -> None:
        """Back to a draft the person can edit; the earlier submission time is cleared."""
        from pminterview.model import AccountStatus

        self.account.status = AccountStatus.DRAFT
        self.account.submitted = None
        self.save()

    def take_over(self) -> bool:
        """Ask the other session to save and exit, then hold the account and reload it.

        Blocks for up to a few seconds; returns False when the other session stayed.
        """
        if not self.lock.take_over():
            return False
        from pminterview.model import Account

        account = self.workspace.load_account(self.participant)
        on_disk = account is not None
        self.account = account or Account(participant=self.participant)
        self._remember_saved(self.account, on_disk)
        return True

    def close(self) -> None:
        """Release the hold on the account."""
        with self._opening:  # an opening still under way finishes first, then lets go
            if self.lock is not None:
                self.lock.release()
