"""The facilitator's app: tabs over one merged postmortem, autosaved to postmortem.toml."""

from __future__ import annotations

import datetime as dt
import functools

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.worker import Worker
from textual.widgets import Static, TabbedContent, TabPane

from pminterview.errors import PmError
from pminterview.tui.common import COMMON_CSS_PATH, Autosave, Debouncer, HelpScreen, install_exit_signals, settle_keys
from pminterview.tui.common.keybar import KeyBar
from pminterview.tui.facilitator.account import AccountScreen
from pminterview.tui.facilitator.messages import ItemsRemoved, PostmortemEdited
from pminterview.tui.facilitator.panes import (
    ActionsPane,
    ExportPane,
    FactorsPane,
    FindingsPane,
    NarrativePane,
    Pane,
    ParticipantsPane,
    TimelinePane,
)
from pminterview.tui.facilitator.session import Merged, Session
from pminterview.workspace import Workspace

#: Tab id, title, and the function key that opens it.
TABS = (
    ("participants", "Participants", "f2"),
    ("timeline", "Timeline", "f3"),
    ("findings", "Findings", "f4"),
    ("factors", "Factors", "f5"),
    ("actions", "Actions", "f6"),
    ("narrative", "Narrative", "f7"),
    ("export", "Export", "f8"),
)

#: Seconds between checks of the accounts folder; a check that finds nothing draws nothing.
POLL_SECONDS = 2.0
#: Seconds a note stays on the status line.
NOTE_SECONDS = 8.0
#: Seconds without an edit before a merge that waits for a pause in the typing starts.
EDIT_PAUSE_SECONDS = 0.5


