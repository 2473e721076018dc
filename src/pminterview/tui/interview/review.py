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
from pminterview.tui.interview.hints import find_hints, hint_text
from pminterview.tui.interview.session import InterviewSession
from pminterview.tui.common.account_text import OFF_RECORD_MARK, SAFEGUARD_LABELS, entry_time
from pminterview.tui.common.keybar import KeyBar
from pminterview.tui.interview.widgets import TitleBar



#: (CSS class, content): one paragraph of the review. The classes indent answers under
#: their question, so wrapped lines keep their indent.
Block = tuple[str, Text]


def review_blocks(session: InterviewSession, hints_on: bool) -> list[Block]:
    """The whole account in the guide's order, with the remaining hints under each answer."""
    blocks: list[Block] = []
    for section in session.guide.sections:
        blocks.append(("review-section", Text(section.title, style="bold underline")))
        for question in section.questions:
            blocks.append(("review-prompt", Text(question.prompt, style="bold")))
            blocks.extend(_answer_blocks(session, question.id, question.kind, hints_on))
    return blocks


def _answer(text: str, off_record: bool = False) -> Block:
    line = Text()
    if off_record:
        line.append(f"{OFF_RECORD_MARK} ", style="italic")  # first, so it is seen before the words
    line.append(text)
    return ("review-answer", line)


def _hint_blocks(session: InterviewSession, text: str, dismissed: list, hints_on: bool) -> list[Block]:
    """The hints remaining in `text`, worded as on the question screen."""
    if not hints_on or not text.strip():
        return []
    account = session.account
    roles = (account.role,) if account.role.strip() else ()
    blocks: list[Block] = []
    for hint in find_hints(text, dismissed, (session.participant,), roles):
        line = Text("Hint: ", style="italic")
        line.append_text(hint_text(hint))
        blocks.append(("review-hint", line))
    return blocks


def _answer_blocks(session: InterviewSession, question_id: str, kind: QuestionKind, hints_on: bool) -> list[Block]:
    account = session.account
    blocks: list[Block] = []
    # In list answers a dismissal counts for every entry, as in the merge.
    everywhere = [h for answer in account.answers.values() for h in answer.dismissed]
    match kind:
        case QuestionKind.ROLE:
            if account.role:
                blocks.append(_answer(account.role))
        case QuestionKind.TIMELINE:
            for entry in account.timeline:
                blocks.append(_answer(entry_time(entry, session.incident.timezone, with_zone=False), entry.off_record))
                for label, value in (("saw", entry.saw), ("did", entry.did), ("expected", entry.expected)):
                    if value:
                        blocks.append(("review-detail", Text(f"{label}: {value}")))
                        blocks.extend(_hint_blocks(session, value, everywhere, hints_on))
        case QuestionKind.SAFEGUARDS:
            for safeguard in account.safeguards:
                label = SAFEGUARD_LABELS.get(safeguard.kind, safeguard.kind)
                blocks.append(_answer(f"{label}: {safeguard.description}", safeguard.off_record))
                blocks.extend(_hint_blocks(session, safeguard.description, everywhere, hints_on))
        case QuestionKind.SUGGESTIONS:
            for suggestion in account.suggestions:
                blocks.append(_answer(f"- {suggestion.text}", suggestion.off_record))
                blocks.extend(_hint_blocks(session, suggestion.text, everywhere, hints_on))
        case _:
            answer = account.answer(question_id)
            if answer.text.strip():
                blocks.append(_answer(answer.text, answer.off_record))
                blocks.extend(_hint_blocks(session, answer.text, answer.dismissed, hints_on))
    if not blocks:
        blocks.append(("review-missing", Text("(not answered yet)", style="italic")))
    return blocks


def status_line(session: InterviewSession) -> str:
    """Where the account stands, in one sentence."""
    account = session.account
    if session.read_only:
        return "Read-only: another session has this account open. To take over: F2, then Ctrl+T."
    if session.submitted and account.submitted is not None:
        return (
            f"Submitted {account.submitted:%Y-%m-%d %H:%M} UTC. Thank you. "
            "The facilitator can read it now; reopen it (F6) to change anything."
        )
    return (
        "Draft: not part of the write-up until you submit; the facilitator can see that you have "
        "started. Submit (F5) when you are happy with it; you can reopen it later."
    )


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
            for css_class, text in review_blocks(self.session, self.hints_on):
                yield Static(text, classes=css_class)
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
        # The row's buttons change width and place: lay it out and paint it whole again,
        # or a longer label painted before can show through ("Reopen for editing ack…").
        self.query_one("#review-buttons").refresh(layout=True, repaint=True)
        self.refresh(layout=True)
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
