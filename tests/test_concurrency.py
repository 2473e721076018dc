"""Twenty participants saving in a loop while a facilitator loads and merges in a loop.

Every version a participant writes is one token ("p07-v12") repeated through several fields,
so a reader that saw half of one save and half of another, or a torn file, would notice.
"""

from __future__ import annotations

from pathlib import Path

from helpers.procs import spawn, wait_for_line

from pminterview.workspace import Workspace

PARTICIPANTS = 20
SAVES = 25

PARTICIPANT = """
    import sys, time
    from pminterview.model import Account, Answer, TimelineEntry
    from pminterview.workspace import Workspace

    root, name, saves, start = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    workspace = Workspace.open(root)
    lock = workspace.lock_account(name)
    assert lock.acquire()
    print("ready", flush=True)
    while not __import__("os").path.exists(start):
        time.sleep(0.01)
    for version in range(1, saves + 1):
        token = f"{name}-v{version}"
        workspace.save_account(
            Account(
                participant=name,
                role=token,
                answers={"involved": Answer(text=(token + " ") * 300), "actions": Answer(text=token)},
                timeline=[TimelineEntry(time="14:02", saw=token, did=token)],
            )
        )
    print("done", flush=True)
"""

FACILITATOR = """
    import os, sys
    from pminterview.workspace import Workspace

    root, stop = sys.argv[1], sys.argv[2]
    workspace = Workspace.open(root)
    try:
        from pminterview.merge import merge
    except ImportError:
        merge = None  # before merging exists, loading every account is the facilitator's loop
    incident = workspace.incident()
    reads = merges = 0
    previous = None
    print("ready", flush=True)
    while True:
        last_round = os.path.exists(stop)
        entries = workspace.accounts()
        accounts = []
        for entry in entries:
            if entry.error is not None or entry.account is None:
                print("BAD", entry.participant, entry.error, flush=True)
                sys.exit(1)
            account = entry.account
            token = account.role
            seen = {account.answers["involved"].text.split()[0], account.answers["actions"].text,
                    account.timeline[0].saw, account.timeline[0].did, *account.answers["involved"].text.split()}
            if seen != {token} or not token.startswith(account.participant + "-v"):
                print("MIXED", account.participant, sorted(seen)[:4], flush=True)
                sys.exit(1)
            accounts.append(account)
            reads += 1
        if merge is not None and accounts:
            previous = merge(incident, accounts, previous)
            merges += 1
        if last_round:
            break
    print(f"reads={reads} merges={merges} merge={'yes' if merge else 'no'}", flush=True)
"""


def test_twenty_participants_and_a_facilitator_never_see_a_partial_file(workspace: Workspace, tmp_path: Path) -> None:
    start, stop = tmp_path / "start", tmp_path / "stop"
    names = [f"p{i:02d}" for i in range(PARTICIPANTS)]
    writers = [spawn(PARTICIPANT, str(workspace.root), name, str(SAVES), str(start)) for name in names]
    for writer in writers:
        wait_for_line(writer, "ready", timeout=60)
    facilitator = spawn(FACILITATOR, str(workspace.root), str(stop))
    wait_for_line(facilitator, "ready", timeout=60)
    start.touch()  # all at once, to collide as much as possible

    try:
        for writer in writers:
            out, err = writer.communicate(timeout=60)
            assert writer.returncode == 0, err[-2000:]
            assert "done" in out
        stop.touch()
        out, err = facilitator.communicate(timeout=60)
    finally:
        for child in [*writers, facilitator]:
            if child.poll() is None:
                child.kill()
    assert facilitator.returncode == 0, (out + err)[-2000:]
    stats = dict(part.split("=") for part in out.split())
    assert int(stats["reads"]) > PARTICIPANTS  # it really read while they wrote

    # No save lost: every file holds its writer's last version, and nothing else is left over.
    final = {entry.participant: entry for entry in Workspace.open(workspace.root).accounts()}
    assert sorted(final) == names
    for name in names:
        account = final[name].account
        assert account is not None and account.role == f"{name}-v{SAVES}"
    leftovers = [p.name for p in (workspace.root / "accounts").iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_the_checks_above_would_catch_a_mixed_file(workspace: Workspace, tmp_path: Path) -> None:
    """Plant a file mixing two versions and run the facilitator loop once over it."""
    from pminterview.model import Account, Answer, TimelineEntry

    workspace.save_account(
        Account(
            participant="p00",
            role="p00-v2",
            answers={"involved": Answer(text="p00-v2 p00-v1"), "actions": Answer(text="p00-v2")},
            timeline=[TimelineEntry(saw="p00-v2", did="p00-v2")],
        )
    )
    stop = tmp_path / "stop"
    stop.touch()
    facilitator = spawn(FACILITATOR, str(workspace.root), str(stop))
    out, _ = facilitator.communicate(timeout=60)
    assert facilitator.returncode == 1 and "MIXED p00" in out
