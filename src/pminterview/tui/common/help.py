"""A help screen generated from the key bindings that are active where it was opened.

Nothing here is hand-written: every row comes from a `Binding`'s key and description, so the
help cannot drift from what the keys do, and a remapped key (via the binding id in a keymap)
shows up as remapped. The ids are for remapping, not for reading, so the screen does not
show them; `help_rows` keeps them for whoever documents a keymap.

F1 opens it everywhere (it is a priority binding, so it works inside a text field). `?` opens
it only when no text field has focus: while typing, `?` is a character of the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Static, TextArea


@dataclass(frozen=True)
class HelpRow:
    """One line of help: the keys, what they do, and the binding's id for remapping."""

    keys: str
    description: str
    binding_id: str
    """The binding's id (several, comma-separated, when keys of one action have their own)."""
    own: bool
    """True for the application's own bindings; False for a text field's editing keys."""


def help_rows(screen: Screen) -> list[HelpRow]:
    """The bindings active on `screen` (focused widget, screen and app), one row per action.

    Keys bound to the same action are joined ("F1 / ?"); bindings without a description are
    internal and left out; disabled ones (not available right now) are left out too.
    """
    app = screen.app
    # Grouped by what the key does: "F1 / ?" on one row even when they are two bindings.
    grouped: dict[tuple[str, str], tuple[list[str], list[str], bool]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or not active.enabled:
            continue
        keys, ids, own = grouped.setdefault((binding.action, binding.description), ([], [], False))
        display = key_name(binding.key) if binding.key else app.get_key_display(binding)
        if display not in keys:
            keys.append(display)
        if binding.id and binding.id not in ids:
            ids.append(binding.id)
        grouped[(binding.action, binding.description)] = (keys, ids, own or binding.id is not None)
    rows = [
        HelpRow(" / ".join(keys), description, ", ".join(ids), own)
        for (_action, description), (keys, ids, own) in grouped.items()
    ]
    # The application's own keys first, in the order they were declared; the focused
    # widget's own keys (editing, scrolling) after.
    return sorted(rows, key=lambda row: not row.own)


_KEY_NAMES = {
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "escape": "Esc",
    "enter": "Enter",
    "tab": "Tab",
    "space": "Space",
    "backspace": "Backspace",
    "delete": "Delete",
    "insert": "Insert",
    "home": "Home",
    "end": "End",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "question_mark": "?",
}


def key_name(key: str) -> str:
    """A key as people write it: "ctrl+pageup" -> "Ctrl+PgUp", "f1" -> "F1", "shift+tab"
    -> "Shift+Tab". Modifiers spelled out, since "^" means little to many."""
    *modifiers, last = key.split("+")
    if last.startswith("f") and last[1:].isdigit():
        name = last.upper()
    elif last in _KEY_NAMES:
        name = _KEY_NAMES[last]
    elif len(last) == 1:
        name = last.upper() if modifiers else last
    else:
        name = last.replace("_", " ").capitalize()
    return "+".join([*(m.capitalize() for m in modifiers), name])


def _table(rows: list[HelpRow], title: str) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", box=None, expand=True, pad_edge=False)
    table.add_column("Key", no_wrap=True)
    table.add_column("What it does", ratio=1)
    for row in rows:
        table.add_row(row.keys, row.description)
    return table


class HelpScreen(ModalScreen[None]):
    """Lists the keys available on the screen it was opened from."""

    BINDINGS = [
        Binding("escape,f1,q", "dismiss_help", "Close help", id="close-help"),
    ]

    def __init__(
        self,
        rows: list[HelpRow],
        title: str = "Keys you can use here",
        intro: str = "",
        widget_title: str = "Keys while typing in this field",
    ) -> None:
        super().__init__()
        self.rows = rows
        self.title_text = title
        self.intro = intro
        self.widget_title = widget_title

    @classmethod
    def for_screen(cls, screen: Screen, intro: str = "") -> HelpScreen:
        """A help screen for the bindings active on `screen` right now, after `intro` (a
        paragraph shown first, such as what the screen is for)."""
        # The focused widget's own keys are editing keys only in a text field; elsewhere
        # (a scrolling page, a table) they move around what is shown.
        typing = isinstance(screen.focused, (Input, TextArea))
        widget_title = "Keys while typing in this field" if typing else "Keys for moving around here"
        return cls(help_rows(screen), intro=intro, widget_title=widget_title)

    def compose(self) -> ComposeResult:
        own = [row for row in self.rows if row.own]
        editing = [row for row in self.rows if not row.own]
        with Vertical(id="help-panel"):
            with VerticalScroll(id="help-body", can_focus=True):
                if self.intro:
                    yield Static(Text(self.intro), id="help-intro")
                yield Static(_table(own, self.title_text), id="help-keys")
                if editing:
                    yield Static(_table(editing, self.widget_title), id="help-editing-keys")
            yield Button("Close (Esc, F1)", id="close-help", compact=True)

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    @on(Button.Pressed, "#close-help")
    def action_dismiss_help(self) -> None:
        """Close the help screen."""
        self.dismiss(None)
