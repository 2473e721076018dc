"""Opening in two steps: the first question from a preview read without pydantic, then the
full check in a thread. Nothing typed meanwhile is lost; nothing is written before the check."""

from __future__ import annotations

import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest

from app_factory import PARTICIPANT, fixed_clock, make_workspace
from pminterview import cli
from pminterview.errors import PmError
from pminterview.guide import load_guide
from pminterview.model import Account, Answer, Cursor
from pminterview.tui.common.editor import AnswerEditor
from pminterview.tui.interview import InterviewApp, InterviewSession
from pminterview.tui.interview.questions import RolePane
from pminterview.tui.interview.textpane import TextPane

SIZE = (80, 24)


def preview_app(root: Path) -> InterviewApp:
    session = InterviewSession.preview(make_workspace(root), PARTICIPANT, load_guide(), clock=fixed_clock)
    return InterviewApp(session, hints_on=False)


def account_file(root: Path) -> Path:
    return root / "accounts" / f"{PARTICIPANT}.toml"


async def wait_until_ready(app: InterviewApp, pilot) -> None:
    for _ in range(200):
        if app.session.ready and not app.workers:
            break
        await pilot.pause(0.01)
    await pilot.pause()


def test_the_first_screen_path_does_not_import_pydantic() -> None:
    # What `pminterview interview` imports before its first screen, in a fresh interpreter.
    code = (
        "import sys, pminterview.cli, pminterview.tui.interview.app\n"
        "from pminterview.tui.interview.questions import pane_for\n"
        "from pminterview.guide import load_guide\n"
        "load_guide()\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'pminterview.model', 'pminterview.lint'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_preview_reads_what_the_first_screen_needs_without_writing(tmp_path: Path) -> None:
    root = tmp_path / "incident"
    workspace = make_workspace(root)
    account = Account(participant=PARTICIPANT, role="on-call SRE", cursor=Cursor(question="cues", row=0, column=3))
    account.answers = {"cues": Answer(text="the graph \x1b[31mwas flat", off_record=True)}
    workspace.save_account(account)
    before = account_file(root).read_bytes()

    session = InterviewSession.preview(workspace, PARTICIPANT, load_guide(), clock=fixed_clock)
    try:
        assert not session.ready
        assert session.start_question() == "cues"
        assert session.account.answer("cues").off_record
        assert session.incident.title.startswith("Checkout outage")
        assert session.save() is False  # nothing is written before the full check
        session.finish_opening()
        assert session.ready and not session.read_only
        assert isinstance(session.account, Account)
    finally:
        session.close()
    assert account_file(root).read_bytes() == before


async def test_keys_typed_before_the_check_are_kept_and_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "incident"
    release = threading.Event()
    real_open = InterviewSession.open.__func__

    def slow_open(cls, *args, **kwargs):
        release.wait(5)  # the models take their time loading
        return real_open(cls, *args, **kwargs)

    monkeypatch.setattr(InterviewSession, "open", classmethod(slow_open))
    app = preview_app(root)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.interview_screen.pane, RolePane)  # on screen before the check
        await pilot.press("S", "R", "E")  # typed while the check is still running
        assert not app.session.ready
        assert app.interview_screen.pane.field.value == "SRE"
        release.set()
        await wait_until_ready(app, pilot)
        app.autosave.flush()
    assert tomllib.loads(account_file(root).read_text())["role"] == "SRE"


async def test_quitting_before_the_check_finishes_it_and_saves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "incident"
    monkeypatch.setattr(InterviewApp, "_open_in_background", lambda self: None)  # never by itself
    app = preview_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S", "R", "E")
        await pilot.press("ctrl+q")  # the check happens now, then the save
    assert tomllib.loads(account_file(root).read_text())["role"] == "SRE"


async def test_a_resumed_text_answer_is_shown_from_the_preview_and_editable(tmp_path: Path) -> None:
    root = tmp_path / "incident"
    account = Account(participant=PARTICIPANT, role="SRE", cursor=Cursor(question="involved", row=0, column=5))
    account.answers = {"involved": Answer(text="paged at 14:02")}
    make_workspace(root).save_account(account)
    app = preview_app(root)
    async with app.run_test(size=SIZE) as pilot:
        pane = app.interview_screen.pane
        assert isinstance(pane, TextPane)
        assert isinstance(app.focused, AnswerEditor) and app.focused.text == "paged at 14:02"
        await wait_until_ready(app, pilot)
        assert app.interview_screen.pane is pane  # kept, with whatever was typed into it


async def test_an_account_that_does_not_validate_ends_the_app_and_is_kept(tmp_path: Path) -> None:
    root = tmp_path / "incident"
    make_workspace(root)
    path = account_file(root)
    path.parent.mkdir(exist_ok=True)
    path.write_text(f'schema_version = 1\nparticipant = "{PARTICIPANT}"\nstatus = "bogus"\n')
    before = path.read_bytes()
    app = preview_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        await wait_until_ready(app, pilot)
        await pilot.pause(0.05)
    assert app.open_error is not None and "status" in str(app.open_error)
    assert app.return_code == 2
    assert path.read_bytes() == before


def test_cli_reports_a_damaged_account_in_one_line_with_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "incident"
    make_workspace(root)
    path = account_file(root)
    path.parent.mkdir(exist_ok=True)
    path.write_text(f'schema_version = 1\nparticipant = "{PARTICIPANT}"\nrole = 5\n')
    before = path.read_bytes()

    def run_headless(self, *args, **kwargs):
        # The real app, without a terminal: it opens, finds the damage and exits.
        import asyncio

        async def go():
            async with self.run_test(size=SIZE) as pilot:
                for _ in range(200):
                    if self.open_error is not None:
                        break
                    await pilot.pause(0.01)

        asyncio.run(go())

    monkeypatch.setattr(InterviewApp, "run", run_headless)
    code = cli.main(["interview", str(root), "--participant", PARTICIPANT])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("pminterview: ") and "role" in err
    assert path.read_bytes() == before


def test_finish_opening_raises_the_same_error_every_time(tmp_path: Path) -> None:
    root = tmp_path / "incident"
    make_workspace(root)
    (root / "incident.toml").write_text('schema_version = 1\nid = "x"\n')  # no title
    session = InterviewSession.preview(make_workspace(root), PARTICIPANT, load_guide())
    with pytest.raises(PmError, match="incident.toml") as first:
        session.finish_opening()
    with pytest.raises(PmError) as second:
        session.finish_opening()
    assert str(first.value) == str(second.value)
    session.close()
