"""The narrative ("how we got here"): an editor with lint hints, and a Markdown preview.

The lint runs shortly after typing stops, never on the keystroke path; its findings are
underlined in the editor and listed below it with a suggested reframing. Below them are the
sentences the merge kept out of the narrative because they carry blame.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import ContentSwitcher, Markdown, Static

from pminterview.export.readiness import FieldLint
from pminterview.lint import Finding
from pminterview.model import Postmortem
from pminterview.tui.common.autosave import Debouncer
from pminterview.tui.common.editor import AnswerEditor
from pminterview.tui.facilitator.panes.base import Pane, bullets, count
from pminterview.tui.facilitator.session import Session

#: Long enough that a typist's pause between words does not trigger it.
LINT_DELAY = 0.4


def hints_renderable(findings: list[Finding], postmortem: Postmortem) -> RenderableType:
    """The lint findings, then the account sentences waiting to be reframed."""
    parts: list[RenderableType] = []
    if findings:
        parts.append(Text(count(len(findings), "lint hint"), style="bold"))
        lines = []
        for finding in findings:
            line = Text(f"line {finding.line}, {finding.category}: ", style="bold")
            line.append(f'"{finding.excerpt}" ', style="italic")
            line.append(finding.message)
            if finding.suggestion:
                line.append(f" Try: {finding.suggestion}")
            lines.append(line)
        parts.append(bullets(lines))
    else:
        parts.append(Text("No lint hints: the narrative reads blameless.", style="dim"))
    if postmortem.to_reframe:
        heading = count(len(postmortem.to_reframe), "sentence") + " from the accounts to reframe (not in the draft)"
        parts.append(Text("\n" + heading, style="bold"))
        lines = []
        for item in postmortem.to_reframe:
            line = Text(f"{item.role}, {item.category}: ", style="bold")
            line.append(item.text, style="italic")
            if item.suggestion:
                line.append(f" Try: {item.suggestion}")
            lines.append(line)
        parts.append(bullets(lines))
    return Group(*parts)


class NarrativePane(Pane):
    """Edit the narrative; ctrl+t flips between the editor and the rendered preview."""

    # One key, two bindings: the key line and the help name what ctrl+t does now.
    BINDINGS = [
        Binding("ctrl+t", "preview", "Preview", id="narrative-preview"),
        Binding("ctrl+t", "edit", "Edit", id="narrative-edit"),
    ]

    findings: list[Finding] = []
    _linted: tuple[str, FieldLint] | None = None
    """What `findings` were found in: the narrative, and the names, roles and dismissals."""

    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="narrative-editor", id="narrative-switcher"):
            yield AnswerEditor("", id="narrative-editor")
            with VerticalScroll(id="narrative-preview", can_focus=True):
                yield Markdown(id="narrative-markdown")
        with VerticalScroll(id="narrative-hints"):
            yield Static(id="narrative-hints-body")

    def on_mount(self) -> None:
        self._lint = Debouncer(self, LINT_DELAY, self.run_lint)

    def show(self, session: Session) -> None:
        super().show(session)
        editor = self.query_one("#narrative-editor", AnswerEditor)
        narrative = session.postmortem.narrative
        # After a merge the facilitator's own text is kept by the merge; a generated draft
        # replaces the editor's text only when it actually changed.
        if editor.text != narrative:
            with self.prevent(AnswerEditor.Changed):
                editor.text = narrative
        self.run_lint()

    @on(AnswerEditor.Changed, "#narrative-editor")
    def _narrative_changed(self, event: AnswerEditor.Changed) -> None:
        if self.session is None:
            return
        postmortem = self.session.postmortem
        text = event.text_area.text
        if text == postmortem.narrative:
            return
        postmortem.narrative = text
        postmortem.narrative_edited = True
        # Any edit made while every account is merged is taken as having worked them in: the
        # readiness check cannot tell whether it did, and asks again only when more accounts
        # of a role are merged after it.
        postmortem.narrative_roles = list(postmortem.roles)
        self.edited()
        self._lint.poke()

    def run_lint(self) -> None:
        """Lint the narrative now; highlight and list what it found."""
        if self.session is None:
            return
        postmortem = self.session.postmortem
        # Linted as the readiness check lints it, so the hints here are its reasons.
        people = FieldLint.of(postmortem, self.session.accounts)
        # A merge usually leaves the narrative as it was; linting it again would find the
        # same, and takes a noticeable time on a long narrative.
        linted = (postmortem.narrative, people)
        if linted != self._linted:
            self.findings = people.lint(postmortem.narrative)
            self._linted = linted
        spans = [(f.line - 1, f.column - 1, f.length) for f in self.findings]
        self.query_one("#narrative-editor", AnswerEditor).set_highlights(spans)
        self.query_one("#narrative-hints-body", Static).update(hints_renderable(self.findings, postmortem))

    def _previewing(self) -> bool:
        return self.query_one("#narrative-switcher", ContentSwitcher).current == "narrative-preview"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Only the binding for the other view is active, so ctrl+t is listed as what it does.
        if action == "preview":
            return not self._previewing()
        if action == "edit":
            return self._previewing()
        return True

    async def action_preview(self) -> None:
        """Read the narrative rendered as Markdown."""
        text = self.session.postmortem.narrative if self.session else ""
        await self.query_one("#narrative-markdown", Markdown).update(text or "*(empty)*")
        self.query_one("#narrative-switcher", ContentSwitcher).current = "narrative-preview"
        self.query_one("#narrative-preview").focus()
        self.refresh_bindings()

    def action_edit(self) -> None:
        """Go back to editing the narrative."""
        self.query_one("#narrative-switcher", ContentSwitcher).current = "narrative-editor"
        self.query_one("#narrative-editor").focus()
        self.refresh_bindings()
