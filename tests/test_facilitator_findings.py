"""Pilot tests of the Findings tab's list of differing accounts, at 80x24."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from facilitator_factory import NO_POLL, TODAY, build_incident, plain
from pminterview.model import DifferingAccount, Perspective
from pminterview.tui.common.editor import AnswerEditor
from pminterview.tui.facilitator import FacilitatorApp, Session
from pminterview.workspace import Workspace

SIZE = (80, 24)


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return build_incident(tmp_path / "incident")


async def test_two_differing_accounts_on_one_topic_are_both_listed(workspace: Workspace) -> None:
    session = Session(workspace, today=TODAY)
    topic = 'Time of "restarted the pool"'
    session.postmortem.differing_accounts = [
        DifferingAccount(topic=topic, versions=[Perspective(role="on-call SRE", time="14:40"), Perspective(role="DBA", time="14:45")]),
        DifferingAccount(topic=topic, versions=[Perspective(role="on-call SRE", time="15:10"), Perspective(role="DBA", time="15:30")]),
    ]
    app = FacilitatorApp(session, poll_seconds=NO_POLL)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")  # Findings
        option_list = app.query_one("#findings-list", OptionList)
        ids = [option.id for option in option_list.options if option.id and option.id.startswith("differing-")]
        assert len(ids) == 2
        labels = [str(option_list.get_option(option_id).prompt) for option_id in ids]
        assert labels == [f"  {topic}", f"  {topic} #2"]  # told apart in the list
        await pilot.press(*["down"] * 6, "enter")  # past the summary, impact, lists and the first one; into its note
        assert "15:30" in plain(app.query_one("#findings-versions", Static))
        assert app.query_one("#findings-note", AnswerEditor).has_focus
        await pilot.press(*"Second")  # a note on the second one only
        first, second = app.session.postmortem.differing_accounts
        assert first.note == "" and second.note == "Second"
        assert str(option_list.get_option(ids[1]).prompt) == f"  {topic} #2 *"  # marked as having a note
