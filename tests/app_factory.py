"""Builds interview apps in known states, for the Pilot and snapshot tests.

Everything that could differ between runs is fixed here: the clock, the incident, the
participant and hints (off unless a test turns them on, so a change to the lint rules does
not change what a snapshot shows).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pminterview.guide import load_guide
from pminterview.model import Account, Answer, Cursor, TimelineEntry
from pminterview.tui.interview import InterviewApp, InterviewSession
from pminterview.workspace import Workspace

#: The moment every test app believes it is.
FIXED_NOW = dt.datetime(2026, 11, 27, 16, 30, tzinfo=dt.timezone.utc)
PARTICIPANT = "alice"
TITLE = "Checkout outage after the payments config rollout"


def fixed_clock() -> dt.datetime:
    return FIXED_NOW


def make_workspace(root: Path) -> Workspace:
    """An incident folder that started 2026-11-27 14:00 UTC, so bare times have a day."""
    if (root / "incident.toml").exists():
        return Workspace.open(root)
    return Workspace.create(root, TITLE, started=dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.timezone.utc))


def make_app(
    root: Path,
    account: Account | None = None,
    *,
    hints_on: bool = False,
    participant: str = PARTICIPANT,
) -> InterviewApp:
    """An interview app on the folder `root` (created if needed), starting from `account`."""
    workspace = make_workspace(root)
    if account is not None:
        workspace.save_account(account)
    session = InterviewSession.open(workspace, participant, load_guide(), clock=fixed_clock)
    return InterviewApp(session, hints_on=hints_on)


def answered_account() -> Account:
    """An account with every kind of answer, one entry off the record, cursor on the review."""
    account = Account(participant=PARTICIPANT, role="on-call SRE", updated=FIXED_NOW)
    account.answers = {
        "involved": _answer("I was paged at 14:02 for checkout latency and thought it was the Friday peak."),
        "cues": _answer("The error-rate graph looked flat because it averages over five minutes."),
        "actions": _answer("I rolled back the payments config because the diff was the only recent change."),
        "surprises": _answer("The rollback took twenty minutes; in staging it takes seconds.", off_record=True),
    }
    account.timeline = [
        TimelineEntry(
            time="14:02",
            at=dt.datetime(2026, 11, 27, 14, 2, tzinfo=dt.timezone.utc),
            saw="checkout latency page",
            did="opened the dashboard",
            expected="a traffic peak",
        ),
        TimelineEntry(
            time="around 14:20",
            at=dt.datetime(2026, 11, 27, 14, 20, tzinfo=dt.timezone.utc),
            approximate=True,
            did="rolled back the config",
            off_record=True,
        ),
    ]
    account.cursor = Cursor(question="timeline", row=0, column=0)
    return account


def _answer(text: str, off_record: bool = False) -> Answer:
    return Answer(text=text, off_record=off_record)


# --- scenarios for the snapshot tests: an app and the keys pressed before the picture -------


async def type_text(pilot, text: str) -> None:
    """Type `text` one key at a time, as a person would."""
    await pilot.press(*["space" if ch == " " else ch for ch in text])


def first_question_app(root: Path) -> InterviewApp:
    """A fresh account: the first screen a responder sees."""
    return make_app(root)


async def first_question_keys(pilot) -> None:
    await type_text(pilot, "on-call SRE")  # the role label, typed straight into the focused field


def timeline_app(root: Path) -> InterviewApp:
    """Role and first answer given; the saved cursor is on the timeline."""
    account = Account(participant=PARTICIPANT, role="on-call SRE", updated=FIXED_NOW)
    account.answers = {"involved": answered_account().answers["involved"]}
    account.cursor = Cursor(question="timeline")
    return make_app(root, account)


async def timeline_keys(pilot) -> None:
    await type_text(pilot, "around 14:00")  # a rough time in the focused time field
    await pilot.press("tab")  # to "I saw"; leaving the time field reads it
    await type_text(pilot, "disk alert on db-2")  # what I saw
    await pilot.press("tab")  # to "I did"
    await type_text(pilot, "restarted the replica")  # what I did
    await pilot.press("f3")  # a second moment
    await type_text(pilot, "25:61")  # a time that cannot be read
    await pilot.press("tab")  # leaving it shows the inline message
    await pilot.pause()


def review_app(root: Path) -> InterviewApp:
    """Every kind of answer given, one answer and one moment off the record."""
    return make_app(root, answered_account())


async def review_keys(pilot) -> None:
    await pilot.press("f2")  # open the review page
    await pilot.pause()


SCENARIOS = {
    "first-question": (first_question_app, first_question_keys),
    "timeline-entry": (timeline_app, timeline_keys),
    "review": (review_app, review_keys),
}
