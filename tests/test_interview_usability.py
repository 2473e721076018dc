"""What a new responder ran into at 80x24: hints in every prose field and compact, room to
type after a restart, fields that keep their text, wording that cannot be misread."""

from __future__ import annotations

import signal
import tomllib
from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static, TextArea

from app_factory import PARTICIPANT, make_app, type_text
from helpers.keys import send_burst
from pminterview.model import Account, Answer, Cursor, Suggestion
from pminterview.tui.common import HelpScreen
from pminterview.tui.common.editor import AnswerEditor
from pminterview.tui.common.keybar import KeyBar
from pminterview.tui.interview.app import HUNG_UP
from pminterview.tui.interview.lists import TimelineCard
from pminterview.tui.interview.questions import HintPanel
from pminterview.tui.interview.widgets import OffRecordToggle
from pminterview.tui.interview.review import ReviewScreen, status_line
from pminterview.workspace import LockHolder

SIZE = (80, 24)
VIGILANCE = "Engineers should be more careful and double-check configs"
MANY_HINTS = "Obviously the engineer should have checked the config. It was human error."


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "incident"


def stored(root: Path) -> dict:
    return tomllib.loads((root / "accounts" / f"{PARTICIPANT}.toml").read_text(encoding="utf-8"))


def started(question: str, **fields) -> Account:
    return Account(participant=PARTICIPANT, role="on-call SRE", cursor=Cursor(question=question), **fields)


async def hints_now(pilot) -> str:
    """Run the pause-in-typing work at once and wait for the hints to land."""
    await pilot.pause()
    pilot.app.screen.idle.flush()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    panel = pilot.app.screen.query_one("#hints", HintPanel)
    return panel.shown if panel.display else ""


def key_bar(app) -> str:
    return "  ".join(f"{key} {description}" for key, description in app.screen.query_one(KeyBar).keys())


# --- hints in the list answers and on the review --------------------------------------------


async def test_a_vigilance_suggestion_gets_a_hint_that_can_be_dismissed(root: Path) -> None:
    app = make_app(root, started("suggestions"), hints_on=True)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.focused, Input)  # the first suggestion, ready to type
        await type_text(pilot, VIGILANCE)
        shown = await hints_now(pilot)
        assert "Vigilance action “be more careful”" in shown
        await pilot.press("f8")  # it is about a system, not a person: dismiss
        assert "be more careful" not in (await hints_now(pilot))
        await pilot.press("ctrl+q")
    data = stored(root)
    assert data["suggestions"][0]["text"] == VIGILANCE
    assert {"rule_id": data["answers"]["suggestions"]["dismissed"][0]["rule_id"], "excerpt": "be more careful"} in data[
        "answers"
    ]["suggestions"]["dismissed"]


async def test_timeline_fields_get_hints_for_the_focused_field(root: Path) -> None:
    app = make_app(root, started("timeline"), hints_on=True)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "14:05")  # time: no hints for a time
        assert await hints_now(pilot) == ""
        await pilot.press("tab")  # to "I saw"
        await type_text(pilot, "obviously the disk was full")
        assert "Hindsight “obviously”" in (await hints_now(pilot))


