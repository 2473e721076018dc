"""The interview's session, without Textual: when it writes, what it stamps, what it refuses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app_factory import FIXED_NOW, PARTICIPANT, answered_account, fixed_clock, make_workspace
from pminterview.errors import PmError
from pminterview.guide import load_guide
from pminterview.model import Answer, AccountStatus
from pminterview.tui.interview.session import InterviewSession
from pminterview.workspace import Workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path / "incident")


def open_session(workspace: Workspace) -> InterviewSession:
    return InterviewSession.open(workspace, PARTICIPANT, load_guide(), clock=fixed_clock)


def account_file(workspace: Workspace) -> Path:
    return workspace.account_path(PARTICIPANT)


def test_untouched_new_account_writes_no_file(workspace: Workspace) -> None:
    session = open_session(workspace)
    try:
        assert session.start_question() == "role"
        session.set_cursor("timeline")  # looking around is not saying anything
        assert session.save() is False
        assert not account_file(workspace).exists()
    finally:
        session.close()


def test_save_writes_once_and_stamps_updated_only_for_content(workspace: Workspace) -> None:
    earlier = FIXED_NOW - dt.timedelta(hours=2)
    account = answered_account()
    account.updated = earlier
    workspace.save_account(account)
    session = open_session(workspace)
    try:
        assert session.save() is False  # nothing changed: no write
        session.set_cursor("cues", 2, 5)
        assert session.save() is True  # the cursor is worth saving ...
        assert session.account.updated == earlier  # ... but is not an edit
        session.account.answers["cues"] = Answer(text="changed")
        assert session.save() is True
        assert session.account.updated == FIXED_NOW
        assert session.save() is False
    finally:
        session.close()
    again = workspace.load_account(PARTICIPANT)
    assert again.cursor.question == "cues" and again.answers["cues"].text == "changed"


def test_same_content_same_bytes(workspace: Workspace) -> None:
    session = open_session(workspace)
    try:
        session.account.role = "SRE"
        session.save()
        first = account_file(workspace).read_bytes()
        session.account.role = "SRE"
        session.save()
        assert account_file(workspace).read_bytes() == first
    finally:
        session.close()


def test_submit_and_reopen(workspace: Workspace) -> None:
    workspace.save_account(answered_account())
    session = open_session(workspace)
    try:
        session.submit()
        assert workspace.load_account(PARTICIPANT).status == AccountStatus.SUBMITTED
        assert workspace.load_account(PARTICIPANT).submitted == FIXED_NOW
        assert session.start_question() is None  # a submitted account opens on the review
        assert not session.editable
        session.reopen()
        stored = workspace.load_account(PARTICIPANT)
        assert stored.status == AccountStatus.DRAFT and stored.submitted is None
        assert session.editable
    finally:
        session.close()


def test_second_session_is_read_only_and_never_writes(workspace: Workspace) -> None:
    workspace.save_account(answered_account())
    first = open_session(workspace)
    second = open_session(workspace)
    try:
        assert not first.read_only
        assert second.read_only and second.state == "read-only"
        assert second.holder is not None and second.holder.pid > 0
        before = account_file(workspace).read_bytes()
        second.account.role = "someone else"
        assert second.save() is False
        assert account_file(workspace).read_bytes() == before
    finally:
        first.close()
        second.close()


def test_damaged_account_raises_and_releases_the_lock(workspace: Workspace) -> None:
    account_file(workspace).write_text("schema_version = 1\nparticipant = 5\n", encoding="utf-8")
    with pytest.raises(PmError) as caught:
        open_session(workspace)
    assert str(account_file(workspace)) in str(caught.value)
    lock = workspace.lock_account(PARTICIPANT)
    try:
        assert lock.acquire()  # the failed open did not keep the account locked
    finally:
        lock.release()


def test_timeline_times_are_read_on_the_incident_day(workspace: Workspace) -> None:
    session = open_session(workspace)
    try:
        parsed = session.read_time("around 14:05")
        assert parsed.at == dt.datetime(2026, 11, 27, 14, 5, tzinfo=dt.timezone.utc)
        assert parsed.approximate
        with pytest.raises(PmError):
            session.read_time("25:61")
    finally:
        session.close()
