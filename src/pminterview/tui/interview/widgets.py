"""Small widgets of the interview screen: the title bar, the off-the-record toggle, inputs."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import Input, Static

from pminterview.tui.common.keyorder import InOrderInput
from pminterview.tui.interview.messages import AnswerEdited


class TitleBar(Static):
    """One line: the incident title on the left, where the person is and save state on the right.

    Changes only when the question or the save state does; there is no clock in it.
    """

    position = reactive("")
    state = reactive("")

    def __init__(self, title: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.incident_title = title

    def render(self) -> Text:
        right = " · ".join(part for part in (self.position, self.state) if part)
        width = max(self.size.width, 1)
        # Measured in terminal cells, so a title in CJK or with emoji lines up too.
        line = Text(self.incident_title, style="bold", no_wrap=True)
        line.truncate(max(width - cell_len(right) - 2, 8), overflow="ellipsis")
        line.append(" " * max(width - line.cell_len - cell_len(right), 1))
        line.append(right)
        return line


class OffRecordToggle(Static):
    """A visible switch between "Shared with the write-up" and "OFF THE RECORD".

    Each state is said in words, and the key says what it would change to, so neither
    reads as its opposite; spelled out rather than shown by colour, for NO_COLOR.
    ctrl+o toggles it from anywhere in the question, or a click. It is no Tab stop: someone
    tabbing on and typing would otherwise lose the letters and flip it with each space.
    """

    value = reactive(False)

    def __init__(self, value: bool, question_id: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.question_id = question_id
        self.set_reactive(OffRecordToggle.value, value)
        self.editable = True

    def render(self) -> Text:
        if self.value:
            return Text("OFF THE RECORD — facilitator only  (ctrl+o: share)")
        return Text("Shared with the write-up  (ctrl+o: keep off the record)")

    def watch_value(self, value: bool) -> None:
        self.set_class(value, "-off-record")

    def on_click(self) -> None:
        self.action_toggle()

    def action_toggle(self) -> None:
        """Flip the switch, if this answer can be edited now."""
        if self.editable:
            self.value = not self.value
            self.post_message(AnswerEdited(self.question_id))


class AnswerInput(InOrderInput):
    """A one-line answer field; the help describes its keys as they work here."""

    BINDINGS = [
        # Enter moves on (next field, or next question after the role); no completions here.
        Binding("enter", "submit", "Move on", show=False),
        Binding("right", "cursor_right", "Move cursor right", show=False),
    ]


def quiet_input(value: str = "", *, placeholder: str = "", max_length: int = 0, **kwargs) -> Input:
    """A one-line field without border and without a blinking cursor (no output while idle).

    Tabbing into it puts the cursor at the end instead of selecting the text, so typing
    adds to what is there rather than replacing it (and there is no undo).
    """
    field = AnswerInput(value, placeholder=placeholder, max_length=max_length, compact=True, select_on_focus=False, **kwargs)
    field.cursor_blink = False
    return field