async def test_the_review_lists_hints_for_entries_in_the_same_words(root: Path) -> None:
    account = started("else", suggestions=[Suggestion(text=VIGILANCE)])
    account.answers = {"actions": Answer(text=MANY_HINTS)}
    app = make_app(root, account, hints_on=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        assert isinstance(app.screen, ReviewScreen)
        hints = [str(block.render()) for block in app.screen.query(".review-hint")]
        assert any("Vigilance action “be more careful”" in hint for hint in hints)
        assert any(hint.startswith("Hint: Hindsight “Obviously”: it only") for hint in hints)
        assert all(hint.lower().count("hindsight") <= 1 for hint in hints)  # the category named once


# --- room on screen at 80x24 -----------------------------------------------------------------


async def test_several_hints_stay_compact_and_leave_room_to_type(root: Path) -> None:
    account = started("involved")
    account.answers = {"involved": Answer(text=MANY_HINTS)}
    app = make_app(root, account, hints_on=True)  # a restart: the account exists
    async with app.run_test(size=SIZE) as pilot:
        shown = await hints_now(pilot)
        panel = app.screen.query_one("#hints", HintPanel)
        assert shown.splitlines()[0].startswith("F8 dismiss “Obviously” if it is about a system")  # says which one
        assert panel.outer_size.height <= 6
        editor = app.screen.query_one(AnswerEditor)
        assert editor.content_size.height >= 5  # at least five lines to type in
        purpose = app.screen.query_one("#purpose", Static)
        assert purpose.outer_size.height == 1  # the one-line privacy reminder
        assert key_bar(app).startswith("f1 Help")  # Help never drops off the key bar


async def test_f8_dismisses_the_hint_under_the_cursor_and_says_so(root: Path) -> None:
    account = started("involved")
    account.answers = {"involved": Answer(text=MANY_HINTS)}
    app = make_app(root, account, hints_on=True)
    async with app.run_test(size=SIZE) as pilot:
        await hints_now(pilot)
        editor = app.screen.query_one(AnswerEditor)
        editor.cursor_location = (0, MANY_HINTS.index("should have") + 2)
        await pilot.pause()
        panel = app.screen.query_one("#hints", HintPanel)
        assert panel.shown.startswith("F8 dismiss “should have checked” if it is about a system")
        await pilot.press("f8")
        shown = await hints_now(pilot)
        assert "should have checked" not in shown and "Obviously" in shown


async def test_help_shows_the_purpose_statement_first(root: Path) -> None:
    app = make_app(root, started("involved"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert "blameless" in str(app.screen.query_one("#help-intro", Static).render())
        await pilot.press("f1")  # F1 closes it again
        assert not isinstance(app.screen, HelpScreen)


# --- fields and words ------------------------------------------------------------------------


async def test_tabbing_into_a_filled_field_adds_to_it_instead_of_replacing_it(root: Path) -> None:
    app = make_app(root, started("timeline"))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "14:05")
        await pilot.press("tab", "shift+tab")  # away and back into the time
        await type_text(pilot, " UTC")
        assert app.screen.query_one(".field-time", Input).value == "14:05 UTC"


async def test_the_role_example_is_shown_once(root: Path) -> None:
    app = make_app(root)
    async with app.run_test(size=SIZE):
        texts = [str(static.render()) for static in app.screen.query(Static)]
        assert sum("on-call SRE" in text for text in texts) == 1
        assert app.screen.query_one("#role-answer", Input).placeholder == ""


async def test_the_follow_up_goes_once_the_answer_says_more(root: Path) -> None:
    app = make_app(root, started("involved"))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "paged")
        await pilot.press("ctrl+n")  # too short: the gentle follow-up
        follow_up = app.screen.query_one("#follow-up", Static)
        assert follow_up.display
        app.screen.query_one(AnswerEditor).insert(" and then" + " a long chat log line" * 5000)  # a paste
        await hints_now(pilot)
        assert not follow_up.display


async def test_an_unreadable_time_is_kept_as_typed_and_rough(root: Path) -> None:
    app = make_app(root, started("timeline"))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "25:99")
        await pilot.press("tab")  # leaving the time reads it
        card = app.screen.query_one(TimelineCard)
        assert "not a clock time" in str(card.query_one(".card-status", Static).render())
        await type_text(pilot, "the alert")
        await pilot.press("ctrl+q")
    entry = stored(root)["timeline"][0]
    assert entry["time"] == "25:99" and entry["approximate"] is True and "at" not in entry


async def test_the_read_only_banner_reads_plainly(root: Path) -> None:
    app = make_app(root, started("involved"))
    async with app.run_test(size=SIZE):
        screen = app.interview_screen
        app.session.lock.release()  # as if another session held it
        app.session.lock.holder = LockHolder(5066, "vm", "root", "2026-11-27 14:00 UTC")
        text = screen._notice_text()
        assert "another session: root (pid 5066 on vm, since 2026-11-27 14:00 UTC)." in text
        assert "((" not in text and "))" not in text


async def test_a_hung_up_or_taken_over_session_says_so_when_it_closes(root: Path) -> None:
    import os

    app = make_app(root, started("involved"))
    said: list[str] = []
    real_exit = app.exit

    def exit(*args, **kwargs) -> None:
        said.append(str(kwargs.get("message")))
        real_exit(*args, **kwargs)

    app.exit = exit  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        os.kill(os.getpid(), signal.SIGHUP)  # what the session taking over sends
        await pilot.pause(0.05)
    assert app.return_code == 128 + signal.SIGHUP
    assert said == [HUNG_UP]
    # SIGHUP is also what a dropped connection sends: the line must be true for both.
    assert "hung up" in HUNG_UP and "took over" in HUNG_UP
    assert "\n" not in HUNG_UP and len(HUNG_UP) <= 80


def test_the_draft_status_does_not_claim_nobody_can_see_it(root: Path) -> None:
    app = make_app(root, started("involved"))
    line = status_line(app.session)
    app.session.close()
    assert line.startswith(
        "Draft: not part of the write-up until you submit; the facilitator can see that you have started."
    )
    assert "only you" not in line


async def test_a_burst_of_typing_and_backspaces_keeps_its_order(root: Path) -> None:
    # Over SSH keys arrive together; backspace must apply where it was typed, not after.
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await send_burst(pilot, [*"on-call-team", *["backspace"] * 5, *"SRE"])
        role = app.screen.query_one("#role-answer", Input)
        assert role.value == "on-callSRE"


async def test_the_key_bar_keeps_help_and_quit_when_80_columns_are_too_few(root: Path) -> None:
    app = make_app(root, started("timeline"))  # the question with the most keys
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        listed = key_bar(app)
        assert "f3 Add" in listed and "^q Save and quit" in listed  # every key applies here...
        shown = str(bar.render())
        assert len(" ".join(listed.split())) > 80  # ...more than one line holds
        # ...so optional ones at the end give way (Help lists them), never Help or the way out.
        assert shown.lstrip().startswith("f1 Help") and shown.rstrip().endswith("^q Save and quit")
        assert "…" not in shown
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        assert "f4 Remove" in str(bar.render())  # room again: everything is back


