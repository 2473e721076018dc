"""Merging in another thread: the screen keeps taking keys while the accounts are merged, and
no edit made meanwhile is lost."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import Static

from facilitator_factory import NO_POLL, TODAY, build_incident, support_draft, wait_for
from pminterview import locations
from pminterview.merge import merge
from pminterview.model import AccountStatus, Postmortem, Suggestion
from pminterview.tui.common.editor import AnswerEditor
from pminterview.tui.facilitator import FacilitatorApp, Session
from pminterview.workspace import Workspace

SIZE = (80, 24)
NEW_SUGGESTION = "Alert when the payments pool passes 80% of its limit."
#: The action drafted from it (its title drops the full stop).
NEW_ACTION = NEW_SUGGESTION.rstrip(".")


class HeldMerge:
    """The real merge, except that a merge after the first waits until `release` is set."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.waiting = threading.Event()
        self.release = threading.Event()

    def __call__(self, *args, **kwargs) -> Postmortem:
        self.threads.append(threading.current_thread())
        if len(self.threads) > 1:
            self.waiting.set()
            self.release.wait(30)
        return merge(*args, **kwargs)


class GatedMerge:
    """The real merge, except that each merge in another thread waits at a gate of its own
    until the test opens it. The first merge, while the screen opens, does not wait."""

    def __init__(self) -> None:
        self.gates: list[threading.Event] = []
        self._lock = threading.Lock()

    def __call__(self, *args, **kwargs) -> Postmortem:
        if threading.current_thread() is not threading.main_thread():
            gate = threading.Event()
            with self._lock:
                self.gates.append(gate)
            gate.wait(30)
        return merge(*args, **kwargs)

    @property
    def runs(self) -> int:
        """Merges started in another thread."""
        with self._lock:
            return len(self.gates)

    def waiting(self) -> bool:
        """True while a merge waits at its gate."""
        with self._lock:
            return any(not gate.is_set() for gate in self.gates)

    def open(self) -> None:
        """Let every merge waiting at its gate go on."""
        with self._lock:
            for gate in self.gates:
                gate.set()


def note(app: FacilitatorApp) -> str:
    """The note on the status line, or "" when none shows."""
    widget = app.query_one("#status-note", Static)
    return str(widget.content) if widget.display else ""


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return build_incident(tmp_path / "incident")


def submit_erin_with_a_suggestion(workspace: Workspace) -> None:
    account = support_draft()
    account.status = AccountStatus.SUBMITTED
    account.suggestions.append(Suggestion(text=NEW_SUGGESTION))
    workspace.save_account(account)


def test_a_result_that_missed_an_edit_is_not_put_in_place(workspace: Workspace) -> None:
    session = Session(workspace, today=TODAY)
    job = session.start_merge()
    submit_erin_with_a_suggestion(workspace)
    merged = session.run_merge(job)
    assert session.merges == 1 and all(a.title != NEW_ACTION for a in session.postmortem.actions)
    session.postmortem.narrative = "Written while the merge ran."  # an edit after the merge began
    session.postmortem.narrative_edited = True
    assert session.finish_merge(merged) is False  # it would have lost that edit
    assert session.postmortem.narrative == "Written while the merge ran." and session.merges == 1
    # Merged again from the edited document: the edit and the new account are both there.
    assert session.finish_merge(session.run_merge(session.start_merge())) is True
    assert session.postmortem.narrative == "Written while the merge ran."
    assert any(a.title == NEW_ACTION for a in session.postmortem.actions)


async def test_typing_goes_on_while_a_merge_runs_and_is_kept(workspace: Workspace) -> None:
    held = HeldMerge()
    app = FacilitatorApp(Session(workspace, today=TODAY, merge=held), poll_seconds=NO_POLL)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f7")  # the Narrative tab, its editor focused
        submit_erin_with_a_suggestion(workspace)
        await pilot.press("ctrl+r")  # merge again: it starts, and waits in its thread
        await wait_for(pilot, held.waiting.is_set)
        assert app.merging
        editor = app.query_one("#narrative-editor", AnswerEditor)
        editor.move_cursor(editor.document.end)
        await pilot.press("enter", *"Added while merging.")  # the screen still takes keys
        assert app.session.postmortem.narrative.endswith("Added while merging.")
        held.release.set()
        await wait_for(pilot, lambda: not app.merging and app.session.merges == 2)
        # The first result missed the typing, so the merge ran again from the edited document.
        assert len(held.threads) == 3
        assert all(thread is not threading.main_thread() for thread in held.threads[1:])
        postmortem = app.session.postmortem
        assert postmortem.narrative.endswith("Added while merging.")
        assert any(action.title == NEW_ACTION for action in postmortem.actions)
        assert editor.text.endswith("Added while merging.")
        app.autosave.flush()
    saved = workspace.load_postmortem()
    assert saved is not None and saved.narrative.endswith("Added while merging.")


async def test_a_merge_asked_for_while_one_runs_follows_it(workspace: Workspace) -> None:
    held = HeldMerge()
    app = FacilitatorApp(Session(workspace, today=TODAY, merge=held), poll_seconds=NO_POLL)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")  # the first merge waits in its thread
        await wait_for(pilot, held.waiting.is_set)
        submit_erin_with_a_suggestion(workspace)  # saved after that merge read the folder
        await pilot.press("ctrl+r")  # asked again while it runs
        held.release.set()
        await wait_for(pilot, lambda: not app.merging and app.session.merges == 3)
        assert any(action.title == NEW_ACTION for action in app.session.postmortem.actions)


