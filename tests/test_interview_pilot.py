"""The interview through Pilot: what a responder does with the keyboard, and what lands on disk."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from app_factory import FIXED_NOW, PARTICIPANT, answered_account, make_app, make_workspace
from pminterview import cli
from pminterview.model import Account, AccountStatus, Cursor
from pminterview.tui.common import HelpScreen
from pminterview.tui.common.editor import AnswerEditor
from pminterview.tui.common.keybar import KeyBar
from pminterview.tui.interview.lists import TimelineCard
from pminterview.tui.interview.questions import RolePane
from pminterview.tui.interview.review import ReviewScreen
from pminterview.tui.interview.screens import InterviewScreen
from pminterview.tui.interview.widgets import OffRecordToggle

SIZE = (80, 24)
#: How the fixed clock's time is written in the file.
NOW_TEXT = "2026-11-27T16:30:00Z"


def stored(root: Path) -> dict:
    """The account file as plain data."""
    return tomllib.loads((root / "accounts" / f"{PARTICIPANT}.toml").read_text(encoding="utf-8"))


def pane(app):
    return app.interview_screen.pane


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "incident"


# --- opening ---------------------------------------------------------------------------------


async def test_opens_on_first_question_focused_with_title_and_purpose(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE):
        assert isinstance(pane(app), RolePane)
        assert app.focused is pane(app).field
        screen = app.interview_screen
        assert screen.query_one("#purpose").display
        assert "blameless" in str(screen.query_one("#purpose", Static).render())
        assert "Checkout outage" in str(screen.query_one("#title-bar").render())


async def test_opens_on_first_unanswered_question(root: Path) -> None:
    account = Account(participant=PARTICIPANT, role="on-call SRE")
    account.answers = {"involved": answered_account().answers["involved"]}
    app = make_app(root, account)
    async with app.run_test(size=SIZE):
        assert pane(app).question.id == "timeline"
        assert isinstance(app.focused, Input)  # the first moment's time field, ready to type


async def test_resumes_at_the_saved_cursor(root: Path) -> None:
    account = Account(participant=PARTICIPANT, role="SRE", cursor=Cursor(question="cues", row=1, column=4))
    account.answers = {"cues": answered_account().answers["cues"].model_copy(update={"text": "first line\nsecond line"})}
    app = make_app(root, account)
    async with app.run_test(size=SIZE):
        assert pane(app).question.id == "cues"
        editor = pane(app).editor
        assert app.focused is editor
        assert editor.cursor_location == (1, 4)


async def test_submitted_account_opens_on_the_review(root: Path) -> None:
    account = answered_account()
    account.status = AccountStatus.SUBMITTED
    account.submitted = FIXED_NOW
    app = make_app(root, account)
    async with app.run_test(size=SIZE):
        assert isinstance(app.screen, ReviewScreen)


# --- navigating and answering ----------------------------------------------------------------


async def test_next_and_previous_move_between_questions_and_save_the_cursor(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "on-call SRE")
        await pilot.press("ctrl+n")  # to "how did you get involved"
        assert pane(app).question.id == "involved"
        purpose = str(app.interview_screen.query_one("#purpose", Static).render())
        assert purpose.startswith("Private:") and "\n" not in purpose  # one line once started
        await pilot.press("ctrl+n")  # empty answer: no follow-up, straight on to the timeline
        assert pane(app).question.id == "timeline"
        await pilot.press("ctrl+p")  # back
        assert pane(app).question.id == "involved"
        app.autosave.flush()  # the new cursor is saved by the next autosave
        assert stored(root)["cursor"]["question"] == "involved"
        assert stored(root)["role"] == "on-call SRE"
        await pilot.press("ctrl+p", "ctrl+p")  # at the first question, back stays put
        assert pane(app).question.id == "role"


async def test_going_back_to_an_answer_puts_the_cursor_at_its_end(root: Path) -> None:
    account = Account(participant=PARTICIPANT, role="qa", cursor=Cursor(question="involved"))
    text = "I was paged at 14:02 for checkout latency and thought it was the Friday peak.\nsecond"
    account.answers = {"involved": answered_account().answers["involved"].model_copy(update={"text": text})}
    app = make_app(root, account)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+n")  # on to the timeline
        await pilot.press("ctrl+p")  # back to the answered question
        assert pane(app).editor.cursor_location == (1, len("second"))
        await type_text(pilot, "<B>")  # typing adds to the end of the last line
        assert pane(app).editor.text == text + "<B>"
        await pilot.press("ctrl+p")  # back to the one-line role field
        assert isinstance(pane(app), RolePane)
        await type_text(pilot, "<ADDED>")
        assert pane(app).field.value == "qa<ADDED>"
        await pilot.press("ctrl+n")  # forward again: the end of the answer too
        assert pane(app).editor.cursor_location == (1, len("second<B>"))


async def test_next_after_the_last_question_opens_the_review(root: Path) -> None:
    app = make_app(root, Account(participant=PARTICIPANT, cursor=Cursor(question="else")))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")  # back to the questions, where we were
        assert isinstance(app.screen, InterviewScreen)
        assert pane(app).question.id == "else"


async def test_typing_autosaves_within_about_a_second(root: Path) -> None:
    app = make_app(root, Account(participant=PARTICIPANT, cursor=Cursor(question="involved")))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Paged at 14:02 für Kasse, 結帳")
        await asyncio.sleep(1.5)
        await pilot.pause()
        data = stored(root)
        assert data["answers"]["involved"]["text"] == "Paged at 14:02 für Kasse, 結帳"
        assert data["updated"] == NOW_TEXT
        assert data["cursor"] == {"question": "involved", "row": 0, "column": len("Paged at 14:02 für Kasse, 結帳")}


async def test_quit_saves(root: Path) -> None:
    app = make_app(root, Account(participant=PARTICIPANT, cursor=Cursor(question="involved")))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "typed just before quitting")
        await pilot.press("ctrl+q")
    assert stored(root)["answers"]["involved"]["text"] == "typed just before quitting"
    assert app.return_code == 0


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
async def test_hangup_or_terminate_saves_and_exits(root: Path, signum: int) -> None:
    app = make_app(root, Account(participant=PARTICIPANT, cursor=Cursor(question="involved")))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "the line dropped")
        os.kill(os.getpid(), signum)
        await asyncio.sleep(0.05)
        await pilot.pause()
    assert stored(root)["answers"]["involved"]["text"] == "the line dropped"
    assert app.return_code == 128 + signum


async def test_updated_moves_only_when_content_changes(root: Path) -> None:
    account = answered_account()
    account.updated = FIXED_NOW.replace(hour=9)
    app = make_app(root, account)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+n", "ctrl+n")  # only moving around
        app.autosave.flush()
        assert stored(root)["cursor"]["question"] == "actions"
        assert stored(root)["updated"] == "2026-11-27T09:30:00Z"
        await type_text(pilot, " More.")
        await pilot.press("ctrl+n")
        assert stored(root)["updated"] == NOW_TEXT


async def test_short_answer_gets_one_gentle_follow_up(root: Path) -> None:
    app = make_app(root, Account(participant=PARTICIPANT, cursor=Cursor(question="involved")))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "not sure")
        await pilot.press("ctrl+n")  # a vague answer: the follow-up appears, we stay
        follow_up = app.interview_screen.query_one("#follow-up", Static)
        assert pane(app).question.id == "involved"
        assert follow_up.display and "how" in str(follow_up.render()).lower()
        assert "ctrl+n again: move on as it is" in str(follow_up.render())  # Next did not move on: say why
        await pilot.press("ctrl+n")  # shown once: now we move on
        assert pane(app).question.id == "timeline"
        await pilot.press("ctrl+p", "ctrl+n")  # and it does not come back
        assert pane(app).question.id == "timeline"


async def test_question_mark_types_into_the_answer_and_f1_opens_help(root: Path) -> None:
    app = make_app(root, Account(participant=PARTICIPANT, cursor=Cursor(question="involved")))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert pane(app).editor.text == "?"
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        ids = {row.binding_id for row in app.screen.rows}
        for expected in ("next-question", "previous-question", "review", "toggle-off-record", "quit", "help"):
            assert expected in ids
        # "?" is a character of the answer here, so the help does not offer it.
        assert "help, help-question-mark" not in ids
        descriptions = [row.description for row in app.screen.rows if row.own]
        assert all(descriptions)
        assert app.screen.widget_title == "Keys while typing in this field"
        await pilot.press("escape")
        assert isinstance(app.screen, InterviewScreen)
        await pilot.press("f1", "f1")  # F1 opens and closes it too
        assert isinstance(app.screen, InterviewScreen)


async def test_question_mark_opens_help_where_nothing_is_typed(root: Path) -> None:
    app = make_app(root, answered_account())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")  # the review page: focus on the account text, not a field
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        ids = {row.binding_id for row in app.screen.rows}
        assert {"back-to-questions", "submit-account", "help, help-question-mark"} <= ids
        assert "reopen-account" not in ids  # not available for a draft
        # Nothing is typed here: the page's own keys scroll it, and the help says so.
        assert app.screen.widget_title == "Keys for moving around here"


async def test_every_binding_has_description_and_id(root: Path) -> None:
    from pminterview.tui.interview.app import InterviewApp

    for owner in (InterviewApp, InterviewScreen, ReviewScreen, HelpScreen):
        for binding in owner.BINDINGS:
            assert binding.description and binding.id, (owner.__name__, binding.key)


# --- structured answers ----------------------------------------------------------------------


async def _open_timeline(root: Path):
    return make_app(root, Account(participant=PARTICIPANT, role="SRE", cursor=Cursor(question="timeline")))


def _card_status(card: TimelineCard) -> str:
    status = card.query_one(".card-status", Static)
    return str(status.render()) if status.display else ""


async def test_timeline_entry_with_a_clock_time(root: Path) -> None:
    app = await _open_timeline(root)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "14:02")
        await pilot.press("tab")  # leaving the time field checks it
        await type_text(pilot, "latency page")
        await pilot.press("tab")
        await type_text(pilot, "opened the dashboard")
        await pilot.press("tab")
        await type_text(pilot, "a traffic peak")
        card = pane(app).cards[0]
        assert "Read as 14:02 UTC on 2026-11-27" in _card_status(card)
        await pilot.press("ctrl+n")
    entry = stored(root)["timeline"][0]
    assert entry["time"] == "14:02"
    assert entry["at"] == "2026-11-27T14:02:00Z"
    assert entry["approximate"] is False
    assert (entry["saw"], entry["did"], entry["expected"]) == ("latency page", "opened the dashboard", "a traffic peak")


async def test_timeline_rough_time_is_kept_and_marked(root: Path) -> None:
    app = await _open_timeline(root)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "around 14:00")
        await pilot.press("tab")
        assert "about 14:00" in _card_status(pane(app).cards[0])
        await pilot.press("ctrl+q")
    entry = stored(root)["timeline"][0]
    assert entry["time"] == "around 14:00"
    assert entry["approximate"] is True


async def test_timeline_unreadable_time_says_so_inline_and_keeps_the_text(root: Path) -> None:
    app = await _open_timeline(root)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "25:61")
        await pilot.press("tab")  # no crash; an inline message instead
        status = pane(app).cards[0].query_one(".card-status", Static)
        assert status.display and status.has_class("-error")
        assert "not a clock time" in str(status.render())
        await type_text(pilot, "something odd")
        await pilot.press("ctrl+q")
    entry = stored(root)["timeline"][0]
    assert entry["time"] == "25:61" and "at" not in entry
    assert entry["saw"] == "something odd"


async def test_timeline_add_and_remove_entries(root: Path) -> None:
    app = await _open_timeline(root)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "14:02")
        await pilot.press("f3")  # a second moment, cursor in its time field
        assert len(pane(app).cards) == 2
        await type_text(pilot, "14:10")
        await pilot.press("f4")  # first press only asks
        assert len(pane(app).cards) == 2
        await pilot.press("f4")  # second press removes it
        assert len(pane(app).cards) == 1
        await pilot.press("ctrl+q")
    assert [e["time"] for e in stored(root)["timeline"]] == ["14:02"]


async def test_safeguards_and_suggestions(root: Path) -> None:
    app = make_app(root, Account(participant=PARTICIPANT, role="SRE", cursor=Cursor(question="safeguards")))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "no lock against failover during backups")  # the cursor starts in the description
        await pilot.press("shift+tab")  # back to the kind
        await pilot.press("enter")  # open the kind list, on "missing"
        await pilot.press("down")  # to "failed"
        await pilot.press("enter")  # choose it
        await pilot.press("f3")  # a second safeguard: typing goes to its description
        await type_text(pilot, "the runbook helped")
        await pilot.press("ctrl+n")  # to suggestions
        assert pane(app).question.id == "suggestions"
        await type_text(pilot, "block failover while a backup runs")
        await pilot.press("ctrl+q")
    data = stored(root)
    assert data["safeguards"][0]["description"] == "no lock against failover during backups"
    assert data["safeguards"][0]["kind"] == "failed"
    assert data["safeguards"][1] == {"kind": "missing", "description": "the runbook helped", "off_record": False}
    assert data["suggestions"] == [{"text": "block failover while a backup runs", "off_record": False}]


# --- off the record --------------------------------------------------------------------------


async def test_answer_off_the_record_toggle(root: Path) -> None:
    app = make_app(root, Account(participant=PARTICIPANT, cursor=Cursor(question="else")))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "This was my first on-call week on this service.")
        toggle = app.interview_screen.query_one("#off-record", OffRecordToggle)
        assert str(toggle.render()).startswith("Shared with the write-up")
        await pilot.press("ctrl+o")  # mark it off the record
        assert str(toggle.render()).startswith("OFF THE RECORD — facilitator only")
        await pilot.press("ctrl+q")
    assert stored(root)["answers"]["else"]["off_record"] is True


async def test_timeline_entry_off_the_record(root: Path) -> None:
    app = await _open_timeline(root)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "14:05")
        await pilot.press("f3")
        await type_text(pilot, "14:06")
        await pilot.press("ctrl+o")  # only the focused moment
        await pilot.press("ctrl+q")
    assert [e["off_record"] for e in stored(root)["timeline"]] == [False, True]


async def test_role_cannot_be_off_the_record(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "SRE")
        await pilot.press("ctrl+o")  # not offered on the role question
        await pilot.press("ctrl+q")
    assert stored(root)["role"] == "SRE"


# --- review, submit, reopen ------------------------------------------------------------------


async def test_review_submit_and_reopen(root: Path) -> None:
    app = make_app(root, answered_account())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")  # the review page
        assert isinstance(app.screen, ReviewScreen)
        body = "\n".join(str(block.render()) for block in app.screen.query("#review-body Static"))
        assert "on-call SRE" in body and "[off the record]" in body and "(not answered yet)" in body
        await pilot.press("f5")  # submit
        data = stored(root)
        assert data["status"] == "submitted" and data["submitted"] == NOW_TEXT
        assert "Submitted 2026-11-27 16:30 UTC" in str(app.screen.query_one("#review-status", Static).render())
        await pilot.press("escape")  # back to the questions: read-only now
        assert pane(app).query_one(Input).disabled or pane(app).query(AnswerEditor).first().read_only
        await pilot.press("f2", "f6")  # review, reopen
        assert isinstance(app.screen, InterviewScreen)
        assert stored(root)["status"] == "draft"
        assert "submitted" not in stored(root)
        assert not pane(app).query_one(Input).disabled


async def test_submit_button_by_keyboard(root: Path) -> None:
    app = make_app(root, answered_account())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await pilot.press("tab")  # from the account text to the submit button
        assert app.focused.id == "submit-account"
        await pilot.press("enter")
    assert stored(root)["status"] == "submitted"


# --- locks and damaged files -----------------------------------------------------------------


async def test_read_only_when_another_session_holds_the_account(root: Path) -> None:
    workspace = make_workspace(root)
    workspace.save_account(answered_account())
    other = workspace.lock_account(PARTICIPANT)
    assert other.acquire()
    before = (root / "accounts" / f"{PARTICIPANT}.toml").read_bytes()
    try:
        app = make_app(root)
        async with app.run_test(size=SIZE) as pilot:
            screen = app.interview_screen
            notice = screen.query_one("#notice", Static)
            assert notice.display and "Read-only" in str(notice.render())
            assert all(field.disabled for field in pane(app).query(Input))
            await pilot.press("ctrl+p")  # moving around still works
            assert pane(app).editor.read_only
            await type_text(pilot, "typed anyway")
            # Nothing is saved from here, and the key line does not promise it.
            keys = dict(screen.query_one(KeyBar).keys())
            assert keys.get("^q") == "Quit" and "Save and quit" not in keys.values()
            await pilot.press("ctrl+q")
        assert app.return_code == 0  # ctrl+q still quits
    finally:
        other.release()
    assert (root / "accounts" / f"{PARTICIPANT}.toml").read_bytes() == before


async def test_take_over_from_a_session_that_went_away(root: Path) -> None:
    workspace = make_workspace(root)
    workspace.save_account(answered_account())
    # Another process holds the account, as a session whose SSH connection hung would.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from pminterview.workspace import Workspace;"
            "lock = Workspace(Path(sys.argv[1])).lock_account(sys.argv[2]); assert lock.acquire();"
            "print('held', flush=True); time.sleep(60)",
            str(root),
            PARTICIPANT,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        app = make_app(root)
        async with app.run_test(size=SIZE) as pilot:
            assert app.session.read_only
            await pilot.press("ctrl+p", "ctrl+p")  # reading elsewhere than the other's cursor
            where = app.interview_screen.index
            await pilot.press("ctrl+t")  # take over: the other session gets SIGHUP
            for _ in range(100):
                await asyncio.sleep(0.05)
                if not app.session.read_only:
                    break
            await pilot.pause()
            assert not app.session.read_only
            assert app.interview_screen.index == where  # the person keeps their place
            assert not app.interview_screen.query_one("#notice").display
            assert not all(field.disabled for field in pane(app).query(Input))
    finally:
        holder.kill()
        holder.wait()
    assert holder.returncode == -signal.SIGHUP or holder.returncode is not None


def test_damaged_account_is_refused_with_one_line_and_left_alone(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_workspace(root)
    path = root / "accounts" / f"{PARTICIPANT}.toml"
    path.write_text("schema_version = 1\nparticipant = \"alice\"\nanswers = [not toml\n", encoding="utf-8")
    before = path.read_bytes()
    code = cli.main(["interview", str(root), "--participant", PARTICIPANT])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and str(path) in err
    assert path.read_bytes() == before


# --- keys arriving in a burst, as over a slow SSH link ----------------------------------------


async def test_a_burst_of_keys_keeps_its_order_around_shortcuts(root: Path) -> None:
    from textual import events

    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        burst = [*"SRE", "ctrl+n", "ctrl+n", *"14:02", "tab", *"latency", "f3", *"14:10", "ctrl+q"]
        # Everything posted at once, before the app has handled any of it.
        for key in burst:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        for _ in range(60):
            await asyncio.sleep(0.05)
            if app._exit:
                break
        await pilot.pause()
    data = stored(root)
    assert data["role"] == "SRE"
    assert [(e["time"], e["saw"]) for e in data["timeline"]] == [("14:02", "latency"), ("14:10", "")]


async def test_pasting_a_long_chat_log_is_kept_whole(root: Path) -> None:
    from textual import events

    log = "".join(f"14:{i % 60:02d} <ops> line {i}: replica lag 30s, ça va, 遅延 ✓\n" for i in range(2000))
    assert len(log.encode()) > 100_000
    app = make_app(root, Account(participant=PARTICIPANT, cursor=Cursor(question="cues")), hints_on=True)
    async with app.run_test(size=SIZE) as pilot:
        app.post_message(events.Paste(log))  # as the terminal delivers a bracketed paste
        await pilot.pause()
        await pilot.press("ctrl+q")
    assert stored(root)["answers"]["cues"]["text"] == log


async def test_resizing_mid_answer_keeps_everything(root: Path) -> None:
    app = make_app(root, Account(participant=PARTICIPANT, cursor=Cursor(question="involved")))
    async with app.run_test(size=(120, 40)) as pilot:
        await type_text(pilot, "Paged at 14:02 for checkout errors and I thought it was load")
        await pilot.resize_terminal(60, 20)  # a narrower window: the answer re-wraps
        await pilot.pause()
        await type_text(pilot, " again")
        await pilot.resize_terminal(80, 24)
        await pilot.press("ctrl+q")
    assert stored(root)["answers"]["involved"]["text"] == "Paged at 14:02 for checkout errors and I thought it was load again"


async def test_a_failing_save_is_reported_and_nothing_typed_is_lost(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(root, Account(participant=PARTICIPANT, cursor=Cursor(question="involved")))
    async with app.run_test(size=SIZE) as pilot:
        real_save = app.session.workspace.save_account

        def disk_full(account) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(app.session.workspace, "save_account", disk_full)
        await type_text(pilot, "this answer is kept in memory meanwhile")
        await pilot.press("ctrl+n")  # moving on tries to save: fails, says so, goes on
        assert pane(app).question.id == "timeline"
        assert "NOT SAVED" in str(app.interview_screen.query_one("#title-bar").render())
        monkeypatch.setattr(app.session.workspace, "save_account", real_save)
        await pilot.press("ctrl+q")  # the disk has room again
    assert stored(root)["answers"]["involved"]["text"] == "this answer is kept in memory meanwhile"