@pytest.mark.parametrize("question", ["involved", "timeline", "safeguards", "suggestions"])
async def test_tab_stops_only_where_something_can_be_typed_or_chosen(root: Path, question: str) -> None:
    # A stop on the pane or its scroll area showed nothing and swallowed what was typed.
    app = make_app(root, started(question))
    async with app.run_test(size=SIZE) as pilot:
        stops = []
        for _ in range(8):
            await pilot.press("tab")
            stops.append(app.focused)
        assert all(isinstance(stop, (Input, TextArea, Select)) for stop in stops), stops


async def test_letters_typed_after_tabbing_round_a_text_answer_land_in_it(root: Path) -> None:
    app = make_app(root, started("involved"))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "one")
        await pilot.press("tab")  # the answer is the only stop: the switch is not one
        await type_text(pilot, " two three")
        assert app.screen.query_one(AnswerEditor).text == "one two three"
        assert not app.screen.query_one(OffRecordToggle).value  # no space flipped it


async def test_a_long_field_left_behind_shows_its_start_and_returns_to_the_cursor(root: Path) -> None:
    long_text = "asked in #incident whether the config rollout could be reverted before the peak"
    app = make_app(root, started("timeline"))
    async with app.run_test(size=SIZE) as pilot:
        card = app.screen.query_one(TimelineCard)
        did = card.query_one(".field-did", Input)
        did.focus()
        await pilot.pause()
        await type_text(pilot, long_text)
        assert did.scroll_offset.x > 0  # typing scrolled it to the end
        await pilot.press("tab")
        await pilot.pause()
        assert did.scroll_offset.x == 0 and "asked in #incident" in str(did.render_line(0).text)
        did.focus()
        await pilot.pause()
        assert did.scroll_offset.x > 0 and did.cursor_position == len(long_text)


async def test_ctrl_home_and_ctrl_end_go_to_the_start_and_end_of_an_answer(root: Path) -> None:
    account = started("involved")
    account.answers = {"involved": Answer(text="First line.\nSecond line, the last.")}
    app = make_app(root, account)
    async with app.run_test(size=SIZE) as pilot:
        editor = app.screen.query_one(AnswerEditor)
        await pilot.press("ctrl+home")
        assert editor.cursor_location == (0, 0)
        await type_text(pilot, "Start. ")
        await pilot.press("ctrl+end")
        await type_text(pilot, " End.")
        assert editor.text == "Start. First line.\nSecond line, the last. End."


async def test_enter_moves_on_in_one_line_fields(root: Path) -> None:
    app = make_app(root, Account(participant=PARTICIPANT))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "on-call SRE")
        await pilot.press("enter")  # the role: Enter is done, as ctrl+n
        await pilot.pause()
        assert app.interview_screen.pane.question.id == "involved"
        # ...and the next question takes the typing, and the keys still work.
        await type_text(pilot, "I was paged.")
        assert app.interview_screen.pane.editor.text == "I was paged."
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert stored(root)["answers"]["involved"]["text"] == "I was paged."
    app = make_app(root.parent / "other", started("timeline"))
    async with app.run_test(size=SIZE) as pilot:
        card = app.screen.query_one(TimelineCard)
        assert app.focused is card.query_one(".field-time", Input)
        await type_text(pilot, "14:02")
        await pilot.press("enter")  # a form: Enter goes to the next field
        assert app.focused is card.query_one(".field-saw", Input)
        expected = card.query_one(".field-expected", Input)
        expected.focus()
        await pilot.press("enter")  # the last field of the last card: not round to the first
        assert app.focused is expected
        await pilot.press("f4")  # armed...
        await type_text(pilot, "x")  # ...typing disarms it
        await pilot.press("f4")
        assert app.screen.query(TimelineCard) and expected.value == "x"


async def test_help_in_a_form_describes_enter_as_it_works_here(root: Path) -> None:
    app = make_app(root, started("timeline"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        rows = {row.keys: row.description for row in app.screen.rows}
        assert rows["Enter"] == "Move on"
        assert not [d for d in rows.values() if "completion" in d or d == "Submit"]


async def test_f6_and_f7_are_not_taught_as_selection_keys_in_an_answer(root: Path) -> None:
    # The facilitator's screen uses F-keys for its tabs; the editor must not teach F7 as
    # "select all" and then have it switch tabs there.
    app = make_app(root, started("involved"))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "kept")
        await pilot.press("f7", "f6")
        await type_text(pilot, " too")
        assert app.screen.query_one(AnswerEditor).text == "kept too"
        await pilot.press("f1")
        descriptions = [row.description.lower() for row in app.screen.rows]
        assert "select all" not in descriptions and "select line" not in descriptions
