"""Pilot tests of the facilitator's screen: keyboard only, at 80x24."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import os
import re
import signal
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Select, Static

from helpers.keys import send_burst
from facilitator_factory import (
    DRAFT_MARKER,
    TODAY,
    build_incident,
    make_app,
    pin_times,
    sre_account,
    support_draft,
    wait_for,
)
from pminterview import locations
from pminterview.errors import PmError
from pminterview.export import to_markdown
from pminterview.export.readiness import readiness
from pminterview.model import Account, AccountStatus, ActionStatus, Suggestion, TimelineEntry
from pminterview.tui.common import settle_keys
from pminterview.tui.common.editor import AnswerEditor
from pminterview.tui.facilitator import FacilitatorApp, Session
from pminterview.tui.facilitator.panes.participants import participant_rows
from pminterview.workspace import Workspace

SIZE = (80, 24)


async def type_in(pilot: Pilot, text: str) -> None:
    """Type `text` into the focused field: its first character as a key press (the path a
    person's typing takes), the rest inserted at once, which is what a paste does and much
    quicker than one simulated key at a time."""
    await pilot.press(text[0])
    field = pilot.app.focused
    if isinstance(field, Input):
        field.insert_text_at_cursor(text[1:])
    else:
        field.insert(text[1:])
    await pilot.pause()


async def remerge(pilot: Pilot) -> None:
    """Press ctrl+r and let the merge it starts (in another thread) finish and show."""
    app = pilot.app
    before = app.session.merges
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: app.session.merges > before and not app.merging)
    await pilot.pause()


def plain(widget: Static) -> str:
    """What a Static shows, as plain text (it may hold a Rich renderable)."""
    content = widget.content
    if isinstance(content, str):
        return content
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(content)
    return console.export_text()


def statuses(app: FacilitatorApp) -> dict[str, str]:
    table = app.query_one("#participants-table", DataTable)
    return {str(table.get_row_at(i)[0]): str(table.get_row_at(i)[2]) for i in range(table.row_count)}


def saved(workspace: Workspace):
    postmortem = workspace.load_postmortem()
    assert postmortem is not None
    return postmortem


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return build_incident(tmp_path / "incident")


async def open_action(pilot: Pilot, app: FacilitatorApp, predicate) -> str:
    """Open the Actions tab and highlight the first action matching `predicate`."""
    await pilot.press("f6")  # the Actions tab; focus lands in its list
    actions = app.session.postmortem.actions
    index = next(i for i, action in enumerate(actions) if predicate(action))
    for _ in range(index):
        await pilot.press("down")  # move the highlight down the list
    await pilot.pause()
    assert app.query_one("#action-list", OptionList).highlighted == index
    return actions[index].id


def action_by_id(app: FacilitatorApp, action_id: str):
    return next(a for a in app.session.postmortem.actions if a.id == action_id)


# --- participants -------------------------------------------------------------------------


async def test_participants_show_each_status_including_unreadable(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert statuses(app) == {
            "alice": "submitted",
            "bob": "submitted",
            "carol": "! unreadable",
            "dave": "not started",
            "erin": "draft",
        }
        table = app.query_one("#participants-table", DataTable)
        assert str(table.get_row_at(0)[3]) == "2026-11-28 10:15 UTC"  # alice's own `updated`
        assert str(table.get_row_at(2)[3]) == "2026-11-28 09:30 UTC"  # carol: the file's mtime
        await pilot.press("down", "down")  # highlight carol's row
        detail = str(app.query_one("#participants-detail", Static).render())
        assert "carol.toml" in detail and "not valid TOML" in detail


def test_a_role_alone_is_a_started_draft_and_every_off_record_item_counts(workspace: Workspace) -> None:
    workspace.save_account(Account(participant="fay", role="network engineer"))
    workspace.save_account(
        Account(participant="gus", role="DBA", timeline=[TimelineEntry(time="14:02", saw="the disk alert", off_record=True)])
    )
    rows = {row.participant: row for row in participant_rows(Session(workspace, today=TODAY))}
    assert rows["fay"].status == "draft"  # they have begun: the role is theirs
    assert "1 off the record" in rows["gus"].detail  # a timeline entry counts, not only answers


async def test_last_change_is_shown_in_the_incidents_zone_and_says_which(workspace: Workspace) -> None:
    incident = workspace.incident()
    incident.timezone = "Europe/Berlin"
    workspace.save_incident(incident)
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one("#participants-table", DataTable)
        assert str(table.get_row_at(0)[3]) == "2026-11-28 11:15 CET"  # alice: 10:15 UTC
        assert str(table.get_row_at(2)[3]) == "2026-11-28 10:30 CET"  # carol's file: 09:30 UTC


def column_widths(app: FacilitatorApp) -> dict[str, int]:
    table = app.query_one("#participants-table", DataTable)
    return {str(key.value): column.get_render_width(table) for key, column in table.columns.items()}


async def test_the_role_column_fits_its_roles_as_they_change(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one("#participants-table", DataTable)
        assert column_widths(app)["role"] == len("database owner") + 2  # the longest role, padded
        account = sre_account()
        account.role = "primary on-call site reliability engineer for payments and checkout"
        workspace.save_account(account)
        await remerge(pilot)  # merge again: alice's role is now longer than the room
        widths = column_widths(app)
        assert sum(widths.values()) <= table.scrollable_content_region.width  # no sideways scrolling
        assert widths["role"] > len("database owner") + 2  # it grew as far as there is room
        assert str(table.get_row_at(0)[1]).startswith("primary on-call")
        # Cut short in the table, so the line underneath gives it whole.
        assert account.role in str(app.query_one("#participants-detail", Static).render())
        account.role = "SRE"
        workspace.save_account(account)
        await remerge(pilot)  # and shorter again: the column narrows with it
        assert column_widths(app)["role"] == len("database owner") + 2
        assert "Role:" not in str(app.query_one("#participants-detail", Static).render())


async def test_the_role_column_follows_the_window_width(workspace: Workspace) -> None:
    account = sre_account()
    account.role = "primary on-call site reliability engineer for payments and checkout"
    workspace.save_account(account)
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.query_one("#participants-table", DataTable)
        narrow = column_widths(app)["role"]
        await pilot.resize_terminal(140, 24)  # a wider window: room for the whole role
        await wait_for(pilot, lambda: column_widths(app)["role"] == len(account.role) + 2)
        await pilot.resize_terminal(*SIZE)  # and back: cut again, with no sideways scrollbar
        await wait_for(pilot, lambda: column_widths(app)["role"] == narrow)
        await pilot.pause()
        assert not table.show_horizontal_scrollbar
        assert sum(column_widths(app).values()) <= table.scrollable_content_region.width


# --- actions ------------------------------------------------------------------------------


async def test_owner_and_due_are_saved_and_a_bad_due_date_is_rejected_inline(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        action_id = await open_action(pilot, app, lambda a: not a.needs_rewrite)
        app.query_one("#action-owner", Input).focus()
        await type_in(pilot, "payments-team")  # type the owner
        app.query_one("#action-due", Input).focus()
        await type_in(pilot, "2026-13-01")  # a month that does not exist
        error = app.query_one("#action-due-error", Static)
        assert not error.display  # still typing: no error yet
        await pilot.press("enter")  # done with the field: now it says why
        assert error.display and "is not a date" in str(error.render())
        assert action_by_id(app, action_id).due is None  # the bad value never reaches the document
        assert app.query_one("#action-due", Input).has_class("-invalid")

        await pilot.press(*["backspace"] * 5)  # take back "13-01"
        await type_in(pilot, "12-15")  # fix it to 2026-12-15
        assert not error.display
        action = action_by_id(app, action_id)
        assert (action.owner, action.due, action.edited) == ("payments-team", dt.date(2026, 12, 15), True)

        app.autosave.flush()  # the save that follows a pause in typing
        stored = next(a for a in saved(workspace).actions if a.id == action_id)
        assert (stored.owner, stored.due) == ("payments-team", dt.date(2026, 12, 15))


async def test_wont_do_needs_a_reason(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        action_id = await open_action(pilot, app, lambda a: True)
        status = app.query_one("#action-status", Select)
        status.focus()
        await pilot.press("enter")  # open the status menu
        await pilot.press("down", "down", "down")  # open -> in progress -> done -> won't do
        await pilot.press("enter")  # choose "won't do"
        await pilot.pause()
        assert status.value == ActionStatus.WONT_DO
        error = app.query_one("#action-reason-error", Static)
        assert error.display and "needs a reason" in str(error.render())
        assert action_by_id(app, action_id).status is ActionStatus.OPEN  # not applied yet

        app.query_one("#action-reason", Input).focus()
        await type_in(pilot, "covered by the new deploy pipeline")  # give the reason
        await pilot.pause()
        assert not error.display
        action = action_by_id(app, action_id)
        assert action.status is ActionStatus.WONT_DO
        assert action.status_reason == "covered by the new deploy pipeline"


async def test_done_sets_the_completed_date(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        action_id = await open_action(pilot, app, lambda a: True)
        app.query_one("#action-status", Select).focus()
        await pilot.press("enter", "down", "down", "enter")  # choose "done"
        await pilot.pause()
        action = action_by_id(app, action_id)
        assert (action.status, action.completed) == (ActionStatus.DONE, TODAY)


async def test_an_action_the_lint_flagged_shows_why(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await open_action(pilot, app, lambda a: a.needs_rewrite)
        flag = app.query_one("#action-flag", Static)
        assert flag.display and "Needs a rewrite" in str(flag.render())
        prompt = app.query_one("#action-list", OptionList).highlighted_option.prompt
        assert "!" in str(prompt)  # the list marks it without relying on colour


async def test_rewriting_a_flagged_title_and_description_clears_the_flag(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        action_id = await open_action(pilot, app, lambda a: a.needs_rewrite)
        await pilot.press("enter")  # into the form: the title
        app.query_one("#action-title", Input).value = ""
        await type_in(pilot, "Alert when a config change lowers the pool limit")
        pane = app.query_one("#actions-pane")
        pane._recheck.flush()  # the check that runs after a pause in typing
        await pilot.pause()
        action = action_by_id(app, action_id)
        # The description still quotes the flagged suggestion: as for export --check, not yet.
        assert "careful" in action.description and action.needs_rewrite
        description = app.query_one("#action-description", AnswerEditor)
        description.focus()
        description.text = ""
        await type_in(pilot, "Checked automatically by the deploy tool.")
        pane._recheck.flush()
        await pilot.pause()
        action = action_by_id(app, action_id)
        assert (action.needs_rewrite, action.rewrite_hint, action.edited) == (False, "", True)
        assert not app.query_one("#action-flag", Static).display
        app.query_one("#action-title", Input).focus()
        await pilot.press("end")

        await type_in(pilot, " and remind engineers to be careful")  # vigilance again
        pane._recheck.flush()
        await pilot.pause()
        assert action_by_id(app, action_id).needs_rewrite
        assert app.query_one("#action-flag", Static).display


async def test_new_action_from_the_list_and_factors_ticked(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")  # Actions; the list has focus
        before = len(app.session.postmortem.actions)
        await pilot.press("n")  # new action; its title is selected for typing over
        await type_in(pilot, "Alert on the pool limit")
        action = app.session.postmortem.actions[-1]
        assert len(app.session.postmortem.actions) == before + 1
        assert (action.title, action.created, action.edited) == ("Alert on the pool limit", TODAY, True)
        app.query_one("#action-factors").focus()
        await pilot.press("space")  # tick the first factor
        first_factor = app.session.postmortem.factors[0].id
        assert action.factors == [first_factor]
        app.query_one("#action-title", Input).focus()
        await pilot.press("n")  # in a text field "n" is a letter, not "new action"
        assert len(app.session.postmortem.actions) == before + 1
        assert action.title.endswith("n")


# --- factors ------------------------------------------------------------------------------


async def test_factor_edit_survives_a_remerge(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")  # the Factors tab
        await pilot.press("enter")  # edit the highlighted factor: focus moves to its title
        factor_id = app.session.postmortem.factors[0].id
        title = app.query_one("#factor-title", Input)
        assert title.has_focus
        title.value = ""
        await type_in(pilot, "Config rollouts reach every host at once")
        await remerge(pilot)  # merge the accounts again
        factor = next(f for f in app.session.postmortem.factors if f.id == factor_id)
        assert (factor.title, factor.edited) == ("Config rollouts reach every host at once", True)
        assert title.value == factor.title


# --- narrative ----------------------------------------------------------------------------


async def test_narrative_edit_autosaves_and_survives_a_remerge(workspace: Workspace) -> None:
    app = make_app(workspace)
    sentence = "The rollback drained the pool within minutes."
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f7")  # the Narrative tab; the editor has focus
        editor = app.query_one("#narrative-editor", AnswerEditor)
        assert editor.has_focus
        editor.move_cursor(editor.document.end)  # after the generated draft
        await pilot.press("enter")  # a new line
        await type_in(pilot, sentence)  # the facilitator's sentence
        app.autosave.flush()  # the save that follows a pause in typing
        stored = saved(workspace)
        assert sentence in stored.narrative and stored.narrative_edited

        # A participant submits in the meantime; the merge keeps the facilitator's text.
        account = support_draft()
        account.status = AccountStatus.SUBMITTED
        workspace.save_account(account)
        await remerge(pilot)  # merge again now instead of waiting for the poll
        assert sentence in app.session.postmortem.narrative
        assert sentence in editor.text
        app.autosave.flush()
        assert sentence in saved(workspace).narrative

        # The readiness list says the edited narrative predates the new account...
        def stale() -> list[str]:
            reasons = readiness(app.session.postmortem, app.session.accounts)
            return [reason for reason in reasons if "narrative was last edited before" in reason]

        assert len(stale()) == 1 and "support lead" in stale()[0]
        # ...until the facilitator edits it with that account merged.
        await type_in(pilot, " Support saw the first tickets.")
        assert stale() == []


async def test_lint_hints_follow_typing_but_not_on_each_key(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f7")  # Narrative
        pane = app.query_one("#narrative-pane")
        editor = app.query_one("#narrative-editor", AnswerEditor)
        editor.text = ""
        await pilot.pause()
        await type_in(pilot, "The engineer should have checked the dashboard.")
        # Straight after the keys, the lint has not run for them yet: it waits for a pause.
        assert pane._lint.pending
        assert not any("should have" in f.excerpt for f in pane.findings)
        pane._lint.flush()  # the pause in typing that the lint waits for
        await pilot.pause()
        assert any(f.category == "counterfactual" for f in pane.findings)
        hints = plain(app.query_one("#narrative-hints-body", Static))
        assert "counterfactual" in hints
        assert editor._spans  # the finding is underlined in the editor


async def test_preview_shows_the_rendered_narrative(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f7", "ctrl+t")  # Narrative, then the preview
        await pilot.pause()
        assert app.query_one("#narrative-switcher").current == "narrative-preview"
        await pilot.press("ctrl+t")  # back to the editor
        assert app.query_one("#narrative-editor").has_focus


# --- the folder changing underneath ---------------------------------------------------------


async def test_account_changes_on_disk_are_picked_up(workspace: Workspace) -> None:
    app = make_app(workspace, poll_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert statuses(app)["erin"] == "draft"
        account = support_draft()
        account.status = AccountStatus.SUBMITTED
        account.suggestions.append(Suggestion(text="Alert when the payments pool passes 80% of its limit."))
        workspace.save_account(account)
        await wait_for(pilot, lambda: statuses(app)["erin"] == "submitted")
        titles = " ".join(a.title for a in app.session.postmortem.actions)
        assert "80%" in titles and DRAFT_MARKER in titles  # submitted now, so merged


async def test_a_merge_is_reported_on_the_status_line_not_over_the_editor(workspace: Workspace) -> None:
    app = make_app(workspace, poll_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4", "down", "down", "enter")  # typing in "What surprised us"
        note = app.query_one("#status-note", Static)
        assert not note.display
        account = support_draft()
        account.status = AccountStatus.SUBMITTED
        workspace.save_account(account)
        await wait_for(pilot, lambda: statuses(app)["erin"] == "submitted")
        await pilot.pause()
        assert note.display and "merged again" in str(note.render())
        assert note.region.y == 0  # the status line, above the tabs
        assert not app._notifications  # no pop-up over the editor
        assert app.query_one("#findings-editor", AnswerEditor).has_focus
        app.clear_note()
        await remerge(pilot)  # a merge asked for is reported the same way
        assert note.display and "merged again" in str(note.render())
        assert not app._notifications


async def test_an_unchanged_folder_is_not_merged_again(workspace: Workspace) -> None:
    app = make_app(workspace, poll_seconds=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        merges = app.session.merges
        await pilot.pause(0.4)  # several polls
        assert app.session.merges == merges
        pin_times(workspace.root)  # touched, same mtime and size: still nothing to do
        await pilot.pause(0.2)
        assert app.session.merges == merges


# --- saving and export --------------------------------------------------------------------


async def test_a_save_does_not_compare_the_document_with_the_file_again(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f7")  # Narrative
        await pilot.press(*"An edit. ")
        compared: list[int] = []
        real = Session.dirty.fget

        def counted(session: Session) -> bool:
            compared.append(1)
            return real(session)

        monkeypatch.setattr(Session, "dirty", property(counted))
        app.autosave.flush()  # the autosave writes the file...
        await pilot.pause()
        assert not compared  # ...and knows it is saved without serialising the document again
        assert "saved to postmortem.toml" in str(app.query_one("#status-save").render())
    saved = workspace.load_postmortem()
    assert saved is not None and saved.narrative.startswith("An edit. ")


async def test_quit_saves_pending_edits(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        action_id = await open_action(pilot, app, lambda a: True)
        app.query_one("#action-owner", Input).focus()
        await type_in(pilot, "sre-team")  # an edit still inside the autosave delay
        assert app.autosave.pending
        await pilot.press("ctrl+q")  # quit: saves first
    assert next(a for a in saved(workspace).actions if a.id == action_id).owner == "sre-team"


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
async def test_a_dropped_connection_saves_then_exits(workspace: Workspace, signum: int) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f7")  # Narrative
        await type_in(pilot, "Typed as the line dropped.")
        assert app.autosave.pending  # not saved by the autosave yet
        os.kill(os.getpid(), signum)  # what sshd sends when the connection goes
        await asyncio.sleep(0.05)
        await pilot.pause()
    assert "Typed as the line dropped." in saved(workspace).narrative
    assert app.return_code == 128 + signum


async def test_readiness_is_checked_when_the_export_tab_opens_not_behind_it(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pminterview.tui.facilitator.panes import export

    checks: list[int] = []

    def counted(*args, **kwargs):
        checks.append(1)
        return readiness(*args, **kwargs)

    monkeypatch.setattr(export, "readiness", counted)
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f7")  # the Narrative tab
        before = len(checks)
        await type_in(pilot, "An edit. ")
        app.autosave.flush()  # a save
        await remerge(pilot)  # and a merge
        assert len(checks) == before  # not checked while the Export tab is closed
        await pilot.press("f8")  # open it: checked now, with the edit
        assert len(checks) == before + 1
        assert "Not ready" in plain(app.query_one("#export-readiness-body", Static))
        account = support_draft()
        account.status = AccountStatus.SUBMITTED
        workspace.save_account(account)
        await remerge(pilot)  # while it is open, a merge (and the save after it) check it again
        assert len(checks) > before + 1
        assert "erin" not in plain(app.query_one("#export-readiness-body", Static))


async def test_a_merge_that_leaves_the_narrative_alone_does_not_lint_it_again(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pminterview.export.readiness import FieldLint

    linted: list[str] = []
    real = FieldLint.lint

    def counted(self, text):
        linted.append(text)
        return real(self, text)

    monkeypatch.setattr(FieldLint, "lint", counted)
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f7")  # Narrative
        editor = app.query_one("#narrative-editor", AnswerEditor)
        editor.move_cursor(editor.document.end)
        await pilot.press("enter", *"Someone should have checked.")
        app.query_one("#narrative-pane").run_lint()  # instead of waiting for the pause
        before = len(linted)
        await remerge(pilot)  # the edited narrative is kept as it is
        assert len(linted) == before
        assert any(f.category == "counterfactual" for f in app.query_one("#narrative-pane").findings)
        await pilot.press(*" Later.")
        app.query_one("#narrative-pane").run_lint()
        assert len(linted) == before + 1  # a changed narrative is linted again


async def test_export_writes_markdown_and_toml(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")  # the Export tab
        readiness = plain(app.query_one("#export-readiness-body", Static))
        assert "Not ready" in readiness and "erin" in readiness
        await pilot.press("m", "t")  # export Markdown, then TOML
        await pilot.pause()
        markdown = locations.export_file(workspace.root, "md")
        toml = locations.export_file(workspace.root, "toml")
        assert markdown.read_text(encoding="utf-8") == to_markdown(app.session.postmortem)
        assert "schema_version" in toml.read_text(encoding="utf-8")
        assert str(toml) in str(app.query_one("#export-result", Static).render())


async def test_every_tab_is_reachable_by_keys(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        tabs = app.query_one("#tabs")
        seen = [tabs.active]
        for _ in range(6):
            await pilot.press("ctrl+n")  # next tab
            seen.append(tabs.active)
        assert seen == ["participants", "timeline", "findings", "factors", "actions", "narrative", "export"]
        await pilot.press("ctrl+p")  # previous tab
        assert tabs.active == "narrative"
        await pilot.press("f1")  # help, generated from the bindings
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"


# --- the session without a screen ---------------------------------------------------------


def test_a_damaged_postmortem_stops_the_session_before_anything_is_overwritten(workspace: Workspace) -> None:
    path = locations.postmortem_file(workspace.root)
    path.write_text("schema_version = 1\nnarrative = [\n", encoding="utf-8")
    with pytest.raises(PmError, match="postmortem.toml"):
        Session(workspace, today=TODAY)
    assert path.read_text(encoding="utf-8") == "schema_version = 1\nnarrative = [\n"


def test_save_writes_only_when_the_document_changed(workspace: Workspace) -> None:
    session = Session(workspace, today=TODAY)
    assert session.save() is True
    assert session.save() is False
    session.postmortem.narrative = "Edited."
    assert session.dirty and session.save() is True


# --- findings: the lists and notes on differing accounts ------------------------------------


async def test_editing_a_findings_list_marks_it_and_a_remerge_keeps_it(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")  # the Findings tab; its list has focus on "Summary"
        await pilot.press("down", "down", "down", "enter")  # past the impact and the surprises to "What went well", then into its editor
        editor = app.query_one("#findings-editor", AnswerEditor)
        assert editor.has_focus and editor.text == ""
        await type_in(pilot, "- The rollback took two minutes")
        await pilot.press("enter")  # a second item on its own line, without a dash
        await type_in(pilot, "The dashboard showed the pool limit")
        postmortem = app.session.postmortem
        assert postmortem.went_well == ["The rollback took two minutes", "The dashboard showed the pool limit"]
        assert postmortem.went_well_edited and not postmortem.surprises_edited
        assert "*" in str(app.query_one("#findings-list", OptionList).get_option("went_well").prompt)

        await pilot.press("escape", "up", "enter")  # back to the list, up to the surprises, edit
        surprises = app.query_one("#findings-editor", AnswerEditor)
        assert surprises.text.startswith("- on-call SRE: The config rollout")
        surprises.text = ""  # the facilitator clears the list: an empty list is a choice too
        await pilot.pause()
        assert postmortem.surprises == [] and postmortem.surprises_edited

        await remerge(pilot)  # merge the accounts again
        merged = app.session.postmortem
        assert merged.went_well == ["The rollback took two minutes", "The dashboard showed the pool limit"]
        assert merged.surprises == []
        app.autosave.flush()
        stored = saved(workspace)
        assert stored.went_well_edited and stored.surprises_edited and stored.surprises == []


async def test_a_note_on_a_differing_account_is_saved_and_kept_by_a_remerge(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")  # Findings
        option_list = app.query_one("#findings-list", OptionList)
        await pilot.press(*["down"] * 5)  # past the summary, the impact, the three lists and the heading
        topic = app.session.postmortem.differing_accounts[0].topic
        assert option_list.highlighted_option.id == f"differing-{topic}"
        versions = plain(app.query_one("#findings-versions", Static))
        assert "on-call SRE (14:20)" in versions and "database owner (14:31)" in versions
        await pilot.press("enter")  # into the note
        assert app.query_one("#findings-note", AnswerEditor).has_focus
        await type_in(pilot, "Chat history puts the rollback at 14:22.")
        assert app.session.postmortem.differing_accounts[0].note == "Chat history puts the rollback at 14:22."
        await remerge(pilot)  # merge again: the note stays with its topic
        assert app.session.postmortem.differing_accounts[0].note == "Chat history puts the rollback at 14:22."
        app.autosave.flush()
        assert saved(workspace).differing_accounts[0].note == "Chat history puts the rollback at 14:22."
        assert "Note: Chat history puts the rollback at 14:22." in to_markdown(saved(workspace))


async def test_summary_and_impact_are_written_saved_and_kept_by_a_remerge(workspace: Workspace) -> None:
    incident = workspace.incident()
    incident.summary = "Checkout failed."
    workspace.save_incident(incident)
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")  # Findings: the list opens on "Summary"
        option_list = app.query_one("#findings-list", OptionList)
        assert option_list.highlighted_option.id == "summary"
        editor = app.query_one("#findings-editor", AnswerEditor)
        assert editor.text == "Checkout failed."  # from incident.toml to start with
        await pilot.press("enter")  # into the editor
        editor.move_cursor(editor.document.end)
        await type_in(pilot, " Card payments were declined for 50 minutes.")
        summary = "Checkout failed. Card payments were declined for 50 minutes."
        assert app.session.postmortem.summary == summary
        assert "*" in str(option_list.get_option("summary").prompt)
        await pilot.press("escape", "down", "enter")  # back to the list, down to "Impact", edit it
        assert option_list.highlighted_option.id == "impact" and editor.has_focus and editor.text == ""
        await type_in(pilot, "About 40% of checkout attempts failed.")
        app.autosave.flush()
        stored = saved(workspace)
        assert stored.summary == summary and stored.impact == "About 40% of checkout attempts failed."

        await remerge(pilot)  # merge the accounts again: both are kept
        assert app.session.postmortem.summary == summary
        assert app.session.postmortem.impact == "About 40% of checkout attempts failed."
        assert editor.text == "About 40% of checkout attempts failed."
        app.autosave.flush()
        markdown = to_markdown(saved(workspace))
        assert summary in markdown and "About 40% of checkout attempts failed." in markdown

    # A new session on the same folder keeps them too, even after incident.toml changes.
    incident.summary = "Checkout was down."
    workspace.save_incident(incident)
    session = Session(workspace, today=TODAY)
    assert session.postmortem.summary == summary
    assert session.postmortem.impact == "About 40% of checkout attempts failed."


async def test_an_emptied_summary_comes_from_incident_toml_again(workspace: Workspace) -> None:
    incident = workspace.incident()
    incident.summary = "Checkout failed."
    workspace.save_incident(incident)
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4", "enter")  # Findings, into the summary
        editor = app.query_one("#findings-editor", AnswerEditor)
        editor.text = ""  # the facilitator clears it
        await pilot.pause()
        assert app.session.postmortem.summary == ""
        assert "(empty)" in str(app.query_one("#findings-list", OptionList).get_option("summary").prompt)
        await pilot.press("escape")  # back to the list
        await remerge(pilot)  # merge again
        assert app.session.postmortem.summary == "Checkout failed."
        assert editor.text == "Checkout failed."


# --- deleting -------------------------------------------------------------------------------


async def test_deleting_a_drafted_action_makes_it_wont_do_and_a_remerge_keeps_it(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        action_id = await open_action(pilot, app, lambda a: a.needs_rewrite)
        count_before = len(app.session.postmortem.actions)
        await pilot.press("d")  # delete: it came from the accounts, so a reason is asked
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDelete"
        await pilot.press("enter")  # no reason yet: refused, the dialog stays
        assert type(app.screen).__name__ == "ConfirmDelete"
        assert "reason" in str(app.screen.query_one("#confirm-error", Static).render())
        await type_in(pilot, "vigilance, not a change to the system")  # "y"/"n" are letters here
        await pilot.press("enter")  # confirm
        await pilot.pause()
        action = action_by_id(app, action_id)
        assert (action.status, action.status_reason) == (ActionStatus.WONT_DO, "vigilance, not a change to the system")
        assert not action.needs_rewrite
        assert app.query_one("#action-list", OptionList).has_focus

        await remerge(pilot)  # merge again: it does not come back as open
        again = [a for a in app.session.postmortem.actions if a.id == action_id]
        assert len(app.session.postmortem.actions) == count_before
        assert [a.status for a in again] == [ActionStatus.WONT_DO]


async def test_deleting_your_own_action_asks_first_and_n_or_cancel_keeps_it(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6", "n", "escape")  # a new action of your own, back to the list
        own = app.session.postmortem.actions[-1]
        await pilot.press("d")  # asks first
        await pilot.press("n")  # keep it (no Escape needed)
        assert type(app.screen).__name__ != "ConfirmDelete"
        assert own in app.session.postmortem.actions
        await pilot.press("delete", "enter")  # asks again; the focus starts on Cancel
        assert own in app.session.postmortem.actions
        await pilot.press("d", "y")  # asks again; y deletes
        await pilot.pause()
        assert own.id not in [a.id for a in app.session.postmortem.actions]
        app.autosave.flush()
        assert own.id not in [a.id for a in saved(workspace).actions]


async def test_deleting_factors_only_your_own_and_actions_forget_them(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5", "d")  # a factor from the accounts: explained, not deleted
        await pilot.pause()
        assert type(app.screen).__name__ != "ConfirmDelete"
        assert len(app.session.postmortem.factors) == 3
        await pilot.press("n", "escape")  # a factor of your own, back to the list
        own = app.session.postmortem.factors[-1]
        action = app.session.postmortem.actions[0]
        action.factors.append(own.id)  # an action addresses it
        await pilot.press("d", "y")  # delete it
        await pilot.pause()
        assert own.id not in [f.id for f in app.session.postmortem.factors]
        assert own.id not in action.factors
        await pilot.press("f6")  # the actions' factor checklist no longer offers it
        labels = [str(o.prompt) for o in app.query_one("#action-factors", OptionList).options]
        assert len(labels) == 3 and not any("New factor" in label for label in labels)


# --- the tracker link and the key line ------------------------------------------------------


async def test_a_tracker_that_is_not_a_link_is_rejected_inline(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        action_id = await open_action(pilot, app, lambda a: True)
        tracker = app.query_one("#action-tracker", Input)
        tracker.focus()
        await type_in(pilot, "see the ops board")
        error = app.query_one("#action-tracker-error", Static)
        assert not error.display  # still typing
        await pilot.press("shift+tab")  # leave the field: now it says why
        assert error.display and "is not a link" in str(error.render())
        tracker.focus()
        assert tracker.has_class("-invalid")
        assert action_by_id(app, action_id).tracker == ""  # never reaches the document
        tracker.value = ""
        await type_in(pilot, "OPS-123")  # an issue key
        assert not error.display and action_by_id(app, action_id).tracker == "OPS-123"
        tracker.value = ""
        await type_in(pilot, "https://tracker.example/browse/OPS-123")
        assert not error.display
        assert action_by_id(app, action_id).tracker == "https://tracker.example/browse/OPS-123"


async def test_the_key_line_lists_the_keys_where_the_focus_is(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        keys = app.query_one("#keys")
        await pilot.press("f6")  # the actions list
        await pilot.pause()
        descriptions = [description for _key, description in keys.keys()]
        assert "New action" in descriptions and "Delete" in descriptions and "Help" in descriptions
        assert "Delete" in plain(keys)
        app.query_one("#action-title", Input).focus()  # in a text field "d" is a letter
        await pilot.pause()
        assert "Delete" not in [description for _key, description in keys.keys()]


# --- keys in a burst, focus without colour, drafts, the key line under a dialog -------------


async def test_a_burst_of_typing_and_backspaces_keeps_its_order(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        action_id = await open_action(pilot, app, lambda a: True)
        app.query_one("#action-owner", Input).focus()
        await pilot.pause()
        burst = [*"payments-team", *["backspace"] * 5, *"ops", "tab"]  # Tab moves on to Due
        burst += [*"2026-12-15", *"x" * 16, *["backspace"] * 30, *"2026-12-16"]
        await send_burst(pilot, burst)
        assert app.query_one("#action-owner", Input).value == "paymentsops"
        assert app.query_one("#action-due", Input).value == "2026-12-16"
        action = action_by_id(app, action_id)
        assert (action.owner, action.due) == ("paymentsops", dt.date(2026, 12, 16))

        # The same through Pilot, key after key without pauses, in the description.
        description = app.query_one("#action-description", AnswerEditor)
        description.focus()
        description.text = ""
        await pilot.press(*"alert-team", *["backspace"] * 5, *"only")
        assert description.text == "alertonly"


async def test_the_focused_field_is_marked_without_colour(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await open_action(pilot, app, lambda a: True)

        def marked() -> list[str]:
            return [str(label.render()).strip() for label in app.query(".-focused")]

        await pilot.press("enter")  # into the form: the title
        assert marked() == ["▶ Title"]
        await pilot.press("tab")  # the description, a larger field with its label above
        assert marked() == ["▶ Description"]
        await pilot.press("tab", "tab")  # owner, then due
        assert marked() == ["▶ Due"]
        due = app.query_one("#action-due", Input)
        assert due.placeholder.startswith("e.g.")  # an empty field never reads as filled in
        await pilot.press("tab")  # the priority menu
        assert marked() == ["▶ Priority"]
        await pilot.press("escape")  # back to the list: nothing in the form is marked
        assert marked() == []


async def test_drafts_are_listed_but_not_merged(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert statuses(app)["erin"] == "draft"
        postmortem = app.session.postmortem
        assert DRAFT_MARKER not in to_markdown(postmortem)
        assert "support lead" not in postmortem.roles
        await pilot.press("f8")  # Export: readiness still names the draft
        readiness = plain(app.query_one("#export-readiness-body", Static))
        assert "support lead (erin) is still a draft" in readiness


async def test_the_key_line_says_what_ctrl_t_does_now(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        keys = app.query_one("#keys")
        await pilot.press("f7")  # Narrative, in the editor
        await pilot.pause()
        assert ("^t", "Preview") in keys.keys()
        await pilot.press("ctrl+t")  # the preview
        await pilot.pause()
        assert ("^t", "Edit") in keys.keys() and ("^t", "Preview") not in keys.keys()
        assert app.query_one("#narrative-switcher").current == "narrative-preview"


async def test_a_dialog_has_its_own_key_line_and_tab_keys_wait_for_it(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6", "n", "escape", "d")  # an action of your own; delete asks first
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDelete")
        await wait_for(pilot, lambda: bool(app.screen.query_one("#confirm-keys").keys()))
        dialog_keys = [description for _key, description in app.screen.query_one("#confirm-keys").keys()]
        assert dialog_keys == ["Delete", "Keep it", "Cancel"]
        await pilot.press("f2", "ctrl+n")  # would switch the tab underneath
        assert app.query_one("#tabs").active == "actions"
        assert type(app.screen).__name__ == "ConfirmDelete"
        await pilot.press("n")  # keep it; the tab keys work again
        await pilot.press("f2")
        assert app.query_one("#tabs").active == "participants"


async def test_names_of_a_draft_author_and_of_an_unreadable_file_are_replaced_in_the_merge(workspace: Workspace) -> None:
    bob = workspace.load_account("bob")
    bob.timeline[1].did = "rolled back the payments config after asking erin and carol"
    workspace.save_account(bob)
    pin_times(workspace.root)
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = to_markdown(app.session.postmortem)
        assert "after asking the support lead and the responder" in text
        assert not re.search(r"(?i)\b(erin|carol)\b", text)  # ("Differing" holds "erin")


async def test_tab_from_the_actions_list_goes_straight_to_the_title(workspace: Workspace) -> None:
    # The form's scroll area is no Tab stop: one there showed nothing, and the next fields typed
    # went one field off (the owner into the description).
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        assert app.focused is app.query_one("#action-list", OptionList)
        await pilot.press("tab")
        assert app.focused is app.query_one("#action-title", Input)
        await pilot.press("f5")  # Factors: the same for its form
        await pilot.pause()
        await pilot.press("tab")
        assert app.focused is app.query_one("#factor-title", Input)


async def test_tabbing_into_a_title_and_typing_adds_to_it(workspace: Workspace) -> None:
    # Selected on focus, the title was replaced by the first key, with no undo.
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        title = app.query_one("#action-title", Input)
        before = title.value
        await pilot.press("tab")
        await type_in(pilot, "!")
        assert title.value == before + "!"
