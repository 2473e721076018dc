"""A list of items to tick, whose state is written as text ("[x]") rather than colour.

Textual's SelectionList shows ticked and unticked items with the same glyph in different
colours, which NO_COLOR and some 256-colour themes make indistinguishable.
"""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class Checklist(OptionList):
    """Tick items with space or enter; posts `Checklist.Toggled` with the ticked ids."""

    BINDINGS = [
        Binding("space", "toggle", "Tick / untick", id="checklist-toggle"),
    ]

    class Toggled(Message):
        """An item was ticked or unticked. `checked` lists the ticked ids in list order."""

        def __init__(self, checklist: Checklist, checked: list[str]) -> None:
            super().__init__()
            self.checklist = checklist
            self.checked = checked

        @property
        def control(self) -> Checklist:
            return self.checklist

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False, compact=True)
        self._items: list[tuple[str, str]] = []
        self._checked: set[str] = set()

    @property
    def checked(self) -> list[str]:
        return [item_id for item_id, _label in self._items if item_id in self._checked]

    def set_items(self, items: list[tuple[str, str]], checked: list[str]) -> None:
        """Show `items` as (id, label), ticking those in `checked`; keeps the highlight."""
        keep = self.highlighted
        self._items = list(items)
        self._checked = set(checked)
        self.clear_options()
        self.add_options(Option(self._prompt(item_id, label), id=item_id) for item_id, label in self._items)
        if self._items:
            self.highlighted = min(keep or 0, len(self._items) - 1)

    def _prompt(self, item_id: str, label: str) -> str:
        return f"[{'x' if item_id in self._checked else ' '}] {label}"

    def action_toggle(self) -> None:
        """Tick or untick the highlighted item."""
        if self.highlighted is None or not self._items:
            return
        item_id, label = self._items[self.highlighted]
        self._checked ^= {item_id}
        self.replace_option_prompt(item_id, self._prompt(item_id, label))
        self.post_message(self.Toggled(self, self.checked))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_toggle()
