"""A help screen generated from the key bindings that are active where it was opened.

Nothing here is hand-written: every row comes from a `Binding`'s key, description and id, so
the help cannot drift from what the keys do, and a remapped key (via the binding id in a
keymap) shows up as remapped.

F1 opens it everywhere (it is a priority binding, so it works inside a text field). `?` opens
it only when no text field has focus: while typing, `?` is a character of the answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static


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
        display = app.get_key_display(binding)
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


def _table(rows: list[HelpRow], title: str) -> Table:
    table = Table(title=title, title_justify="left", box=None, expand=True, pad_edge=False)
    table.add_column("Key", no_wrap=True)
    table.add_column("What it does", ratio=1)
    table.add_column("Binding id", no_wrap=True)
    for row in rows:
        table.add_row(row.keys, row.description, row.binding_id)
    return table


class HelpScreen(ModalScreen[None]):
    """Lists the keys available on the screen it was opened from."""

    BINDINGS = [
        Binding("escape,f1,q", "dismiss_help", "Close help", id="close-help"),
    ]

    def __init__(self, rows: list[HelpRow], title: str = "Keys") -> None:
        super().__init__()
        self.rows = rows
        self.title_text = title

    @classmethod
    def for_screen(cls, screen: Screen) -> HelpScreen:
        """A help screen for the bindings active on `screen` right now."""
        return cls(help_rows(screen), f"Keys: {screen.title or screen.app.title}")

    def compose(self) -> ComposeResult:
        own = [row for row in self.rows if row.own]
        editing = [row for row in self.rows if not row.own]
        with Vertical(id="help-panel"):
            with VerticalScroll(id="help-body", can_focus=True):
                yield Static(_table(own, self.title_text), id="help-keys")
                if editing:
                    yield Static(_table(editing, "Keys of the focused field"), id="help-editing-keys")
            yield Button("Close (Esc, F1)", id="close-help", compact=True)

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    @on(Button.Pressed, "#close-help")
    def action_dismiss_help(self) -> None:
        """Close the help screen."""
        self.dismiss(None)