async def test_a_damaged_incident_is_reported_once_and_the_last_merge_kept(workspace: Workspace) -> None:
    app = FacilitatorApp(Session(workspace, today=TODAY), poll_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = app.session.postmortem
        locations.incident_file(workspace.root).write_text("schema_version = [\n", encoding="utf-8")

        def errors() -> int:
            return sum(1 for notification in app._notifications if notification.severity == "error")

        await wait_for(pilot, lambda: errors() == 1)
        await pilot.pause(0.4)  # several polls of the unchanged (still damaged) folder
        assert errors() == 1  # said once, not on every poll
        assert app.session.postmortem is before and not app.merging


async def test_a_merge_lands_once_continuous_typing_pauses(workspace: Workspace) -> None:
    gated = GatedMerge()
    app = FacilitatorApp(Session(workspace, today=TODAY, merge=gated), poll_seconds=NO_POLL)
    typed = "Typed without a pause while the accounts were merged."
    async with app.run_test(size=SIZE) as pilot:
        # The facilitator seems to type on until the test says the typing paused (flush below),
        # however slowly the keys below arrive.
        app.edit_pause.delay = NO_POLL
        await pilot.press("f7")  # the Narrative tab, its editor focused
        editor = app.query_one("#narrative-editor", AnswerEditor)
        editor.move_cursor(editor.document.end)
        submit_erin_with_a_suggestion(workspace)
        await pilot.press("ctrl+r")  # merge again: it starts at once, and waits at its gate
        await wait_for(pilot, gated.waiting)
        for key in typed:
            await pilot.press("space" if key == " " else key)  # a key while the merge runs
            gated.open()  # it finishes, having missed that key
        await pilot.pause()
        # Each result missed a key and was dropped; no new merge started while the keys came.
        assert gated.runs == 1 and app.merging and app.session.merges == 1
        assert app.session.postmortem.narrative.endswith(typed)
        app.edit_pause.flush()  # the typing pauses: the merge runs again from the edited document
        await wait_for(pilot, gated.waiting)
        gated.open()
        await wait_for(pilot, lambda: not app.merging)
        assert gated.runs == 2 and app.session.merges == 2
        postmortem = app.session.postmortem
        assert postmortem.narrative.endswith(typed)  # no key lost
        assert editor.text.endswith(typed)
        assert any(action.title == NEW_ACTION for action in postmortem.actions)  # the new account's material
        assert note(app) == "merged again, your edits kept"  # asked for with ctrl+r, before the typing
        app.autosave.flush()
    saved = workspace.load_postmortem()
    assert saved is not None and saved.narrative.endswith(typed)
    assert any(action.title == NEW_ACTION for action in saved.actions)


async def test_a_changed_file_is_merged_once_the_typing_pauses(workspace: Workspace) -> None:
    gated = GatedMerge()
    app = FacilitatorApp(Session(workspace, today=TODAY, merge=gated), poll_seconds=NO_POLL)
    async with app.run_test(size=SIZE) as pilot:
        app.edit_pause.delay = NO_POLL  # the typing pauses only when the test flushes it
        await pilot.press("f7")  # the Narrative tab, its editor focused
        editor = app.query_one("#narrative-editor", AnswerEditor)
        editor.move_cursor(editor.document.end)
        await pilot.press(*" Typing")  # the facilitator is typing
        submit_erin_with_a_suggestion(workspace)
        app._poll()  # the folder changed: a merge is due
        await pilot.press(*" on")  # typing on
        assert app.merging and gated.runs == 0  # it waits for a pause
        app.edit_pause.flush()  # the typing pauses
        await wait_for(pilot, gated.waiting)
        gated.open()
        await wait_for(pilot, lambda: not app.merging)
        assert gated.runs == 1 and app.session.merges == 2
        assert app.session.postmortem.narrative.endswith("Typing on")
        assert any(action.title == NEW_ACTION for action in app.session.postmortem.actions)
        assert note(app) == "accounts changed: merged again"


async def test_each_merge_says_whether_it_was_asked_for(workspace: Workspace) -> None:
    gated = GatedMerge()
    app = FacilitatorApp(Session(workspace, today=TODAY, merge=gated), poll_seconds=NO_POLL)
    async with app.run_test(size=SIZE) as pilot:
        submit_erin_with_a_suggestion(workspace)
        app._poll()  # the folder changed: a merge starts, and waits at its gate
        await wait_for(pilot, gated.waiting)
        await pilot.press("ctrl+r")  # asked for while the poll's merge runs: it follows
        gated.open()
        # The poll's merge lands and says so; the asked-for one starts and waits at its gate.
        await wait_for(pilot, lambda: app.session.merges == 2 and gated.waiting())
        assert note(app) == "accounts changed: merged again"
        gated.open()
        await wait_for(pilot, lambda: not app.merging)
        assert gated.runs == 2 and app.session.merges == 3
        assert note(app) == "merged again, your edits kept"
