"""Merging in another thread: the screen keeps taking keys while the accounts are merged, and
no edit made meanwhile is lost."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from facilitator_factory import NO_POLL, TODAY, build_incident, support_draft
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


async def wait_for(pilot: Pilot, condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Let the app run until `condition` holds; fail after `seconds` (a hang, not a timing check)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition never became true")


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
