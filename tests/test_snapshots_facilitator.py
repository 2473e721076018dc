"""What the facilitator sees, as snapshots: 80x24 (a bastion host's default), 120x40, and
NO_COLOR. The incident, its files' times and "today" are fixed in `facilitator_factory`."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from facilitator_factory import build_incident, dba_account, facilitator_app, make_app, pin_times
from pminterview.model import ActionStatus, Answer

SMALL = (80, 24)
LARGE = (120, 40)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "incident"


def test_participants_80x24(snap_compare, root: Path) -> None:
    # Opens on the participants: submitted, draft, unreadable, not started.
    assert snap_compare(facilitator_app(root), terminal_size=SMALL)


def test_participants_unreadable_detail_80x24(snap_compare, root: Path) -> None:
    # Down twice: carol's unreadable file, with its error underneath.
    assert snap_compare(facilitator_app(root), press=["down", "down"], terminal_size=SMALL)


def test_participants_120x40(snap_compare, root: Path) -> None:
    assert snap_compare(facilitator_app(root), terminal_size=LARGE)


def test_account_80x24(snap_compare, root: Path) -> None:
    # Enter on the first row: alice's whole account, read-only.
    assert snap_compare(facilitator_app(root), press=["enter"], terminal_size=SMALL)


def test_no_color_account_off_the_record_80x24(snap_compare, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # bob's account with an answer given off the record: marked in words, not only in colour.
    monkeypatch.setenv("NO_COLOR", "1")
    workspace = build_incident(root)
    account = dba_account()
    account.answers["tools"] = Answer(text="The pool graph hides its limit; I only found it in the config.", off_record=True)
    workspace.save_account(account)
    pin_times(root)
    # Down to bob, v to read his account.
    assert snap_compare(make_app(workspace), press=["down", "v"], terminal_size=SMALL)


def test_timeline_80x24(snap_compare, root: Path) -> None:
    # F3: the merged timeline, approximate times marked with "~".
    assert snap_compare(facilitator_app(root), press=["f3"], terminal_size=SMALL)


def test_timeline_120x40(snap_compare, root: Path) -> None:
    assert snap_compare(facilitator_app(root), press=["f3"], terminal_size=LARGE)


def test_findings_80x24(snap_compare, root: Path) -> None:
    # F4: the findings, the summary open in the editor.
    assert snap_compare(facilitator_app(root), press=["f4"], terminal_size=SMALL)


def test_findings_differing_account_80x24(snap_compare, root: Path) -> None:
    # F4, down five times: past the summary, the impact and the lists to the differing account,
    # both versions and the note.
    assert snap_compare(facilitator_app(root), press=["f4", *["down"] * 5], terminal_size=SMALL)


def test_merge_note_on_the_status_line_80x24(snap_compare, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The note stays until the snapshot is taken, however slow the machine.
    monkeypatch.setattr("pminterview.tui.facilitator.app.NOTE_SECONDS", 3600.0)

    async def run_before(pilot: Pilot) -> None:
        await pilot.press("f4", "down", "down", "enter")  # editing "What surprised us"
        merges = pilot.app.session.merges
        await pilot.press("ctrl+r")  # merge again; it says so on the status line
        for _ in range(200):  # until the merge (in another thread) is in place; not a timing check
            if pilot.app.session.merges > merges and not pilot.app.merging:
                break
            await pilot.pause(0.05)
        await pilot.pause()

    assert snap_compare(facilitator_app(root), run_before=run_before, terminal_size=SMALL)


def test_confirm_wont_do_80x24(snap_compare, root: Path) -> None:
    # F6 then d: dropping an action drafted from the accounts asks for a reason.
    assert snap_compare(facilitator_app(root), press=["f6", "d"], terminal_size=SMALL)


def test_factors_80x24(snap_compare, root: Path) -> None:
    # F5: contributing factors, the first one open in the form.
    assert snap_compare(facilitator_app(root), press=["f5"], terminal_size=SMALL)


def test_actions_80x24(snap_compare, root: Path) -> None:
    # F6: the actions list and the first action's fields.
    assert snap_compare(facilitator_app(root), press=["f6"], terminal_size=SMALL)


def test_actions_120x40(snap_compare, root: Path) -> None:
    assert snap_compare(facilitator_app(root), press=["f6"], terminal_size=LARGE)


def test_action_errors_80x24(snap_compare, root: Path) -> None:
    # A due date that is not a date, and "won't do" without a reason: both errors inline.
    async def run_before(pilot: Pilot) -> None:
        await pilot.press("f6")  # Actions
        app = pilot.app
        app.query_one("#action-due", Input).focus()
        await pilot.press(*"2026-02-30", "enter")  # no 30th of February; Enter shows the error
        app.query_one("#action-status", Select).value = ActionStatus.WONT_DO
        app.autosave.flush()  # nothing valid was entered, but do not leave it to timing
        await pilot.pause()

    assert snap_compare(facilitator_app(root), run_before=run_before, terminal_size=SMALL)


def test_flagged_action_80x24(snap_compare, root: Path) -> None:
    # The action the lint flagged as vigilance, with its rewrite hint.
    async def run_before(pilot: Pilot) -> None:
        await pilot.press("f6")  # Actions
        actions = pilot.app.session.postmortem.actions
        index = next(i for i, action in enumerate(actions) if action.needs_rewrite)
        await pilot.press(*["down"] * index)  # move to the flagged action

    assert snap_compare(facilitator_app(root), run_before=run_before, terminal_size=SMALL)


def test_narrative_with_lint_hints_80x24(snap_compare, root: Path) -> None:
    async def run_before(pilot: Pilot) -> None:
        await pilot.press("f7")  # Narrative
        editor = pilot.app.query_one("#narrative-editor")
        editor.move_cursor(editor.document.end)
        await pilot.press("enter", *"The engineer should have checked the pool limit.")
        pilot.app.query_one("#narrative-pane").run_lint()  # instead of waiting for the pause
        pilot.app.autosave.flush()  # save now, so the status line does not depend on timing
        await pilot.pause()

    assert snap_compare(facilitator_app(root), run_before=run_before, terminal_size=SMALL)


def test_export_80x24(snap_compare, root: Path) -> None:
    # F8: what is not ready yet, and the export keys.
    assert snap_compare(facilitator_app(root), press=["f8"], terminal_size=SMALL)


def test_help_80x24(snap_compare, root: Path) -> None:
    # F1 on the actions list: every key, generated from the bindings.
    assert snap_compare(facilitator_app(root), press=["f6", "f1"], terminal_size=SMALL)


def test_no_color_participants_80x24(snap_compare, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(facilitator_app(root), terminal_size=SMALL)


def test_no_color_actions_80x24(snap_compare, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Status marks, the "!" flag and "[x]" factors carry meaning without colour.
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(facilitator_app(root), press=["f6"], terminal_size=SMALL)


def test_no_color_focused_field_80x24(snap_compare, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Without colour the focused field still shows: "▶" and reverse video on its label.
    monkeypatch.setenv("NO_COLOR", "1")
    # F6, Enter into the title, Tab to the description, Tab to the owner.
    assert snap_compare(facilitator_app(root), press=["f6", "enter", "tab", "tab"], terminal_size=SMALL)
