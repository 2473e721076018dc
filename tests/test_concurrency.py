"""Twenty participants saving in a loop while a facilitator loads and merges in a loop.

Every version a participant writes is one token ("p07-v12") repeated through several fields
and a padding that spans several pages, so a reader that saw half of one save and half of another, or a torn file, would notice.
"""

from __future__ import annotations

from pathlib import Path

from helpers.procs import spawn, wait_for_line

from pminterview.workspace import Workspace

PARTICIPANTS = 20
#: Facilitator rounds (load everything, check it, merge) to run while the participants save.
ROUNDS = 5

PARTICIPANT = """
    import os, sys, time
    from pminterview.model import Account, Answer, Cursor, TimelineEntry
    from pminterview.workspace import Workspace

    root, name, start, stop = sys.argv[1:5]
    workspace = Workspace.open(root)
    lock = workspace.lock_account(name)
    assert lock.acquire()
    print("ready", flush=True)
    while not os.path.exists(start):
        time.sleep(0.01)
    version = 0
    while version < 3 or not os.path.exists(stop):
        version += 1
        token = f"{name}-v{version}"
        workspace.save_account(
            Account(
                participant=name,
                role=token,
                answers={"involved": Answer(text=(token + " ") * 30), "actions": Answer(text=token)},
                timeline=[TimelineEntry(time="14:02", saw=token, did=token)],
                # Padding, so a file spans several pages and a torn write could show.
                cursor=Cursor(question=(token + ".") * 400),
            )
        )
    print(f"last={version}", flush=True)
"""

FACILITATOR = """
    import os, sys
    from pminterview.workspace import Workspace

    root, stop, rounds, expected = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    workspace = Workspace.open(root)
    try:
        from pminterview.merge import merge
    except ImportError:
        merge = None  # before merging exists, loading every account is the facilitator's loop
    incident = workspace.incident()
    reads = merges = done = 0
    previous = None
    print("ready", flush=True)
    while True:
        last_round = os.path.exists(stop)
        accounts = []
        for entry in workspace.accounts():
            if entry.error is not None or entry.account is None:
                print("BAD", entry.participant, entry.error, flush=True)
                sys.exit(1)
            account = entry.account
            token = account.role
            seen = {account.answers["actions"].text, account.timeline[0].saw, account.timeline[0].did,
                    *account.answers["involved"].text.split(), *account.cursor.question.strip(".").split(".")}
            if seen != {token} or not token.startswith(account.participant + "-v"):
                print("MIXED", account.participant, sorted(seen)[:4], flush=True)
                sys.exit(1)
            accounts.append(account)
            reads += 1
        if merge is not None and accounts:
            previous = merge(incident, accounts, previous)
            merges += 1
        if len(accounts) == expected:
            done += 1  # a round counts once every participant has saved at least once
        if done == rounds:
            print("enough", flush=True)
        if last_round:
            break
    print(f"reads={reads} merges={merges} rounds={done}", flush=True)
"""


def test_twenty_participants_and_a_facilitator_never_see_a_partial_file(workspace: Workspace, tmp_path: Path) -> None:
    start, stop = tmp_path / "start", tmp_path / "stop"
    names = [f"p{i:02d}" for i in range(PARTICIPANTS)]
    writers = [spawn(PARTICIPANT, str(workspace.root), name, str(start), str(stop)) for name in names]
    facilitator = spawn(FACILITATOR, str(workspace.root), str(stop), str(ROUNDS), str(PARTICIPANTS))
    try:
        for child in [*writers, facilitator]:
            wait_for_line(child, "ready", timeout=60)
        start.touch()  # all at once, to collide as much as possible
        wait_for_line(facilitator, "enough", timeout=60)
        stop.touch()
        last: dict[str, int] = {}
        for name, writer in zip(names, writers):
            out, err = writer.communicate(timeout=60)
            assert writer.returncode == 0, err[-2000:]
            last[name] = int(out.split("last=")[1])
        out, err = facilitator.communicate(timeout=60)
    finally:
        for child in [*writers, facilitator]:
            if child.poll() is None:
                child.kill()
    assert facilitator.returncode == 0, (out + err)[-2000:]
    stats = dict(part.split("=") for part in out.split())
    assert int(stats["rounds"]) > ROUNDS
    assert int(stats["reads"]) > ROUNDS * PARTICIPANTS  # it really read while they wrote

    # No save lost: every file holds its writer's last version, and nothing else is left over.
    final = {entry.participant: entry for entry in Workspace.open(workspace.root).accounts()}
    assert sorted(final) == names
    for name in names:
        account = final[name].account
        assert account is not None and account.role == f"{name}-v{last[name]}"
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
            cursor={"question": "p00-v2."},
        )
    )
    stop = tmp_path / "stop"
    stop.touch()
    facilitator = spawn(FACILITATOR, str(workspace.root), str(stop), "1", "1")
    out, _ = facilitator.communicate(timeout=60)
    assert facilitator.returncode == 1 and "MIXED p00" in out
