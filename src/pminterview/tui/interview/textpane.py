"""The pane for a free-text answer: an AnswerEditor with follow-up, off-the-record and hints.

In a module of its own so that a first screen asking for the role does not import the editor.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Static, TextArea

from pminterview.guide import Question
from pminterview.tui.common.editor import AnswerEditor
from pminterview.tui.interview.hints import Hint
from pminterview.tui.interview.messages import AnswerEdited
from pminterview.tui.interview.questions import QuestionPane, focus_now, off_record_toggle
from pminterview.tui.interview.session import InterviewSession
from pminterview.tui.interview.widgets import OffRecordToggle


class TextPane(QuestionPane):
    """A free-text answer in an AnswerEditor, with follow-up, off-the-record and hints."""

    def __init__(self, session: InterviewSession, question: Question) -> None:
        super().__init__(session, question)
        self._initial = session.account.answer(question.id)

    def compose(self) -> ComposeResult:
        yield from self.compose_head()
        yield AnswerEditor(self._initial.text, id="answer", read_only=not self.editable)
        yield Static("", id="follow-up", classes="follow-up")
        yield off_record_toggle(self._initial.off_record, self.question.id, self.editable, id="off-record")
        yield from self.compose_hints()

    def on_mount(self) -> None:
        self.query_one("#follow-up").display = False

    @property
    def editor(self) -> AnswerEditor:
        return self.query_one("#answer", AnswerEditor)

    def on_resize(self) -> None:
        # After a terminal resize the editor re-wraps its text, but its narrow repaints
        # could leave the old wrapping on screen; one full repaint per resize is cheap.
        self.editor.refresh()

    @on(TextArea.Changed, "#answer")
    def _text_changed(self) -> None:
        self.post_message(AnswerEdited(self.question.id))

    @on(TextArea.SelectionChanged, "#answer")
    def _cursor_moved(self) -> None:
        self.reselect_hint()

    def commit(self) -> None:
        from pminterview.model import Answer

        text = self.editor.text
        off_record = self.query_one("#off-record", OffRecordToggle).value
        answers = self.session.account.answers
        if not text and not off_record and not self.dismissed:
            answers.pop(self.question.id, None)
            return
        answers[self.question.id] = Answer(text=text, off_record=off_record, dismissed=list(self.dismissed))

    def cursor(self) -> tuple[int, int]:
        return self.editor.cursor_location

    def end_of_answer(self) -> tuple[int, int]:
        document = self.editor.document
        last_row = document.line_count - 1
        return (last_row, len(document.get_line(last_row)))

    def focus_answer(self, row: int = 0, column: int = 0) -> bool:
        editor = self.editor
        focus_now(editor)  # also when read-only: the cursor moves, for reading
        last_row = editor.document.line_count - 1
        row = min(row, last_row)
        editor.cursor_location = (row, min(column, len(editor.document.get_line(row))))
        return True

    def toggle_off_record(self) -> str | None:
        self.query_one("#off-record", OffRecordToggle).action_toggle()
        return None

    def show_follow_up(self, prompt: str) -> None:
        """Show the guide's gentle follow-up under the answer."""
        follow_up = self.query_one("#follow-up", Static)
        # Next did not move on, so say that the next press will: the answer may stand as it is.
        follow_up.update(Text.assemble(prompt, ("  (ctrl+n again: move on as it is)", "italic")))
        follow_up.display = True

    def after_pause(self, hints_on: bool) -> None:
        follow_up = self.query_one("#follow-up", Static)
        if follow_up.display and self.session.guide.follow_up(self.editor.text) is None:
            follow_up.display = False  # the answer says more now; the prompt has done its job
        self.refresh_hints(hints_on)

    # hints

    def hint_text(self) -> str | None:
        return self.editor.text

    def hints_landed(self, hints: list[Hint]) -> None:
        self.editor.set_highlights([hint.span for hint in hints])

    def selected_hint(self) -> int:
        row, column = self.editor.cursor_location
        for index, hint in enumerate(self.hints):
            if hint.covers(row, column):
                return index
        return 0
