"""Builds interview apps in known states, for the Pilot and snapshot tests.

Everything that could differ between runs is fixed here: the clock, the incident, the
participant and hints (off unless a test turns them on, so a change to the lint rules does
not change what a snapshot shows).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pminterview.guide import load_guide
from pminterview.model import Account, Cursor, TimelineEntry
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
        TimelineEntry(time="around 14:20", at=dt.datetime(2026, 11, 27, 14, 20, tzinfo=dt.timezone.utc),
                      approximate=True, did="rolled back the config", off_record=True),
    ]
    account.cursor = Cursor(question="timeline", row=0, column=0)
    return account


def _answer(text: str, off_record: bool = False):
    from pminterview.model import Answer

    return Answer(text=text, off_record=off_record)
