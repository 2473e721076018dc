"""The incident folder on disk: atomic writes, modes, temporary files, locks in one process."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.checks import assert_one_clear_line

from pminterview import locations, workspace as ws_module
from pminterview.errors import PmError
from pminterview.model import Account, Answer, Incident, Postmortem, TimelineEntry
from pminterview.workspace import (
    ACCOUNT_MODE,
    SHARED_MODE,
    AccountLock,
    Workspace,
    atomic_write,
    read_model,
    remove_stale_temps,
    to_toml,
)


def _account(name: str = "alice", text: str = "Paged at 14:02.") -> Account:
    return Account(
        participant=name,
        role="on-call SRE",
        answers={"involved": Answer(text=text)},
        timeline=[TimelineEntry(time="14:02", saw="disk alert")],
    )


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


# --- writing ------------------------------------------------------------------------------------


def test_an_account_round_trips_through_its_file(workspace: Workspace) -> None:
    account = _account()
    workspace.save_account(account)
    assert workspace.load_account("alice") == account
    assert workspace.account_path("alice") == workspace.root / "accounts" / "alice.toml"


def test_the_same_account_is_saved_as_the_same_bytes(workspace: Workspace) -> None:
    workspace.save_account(_account())
    first = workspace.account_path("alice").read_bytes()
    workspace.save_account(Account.model_validate(_account().model_dump()))
    assert workspace.account_path("alice").read_bytes() == first
    assert first.startswith(b"schema_version = 1\n")


def test_files_get_their_documented_modes_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        ws = Workspace.create(tmp_path / "inc", "Checkout outage")
        ws.save_account(_account())
        ws.save_postmortem(Postmortem(incident=ws.incident()))
    finally:
        os.umask(old)
    assert _mode(ws.account_path("alice")) == ACCOUNT_MODE == 0o640
    assert _mode(locations.incident_file(ws.root)) == SHARED_MODE == 0o660
    assert _mode(locations.postmortem_file(ws.root)) == SHARED_MODE


def test_a_save_leaves_no_temporary_file_behind(workspace: Workspace) -> None:
    for text in ("one", "two", "three"):
        workspace.save_account(_account(text=text))
    names = sorted(p.name for p in (workspace.root / "accounts").iterdir())
    assert names == ["alice.toml"]
    assert workspace.load_account("alice").answer("involved").text == "three"


def test_a_failed_write_keeps_the_old_file_and_says_why(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace.save_account(_account(text="the old answer"))
    before = workspace.account_path("alice").read_bytes()

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(ws_module.os, "fsync", disk_full)
    with pytest.raises(PmError) as caught:
        workspace.save_account(_account(text="the new answer"))
    monkeypatch.undo()
    assert_one_clear_line(str(caught.value), workspace.account_path("alice"))
    assert "disk is full" in str(caught.value)
    assert workspace.account_path("alice").read_bytes() == before
    assert sorted(p.name for p in (workspace.root / "accounts").iterdir()) == ["alice.toml"]


def test_a_folder_that_cannot_be_written_is_a_clear_error(workspace: Workspace) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write anywhere; the permission check needs an ordinary user")
    accounts = workspace.root / "accounts"
    accounts.chmod(0o500)
    try:
        with pytest.raises(PmError) as caught:
            workspace.save_account(_account())
    finally:
        accounts.chmod(0o700)
    assert_one_clear_line(str(caught.value), accounts)


def test_text_the_file_cannot_hold_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    target = tmp_path / "out.toml"
    with pytest.raises(PmError) as caught:
        atomic_write(target, "lone surrogate \ud800")
    assert_one_clear_line(str(caught.value), target)
    assert list(tmp_path.iterdir()) == []



def test_a_write_into_a_folder_that_does_not_exist_says_to_create_it(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.md"
    with pytest.raises(PmError) as caught:
        atomic_write(target, "text")
    assert_one_clear_line(str(caught.value), target.parent)
    assert "does not exist; create it or choose another path" in str(caught.value)
    assert "pminterview new" not in str(caught.value)


def test_a_save_into_an_incident_folder_that_is_gone_points_to_pminterview_new(tmp_path: Path) -> None:
    gone = Workspace(tmp_path / "gone")
    with pytest.raises(PmError) as caught:
        gone.save_postmortem(Postmortem(incident=Incident(id="gone", title="Checkout outage")))
    assert_one_clear_line(str(caught.value), gone.root)
    assert "does not exist" in str(caught.value) and "pminterview new" in str(caught.value)


# --- leftovers of a killed save ---------------------------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_temporary_files_of_dead_writers_are_removed_and_live_ones_kept(workspace: Workspace) -> None:
    accounts = workspace.root / "accounts"
    dead = accounts / f".alice.toml.{_dead_pid()}.0badc0de.tmp"
    live = accounts / f".bob.toml.{os.getppid()}.0badc0de.tmp"
    old_live = accounts / f".carol.toml.{os.getppid()}.00000000.tmp"
    not_ours = [accounts / ".notes.tmp", accounts / f".x.{_dead_pid()}.nothex!.tmp", accounts / "plain.tmp"]
    for path in (dead, live, old_live, *not_ours):
        path.write_text("schema_version = 1\nparticipant = ")
    os.utime(old_live, (0, 0))
    os.utime(not_ours[0], (0, 0))
    removed = remove_stale_temps(accounts)
    assert sorted(removed) == sorted([dead, old_live])
    assert live.exists() and not dead.exists() and not old_live.exists()
    assert all(path.exists() for path in not_ours)


def test_opening_a_workspace_clears_leftovers_and_readers_ignore_them(workspace: Workspace) -> None:
    workspace.save_account(_account())
    leftover = workspace.root / "accounts" / f".alice.toml.{_dead_pid()}.12345678.tmp"
    leftover.write_text("schema_version = 1\nparticipant = \"ali")  # half a file
    assert [e.participant for e in workspace.accounts()] == ["alice"]
    assert all(e.error is None for e in workspace.accounts())
    Workspace.open(workspace.root)
    assert not leftover.exists()


# --- listing ---------------------------------------------------------------------------------------


def test_accounts_lists_every_file_with_its_owner(workspace: Workspace) -> None:
    workspace.save_account(_account("bob"))
    workspace.save_account(_account("alice"))
    entries = workspace.accounts()
    assert [e.participant for e in entries] == ["alice", "bob"]
    assert all(e.account is not None and e.error is None for e in entries)
    assert all(e.owner for e in entries)
    assert all(isinstance(e.modified, dt.datetime) for e in entries)


def test_accounts_of_a_folder_without_accounts_is_empty(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "inc", "Checkout outage")
    (ws.root / "accounts").rmdir()
    assert ws.accounts() == []


def test_a_lock_file_or_stray_file_is_not_an_account(workspace: Workspace) -> None:
    workspace.save_account(_account())
    lock = workspace.lock_account("alice")
    assert lock.acquire()
    (workspace.root / "accounts" / "notes.txt").write_text("hello")
    try:
        assert [e.participant for e in workspace.accounts()] == ["alice"]
    finally:
        lock.release()


# --- the account belongs to one writer -----------------------------------------------------------------


@pytest.mark.skipif(os.geteuid() != 0, reason="making a file owned by another user needs root")
def test_another_users_account_is_never_written(workspace: Workspace) -> None:
    workspace.save_account(_account())
    path = workspace.account_path("alice")
    os.chown(path, 65534, -1)
    before = path.read_bytes()
    with pytest.raises(PmError) as caught:
        workspace.save_account(_account(text="not mine to change"))
    message = str(caught.value)
    assert_one_clear_line(message, path)
    assert "belongs to user" in message and "only their own account" in message
    assert path.read_bytes() == before


def test_a_file_naming_another_participant_is_refused(workspace: Workspace) -> None:
    path = workspace.account_path("alice")
    path.write_text(to_toml(_account("mallory")))
    with pytest.raises(PmError) as caught:
        workspace.load_account("alice")
    assert_one_clear_line(str(caught.value), path)
    with pytest.raises(PmError):
        workspace.save_account(_account("alice"))
    assert "mallory" in path.read_text()


# --- creating a folder --------------------------------------------------------------------------------


def test_new_refuses_a_folder_that_holds_an_incident(workspace: Workspace) -> None:
    with pytest.raises(PmError) as caught:
        Workspace.create(workspace.root, "Again")
    assert_one_clear_line(str(caught.value), workspace.root)


def test_new_refuses_an_unknown_group(tmp_path: Path) -> None:
    with pytest.raises(PmError) as caught:
        Workspace.create(tmp_path / "inc", "Checkout outage", group="no-such-group-pmi")
    assert_one_clear_line(str(caught.value))
    assert "no-such-group-pmi" in str(caught.value)
    assert not (tmp_path / "inc").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="handing a folder to another group needs root or membership")
def test_new_with_a_group_sets_up_the_shared_modes(tmp_path: Path) -> None:
    import grp

    group = grp.getgrgid(65534).gr_name if _has_gid(65534) else "root"
    ws = Workspace.create(tmp_path / "inc", "Checkout outage", group=group)
    gid = grp.getgrnam(group).gr_gid
    assert _mode(ws.root) == 0o2770 and ws.root.stat().st_gid == gid
    accounts = ws.root / "accounts"
    assert _mode(accounts) == 0o3770 and accounts.stat().st_gid == gid
    incident = locations.incident_file(ws.root)
    assert _mode(incident) == 0o660 and incident.stat().st_gid == gid


def _has_gid(gid: int) -> bool:
    import grp

    try:
        grp.getgrgid(gid)
    except KeyError:
        return False
    return True


def test_an_incident_id_that_could_escape_the_folder_is_refused(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "inc", "Checkout outage")
    path = locations.incident_file(ws.root)
    path.write_text('schema_version = 1\nid = "../../etc"\ntitle = "x"\n')
    with pytest.raises(PmError) as caught:
        ws.incident()
    assert_one_clear_line(str(caught.value), path)
    with pytest.raises(ValueError):
        Incident(id="/etc/passwd", title="x")


def test_the_slug_of_any_folder_name_is_a_safe_id(tmp_path: Path) -> None:
    ws = Workspace.create(tmp_path / "..Ünïcode ☕ outage!!", "☕")
    assert ws.incident().id == "n-code-outage"


# --- locks within one process ----------------------------------------------------------------------------


def test_a_second_session_sees_who_holds_the_account(workspace: Workspace) -> None:
    first, second = workspace.lock_account("alice"), workspace.lock_account("alice")
    assert first.acquire() and first.held
    assert not second.acquire() and not second.held
    assert second.holder is not None and second.holder.pid == os.getpid()
    assert "pid" in second.holder.describe()
    first.release()
    assert second.acquire()
    second.release()


def test_take_over_never_signals_itself_nor_a_process_group(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """A lock file could say pid 0 or -1, and kill(-1, SIGHUP) would hang up every process."""
    holder = workspace.lock_account("alice")
    assert holder.acquire()
    sent: list[tuple[int, int]] = []
    monkeypatch.setattr(ws_module.os, "kill", lambda pid, sig: sent.append((pid, sig)))
    try:
        for pid in (os.getpid(), 0, -1, 1):
            info = {"pid": pid, "host": os.uname().nodename, "user": ws_module._user_name(os.getuid()), "since": "x"}
            os.pwrite(holder._fd, json.dumps(info).encode().ljust(200), 0)
            other = workspace.lock_account("alice")
            assert not other.acquire()
            assert other.holder is not None and other.holder.pid == pid
            assert not other.take_over(wait_seconds=0.05)
    finally:
        holder.release()
    assert sent == []


def test_a_lock_file_that_is_not_a_plain_file_is_a_clear_error(workspace: Workspace) -> None:
    path = locations.lock_file(workspace.root, "alice")
    os.mkfifo(path)
    with pytest.raises(PmError) as caught:
        workspace.lock_account("alice").acquire()
    assert_one_clear_line(str(caught.value), path)


@pytest.mark.skipif(os.geteuid() != 0, reason="planting a file owned by another user needs root")
def test_a_lock_file_planted_by_another_user_is_reported(workspace: Workspace) -> None:
    path = locations.lock_file(workspace.root, "alice")
    path.write_text("")
    os.chown(path, 65534, -1)
    with pytest.raises(PmError) as caught:
        workspace.lock_account("alice").acquire()
    assert_one_clear_line(str(caught.value), path)
    assert "belongs to user" in str(caught.value)


def test_garbage_in_a_lock_file_means_an_unknown_holder(workspace: Workspace) -> None:
    holder = workspace.lock_account("alice")
    assert holder.acquire()
    os.pwrite(holder._fd, b"\x1b]0;pwned\x07 not json", 0)
    other = AccountLock(locations.lock_file(workspace.root, "alice"))
    assert not other.acquire()
    assert other.holder is None
    holder.release()


def test_reading_a_model_from_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PmError) as caught:
        read_model(tmp_path / "nope.toml", Account, "account")
    assert_one_clear_line(str(caught.value), tmp_path / "nope.toml")


@pytest.mark.skipif(os.geteuid() != 0, reason="handing a folder to another group needs root or membership")
def test_the_owner_recreates_a_missing_shared_accounts_folder_sticky(tmp_path: Path) -> None:
    group = "nogroup" if _has_gid(65534) else "root"
    ws = Workspace.create(tmp_path / "inc", "Checkout outage", group=group)
    (ws.root / "accounts").rmdir()
    ws.save_account(_account())
    assert _mode(ws.root / "accounts") == 0o3770


def test_the_incident_folder_may_be_reached_through_a_link_the_person_chose(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "current"
    link.symlink_to(real)
    Workspace.create(link, "Checkout outage")
    ws = Workspace.open(link)
    ws.save_account(_account())
    assert (real / "accounts" / "alice.toml").is_file()


def test_a_title_too_long_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PmError) as caught:
        Workspace.create(tmp_path / "inc", "x" * 500)
    assert_one_clear_line(str(caught.value))
    assert "title" in str(caught.value)
