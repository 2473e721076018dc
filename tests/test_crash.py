"""Killed saves, killed sessions and abandoned sessions, with real processes and real signals."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from helpers.procs import kill_hard, spawn, wait_for_line

from pminterview.model import Account, Answer
from pminterview.workspace import Workspace

#: A child that saves alice's account, pausing (to be killed) at one step of the write.
PAUSED_SAVE = """
    import os, sys, time
    from pminterview.model import Account, Answer
    from pminterview.workspace import Workspace

    workspace, step = Workspace.open(sys.argv[1]), sys.argv[2]
    real = getattr(os, step)

    def pause(*args, **kwargs):
        print("paused", flush=True)
        time.sleep(60)
        return real(*args, **kwargs)

    setattr(os, step, pause)
    workspace.save_account(Account(participant="alice", answers={"q": Answer(text="NEW " * 50_000)}))
"""

#: A child that saves as fast as it can, each version one word repeated, so a mix would show.
SAVE_FOREVER = """
    import sys
    from pminterview.model import Account, Answer
    from pminterview.workspace import Workspace

    workspace = Workspace.open(sys.argv[1])
    version = 0
    while True:
        version += 1
        workspace.save_account(Account(participant="alice", answers={"q": Answer(text=f"v{version} " * 40_000)}))
        if version == 1:
            print("saving", flush=True)
"""

#: A session holding the lock that saves and exits on SIGHUP, as the interview app does.
HOLDER = """
    import signal, sys, time
    from pminterview.model import Account, Answer
    from pminterview.workspace import Workspace

    workspace = Workspace.open(sys.argv[1])
    lock = workspace.lock_account("alice")
    assert lock.acquire()

    def hang_up(signum, frame):
        workspace.save_account(Account(participant="alice", answers={"q": Answer(text="saved on hang-up")}))
        lock.release()
        sys.exit(0)

    if sys.argv[2] == "saves":
        signal.signal(signal.SIGHUP, hang_up)
    else:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
    print("holding", flush=True)
    time.sleep(60)
"""


def _old(workspace: Workspace) -> bytes:
    workspace.save_account(Account(participant="alice", answers={"q": Answer(text="OLD")}))
    return workspace.account_path("alice").read_bytes()


def _temps(workspace: Workspace) -> list[str]:
    return sorted(p.name for p in (workspace.root / "accounts").iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("step", ["fsync", "replace"], ids=["killed-before-fsync", "killed-before-rename"])
def test_sigkill_mid_save_leaves_the_old_file_and_the_leftover_is_cleaned(workspace: Workspace, step: str) -> None:
    old = _old(workspace)
    child = spawn(PAUSED_SAVE, str(workspace.root), step)
    wait_for_line(child, "paused")
    kill_hard(child)

    assert workspace.account_path("alice").read_bytes() == old
    assert len(_temps(workspace)) == 1, "the killed save left its temporary file (this is the case under test)"
    # Readers ignore the leftover; the next start removes it.
    assert [(e.participant, e.error) for e in workspace.accounts()] == [("alice", None)]
    reopened = Workspace.open(workspace.root)
    assert _temps(reopened) == []
    assert reopened.load_account("alice").answer("q").text == "OLD"


def test_sigkill_at_random_moments_never_leaves_a_broken_file(workspace: Workspace) -> None:
    _old(workspace)
    chance = random.Random(5)
    for _ in range(4):
        child = spawn(SAVE_FOREVER, str(workspace.root))
        wait_for_line(child, "saving")
        # Let it save a random while, then kill it wherever it is.
        try:
            child.wait(timeout=chance.uniform(0.0, 0.3))
        except Exception:
            pass
        kill_hard(child)
        account = Workspace.open(workspace.root).load_account("alice")
        assert account is not None
        words = set(account.answer("q").text.split())
        assert len(words) == 1, f"a mixed file: {sorted(words)[:5]}"
        assert _temps(workspace) == []


def test_a_killed_session_never_blocks_the_owner(workspace: Workspace) -> None:
    child = spawn(HOLDER, str(workspace.root), "ignores")
    wait_for_line(child, "holding")
    lock = workspace.lock_account("alice")
    assert not lock.acquire()
    assert lock.holder is not None and lock.holder.pid == child.pid
    kill_hard(child)
    # The kernel dropped the flock with the process: no waiting, no stale lock to clean.
    assert lock.acquire()
    lock.release()


def test_a_live_but_abandoned_session_saves_and_hands_over_on_take_over(workspace: Workspace) -> None:
    child = spawn(HOLDER, str(workspace.root), "saves")
    wait_for_line(child, "holding")
    lock = workspace.lock_account("alice")
    assert not lock.acquire()
    assert lock.take_over(wait_seconds=15)
    assert child.wait(timeout=10) == 0
    assert lock.held
    assert workspace.load_account("alice").answer("q").text == "saved on hang-up"
    lock.release()


def test_a_session_that_will_not_go_is_not_taken_over(workspace: Workspace) -> None:
    child = spawn(HOLDER, str(workspace.root), "ignores")
    wait_for_line(child, "holding")
    try:
        lock = workspace.lock_account("alice")
        assert not lock.acquire()
        assert not lock.take_over(wait_seconds=0.5)
        assert not lock.held and child.poll() is None
    finally:
        kill_hard(child)


def test_sighup_to_a_holder_that_died_already_is_harmless(workspace: Workspace) -> None:
    child = spawn(HOLDER, str(workspace.root), "saves")
    wait_for_line(child, "holding")
    lock = workspace.lock_account("alice")
    assert not lock.acquire()
    kill_hard(child)
    # The pid in the lock file is dead (and could be reused): the take-over just acquires.
    assert lock.take_over(wait_seconds=2)
    lock.release()