class FacilitatorApp(App[None]):
    """Merge the accounts, edit the postmortem, export it."""

    CSS_PATH = [COMMON_CSS_PATH, "facilitator.tcss"]
    TITLE = "pminterview facilitator"
    # The palette would offer app-wide commands (themes, screenshots) that are not part of
    # this tool; every command here has a key and is listed by F1.
    ENABLE_COMMAND_PALETTE = False
    # Start in the first tab's table, so arrow keys work at once.
    AUTO_FOCUS = "#participants-table"

    BINDINGS = [
        Binding("f1", "help", "Help", id="help", priority=True),
        Binding("ctrl+q", "quit", "Quit", id="quit", tooltip="Save, then quit.", priority=True),
        Binding("ctrl+s", "save", "Save", id="save", tooltip="Save postmortem.toml now.", priority=True),
        Binding("ctrl+r", "remerge", "Re-merge", id="remerge", priority=True),
        Binding("ctrl+n", "next_tab", "Next tab", id="next-tab", priority=True),
        Binding("ctrl+p", "previous_tab", "Previous tab", id="previous-tab", show=False, priority=True),
        # Tab and shift+tab as priority bindings: moving to the next field waits until the
        # field has taken the keys typed before Tab (see `settle_keys`), so "ops<Tab>2026..."
        # sent in one burst puts "ops" in one field and the date in the next.
        Binding("tab", "focus_next_field", "Next field", id="next-field", show=False, priority=True),
        Binding("shift+tab", "focus_previous_field", "Previous field", id="previous-field", show=False, priority=True),
        *(
            Binding(key, f"show_tab('{tab_id}')", f"{title} tab", id=f"tab-{tab_id}", show=False, priority=True)
            for tab_id, title, key in TABS
        ),
    ]

    def __init__(self, session: Session, *, poll_seconds: float = POLL_SECONDS) -> None:
        super().__init__()
        # Sliding tab underlines and smooth scrolling send frame after frame over SSH; the
        # screen should change in one step.
        self.animation_level = "none"
        self.session = session
        self.poll_seconds = poll_seconds
        self._save_error: str | None = None
        self._quit_anyway = False
        self._remove_signals = lambda: None
        self._note_timer: Timer | None = None
        self._merging: Worker[Merged] | None = None
        # A merge to start when none runs and the facilitator is not typing, and whether
        # they asked for it; the job it starts carries that flag to its result.
        self._merge_waiting = False
        self._merge_waiting_asked = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="status-bar"):
            yield Static(self.session.postmortem.incident.title, id="status-title", markup=False)
            # News of a merge goes here, not in a pop-up: a pop-up would lie over the form
            # or editor the facilitator is typing in.
            yield Static(id="status-note", markup=False)
            yield Static(id="status-save", markup=False)
        with TabbedContent(id="tabs"):
            panes: dict[str, Pane] = {
                "participants": ParticipantsPane(id="participants-pane"),
                "timeline": TimelinePane(id="timeline-pane"),
                "findings": FindingsPane(id="findings-pane"),
                "factors": FactorsPane(id="factors-pane"),
                "actions": ActionsPane(today=self.session.today, id="actions-pane"),
                "narrative": NarrativePane(id="narrative-pane"),
                "export": ExportPane(id="export-pane"),
            }
            for tab_id, title, _key in TABS:
                with TabPane(title, id=tab_id):
                    yield panes[tab_id]
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        self.query_one("#status-note").display = False
        self.autosave = Autosave(self, self._autosave)
        self.edit_pause = Debouncer(self, EDIT_PAUSE_SECONDS, self._start_waiting_merge)
        self._remove_signals = install_exit_signals(self, self.save_now)
        self._show_all()
        # The first merge is saved at once, so postmortem.toml exists as soon as the screen does.
        self.save_now(report=True)
        self.set_interval(self.poll_seconds, self._poll, name="poll-accounts")

    def on_unmount(self) -> None:
        self._remove_signals()

    # --- keeping the screen and the file in step ----------------------------------------

    def _show_all(self) -> None:
        for pane in self.query(Pane):
            pane.show(self.session)
        # An account open for reading shows what is on disk now, too.
        for screen in self.screen_stack:
            if isinstance(screen, AccountScreen):
                screen.show(self.session)

    def _poll(self) -> None:
        """Pick up accounts saved while the screen is open. Does nothing, and so draws
        nothing, while the folder is unchanged."""
        if not self.merging and self.session.changed():
            self.start_merge(asked=False)

    # --- merging in a thread --------------------------------------------------------------
    # A merge of a hundred accounts takes about half a second: on this thread it would
    # freeze the screen. The merge reads a copy of the document, so the facilitator can go on
    # editing; a result that missed an edit made meanwhile is dropped (see
    # Session.finish_merge) and the merge runs again from the edited document. It waits for a
    # pause in the typing first: restarted at once, merge after merge would be dropped for as
    # long as the facilitator types, and none would land.

    @property
    def merging(self) -> bool:
        """True while a merge runs or waits to start."""
        return self._merging is not None or self._merge_waiting

    def start_merge(self, asked: bool) -> None:
        """Merge the accounts in another thread; `asked` when the facilitator asked for it
        (ctrl+r) rather than a file having changed. An asked-for merge starts at once, one for
        a changed file once the typing pauses; either follows a merge that is running."""
        self._merge_waiting = True
        self._merge_waiting_asked = self._merge_waiting_asked or asked
        self._start_waiting_merge(at_once=asked)

    def _start_waiting_merge(self, at_once: bool = False) -> None:
        """Start the merge that waits, unless a merge runs or the facilitator edited within
        the last EDIT_PAUSE_SECONDS (`edit_pause` calls this again once they pause).
        `at_once` starts it without waiting for that pause."""
        if not self._merge_waiting or self._merging is not None:
            return
        if self.edit_pause.pending and not at_once:
            return
        job = self.session.start_merge(asked=self._merge_waiting_asked)
        self._merge_waiting = False
        self._merge_waiting_asked = False
        self._merging = self.run_worker(
            functools.partial(self.session.run_merge, job), name="merge", group="merge", thread=True
        )

    @on(Worker.StateChanged)
    def _merge_state(self, event: Worker.StateChanged) -> None:
        if event.worker is not self._merging or not event.worker.is_finished:
            return
        self._merging = None
        merged = event.worker.result
        if isinstance(merged, Merged):
            self._merge_finished(merged)

    def _merge_finished(self, merged: Merged) -> None:
        if merged.error is not None:
            # incident.toml went bad while open: say so once, keep the last good merge on screen.
            self.session.merge_failed(merged)
            self.clear_note()
            self.notify(str(merged.error), severity="error", timeout=10)
        elif self.session.finish_merge(merged):
            self._show_all()
            self.autosave.poke()
            self.show_note("merged again, your edits kept" if merged.job.asked else "accounts changed: merged again")
        else:
            # Edited while it ran: merge again from the edited document, once the typing pauses.
            self._merge_waiting = True
            self._merge_waiting_asked = self._merge_waiting_asked or merged.job.asked
        self._start_waiting_merge()

    @on(PostmortemEdited)
    def _edited(self, event: PostmortemEdited) -> None:
        if isinstance(event, ItemsRemoved):
            self._show_all()
        was_saved = self._save_error is None and not self.autosave.pending
        self.autosave.poke()
        self.edit_pause.poke()
        if was_saved:
            self._show_save_state()

    def _autosave(self) -> None:
        self.save_now(report=True)
        self.query_one(ExportPane).refresh_readiness()

    def save_now(self, report: bool = False) -> None:
        """Write postmortem.toml if it changed. Raises PmError unless `report` is set, in
        which case the error is shown on the status line instead."""
        try:
            self.session.save()
        except PmError as err:
            self._save_error = str(err)
            self._show_save_state()
            if not report:
                raise
            self.notify(str(err), title="Not saved", severity="error", timeout=10)
            return
        self._save_error = None
        self._show_save_state(just_saved=True)

    def show_note(self, text: str) -> None:
        """Show `text` on the status line for a few seconds."""
        note = self.query_one("#status-note", Static)
        note.update(text)
        note.display = True
        if self._note_timer is not None:
            self._note_timer.stop()
        self._note_timer = self.set_timer(NOTE_SECONDS, self.clear_note, name="clear-note")

    def clear_note(self) -> None:
        """Take the note off the status line."""
        self.query_one("#status-note").display = False

    def _show_save_state(self, just_saved: bool = False) -> None:
        # `just_saved` spares comparing the document with the file (serialising the whole
        # document, a good part of a second with a hundred accounts) right after writing it.
        if self._save_error:
            text = "NOT SAVED"
        elif self.autosave.pending or (not just_saved and self.session.dirty):
            text = "editing..."
        else:
            text = f"saved to {self.session.postmortem_path.name}"
        status = self.query_one("#status-save", Static)
        status.update(text)
        status.set_class(self._save_error is not None, "-error")

    # --- actions --------------------------------------------------------------------------
    # The shortcuts have priority, so they run as soon as the app reads the key, possibly
    # before the field has handled the letters typed just before it (keys arrive in bursts
    # over SSH). Each one that saves, merges or moves the focus first lets those letters land.

    #: Shortcuts that act on the tabs underneath; while a dialog or the help is open they
    #: would change what is behind it, so they wait until it is closed.
    TAB_ACTIONS = ("show_tab", "next_tab", "previous_tab", "remerge")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.TAB_ACTIONS and len(self.screen_stack) > 1:
            return False
        return True

    def action_help(self) -> None:
        """Show every key available where you are; F1 again closes it."""
        if isinstance(self.screen, HelpScreen):
            # This binding has priority, so it reaches here before the help screen's own F1.
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen.for_screen(self.screen))

    async def action_focus_next_field(self) -> None:
        """Move the focus to the next field."""
        await settle_keys(self)
        self.screen.focus_next()

    async def action_focus_previous_field(self) -> None:
        """Move the focus to the previous field."""
        await settle_keys(self)
        self.screen.focus_previous()

    async def action_save(self) -> None:
        """Save postmortem.toml now instead of waiting for the autosave."""
        await settle_keys(self)
        self.autosave.cancel()
        self.save_now(report=True)
        if self._save_error is None:
            self.notify(f"Saved {self.session.postmortem_path}", timeout=3)

    async def action_remerge(self) -> None:
        """Read the accounts again and merge, keeping your edits."""
        await settle_keys(self)
        self.autosave.flush()
        self.show_note("merging the accounts...")
        self.start_merge(asked=True)

    async def action_quit(self) -> None:
        """Save, then quit. If the save fails, a second ctrl+q quits without saving."""
        await settle_keys(self)
        self.autosave.cancel()
        self.save_now(report=True)
        if self._save_error is not None and not self._quit_anyway:
            self._quit_anyway = True
            self.notify("Press ctrl+q again to quit without saving.", severity="warning", timeout=10)
            return
        self.exit()

    async def action_show_tab(self, tab_id: str) -> None:
        """Open a tab."""
        await settle_keys(self)
        self.query_one("#tabs", TabbedContent).active = tab_id
        self._focus_tab_content(tab_id)

    async def action_next_tab(self) -> None:
        """Open the next tab."""
        await self._step_tab(1)

    async def action_previous_tab(self) -> None:
        """Open the previous tab."""
        await self._step_tab(-1)

    async def _step_tab(self, step: int) -> None:
        ids = [tab_id for tab_id, _title, _key in TABS]
        current = self.query_one("#tabs", TabbedContent).active
        index = ids.index(current) if current in ids else 0
        await self.action_show_tab(ids[(index + step) % len(ids)])

    def _focus_tab_content(self, tab_id: str) -> None:
        # Put the focus inside the tab, so its keys work at once without a mouse.
        self.query_one(f"#{tab_id}", TabPane).query_one(Pane).focus_first()


def run(workspace: Workspace, *, today: dt.date | None = None) -> int:
    """Open the facilitator's screen on `workspace`; returns the process exit code.

    A damaged postmortem.toml or incident.toml raises PmError before the screen opens.
    """
    app = FacilitatorApp(Session(workspace, today=today))
    app.run()
    return app.return_code or 0
