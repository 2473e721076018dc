"""Bench app: a Label and the product's AnswerEditor, the same layout as stock_textarea.py.

Isolates the editor's own figures from everything else the interview screen does.
Run as `python answer_editor_app.py [LABEL]`.
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Label

from pminterview.tui.common.editor import AnswerEditor


class AnswerEditorApp(App[None]):
    """A label above a focused AnswerEditor.

    Ctrl+R repaints the editor completely, the way the stock TextArea does on every key: a
    test compares the screen before and after to prove the narrow repaints missed nothing.
    """

    BINDINGS = [Binding("ctrl+r", "repaint_editor", "Repaint the editor", id="repaint-editor")]

    def __init__(self, label: str) -> None:
        super().__init__()
        self._label = label

    def compose(self) -> ComposeResult:
        yield Label(self._label)
        yield AnswerEditor(id="answer")

    def on_mount(self) -> None:
        self.query_one(AnswerEditor).focus()

    def action_repaint_editor(self) -> None:
        """Mark every cell of the editor dirty, bypassing its narrow repaints."""
        self.query_one(AnswerEditor).refresh()


if __name__ == "__main__":
    AnswerEditorApp(sys.argv[1] if len(sys.argv) > 1 else "Baseline").run()
