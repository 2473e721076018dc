"""Baseline for the bench: a Label and a stock Textual TextArea, nothing else.

Run as `python stock_textarea.py [LABEL]`. The TextArea is left exactly as Textual ships it
except that the cursor does not blink: a blinking cursor writes to the terminal twice a
second, which would be counted against the keystrokes and flatter the figures compared
with it.
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import Label, TextArea


class StockTextAreaApp(App[None]):
    """A label above a focused, stock TextArea."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self._label = label

    def compose(self) -> ComposeResult:
        yield Label(self._label)
        area = TextArea()
        area.cursor_blink = False
        yield area

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()


if __name__ == "__main__":
    StockTextAreaApp(sys.argv[1] if len(sys.argv) > 1 else "Baseline").run()
