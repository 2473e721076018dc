"""Text fields that apply a burst of keys in the order it was typed.

Textual handles a typed character inside the focused field, as soon as the field reads the
key. A key that works through a binding (backspace, delete, the arrow keys, home, end) takes
another path: the key event bubbles up through every container around the field, one message
queue at a time, until the app runs the binding. Meanwhile the field goes on reading the keys
that came after it. When keys arrive in one burst, as over SSH, "team", five backspaces and
"ops" become "teamops" with five backspaces applied afterwards. The deeper the field sits
(a form in a scroll view in a tab), the more keys overtake the backspace.

`KeysInOrder` (part of every `AnswerEditor`, and of `InOrderInput`) runs the field's own bindings when the field reads the key, so every key is
applied in turn. Bindings of the containers around the field (and priority bindings, which
the app has already checked before the key reached the field) keep their normal path.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.geometry import Region
from textual.widgets import Input

__all__ = ["InOrderInput", "KeysInOrder"]


class KeysInOrder:
    """Mixin for a text field (put it before the widget class): the field's own key bindings
    run in the order the keys arrive, not after the keys typed behind them."""

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls `_on_key` of every class in the MRO until one prevents the default,
        # so this runs before the widget's own handler and must not call it again.
        app = self.app  # type: ignore[attr-defined]
        if app.focused is not self:
            return
        for binding in self._bindings.key_to_bindings.get(event.key, ()):  # type: ignore[attr-defined]
            if binding.priority:
                continue
            # run_action returns False when check_action disables the binding; the key then
            # goes on to the widget and its containers as usual.
            if await app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return


class InOrderInput(KeysInOrder, Input):
    """An `Input` that applies backspace, delete and cursor keys in typing order.

    Left, a value too long for the field shows from its start, as a reader expects, instead of
    staying scrolled to where typing ended; back in the field, the view returns to the cursor.
    Tabbing in does not select the text (Textual's default), so the next key adds to it
    rather than replacing a title or a date that has no undo.
    """

    def __init__(self, *args, select_on_focus: bool = False, **kwargs) -> None:
        super().__init__(*args, select_on_focus=select_on_focus, **kwargs)

    def _on_blur(self, event: events.Blur) -> None:
        # Textual runs every class's `_on_blur`: Input's own still posts Blurred.
        self.scroll_to(x=0, animate=False, force=True, immediate=True)

    def _on_focus(self, event: events.Focus) -> None:
        cursor = cell_len(self.value[: self.cursor_position])
        self.scroll_to_region(Region(cursor, 0, width=1, height=1), animate=False, force=True, immediate=True)
