"""The line of keys at the bottom of both screens: a lighter stand-in for Textual's Footer.

The stock Footer rebuilds one widget per key whenever the focus moves, and each of those is
styled anew; on a tab switch that was about a third of the time spent. This is one line of
text, redrawn only when the keys it lists change.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static


class KeyBar(Static):
    """The keys that work where the focus is, with what they do."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $panel;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    KeyBar > .keybar--key {
        text-style: bold reverse;  /* keys stand out without colour too */
    }
    """

    COMPONENT_CLASSES = {"keybar--key"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._shown: list[tuple[str, str, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self.show_keys)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self.show_keys()

    def keys(self) -> list[tuple[str, str]]:
        """(key as displayed, description) of each shown binding, one per action, Help first."""
        return [(key, description) for _action, key, description in self._entries()]

    def _entries(self) -> list[tuple[str, str, str]]:
        seen: set[str] = set()
        keys: list[tuple[str, str, str]] = []
        # Help first, where it is found at a glance (`fitted` keeps it, and quit, on narrow lines).
        actives = sorted(self.screen.active_bindings.values(), key=lambda active: active.binding.action != "help")
        for _node, binding, enabled, _tooltip in actives:
            if not binding.show or not binding.description or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            keys.append((binding.action, self.app.get_key_display(binding), binding.description))
        return keys

    def on_resize(self) -> None:
        self._shown = []  # what fits has changed
        self.show_keys()

    def show_keys(self) -> None:
        """Redraw the line if the keys changed."""
        keys = fitted(self._entries(), self.size.width)
        if keys == self._shown:
            return
        self._shown = keys
        key_style = self.get_component_rich_style("keybar--key", partial=True)
        line = Text(" ", end="")
        for _action, key, description in keys:
            line.append(key, key_style)
            line.append(f" {description}  ")
        self.update(line)


#: Never left out for lack of room: the way to every other key, and the way out.
_ESSENTIAL = frozenset({"help", "quit"})


def fitted(entries: list[tuple[str, str, str]], width: int) -> list[tuple[str, str, str]]:
    """(action, key, description) `entries` without the last optional ones until the line
    fits in `width` columns.

    Help and quit stay whatever the width: the keys left out are all listed in Help, and a
    cut-off quit on an 80-column terminal would leave no visible way out but Escape.
    """
    kept = list(entries)

    def length() -> int:
        return 1 + sum(cell_len(key) + cell_len(description) + 3 for _action, key, description in kept)

    while width > 0 and length() > width:
        optional = [i for i, (action, _key, _description) in enumerate(kept) if action not in _ESSENTIAL]
        if not optional:
            break
        del kept[optional[-1]]
    return kept
