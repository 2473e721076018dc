"""Live blame-language hints in the interview: debounced, dismissible, never blocking."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from app_factory import PARTICIPANT, fixed_clock, make_app, make_workspace, type_text
from pminterview.guide import load_guide
from pminterview.model import Account, Answer, Cursor
from pminterview.tui.interview import InterviewSession, questions
from pminterview.tui.interview.app import InterviewApp
from pminterview.tui.interview.questions import HintPanel
from pminterview.tui.interview.textpane import TextPane
from pminterview.tui.interview.review import ReviewScreen

SIZE = (80, 24)
BLAME = "The engineer should have checked the host first."


def stored(root: Path) -> dict:
    return tomllib.loads((root / "accounts" / f"{PARTICIPANT}.toml").read_text(encoding="utf-8"))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "incident"


def on_actions(root: Path, text: str = "", hints_on: bool = True, **extra) -> InterviewApp:
    account = Account(participant=PARTICIPANT, role="on-call SRE", cursor=Cursor(question="actions"), **extra)
    if text:
        account.answers = {"actions": Answer(text=text)}
    return make_app(root, account, hints_on=hints_on)


def panel_text(app: InterviewApp) -> str:
    panel = app.interview_screen.query_one("#hints", HintPanel)
    return panel.shown if panel.display else ""


async def wait_for_hints(pilot) -> None:
    await pilot.pause()
    pilot.app.screen.idle.flush()  # as if the pause in typing had come
    await settle(pilot)


async def settle(pilot) -> None:
    """Let the lint worker thread finish and its result reach the screen."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_hint_appears_after_a_pause_with_category_and_suggestion(root: Path) -> None:
    app = on_actions(root)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, BLAME)
        await wait_for_hints(pilot)
        shown = panel_text(app)
        assert "Counterfactual" in shown  # the category, named once
        assert shown.count("ounterfactual") == 1
        assert "should have checked" in shown
        assert "→" in shown  # the reframing question
        pane = app.interview_screen.pane
        assert isinstance(pane, TextPane)
        start = BLAME.index("should have checked")
        assert (0, start, len("should have checked")) in pane.editor.highlights


async def test_hints_are_not_computed_on_every_keystroke(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = questions.find_hints

    def counting(text, *args, **kwargs):
        calls.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(questions, "find_hints", counting)
    app = on_actions(root)
    async with app.run_test(size=SIZE) as pilot:
        calls.clear()  # opening the question checks the existing text once
        await type_text(pilot, "the engineer should have")
        await wait_for_hints(pilot)
        # One check after the pause (a slow machine may add one), never one per key.
        assert 1 <= len(calls) < 5
        assert calls[-1] == "the engineer should have"


async def test_dismissed_hint_is_saved_and_not_shown_again(root: Path) -> None:
    app = on_actions(root, BLAME)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "should have checked" in panel_text(app)  # shown on opening
        await pilot.press("f8")  # "this is about a system, not a person"
        assert "should have checked" not in panel_text(app)
        await pilot.press("ctrl+q")
    dismissed = stored(root)["answers"]["actions"]["dismissed"]
    assert {"rule_id": dismissed[0]["rule_id"], "excerpt": dismissed[0]["excerpt"]} == dismissed[0]
    assert dismissed[0]["excerpt"] == "should have checked"

    again = make_app(root, hints_on=True)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.interview_screen.pane.question.id == "actions"
        assert "should have checked" not in panel_text(again)


async def test_hints_never_block_saving_or_submitting(root: Path) -> None:
    app = on_actions(root, BLAME)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")  # review, with the hint still there
        assert isinstance(app.screen, ReviewScreen)
        body = "\n".join(str(block.render()) for block in app.screen.query("#review-body Static"))
        assert "Counterfactual “should have checked”" in body  # the review lists remaining hints per answer
        await pilot.press("f5")  # submit anyway
    assert stored(root)["status"] == "submitted"


async def test_hints_can_be_turned_off_by_environment_and_toggled(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMINTERVIEW_HINTS", "off")
    account = Account(participant=PARTICIPANT, role="SRE", cursor=Cursor(question="actions"))
    workspace = make_workspace(root)
    account.answers = {"actions": Answer(text=BLAME)}
    workspace.save_account(account)
    app = InterviewApp(InterviewSession.open(workspace, PARTICIPANT, load_guide(), clock=fixed_clock))
    async with app.run_test(size=SIZE) as pilot:
        assert not app.hints_on
        assert panel_text(app) == ""
        await pilot.press("f9")  # turn them on for this session
        await settle(pilot)
        assert "should have checked" in panel_text(app)
        await pilot.press("f9")  # and off again
        await settle(pilot)
        assert panel_text(app) == ""
        assert app.interview_screen.pane.editor.highlights == []
