"""Real Unix users sharing one incident folder, as on a bastion host.

Runs only as root (CI does): it creates a group, two responders and a facilitator in it, and
one outsider, then runs pminterview as each of them. Elsewhere it is skipped with the reason.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.checks import assert_one_clear_line
from helpers.users import Runner, Users, python_for, shared_tmp, throwaway_users, why_not_root

pytestmark = pytest.mark.skipif(why_not_root() is not None, reason=why_not_root() or "")

SAVE = """
import sys
from pminterview.errors import PmError
from pminterview.model import Account, Answer
from pminterview.workspace import Workspace
root, participant, text = sys.argv[1:4]
try:
    Workspace.open(root).save_account(Account(participant=participant, role="responder", answers={"involved": Answer(text=text)}))
except PmError as err:
    print(f"pminterview: {err}", file=sys.stderr)
    sys.exit(2)
"""

LIST = """
import sys
from pminterview.errors import PmError
from pminterview.workspace import Workspace
try:
    workspace = Workspace.open(sys.argv[1])
    for entry in workspace.accounts():
        text = entry.account.answer("involved").text if entry.account else ""
        print(entry.participant, entry.owner, "OK" if entry.error is None else "ERROR", text)
except PmError as err:
    print(f"pminterview: {err}", file=sys.stderr)
    sys.exit(2)
"""

LOCK = """
import sys
from pminterview.errors import PmError
from pminterview.workspace import Workspace
try:
    lock = Workspace.open(sys.argv[1]).lock_account(sys.argv[2])
    print("held" if lock.acquire() else "busy")
except PmError as err:
    print(f"pminterview: {err}", file=sys.stderr)
    sys.exit(2)
