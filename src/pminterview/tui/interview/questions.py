"""One pane per kind of question: the prompt, its help and example, and the answer widgets.

A pane never writes to disk. `commit()` copies what is on screen into the session's account
(the app calls it before every save), and edits are announced with `AnswerEdited` so the app
can schedule the autosave and the screen the hints.

Here: the base pane and the role label. The free-text pane (`textpane`) and the list panes
(`lists`) live in modules of their own, imported when first shown.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input, Static

from typing import TYPE_CHECKING

from pminterview.guide import Question, QuestionKind
from pminterview.tui.interview.hints import Hint, find_hints, hint_text
from pminterview.tui.interview.messages import AnswerEdited, HintsShown
from pminterview.tui.interview.session import InterviewSession
from pminterview.tui.interview.widgets import OffRecordToggle, quiet_input

if TYPE_CHECKING:
    from pminterview.model import DismissedHint

#: Longest role label; the model allows 200, but a label this long would not read as a role.
ROLE_MAX_LENGTH = 80


class QuestionPane(Vertical, can_focus=True):
    """Base pane: the question's prompt, help and example. Subclasses add the answer.

    The pane itself takes focus only when its answer cannot be edited (read-only).
    """

    #: True for panes answered with a list of entries (F3 adds one, F4 removes one).
    takes_entries = False

    def __init__(self, session: InterviewSession, question: Question) -> None:
        super().__init__(classes="question-pane")
        self.session = session
        self.question = question
        #: The hints showing now, and those the person dismissed in this answer.
        self.hints: list[Hint] = []
        self.dismissed: list[DismissedHint] = list(session.account.answer(question.id).dismissed)
        self._selected_hint = 0

    @property
    def editable(self) -> bool:
        return self.session.editable

    def allow_focus(self) -> bool:
        # Where there is an answer to type into, the pane is no Tab stop: focused, it would
        # show nothing and swallow what is typed.
        return not self.editable

    def compose_head(self) -> ComposeResult:
        section = self.session.guide.section_of(self.question.id)
        yield Static(Text(section.title, style="bold"), classes="section-title")
        yield Static(Text(self.question.prompt), classes="prompt")
        if self.question.help:
            yield Static(Text(self.question.help), classes="question-help")
        if self.question.example:
            yield Static(Text(f"Example: {self.question.example}"), classes="question-example")

    def compose_hints(self) -> ComposeResult:
        panel = HintPanel("", id="hints")
        panel.display = False
        yield panel

    # The interface the screen uses; subclasses override what applies to them.

    def commit(self) -> None:
        """Copy what is on screen into the account."""

    def cursor(self) -> tuple[int, int]:
        """Where the person is inside the answer, for resuming: (row, column)."""
        return (0, 0)

    def end_of_answer(self) -> tuple[int, int]:
        """Where the answer's text ends, as (row, column): the cursor goes there when the
        person moves to this question."""
        return (0, 0)

    def focus_answer(self, row: int = 0, column: int = 0) -> bool:
        """Focus the answer field and put the cursor at (row, column).

        False when there is nothing to type into (the answer is read-only).
        """
        return False

    def toggle_off_record(self) -> str | None:
        """Flip off-the-record for the focused answer; returns a reason when it cannot."""
        return "nothing here can be marked off the record"

    def after_pause(self, hints_on: bool) -> None:
        """Work deferred until typing pauses (hints, time checks)."""
        self.refresh_hints(hints_on)

    def session_opened(self, hints_on: bool) -> None:
        """The session behind a preview has loaded; what is typed on screen stays."""
        # The dismissals as validated models, in place of the preview's plain copies.
        self.dismissed = list(self.session.account.answer(self.question.id).dismissed)
        if self.hints:
            self.refresh_hints(hints_on)

    # --- hints: the lint on the answer being typed, after a pause, in a thread ----------

    def hint_text(self) -> str | None:
        """The text the hints are about now; None where this pane has no hints."""
        return None

    def dismissed_elsewhere(self) -> tuple[DismissedHint, ...]:
        """Dismissals that count here besides this answer's own."""
        return ()

    def hints_landed(self, hints: list[Hint]) -> None:
        """Show where the hints are in the answer (the text pane highlights them)."""

    def selected_hint(self) -> int:
        """Which hint F8 dismisses: the one under the cursor, else the first."""
        return 0

    def refresh_hints(self, hints_on: bool) -> None:
        """Recompute the hints for the current text, in a worker thread, and show them.

        The lint runs off the event loop so that even a long pasted answer never delays
        the next keystroke; a result for text that has changed since is dropped.
        """
        text = self.hint_text() if hints_on else None
        if not text or not text.strip():
            self._show_hints([], text)
            return
        account = self.session.account
        roles = (account.role,) if account.role.strip() else ()
        dismissed = tuple(self.dismissed) + self.dismissed_elsewhere()
        self._lint(text, dismissed, (self.session.participant,), roles)

    # A failing lint must never take the interview down: the answer matters, hints do not.
    @work(thread=True, exclusive=True, group="hints", exit_on_error=False)
    def _lint(
        self, text: str, dismissed: tuple[DismissedHint, ...], names: tuple[str, ...], roles: tuple[str, ...]
    ) -> None:
        hints = find_hints(text, dismissed, names, roles)
        try:
            self.app.call_from_thread(self._show_hints, hints, text)
        except RuntimeError:
            pass  # the app is closing

    def _show_hints(self, hints: list[Hint], text: str | None = None) -> None:
        if not self.is_attached:
            return  # the person moved on to another question meanwhile
        if hints and text != self.hint_text():
            return  # typed on since; the next pause brings fresh hints
        self.hints = hints
        self.hints_landed(hints)
        self._selected_hint = self.selected_hint() if hints else 0
        self._paint_hints()
        self.post_message(HintsShown(len(hints)))

    def _paint_hints(self) -> None:
        for panel in self.query(HintPanel):
            panel.show_hints(self.hints, self._selected_hint)

    def reselect_hint(self) -> None:
        """Repaint the panel if the cursor moved onto another hint (cheap when it did not)."""
        if self.hints:
            selected = self.selected_hint()
            if selected != self._selected_hint:
                self._selected_hint = selected
                self._paint_hints()

    @property
    def hints_shown(self) -> bool:
        return bool(self.hints)

    def dismiss_hint(self) -> Hint | None:
        """Dismiss the hint under the cursor, else the first one; returns it."""
        if not self.hints:
            return None
        hint = self.hints[min(self.selected_hint(), len(self.hints) - 1)]
        self.dismissed.append(hint.dismissal())
        self.post_message(AnswerEdited(self.question.id))
        # Every finding with the same rule and words goes, as it would after a fresh lint.
        remaining = [h for h in self.hints if (h.rule_id, h.excerpt) != (hint.rule_id, hint.excerpt)]
        self._show_hints(remaining, self.hint_text())
        return hint


