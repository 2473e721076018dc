"""The interview screen: one question at a time, keyboard only, saved as you type."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Static

from pminterview.errors import PmError
from pminterview.guide import QuestionKind
from pminterview.tui.common import Debouncer, settle_keys
from pminterview.tui.interview.messages import AccountSaved, AnswerEdited, HintsShown
from pminterview.tui.interview.questions import QuestionPane, focus_now, pane_for
from pminterview.tui.interview.session import InterviewSession
from pminterview.tui.common.keybar import KeyBar
from pminterview.tui.interview.widgets import TitleBar

#: Kinds of question the screen can show from a preview session, before the models load.
#: The list answers build model objects as they are edited, so they wait (a moment).
PREVIEW_KINDS = (QuestionKind.ROLE, QuestionKind.TEXT)

#: Shown in place of the purpose statement once the person has started (F1 shows it whole).
PRIVACY_REMINDER = "Private: facilitator only; exports name roles, not people. F1 for more"

#: Pause in typing before hints and time checks run: long enough to stay off the keystroke
#: path, short enough to feel live.
IDLE_DELAY = 0.4


class InterviewScreen(Screen[None]):
    """Asks the guide's questions in order; the current one fills the screen."""

    # Each question puts the focus on its answer itself. Textual's auto-focus would first
    # focus the pane, and every change of focus restyles the question's widgets.
    AUTO_FOCUS = ""

    BINDINGS = [
        Binding("ctrl+n", "next_question", "Next", id="next-question", priority=True),
        Binding("ctrl+p", "previous_question", "Back", id="previous-question", priority=True),
        Binding("f2", "review", "Review", id="review", priority=True),
        Binding("ctrl+o", "toggle_off_record", "Off record", id="toggle-off-record", priority=True),
        Binding("f3", "add_entry", "Add", id="add-entry", priority=True),
        Binding("f4", "remove_entry", "Remove", id="remove-entry", priority=True),
        Binding("f8", "dismiss_hint", "Dismiss hint", id="dismiss-hint", priority=True),
        Binding("f9", "toggle_hints", "Hints on/off", id="toggle-hints", priority=True, show=False),
        Binding("ctrl+t", "take_over", "Take over", id="take-over", priority=True),
        # Tab is bound here, ahead of the fields, so that keys typed right after it wait
        # until focus has moved (see tui.common.typeahead).
        Binding("tab", "next_field", "Next field", id="next-field", priority=True, show=False),
        Binding("shift+tab", "previous_field", "Previous field", id="previous-field", priority=True, show=False),
    ]

    def __init__(self, session: InterviewSession, hints_on: bool) -> None:
        super().__init__()
        self.session = session
        self.hints_on = hints_on
        self.index = 0
        self._first_pane = True
        self._follow_ups_shown: set[str] = set()
        self._taking_over = False
        #: Holds the question on screen (one pane at a time).
        self._question_box = Container(id="question")

    # --- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The first question is composed with the screen, not mounted after it: one layout
        # pass less before the first paint, which is what a person waits for.
        cursor = self.session.account.cursor
        question_id = self.session.start_question() or self.session.guide.questions[-1].id
        # At the end of the answer, unless the saved cursor is in this very question.
        self._start: tuple[int | None, int] = (None, 0)
        if question_id == cursor.question:
            self._start = (cursor.row, cursor.column)
        self.index = self._index_of(question_id)
        question = self.session.guide.questions[self.index]
        yield TitleBar(self.session.incident.title, id="title-bar")
        yield Static("", id="notice")
        yield Static("", id="purpose")
        with self._question_box:
            if self.session.ready or question.kind in PREVIEW_KINDS:
                yield pane_for(self.session, question)
        yield KeyBar(id="key-bar")

    def on_mount(self) -> None:
        self.idle = Debouncer(self, IDLE_DELAY, self._after_pause)
        if self.pane is not None:
            self._question_shown(*self._start)
        else:
            self._show_purpose(whole=self.session.new_account)
            self._refresh_chrome()  # the question follows in `session_opened`

    async def session_opened(self) -> None:
        """The preview session has been validated and locked: bring the screen up to date.

        The pane shown from the preview stays, with whatever was typed into it, unless the
        account turned out not to be editable here (read-only, submitted); then it is
        redrawn from the loaded account.
        """
        pane = self.pane
        if pane is None or not self.session.editable:
            cursor = self.session.account.cursor
            row, column = (cursor.row, cursor.column) if cursor.question == self.question_id else (None, 0)
            await self.show_question(self.index, row, column)
            return
        pane.session_opened(self.hints_on)
        self._refresh_chrome()
        self.refresh_bindings()

    @property
    def question_id(self) -> str:
        """The id of the question on screen."""
        return self.session.guide.questions[self.index].id

    def _index_of(self, question_id: str) -> int:
        for index, question in enumerate(self.session.guide.questions):
            if question.id == question_id:
                return index
        return 0

    @property
    def pane(self) -> QuestionPane | None:
        """The question on screen, if any. Looked up among the box's children, not queried:
        `check_action` asks for it once per key binding whenever the key bar is redrawn."""
        for child in self._question_box.children:
            if isinstance(child, QuestionPane):
                return child
        return None

    async def show_question(self, index: int, row: int | None = None, column: int = 0) -> None:
        """Replace the current question with question `index`, cursor at (row, column), or
        at the end of its answer when `row` is None (so typing adds to what is there)."""
        self.idle.cancel()
        questions = self.session.guide.questions
        self.index = max(0, min(index, len(questions) - 1))
        question = questions[self.index]
        container = self._question_box
        await container.remove_children()
        await container.mount(pane_for(self.session, question))
        self._question_shown(row, column)

    def _question_shown(self, row: int | None, column: int) -> None:
        pane = self.pane
        assert pane is not None
        if row is None:
            row, column = pane.end_of_answer()
        self._show_purpose(whole=self._first_pane and self.session.new_account)
        self._first_pane = False
        self._refresh_chrome()
        if not pane.focus_answer(row, column):
            # Nothing to type into (read-only, submitted): focus the question itself so
            # it scrolls, and so no stale focus hides this screen's keys.
            focus_now(pane)
        self.session.set_cursor(pane.question.id, row, column)
        pane.refresh_hints(self.hints_on)
        self.refresh_bindings()

    def _show_purpose(self, whole: bool) -> None:
        # The whole purpose and privacy statement on the first screen of a new account;
        # once the person has started, one line, so the answer keeps its room at 80x24.
        purpose = self.query_one("#purpose", Static)
        purpose.update(Text(self.session.guide.purpose.strip() if whole else PRIVACY_REMINDER))
        purpose.set_class(not whole, "-reminder")

    def _refresh_chrome(self) -> None:
        total = len(self.session.guide.questions)
        bar = self.query_one(TitleBar)
        bar.position = f"{self.index + 1}/{total}"
        bar.state = self._state_text()
        notice = self.query_one("#notice", Static)
        message = self._notice_text()
        notice.update(Text(message))
        notice.display = bool(message)

    def _notice_text(self) -> str:
        session = self.session
        if session.read_only:
            holder = session.holder.describe() if session.holder else "another session"
            return (
                f"Read-only: this account is open in another session: {holder}. "
                "Ctrl+T asks that session to save and close, then takes over here."
            )
        if session.submitted:
            return "You submitted this account. To change it, open the review (F2) and reopen it (F6)."
        return ""

    # --- saving --------------------------------------------------------------------------

    def commit(self) -> None:
        """Copy the current answer and cursor into the account (no disk write)."""
        pane = self.pane
        if pane is None or not self.session.editable:
            return
        try:
            pane.commit()
            row, column = pane.cursor()
        except NoMatches:
            return  # a question still being put on screen: it holds nothing typed yet
        self.session.set_cursor(pane.question.id, row, column)

    @on(AnswerEdited)
    def _answer_edited(self, event: AnswerEdited) -> None:
        # The app schedules the autosave from the same message; here only deferred checks.
        self.idle.poke()

    def _after_pause(self) -> None:
        pane = self.pane
        if pane is not None:
            pane.after_pause(self.hints_on)
            self.refresh_bindings()

    @on(HintsShown)
    def _hints_shown(self) -> None:
        self.refresh_bindings()  # "Dismiss hint" comes and goes with the hints

    def _state_text(self) -> str:
        if getattr(self.app, "save_error", None):
            return "NOT SAVED"
        return self.session.state

    def on_account_saved(self, event: AccountSaved) -> None:
        self.query_one(TitleBar).state = self._state_text()

    # --- actions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        pane = self.pane
        if action in ("add_entry", "remove_entry"):
            return pane is not None and pane.takes_entries and self.session.editable
        if action == "toggle_off_record":
            return self.session.editable and pane is not None and pane.question.kind != QuestionKind.ROLE
        if action == "dismiss_hint":
            # Dismissals are stored as model objects: not before the session is ready.
            return self.session.editable and self.session.ready and pane is not None and pane.hints_shown
        if action == "take_over":
            return self.session.read_only
        return True

    async def action_next_field(self) -> None:
        """Move to the next field."""
        await settle_keys(self.app)
        self.focus_next()

    async def action_previous_field(self) -> None:
        """Move to the previous field."""
        await settle_keys(self.app)
        self.focus_previous()

    async def action_next_question(self) -> None:
        """Go to the next question; after the last one, to the review."""
        from pminterview.tui.interview.textpane import TextPane  # loaded with the first text question

        await settle_keys(self.app)
        pane = self.pane
        if isinstance(pane, TextPane) and self.session.editable:
            # One gentle follow-up for a short or vague answer, shown once; the next press
            # moves on whatever the answer says.
            question_id = pane.question.id
            prompt = self.session.guide.follow_up(pane.editor.text)
            if prompt and question_id not in self._follow_ups_shown:
                self._follow_ups_shown.add(question_id)
                pane.show_follow_up(prompt)
                return
        if self.index + 1 >= len(self.session.guide.questions):
            await self.action_review()
            return
        await self._go(self.index + 1)

    async def action_previous_question(self) -> None:
        """Go back one question."""
        await settle_keys(self.app)
        if self.index > 0:
            await self._go(self.index - 1)

    async def _go(self, index: int) -> None:
        self.app.save_or_report()  # type: ignore[attr-defined]
        await self.show_question(index)
        self.app.autosave.poke()  # type: ignore[attr-defined]  # the new cursor, soon

    async def action_review(self) -> None:
        """Show the whole account, to check it and submit it."""
        from pminterview.tui.interview.review import ReviewScreen

        await settle_keys(self.app)
        self.app.save_or_report()  # type: ignore[attr-defined]
        self.app.push_screen(ReviewScreen(self.session, self.hints_on), self._back_from_review)

    async def _back_from_review(self, result: str | None) -> None:
        # Submitting or reopening changes whether the fields accept edits.
        row, column = self.session.account.cursor.row, self.session.account.cursor.column
        await self.show_question(self.index, row, column)

    async def action_toggle_off_record(self) -> None:
        """Mark the focused answer or entry off the record, or back on it."""
        await settle_keys(self.app)
        pane = self.pane
        if pane is None:
            return
        reason = pane.toggle_off_record()
        if reason:
            self.notify(reason.capitalize() + ".", timeout=4)

    async def action_add_entry(self) -> None:
        """Add an entry to the list answer."""
        await settle_keys(self.app)
        pane = self.pane
        if pane is not None and pane.takes_entries:
            await pane.add_card()  # type: ignore[attr-defined]

    async def action_remove_entry(self) -> None:
        """Remove the focused entry (asks for a second press)."""
        await settle_keys(self.app)
        pane = self.pane
        if pane is not None and pane.takes_entries:
            self.notify(await pane.remove_card(), timeout=4)  # type: ignore[attr-defined]

    def action_dismiss_hint(self) -> None:
        """Dismiss a hint: "this is about a system, not a person"."""
        pane = self.pane
        if pane is not None:
            pane.dismiss_hint()

    def action_toggle_hints(self) -> None:
        """Turn live hints on or off for this session."""
        self.hints_on = not self.hints_on
        pane = self.pane
        if pane is not None:
            pane.refresh_hints(self.hints_on)
        self.refresh_bindings()
        self.notify("Hints on." if self.hints_on else "Hints off.", timeout=3)

    def action_take_over(self) -> None:
        """Ask the other session to save and close, then edit here."""
        if self._taking_over:
            return
        self._taking_over = True
        self.notify("Asking the other session to save and close…", timeout=3)
        self._take_over()

    @work(thread=True, exclusive=True, group="take-over")
    def _take_over(self) -> None:
        try:
            taken = self.session.take_over()
            error = None
        except PmError as err:
            taken, error = False, str(err)
        self.app.call_from_thread(self._took_over, taken, error)

    async def _took_over(self, taken: bool, error: str | None) -> None:
        self._taking_over = False
        if error:
            self.notify(error, severity="error", timeout=8)
            return
        if not taken:
            self.notify(
                "The other session is still open (perhaps as another user or on another host); "
                "close it there, then press Ctrl+T again.",
                severity="warning",
                timeout=8,
            )
            return
        # Stay on the question the person is looking at; the other session's cursor is used
        # only when it was on the same one.
        cursor = self.session.account.cursor
        if cursor.question == self.session.guide.questions[self.index].id:
            await self.show_question(self.index, cursor.row, cursor.column)
        else:
            await self.show_question(self.index)
        self.notify("You have the account now; edits are saved here.", timeout=4)