"""


class Host:
    """A shared host: the users, where pminterview runs from, and one incident folder."""

    def __init__(self, users: Users, runner: Runner, base: Path) -> None:
        self.users, self.runner, self.base = users, runner, base
        self.incident = base / "incident"

    def user(self, role: str) -> str:
        return self.users.members[role]

    def run(self, who: str, *args: str, umask: str = "022"):
        return self.runner.run(who, [str(a) for a in args], cwd=self.base, umask=umask)

    def cli(self, who: str, *args: str, umask: str = "022"):
        return self.run(who, "-m", "pminterview", *args, umask=umask)

    def save(self, who: str, participant: str, text: str, umask: str = "022"):
        return self.run(who, "-c", SAVE, self.incident, participant, text, umask=umask)

    def listing(self, who: str):
        return self.run(who, "-c", LIST, self.incident)


@pytest.fixture(scope="module")
def host() -> Iterator[Host]:
    with throwaway_users(["alice", "bob", "facilitator"]) as users:
        base = shared_tmp(owner=users.members["facilitator"])
        try:
            try:
                runner = python_for(users.members["alice"], base)
            except RuntimeError as err:
                pytest.skip(str(err))
            yield Host(users, runner, base)
        finally:
            shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def shared(host: Host) -> Host:
    """The facilitator creates the folder with --group; alice and bob each save an account."""
    made = host.cli(host.user("facilitator"), "new", host.incident, "--title", "Checkout outage", "--group", host.users.group)
    assert made.returncode == 0, made.stderr
    # A strict umask must not hide an account from the facilitator.
    for role, participant in (("alice", "alice"), ("bob", "bob")):
        saved = host.save(host.user(role), participant, f"{participant}'s own words", umask="077")
        assert saved.returncode == 0, saved.stderr
    return host


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_new_with_group_sets_up_the_documented_permissions(shared: Host) -> None:
    gid = grp.getgrnam(shared.users.group).gr_gid
    facilitator = pwd.getpwnam(shared.user("facilitator")).pw_uid
    root, accounts = shared.incident, shared.incident / "accounts"
    assert (_mode(root), os.stat(root).st_gid, os.stat(root).st_uid) == (0o2770, gid, facilitator)
    assert (_mode(accounts), os.stat(accounts).st_gid) == (0o3770, gid)
    incident = root / "incident.toml"
    assert (_mode(incident), os.stat(incident).st_gid) == (0o660, gid)


def test_each_account_is_owned_by_its_writer_and_readable_by_the_group(shared: Host) -> None:
    gid = grp.getgrnam(shared.users.group).gr_gid
    for role in ("alice", "bob"):
        path = shared.incident / "accounts" / f"{role}.toml"
        info = os.lstat(path)
        assert pwd.getpwuid(info.st_uid).pw_name == shared.user(role)
        assert info.st_gid == gid
        assert _mode(path) == 0o640


def test_alice_cannot_change_bobs_account_through_the_app(shared: Host) -> None:
    path = shared.incident / "accounts" / "bob.toml"
    before = path.read_bytes()
    refused = shared.save(shared.user("alice"), "bob", "alice rewrote this")
    assert refused.returncode == 2
    message = refused.stderr.strip()
    assert_one_clear_line(message, path)
    assert f"belongs to user {shared.user('bob')}" in message
    assert path.read_bytes() == before


def test_alice_cannot_change_bobs_account_behind_the_apps_back(shared: Host) -> None:
    """The sticky, setgid accounts folder makes the kernel refuse what the app would refuse."""
    accounts = shared.incident / "accounts"
    path = accounts / "bob.toml"
    before = path.read_bytes()
    alice = shared.user("alice")
    for command in (
        f"echo forged > '{path}'",
        f"rm -f '{path}'",
        f"echo forged > '{accounts}/.forged.tmp' && mv -f '{accounts}/.forged.tmp' '{path}'",
        f"mv '{path}' '{accounts}/stolen.toml'",
    ):
        result = _shell(shared, alice, command)
        assert result.returncode != 0, command
    assert path.read_bytes() == before
    assert pwd.getpwuid(os.lstat(path).st_uid).pw_name == shared.user("bob")


def _shell(host: Host, user: str, command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["runuser", "-u", user, "--", "/bin/sh", "-c", command], capture_output=True, text=True, cwd=host.base)


def test_the_facilitator_reads_every_account(shared: Host) -> None:
    listing = shared.listing(shared.user("facilitator"))
    assert listing.returncode == 0, listing.stderr
    lines = sorted(listing.stdout.splitlines())
    assert lines == [
        f"alice {shared.user('alice')} OK alice's own words",
        f"bob {shared.user('bob')} OK bob's own words",
    ]


def test_the_facilitator_can_merge_and_save_the_postmortem(shared: Host) -> None:
    script = (
        "import sys\n"
        "from pminterview.workspace import Workspace\n"
        "from pminterview.model import Postmortem\n"
        "ws = Workspace.open(sys.argv[1])\n"
        "accounts = [e.account for e in ws.accounts()]\n"
        "assert all(accounts)\n"
        "try:\n"
        "    from pminterview.merge import merge\n"
        "    postmortem = merge(ws.incident(), accounts)\n"
        "except ImportError:\n"
        "    postmortem = Postmortem(incident=ws.incident())\n"
        "ws.save_postmortem(postmortem)\n"
    )
    result = shared.run(shared.user("facilitator"), "-c", script, shared.incident)
    assert result.returncode == 0, result.stderr
    postmortem = shared.incident / "postmortem.toml"
    assert _mode(postmortem) == 0o660
    assert os.stat(postmortem).st_gid == grp.getgrnam(shared.users.group).gr_gid


def test_someone_outside_the_group_is_told_to_join_it(shared: Host) -> None:
    listing = shared.run(shared.users.outsider, "-c", LIST, shared.incident)
    assert listing.returncode == 2
    message = listing.stderr.strip()
    assert_one_clear_line(message)
    assert "Traceback" not in listing.stderr
    saved = shared.save(shared.users.outsider, "mallory", "let me in")
    assert saved.returncode == 2 and "Traceback" not in saved.stderr
    assert_one_clear_line(saved.stderr.strip())
    assert not (shared.incident / "accounts" / "mallory.toml").exists()


def test_a_group_member_cannot_lock_someone_elses_account(shared: Host) -> None:
    held = shared.run(shared.user("alice"), "-c", LOCK, shared.incident, "alice")
    assert held.returncode == 0 and held.stdout.strip() == "held", held.stderr
    lock = shared.incident / "accounts" / ".alice.lock"
    assert pwd.getpwuid(os.lstat(lock).st_uid).pw_name == shared.user("alice")
    other = shared.run(shared.user("bob"), "-c", LOCK, shared.incident, "alice")
    assert other.returncode == 2
    assert_one_clear_line(other.stderr.strip(), lock)


def test_new_with_a_group_you_are_not_in_is_a_clear_error(shared: Host) -> None:
    anyone = shared.base / "anyone"
    anyone.mkdir(mode=0o1777, exist_ok=True)
    anyone.chmod(0o1777)
    result = shared.cli(shared.users.outsider, "new", anyone / "not-mine", "--title", "x", "--group", shared.users.group)
    assert result.returncode == 2
    assert_one_clear_line(result.stderr.strip())
    assert f"not a member of group {shared.users.group}" in result.stderr and "Traceback" not in result.stderr
    assert not (anyone / "not-mine").exists()


def test_importing_a_transcript_as_each_user(shared: Host) -> None:
    try:
        import pminterview.transcript  # noqa: F401
    except ImportError:
        pytest.skip("pminterview.transcript (the import command) is not in this tree yet")
    transcript = shared.base / "carol.md"
    transcript.write_text("Role: database owner\n\n## Anything else\n\nI was paged at 14:02.\n", encoding="utf-8")
    transcript.chmod(0o644)
    result = shared.cli(shared.user("alice"), "import", shared.incident, transcript, "--participant", "carol")
    assert result.returncode == 0, result.stderr
    path = shared.incident / "accounts" / "carol.toml"
    assert pwd.getpwuid(os.lstat(path).st_uid).pw_name == shared.user("alice") and _mode(path) == 0o640
    again = shared.cli(shared.user("bob"), "import", shared.incident, transcript, "--participant", "carol")
    assert again.returncode == 2
    assert_one_clear_line(again.stderr.strip().removeprefix("pminterview: "), path)


def test_a_swapped_accounts_folder_is_noticed(shared: Host) -> None:
    """A group member renames accounts/ away and makes their own, where they could delete
    other people's files: saves and listings refuse it instead of carrying on."""
    accounts = shared.incident / "accounts"
    moved = shared.incident / "accounts.moved"
    bob = shared.user("bob")
    swapped = _shell(shared, bob, f"mv '{accounts}' '{moved}' && mkdir -m 3770 '{accounts}'")
    assert swapped.returncode == 0, swapped.stderr  # the folder is group-writable: this works
    try:
        saved = shared.save(shared.user("alice"), "alice", "into bob's folder?")
        assert saved.returncode == 2
        assert_one_clear_line(saved.stderr.strip(), accounts)
        assert f"belongs to user {bob}" in saved.stderr
        assert list(accounts.iterdir()) == []
        listing = shared.listing(shared.user("facilitator"))
        assert listing.returncode == 2 and "may have been swapped" in listing.stderr
    finally:
        shutil.rmtree(accounts)
        moved.rename(accounts)
