"""The review page: the whole account on one scrolling page, with submit and reopen."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

from pminterview.errors import PmError
from pminterview.guide import QuestionKind
from pminterview.model import Account
from pminterview.timeparse import zone
from pminterview.tui.interview.hints import find_hints
from pminterview.tui.interview.session import InterviewSession
from pminterview.tui.interview.widgets import KeyBar, TitleBar

_KIND_LABELS = {"missing": "missing", "failed": "failed", "in-the-way": "got in the way", "helped": "helped"}
_OFF_RECORD = "  [off the record]"


def account_text(session: InterviewSession, hints_on: bool) -> Text:
    """The whole account as text, in the guide's order, with remaining hints per answer."""
    account = session.account
    text = Text()
    for section in session.guide.sections:
        text.append(f"{section.title}\n", style="bold underline")
        for question in section.questions:
            text.append(f"{question.prompt}\n", style="bold")
            _append_answer(text, session, account, question.id, question.kind, hints_on)
            text.append("\n")
    return text


def _missing(text: Text) -> None:
    text.append("  (not answered yet)\n", style="italic")


def _append_answer(
    text: Text, session: InterviewSession, account: Account, question_id: str, kind: QuestionKind, hints_on: bool
) -> None:
    match kind:
        case QuestionKind.ROLE:
            if account.role:
                text.append(f"  {account.role}\n")
            else:
                _missing(text)
        case QuestionKind.TIMELINE:
            if not account.timeline:
                _missing(text)
            for entry in account.timeline:
                when = entry.time or "(no time)"
                if entry.at is not None:
                    local = entry.at.astimezone(zone(session.incident.timezone))
                    when = f"{'~' if entry.approximate else ''}{local:%H:%M}"
                text.append(f"  {when}")
                if entry.off_record:
                    text.append(_OFF_RECORD)
                text.append("\n")
                for label, value in (("saw", entry.saw), ("did", entry.did), ("expected", entry.expected)):
                    if value:
                        text.append(f"    {label}: {value}\n")
        case QuestionKind.SAFEGUARDS:
            if not account.safeguards:
                _missing(text)
            for safeguard in account.safeguards:
                text.append(f"  {_KIND_LABELS.get(safeguard.kind, safeguard.kind)}: {safeguard.description}")
                text.append(_OFF_RECORD if safeguard.off_record else "")
                text.append("\n")
        case QuestionKind.SUGGESTIONS:
            if not account.suggestions:
                _missing(text)
            for suggestion in account.suggestions:
                text.append(f"  - {suggestion.text}")
                text.append(_OFF_RECORD if suggestion.off_record else "")
                text.append("\n")
        case _:
            answer = account.answer(question_id)
            if not answer.text.strip():
                _missing(text)
                return
            if answer.off_record:
                text.append(_OFF_RECORD.strip() + "\n", style="italic")
            for line in answer.text.splitlines():
                text.append(f"  {line}\n")
            if hints_on:
                roles = (account.role,) if account.role.strip() else ()
                for hint in find_hints(answer.text, answer.dismissed, (session.participant,), roles):
                    text.append(f"  hint, line {hint.line}, {hint.category}: ", style="italic")
                    text.append(f"“{hint.excerpt}” {hint.message}\n", style="italic")


def status_line(session: InterviewSession) -> str:
    """Where the account stands, in one sentence."""
    account = session.account
    if session.read_only:
        return "Read-only: another session has this account open."
    if session.submitted and account.submitted is not None:
        return (
            f"Submitted {account.submitted:%Y-%m-%d %H:%M} UTC. Thank you. "
            "The facilitator can read it now; reopen it (F6) to change anything."
        )
    return "Draft: only you have seen it. Submit (F5) when you are happy with it; you can reopen it later."


class ReviewScreen(Screen[str]):
    """Shows the whole account; submit marks it submitted, reopen makes it a draft again."""

    BINDINGS = [
        Binding("f2,escape", "back", "Back to questions", id="back-to-questions"),
        Binding("f5", "submit", "Submit", id="submit-account"),
        Binding("f6", "reopen", "Reopen", id="reopen-account"),
    ]

    def __init__(self, session: InterviewSession, hints_on: bool) -> None:
        super().__init__()
        self.session = session
        self.hints_on = hints_on

    def compose(self) -> ComposeResult:
        bar = TitleBar(self.session.incident.title, id="title-bar")
        bar.position = "review"
        yield bar
        yield Static("", id="review-status")
        with VerticalScroll(id="review-body", can_focus=True):
            yield Static(account_text(self.session, self.hints_on), id="review-account")
        with Horizontal(id="review-buttons"):
            yield Button("Submit account", id="submit-account", compact=True)
            yield Button("Reopen for editing", id="reopen-account", compact=True)
            yield Button("Back to questions", id="back-to-questions", compact=True)
        yield KeyBar(id="key-bar")

    def on_mount(self) -> None:
        self._refresh_state()
        self.query_one("#review-body").focus()

    def _refresh_state(self) -> None:
        session = self.session
        self.query_one("#review-status", Static).update(Text(status_line(session)))
        self.query_one("#submit-account").display = not session.read_only and not session.submitted
        self.query_one("#reopen-account").display = not session.read_only and session.submitted
        self.query_one(TitleBar).state = session.state
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit":
            return not self.session.read_only and not self.session.submitted
        if action == "reopen":
            return not self.session.read_only and self.session.submitted
        return True

    @on(Button.Pressed, "#submit-account")
    def action_submit(self) -> None:
        """Mark the account submitted."""
        if not self.check_action("submit", ()):
            return
        try:
            self.session.submit()
        except (PmError, OSError) as err:
            self.notify(f"Not submitted: {err}", severity="error", timeout=8)
        self._refresh_state()

    @on(Button.Pressed, "#reopen-account")
    def action_reopen(self) -> None:
        """Make the account a draft again, to edit it."""
        if not self.check_action("reopen", ()):
            return
        try:
            self.session.reopen()
        except (PmError, OSError) as err:
            self.notify(f"Not reopened: {err}", severity="error", timeout=8)
        self._refresh_state()
        self.dismiss("reopened")

    @on(Button.Pressed, "#back-to-questions")
    def action_back(self) -> None:
        """Back to the questions."""
        self.dismiss("back")
