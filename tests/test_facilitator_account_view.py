"""Pilot tests of reading one participant's account from the Participants tab, at 80x24."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from facilitator_factory import build_incident, dba_account, make_app, pin_times, plain, wait_for
from pminterview.export import to_markdown
from pminterview.model import Answer, Suggestion
from pminterview.tui.facilitator import FacilitatorApp
from pminterview.tui.facilitator.account import AccountScreen
from pminterview.workspace import Workspace

SIZE = (80, 24)
SECRET = "had not slept much that week"


def keys_shown(app: FacilitatorApp) -> str:
    return str(app.screen.query_one("KeyBar", Static).render())


def account_text(app: FacilitatorApp) -> str:
    return plain(app.screen.query_one("#account-text", Static))


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return build_incident(tmp_path / "incident")


def with_off_record(workspace: Workspace) -> None:
    """bob's account with an answer and a suggestion given off the record."""
    account = dba_account()
    account.answers["anything"] = Answer(text=f"I {SECRET}.", off_record=True)
    account.suggestions.append(Suggestion(text="Give the database owner a quieter on-call week.", off_record=True))
    workspace.save_account(account)
    pin_times(workspace.root)


async def test_enter_opens_the_whole_account_and_q_closes_it(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Read account" in keys_shown(app)  # the key line names the key on the table
        await pilot.press("enter")  # alice, the first row
        assert isinstance(app.screen, AccountScreen)
        heading = str(app.screen.query_one("#account-heading", Static).render())
        assert heading.startswith("alice: on-call SRE, submitted")
        text = account_text(app)
        # Each answered question with its answer, the timeline, safeguards and suggestions.
        assert "Which signals told you something was wrong" in text
        assert "The checkout error rate alert fired" in text
        assert "14:02 UTC" in text and "did: rolled back the payments config" in text
        assert "missing: No canary stage for payments config rollouts." in text
        assert "- Add a canary stage to payments config rollouts." in text
        # A question nobody answered is left out, not listed empty.
        assert "What were you trying to achieve" not in text
        assert "Close" in keys_shown(app)
        await pilot.press("q")  # close
        assert not isinstance(app.screen, AccountScreen)
        assert app.focused is app.query_one("#participants-table", DataTable)


async def test_v_opens_the_highlighted_account_and_v_or_escape_close_it(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "v")  # bob's row, then read it
        assert isinstance(app.screen, AccountScreen) and app.screen.participant == "bob"
        await pilot.press("v")  # the same key closes it
        assert not isinstance(app.screen, AccountScreen)
        await pilot.press("v")  # open again
        await pilot.press("escape")  # Escape closes it too
        assert not isinstance(app.screen, AccountScreen)


async def test_off_the_record_answers_are_shown_marked_and_never_exported(workspace: Workspace) -> None:
    with_off_record(workspace)
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")  # bob's account
        text = account_text(app)
        assert f"[off the record] I {SECRET}." in text  # the mark comes before the words
        assert "[off the record] - Give the database owner a quieter on-call week." in text
        assert "- Remind engineers" in text and "[off the record] - Remind" not in text
        note = plain(app.screen.query_one("#account-note", Static))
        assert "2 items given off the record" in note and "never exported" in note
        await pilot.press("q")
        app.save_now()
    postmortem = workspace.load_postmortem()
    assert postmortem is not None
    assert SECRET not in to_markdown(postmortem)
    assert "quieter on-call week" not in to_markdown(postmortem)


async def test_a_long_account_scrolls_at_80x24(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # alice's account: longer than the screen
        body = app.screen.query_one("#account-body")
        assert app.focused is body
        await wait_for(pilot, lambda: body.max_scroll_y > 0)
        await pilot.press("pagedown")  # page down through it
        await wait_for(pilot, lambda: body.scroll_y > 0)
        await pilot.press("end")
        await wait_for(pilot, lambda: body.scroll_y == body.max_scroll_y)


async def test_rows_without_an_account_open_nothing(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # carol: the file is unreadable
        assert not isinstance(app.screen, AccountScreen)
        assert any("cannot be read" in n.message for n in app._notifications)
        await pilot.press("down", "down", "enter")  # past erin to dave: open, nothing saved
        assert not isinstance(app.screen, AccountScreen)
        assert any("not saved anything yet" in n.message for n in app._notifications)


async def test_an_open_account_follows_changes_on_disk(workspace: Workspace) -> None:
    app = make_app(workspace, poll_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")  # bob's account
        assert "quieter on-call week" not in account_text(app)
        with_off_record(workspace)
        # pin_times gave the files their old times; a new size still shows it changed.
        await wait_for(pilot, lambda: "quieter on-call week" in account_text(app))
        assert isinstance(app.screen, AccountScreen)


async def test_tab_keys_wait_while_an_account_is_open(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "f3")  # F3 would open the Timeline tab behind the account
        assert isinstance(app.screen, AccountScreen)
        await pilot.press("q")
        assert app.query_one("#tabs").active == "participants"