def off_record_toggle(value: bool, question_id: str, editable: bool, id: str | None = None) -> OffRecordToggle:
    """The off-the-record switch of one answer, styled as the panes show it."""
    toggle = OffRecordToggle(value, question_id, id=id, classes="off-record")
    toggle.editable = editable
    return toggle


# --- free text ------------------------------------------------------------------------------


class HintPanel(Static):
    """The hints for the focused answer, compact enough for 80x24: a first line saying which
    hint F8 would dismiss, that hint (the one under the cursor) in full with its reframing
    question, and the others one line each."""

    #: Hints listed besides the selected one; the rest are counted.
    OTHERS = 2
    shown = ""

    def show_hints(self, hints: list[Hint], selected: int = 0) -> None:
        self.display = bool(hints)
        if not hints:
            self.shown = ""
            self.update("")
            return
        selected = min(max(selected, 0), len(hints) - 1)
        chosen = hints[selected]
        head = Text(no_wrap=True, overflow="ellipsis")
        head.append("F8", style="bold reverse")
        head.append(f" dismiss “{chosen.excerpt}” if it is about a system, not a person")
        full = Text("▸ ")
        full.append_text(hint_text(chosen))
        lines = [head, full]
        others = [hint for index, hint in enumerate(hints) if index != selected]
        for hint in others[: self.OTHERS]:
            line = Text("· ", no_wrap=True, overflow="ellipsis")
            line.append_text(hint_text(hint, suggestion=False))
            lines.append(line)
        more = len(others) - self.OTHERS
        if more > 0:
            lines.append(Text(f"+{more} more on the review page (F2)", no_wrap=True, overflow="ellipsis"))
        #: What the panel says, as plain text (for tests and screen readers' logs).
        self.shown = "\n".join(line.plain for line in lines)
        self.update(Group(*lines))


