"""The facilitator's narrative hints and action flags lint as the readiness check does: names
in every form a text may use them, and hints responders dismissed left out."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from facilitator_factory import build_incident, make_app, pin_times, plain
from pminterview.export.readiness import FieldLint, readiness
from pminterview.lint import lint_text
from pminterview.model import Account, AccountStatus, Answer, DismissedHint, Incident, Postmortem
from pminterview.tui.common.editor import AnswerEditor
from pminterview.workspace import Workspace

SIZE = (80, 24)
BLAME = "Priya broke checkout."


def priya(dismissed: list[DismissedHint] | None = None) -> Account:
    return Account(
        participant="priya.nair",
        role="network engineer",
        status=AccountStatus.SUBMITTED,
        answers={"role": Answer(text="I look after the load balancers.", dismissed=dismissed or [])},
    )


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    workspace = build_incident(tmp_path / "incident")
    workspace.save_account(priya())
    pin_times(workspace.root)
    return workspace


def test_a_first_name_counts_as_a_name_and_a_dismissed_hint_stays_dismissed() -> None:
    pm = Postmortem(incident=Incident(id="checkout", title="Checkout outage"), roles=["network engineer"])
    assert lint_text(BLAME, names=["priya.nair"]) == []  # the login alone is not the name used
    found = FieldLint.of(pm, [priya()]).lint(BLAME)
    assert [f.rule_id for f in found] == ["person-caused"]
    dismissed = [DismissedHint(rule_id=found[0].rule_id, excerpt=found[0].excerpt)]
    people = FieldLint.of(pm, [priya(dismissed)])
    assert people.lint(BLAME) == []
    assert people.lint_many([BLAME, "The pool filled up."]) == {BLAME: [], "The pool filled up.": []}


async def test_the_narrative_hints_show_what_readiness_reports(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f7")  # the Narrative tab; the editor has focus
        editor = app.query_one("#narrative-editor", AnswerEditor)
        editor.text = BLAME  # the facilitator's narrative
        await pilot.pause()
        pane = app.query_one("#narrative-pane")
        pane._lint.flush()  # the lint that runs after a pause in typing
        await pilot.pause()
        assert [f.excerpt for f in pane.findings] == ["broke checkout"]
        assert '"broke checkout"' in plain(app.query_one("#narrative-hints-body", Static))
        reasons = readiness(app.session.postmortem, app.session.accounts)
        assert any(reason.startswith("narrative line 1: proximal") for reason in reasons), reasons


async def test_an_action_naming_someone_by_first_name_is_flagged(workspace: Workspace) -> None:
    app = make_app(workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")  # the Actions tab; focus lands in its list
        action = app.session.postmortem.actions[0]
        assert not action.needs_rewrite
        await pilot.press("enter")  # into the form: the title
        title = app.query_one("#action-title", Input)
        assert title.has_focus and app.query_one("#action-list", OptionList).highlighted == 0
        title.value = BLAME
        await pilot.pause()
        pane = app.query_one("#actions-pane")
        pane._recheck.flush()  # the check that runs after a pause in typing
        await pilot.pause()
        action = app.session.postmortem.actions[0]
        assert action.needs_rewrite, action
        assert app.query_one("#action-flag", Static).display
