"""Export: what still stands between the draft and a finished postmortem, and the buttons
that write the Markdown and TOML files beside postmortem.toml."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Static

from pminterview import locations
from pminterview.errors import PmError
from pminterview.export import readiness, to_markdown, to_toml
from pminterview.tui.facilitator.panes.base import Pane, bullets
from pminterview.tui.facilitator.session import Session
from pminterview.workspace import SHARED_MODE, atomic_write

#: Format name -> (file extension, renderer).
FORMATS = {
    "markdown": ("md", to_markdown),
    "toml": ("toml", to_toml),
}


def readiness_renderable(problems: list[str]) -> RenderableType:
    if not problems:
        return Text("Ready: every account is submitted, every action has an owner and a due date, "
                    "and the narrative has no lint hints.")
    parts: list[RenderableType] = [Text(f"Not ready yet ({len(problems)}):", style="bold")]
    parts.append(bullets([Text(problem) for problem in problems]))
    parts.append(Text("You can export a draft anyway; this list is what `export --check` reports.", style="dim"))
    return Group(*parts)


class ExportPane(Pane):
    """Readiness, and export to the default paths."""

    BINDINGS = [
        Binding("m", "export('markdown')", "Markdown", id="export-markdown", tooltip="Export Markdown to postmortem.export.md."),
        Binding("t", "export('toml')", "TOML", id="export-toml", tooltip="Export TOML to postmortem.export.toml."),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="export-readiness", can_focus=True):
            yield Static(id="export-readiness-body")
        with Horizontal(id="export-buttons"):
            yield Button("Export Markdown (m)", id="export-markdown-button", compact=True)
            yield Button("Export TOML (t)", id="export-toml-button", compact=True)
        yield Static(id="export-result", markup=False)

    _stale = False
    """True when readiness is due to be checked again the next time the tab opens."""

    def show(self, session: Session) -> None:
        super().show(session)
        self.refresh_readiness()

    def _hidden(self) -> bool:
        # In a tab that is not open, this pane or one of its containers is not displayed.
        return any(not node.display for node in self.ancestors_with_self if isinstance(node, Widget))

    def refresh_readiness(self) -> None:
        """Re-check readiness (after a save or a merge, not on every keystroke). While the
        tab is not open this only notes that it is due: with a hundred accounts the check
        takes a good part of a second, which would hold up typing in the other tabs."""
        if self.session is None:
            return
        if self._hidden():
            self._stale = True
            return
        self._stale = False
        problems = readiness(self.session.postmortem, self.session.accounts)
        self.query_one("#export-readiness-body", Static).update(readiness_renderable(problems))

    def on_show(self) -> None:
        if self._stale:
            self.refresh_readiness()

    @on(Button.Pressed, "#export-markdown-button")
    def _markdown_pressed(self) -> None:
        self.action_export("markdown")

    @on(Button.Pressed, "#export-toml-button")
    def _toml_pressed(self) -> None:
        self.action_export("toml")

    def action_export(self, format_name: str) -> None:
        """Write the postmortem as Markdown or TOML to its default path."""
        if self.session is None:
            return
        extension, render = FORMATS[format_name]
        path = locations.export_file(self.session.workspace.root, extension)
        try:
            atomic_write(path, render(self.session.postmortem), SHARED_MODE)
        except (PmError, OSError) as err:
            message = f"Export failed: {err}"
        else:
            message = f"Wrote {path}"
        self.query_one("#export-result", Static).update(message)
        self.refresh_readiness()