# --- the role label -------------------------------------------------------------------------


class RolePane(QuestionPane):
    """The short role label that stands in for the person's name in everything shared."""

    def compose(self) -> ComposeResult:
        yield from self.compose_head()
        # No placeholder: the example is shown once already, above.
        field = quiet_input(self.session.account.role, max_length=ROLE_MAX_LENGTH, id="role-answer")
        field.disabled = not self.editable
        yield field
        yield Static(Text("The role label always appears in the write-up; it cannot be off the record."), classes="note")

    @on(Input.Changed, "#role-answer")
    def _role_changed(self) -> None:
        self.post_message(AnswerEdited(self.question.id))

    @on(Input.Submitted, "#role-answer")
    def _role_entered(self) -> None:
        # A one-line answer: Enter means done, as ctrl+n does. Run by the screen once this
        # handler has returned: moving on removes this pane, which cannot wait for itself.
        self.screen.call_later(self.screen.run_action, "next_question")

    @property
    def field(self) -> Input:
        return self.query_one("#role-answer", Input)

    def commit(self) -> None:
        role = self.field.value.strip()
        if role != self.session.account.role:
            self.session.account.role = role

    def cursor(self) -> tuple[int, int]:
        return (0, self.field.cursor_position)

    def end_of_answer(self) -> tuple[int, int]:
        return (0, len(self.field.value))

    def focus_answer(self, row: int = 0, column: int = 0) -> bool:
        if self.field.disabled:
            return False
        focus_now(self.field)
        self.field.cursor_position = min(column, len(self.field.value))
        return True

    def toggle_off_record(self) -> str | None:
        return "the role label stands in for your name, so it is always on the record"


def pane_for(session: InterviewSession, question: Question) -> QuestionPane:
    """The pane that asks `question`."""
    if question.kind == QuestionKind.ROLE:
        return RolePane(session, question)
    if question.kind == QuestionKind.TEXT:
        # Imported when first asked: the answer editor is not needed to ask for the role.
        from pminterview.tui.interview.textpane import TextPane

        return TextPane(session, question)
    # Only now: the list panes import the models, which a first screen does without.
    from pminterview.tui.interview.lists import SafeguardsPane, SuggestionsPane, TimelinePane

    panes: dict[QuestionKind, type[QuestionPane]] = {
        QuestionKind.TIMELINE: TimelinePane,
        QuestionKind.SAFEGUARDS: SafeguardsPane,
        QuestionKind.SUGGESTIONS: SuggestionsPane,
    }
    return panes[question.kind](session, question)


def focus_now(widget: Widget) -> None:
    """Focus `widget` at once. `Widget.focus()` defers the change to the app's queue, behind
    any keys already typed, so a quick typist's next keys would land in the old field."""
    widget.screen.set_focus(widget)


def focused_within(widget: Widget) -> bool:
    """Whether focus is on `widget` or inside it."""
    focused = widget.app.focused
    return focused is not None and (focused is widget or widget in focused.ancestors)
