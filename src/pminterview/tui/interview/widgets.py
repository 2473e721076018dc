"""Small widgets of the interview screen: the title bar, the off-the-record toggle, inputs."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import Input, Static

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


class OffRecordToggle(Static, can_focus=True):
    """A visible, focusable switch: "[x] Off the record" or "[ ] On the record".

    Spelled out in text rather than shown by colour, so it reads the same with NO_COLOR.
    Space or Enter toggles it when focused; ctrl+o toggles it from anywhere in the question.
    """

    BINDINGS = [Binding("space,enter", "toggle", "Toggle off the record", id="toggle-off-record-here")]

    value = reactive(False)

    def __init__(self, value: bool, question_id: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.question_id = question_id
        self.set_reactive(OffRecordToggle.value, value)
        self.editable = True

    def render(self) -> Text:
        if self.value:
            return Text("[x] Off the record: only the facilitator reads this  (^o)")
        return Text("[ ] On the record  (^o marks it off the record)")

    def watch_value(self, value: bool) -> None:
        self.set_class(value, "-off-record")

    def action_toggle(self) -> None:
        """Flip the switch, if this answer can be edited now."""
        if self.editable:
            self.value = not self.value
            self.post_message(AnswerEdited(self.question_id))


def quiet_input(value: str = "", *, placeholder: str = "", max_length: int = 0, **kwargs) -> Input:
    """A one-line field without border and without a blinking cursor (no output while idle)."""
    field = Input(value, placeholder=placeholder, max_length=max_length, compact=True, **kwargs)
    field.cursor_blink = False
    return field


class KeyBar(Static):
    """One line listing the keys available now, from the active bindings.

    Textual's Footer rebuilds a widget per key whenever focus moves, which made every Tab
    and every question change visibly slower; this renders one line of text, and only
    repaints when that line changes.
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: object) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        seen: set[tuple[str, str]] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not binding.description or not active.enabled:
                continue
            if (binding.action, binding.description) in seen:
                continue
            seen.add((binding.action, binding.description))
            if line:
                line.append("  ")
            line.append(self.app.get_key_display(binding), style="bold reverse")
            line.append(f" {binding.description}")
        if line.plain != getattr(self, "_shown", None):
            self._shown = line.plain
            self.update(line)
