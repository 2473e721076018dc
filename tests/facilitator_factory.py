"""The facilitator's screen on a small, fixed incident, for Pilot and snapshot tests.

Everything that could differ between runs is pinned: the accounts' contents, their files'
modification times, and "today" (used for created and completed dates).
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from pminterview import locations
from pminterview.model import (
    Account,
    AccountStatus,
    Answer,
    Safeguard,
    SafeguardKind,
    Suggestion,
    TimelineEntry,
)
from pminterview.tui.facilitator import FacilitatorApp, Session
from pminterview.workspace import Workspace

UTC = dt.timezone.utc
TODAY = dt.date(2026, 12, 1)
STARTED = dt.datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
#: Every file in the incident folder claims this modification time, so "Last change" is fixed.
FILE_TIME = dt.datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
#: Long enough that no poll happens during a test unless the test asks for one.
NO_POLL = 3600.0


def sre_account() -> Account:
    return Account(
        participant="alice",
        role="on-call SRE",
        status=AccountStatus.SUBMITTED,
        updated=dt.datetime(2026, 11, 28, 10, 15, tzinfo=UTC),
        submitted=dt.datetime(2026, 11, 28, 10, 15, tzinfo=UTC),
        answers={
            "role": Answer(text="I was the on-call SRE for payments."),
            "cues": Answer(text="The checkout error rate alert fired and the payments dashboard showed rejected requests."),
            "surprises": Answer(text="The config rollout had finished minutes before, but nothing linked it to the errors."),
        },
        timeline=[
            TimelineEntry(
                time="14:02",
                at=dt.datetime(2026, 11, 27, 14, 2, tzinfo=UTC),
                saw="checkout error rate alert",
                did="opened the payments dashboard",
                expected="a spike from one bad host",
            ),
            TimelineEntry(
                time="14:20",
                at=dt.datetime(2026, 11, 27, 14, 20, tzinfo=UTC),
                saw="connection pool at its limit",
                did="rolled back the payments config",
                expected="the pool to drain within minutes",
            ),
        ],
        safeguards=[
            Safeguard(kind=SafeguardKind.MISSING, description="No canary stage for payments config rollouts."),
        ],
        suggestions=[Suggestion(text="Add a canary stage to payments config rollouts.")],
    )


def dba_account() -> Account:
    return Account(
        participant="bob",
        role="database owner",
        status=AccountStatus.SUBMITTED,
        updated=dt.datetime(2026, 11, 28, 11, 40, tzinfo=UTC),
        submitted=dt.datetime(2026, 11, 28, 11, 40, tzinfo=UTC),
        answers={"role": Answer(text="I own the payments database.")},
        timeline=[
            TimelineEntry(time="around 14:10", approximate=True, saw="pool exhaustion on the payments database"),
            # The on-call SRE puts the rollback at 14:20: a differing account.
            TimelineEntry(
                time="14:31",
                at=dt.datetime(2026, 11, 27, 14, 31, tzinfo=UTC),
                saw="connection pool at its limit",
                did="rolled back the payments config",
            ),
        ],
        safeguards=[
            Safeguard(kind=SafeguardKind.MISSING, description="No alert on the connection pool limit."),
        ],
        suggestions=[Suggestion(text="Remind engineers to be more careful with config changes.")],
    )


#: Words only the draft account uses: they must not reach the merged document.
DRAFT_MARKER = "status page queue"


def support_draft() -> Account:
    """A draft: private until its author submits it, so never merged."""
    return Account(
        participant="erin",
        role="support lead",
        status=AccountStatus.DRAFT,
        updated=dt.datetime(2026, 11, 28, 12, 5, tzinfo=UTC),
        answers={"role": Answer(text=f"I watched the {DRAFT_MARKER} grow.")},
        suggestions=[Suggestion(text=f"Page support when the {DRAFT_MARKER} passes 50 tickets.")],
    )


def build_incident(root: Path) -> Workspace:
    """An incident with two submitted accounts, a draft, an unreadable file and an interview
    that is open but has saved nothing yet."""
    workspace = Workspace.create(root, "Checkout outage", started=STARTED)
    workspace.save_account(sre_account())
    workspace.save_account(dba_account())
    workspace.save_account(support_draft())
    accounts = locations.accounts_dir(root)
    (accounts / "carol.toml").write_text("schema_version = 1\nparticipant = [unclosed\n", encoding="utf-8")
    locations.lock_file(root, "dave").write_text("", encoding="utf-8")
    pin_times(root)
    return workspace


def pin_times(root: Path) -> None:
    """Give every file in the incident folder the same fixed modification time."""
    stamp = FILE_TIME.timestamp()
    for path in [locations.incident_file(root), *locations.accounts_dir(root).iterdir()]:
        os.utime(path, (stamp, stamp), follow_symlinks=False)


def make_app(workspace: Workspace, poll_seconds: float = NO_POLL) -> FacilitatorApp:
    """The facilitator's app on `workspace`, with today pinned."""
    return FacilitatorApp(Session(workspace, today=TODAY), poll_seconds=poll_seconds)


def facilitator_app(root: Path) -> FacilitatorApp:
    """A fresh incident at `root` and the app on it."""
    return make_app(build_incident(root))


async def wait_for(pilot: Pilot, condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Let the app run until `condition` holds; fail after `seconds` (a hang, not a timing check)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition never became true")


def plain(widget: Static) -> str:
    """What a Static shows, as plain text (it may hold a Rich renderable)."""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()
