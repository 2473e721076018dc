"""Damaged, hostile and planted files: one clear line, the rest opens, nothing is overwritten.

Names that could escape the folder and symlinks planted by anyone sharing it are here too.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.checks import assert_one_clear_line, tree

from pminterview import locations, workspace as ws_module
from pminterview.errors import PmError
from pminterview.model import Account, Answer, Incident, Postmortem
from pminterview.workspace import MAX_FILE_BYTES, Workspace, atomic_write, read_model, safe_name, to_toml

GOOD_BOB = to_toml(Account(participant="bob", role="database owner", answers={"involved": Answer(text="hi")}))


def _sparse(path: Path, size: int) -> None:
    # A hole, not data: the disk holds almost nothing, but the size says 1 GB.
    with path.open("wb") as handle:
        handle.truncate(size)


def _write(content: bytes | str) -> Callable[[Path], None]:
    def plant(path: Path) -> None:
        path.write_bytes(content.encode() if isinstance(content, str) else content)

    return plant


def _symlink_to_a_valid_account(path: Path) -> None:
    target = path.parent.parent.parent / "elsewhere.toml"
    target.write_text(GOOD_BOB)
    path.symlink_to(target)


def _dangling_symlink(path: Path) -> None:
    path.symlink_to(path.parent.parent.parent / "does-not-exist.toml")


def _folder(path: Path) -> None:
    path.mkdir()


def _fifo(path: Path) -> None:
    os.mkfifo(path)


#: Ways a file in a shared folder can be broken; each maps to words the message must contain.
DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "damaged TOML": (_write('schema_version = 1\nparticipant = "bob\nrole = '), "not valid TOML"),
    "cut short by a crash": (_write(GOOD_BOB[: len(GOOD_BOB) // 2]), "TOML"),
    "no schema_version": (_write('participant = "bob"\n'), "schema_version"),
    "schema_version as text": (_write('schema_version = "1"\nparticipant = "bob"\n'), "schema_version"),
    "future schema_version": (_write('schema_version = 7\nparticipant = "bob"\n'), "upgrade pminterview"),
    "huge schema_version": (_write(f"schema_version = {10**30}\nparticipant = \"bob\"\n"), "newer pminterview"),
    "zero schema_version": (_write('schema_version = 0\nparticipant = "bob"\n'), "restore"),
    "unknown field": (_write('schema_version = 1\nparticipant = "bob"\nfavourite_colour = "blue"\n'), "favourite_colour"),
    "unknown field full of escapes": (
        _write('schema_version = 1\nparticipant = "bob"\n"\\u001b]0;pwned\\u0007" = 1\n'),
        "\\x1b",
    ),
    "wrong type": (_write('schema_version = 1\nparticipant = "bob"\nrole = 5\n'), "field role"),
    "wrong nested type": (_write('schema_version = 1\nparticipant = "bob"\nanswers = "all of them"\n'), "field answers"),
    "wrong enum value": (_write('schema_version = 1\nparticipant = "bob"\nstatus = "finished"\n'), "field status"),
    "1 GB file": (lambda p: _sparse(p, 1 << 30), "MB"),
    "just over the limit": (lambda p: _sparse(p, MAX_FILE_BYTES + 1), "larger than any"),
    "NUL bytes": (_write(b"\x00" * 4096), "NUL"),
    "NUL inside a value": (_write(GOOD_BOB.replace("hi", "h\x00i")), "NUL"),
    "not UTF-8": (_write(b'schema_version = 1\nparticipant = "b\xffob"\n'), "UTF-8"),
    "UTF-16": (_write(GOOD_BOB.encode("utf-16")), "UTF-8"),
    "nested far too deeply": (_write("a = " + "[" * 50_000), "TOML"),
    "empty": (_write(b""), "schema_version"),
    "symlink to a valid account": (_symlink_to_a_valid_account, "symbolic link"),
    "dangling symlink": (_dangling_symlink, "symbolic link"),
    "folder": (_folder, "not a regular file"),
    "named pipe": (_fifo, "not a regular file"),
    "another participant inside": (_write(GOOD_BOB.replace('"bob"', '"alice"')), "participant"),
}


@pytest.fixture
def two_accounts(workspace: Workspace) -> Workspace:
    workspace.save_account(Account(participant="alice", role="on-call SRE"))
    return workspace


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_account_is_one_clear_line_and_the_rest_opens(two_accounts: Workspace, damage: str) -> None:
    plant, words = DAMAGE[damage]
    path = two_accounts.account_path("bob")
    plant(path)
    before = tree(two_accounts.root)

    with pytest.raises(PmError) as caught:
        two_accounts.load_account("bob")
    assert_one_clear_line(str(caught.value), path)
    assert words in str(caught.value)

    # The rest of the folder opens; the bad file is listed as unreadable, with the same line.
    reopened = Workspace.open(two_accounts.root)
    entries = {e.participant: e for e in reopened.accounts()}
    assert entries["alice"].account is not None and entries["alice"].error is None
    assert entries["bob"].account is None and entries["bob"].error == str(caught.value)
    reopened.incident()

    # Saving over it is refused, with one line that says why and what to do.
    with pytest.raises(PmError) as refused:
        reopened.save_account(Account(participant="bob", role="someone new"))
    assert_one_clear_line(str(refused.value), path)
    assert "not saved" in str(refused.value)
    assert tree(two_accounts.root) == before


@pytest.mark.parametrize("damage", ["damaged TOML", "future schema_version", "NUL bytes", "1 GB file", "symlink to a valid account"])
def test_a_damaged_postmortem_is_reported_and_never_replaced(workspace: Workspace, damage: str) -> None:
    plant, _ = DAMAGE[damage]
    path = locations.postmortem_file(workspace.root)
    plant(path)
    before = tree(workspace.root)
    with pytest.raises(PmError) as caught:
        workspace.load_postmortem()
    assert_one_clear_line(str(caught.value), path)
    with pytest.raises(PmError) as refused:
        workspace.save_postmortem(Postmortem(incident=workspace.incident()))
    assert_one_clear_line(str(refused.value), path)
    assert tree(workspace.root) == before


def test_saving_over_the_postmortem_it_just_wrote_does_not_read_it_again(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    incident = workspace.incident()
    workspace.save_postmortem(Postmortem(incident=incident, summary="first"))

    def no_reading(*args: object) -> None:
        raise AssertionError("read the file it had just written")

    monkeypatch.setattr("pminterview.workspace.read_model", no_reading)
    workspace.save_postmortem(Postmortem(incident=incident, summary="second"))
    assert "second" in locations.postmortem_file(workspace.root).read_text()


def test_a_postmortem_damaged_in_place_with_its_time_set_back_is_still_never_replaced(workspace: Workspace) -> None:
    # As `cp --preserve` or `rsync --inplace -t` would leave it: same inode, size and mtime.
    workspace.save_postmortem(Postmortem(incident=workspace.incident(), summary="first"))
    path = locations.postmortem_file(workspace.root)
    info = path.stat()
    good = path.read_bytes()
    with open(path, "r+b") as handle:
        handle.write(b"[[[" + good[3:])
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert (path.stat().st_ino, path.stat().st_size, path.stat().st_mtime_ns) == (info.st_ino, info.st_size, info.st_mtime_ns)
    damaged = path.read_bytes()
    with pytest.raises(PmError) as refused:
        workspace.save_postmortem(Postmortem(incident=workspace.incident(), summary="second"))
    assert_one_clear_line(str(refused.value), path)
    assert path.read_bytes() == damaged


@pytest.mark.parametrize("damage", ["damaged TOML", "future schema_version", "NUL bytes", "symlink to a valid account"])
def test_a_postmortem_damaged_after_the_last_save_is_still_never_replaced(workspace: Workspace, damage: str) -> None:
    # Saves skip re-reading a file they find as they left it; one changed since is read again.
    workspace.save_postmortem(Postmortem(incident=workspace.incident(), summary="first"))
    workspace.save_postmortem(Postmortem(incident=workspace.incident(), summary="second"))
    path = locations.postmortem_file(workspace.root)
    path.unlink()
    plant, _ = DAMAGE[damage]
    plant(path)
    before = tree(workspace.root)
    with pytest.raises(PmError) as refused:
        workspace.save_postmortem(Postmortem(incident=workspace.incident(), summary="third"))
    assert_one_clear_line(str(refused.value), path)
    assert tree(workspace.root) == before


@pytest.mark.parametrize("damage", ["damaged TOML", "wrong type", "future schema_version", "NUL bytes", "not UTF-8"])
def test_a_damaged_incident_still_lets_the_folder_and_the_accounts_open(two_accounts: Workspace, damage: str) -> None:
    plant, _ = DAMAGE[damage]
    path = locations.incident_file(two_accounts.root)
    path.unlink()
    plant(path)
    reopened = Workspace.open(two_accounts.root)
    with pytest.raises(PmError) as caught:
        reopened.incident()
    assert_one_clear_line(str(caught.value), path)
    assert [e.participant for e in reopened.accounts()] == ["alice"]
    before = path.read_bytes()
    with pytest.raises(PmError):
        reopened.save_incident(Incident(id="x", title="Replacement"))
    assert path.read_bytes() == before


def test_the_cli_reports_a_damaged_file_in_one_line(two_accounts: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    from pminterview.cli import main

    path = locations.incident_file(two_accounts.root)
    path.write_bytes(b"\x00" * 100)
    assert main(["interview", str(two_accounts.root), "--participant", "alice"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err and "NUL" in err



#: A file that is valid TOML but not a valid record, and the plain line it must give.
INVALID_FIELDS = {
    "unknown field in an account": (
        "accounts/bob.toml",
        'schema_version = 1\nparticipant = "bob"\n[answers.cues]\ntext = "hi"\nfoo = 1\n',
        "has an unknown field 'foo' (at answers.cues); remove it or check its spelling",
    ),
    "unknown top-level field in the incident": (
        "incident.toml",
        'schema_version = 1\nid = "incident"\ntitle = "Checkout outage"\ncolour = "red"\n',
        "has an unknown field 'colour'; remove it or check its spelling",
    ),
    "missing field in the postmortem": (
        "postmortem.toml",
        'schema_version = 1\n[incident]\nid = "incident"\n',
        "is missing field 'title' (at incident); add it or restore the file from git",
    ),
    "text where a list belongs": (
        "accounts/bob.toml",
        'schema_version = 1\nparticipant = "bob"\ntimeline = "all of it"\n',
        "has field timeline = 'all of it', but it should be a list; fix the value or restore the file from git",
    ),
    "a word where true or false belongs": (
        "accounts/bob.toml",
        'schema_version = 1\nparticipant = "bob"\n[[timeline]]\ntime = "14:02"\napproximate = "maybe"\n',
        "has field timeline[0].approximate = 'maybe', but it should be true or false; fix the value or restore the file from git",
    ),
    "a number where text belongs": (
        "accounts/bob.toml",
        'schema_version = 1\nparticipant = "bob"\nrole = 5\n',
        "has field role = 5, but it should be text in quotes; fix the value or restore the file from git",
    ),
    "a status that does not exist": (
        "accounts/bob.toml",
        'schema_version = 1\nparticipant = "bob"\nstatus = "finished"\n',
        "has field status = 'finished', but it should be 'draft' or 'submitted'; fix the value or restore the file from git",
    ),
}


@pytest.mark.parametrize("case", list(INVALID_FIELDS), ids=list(INVALID_FIELDS))
def test_an_invalid_field_is_one_plain_line_naming_the_file_and_the_field(workspace: Workspace, case: str) -> None:
    name, content, expected = INVALID_FIELDS[case]
    path = workspace.root / name
    path.write_text(content, encoding="utf-8")
    load = {
        "incident.toml": workspace.incident,
        "postmortem.toml": workspace.load_postmortem,
        "accounts/bob.toml": lambda: workspace.load_account("bob"),
    }[name]
    with pytest.raises(PmError) as caught:
        load()
    assert str(caught.value) == f"{path}: {expected}"
    assert_one_clear_line(str(caught.value), path)


def test_a_file_that_grows_past_the_limit_while_read_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.toml"
    path.write_bytes(b"x" * 100)
    real_fstat = os.fstat

    def fstat_from_before_it_grew(fd: int) -> os.stat_result:
        fields = list(real_fstat(fd))[:10]
        fields[6] = 10  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(ws_module.os, "fstat", fstat_from_before_it_grew)
    monkeypatch.setattr(ws_module, "MAX_FILE_BYTES", 60)
    with pytest.raises(PmError) as caught:
        read_model(path, Account, "account")
    assert "larger than any" in str(caught.value)


# --- names that could escape the folder -----------------------------------------------------------------

BAD_NAMES = [
    "",
    ".",
    "..",
    "../bob",
    "../../etc/passwd",
    "/etc/passwd",
    "a/b",
    "a\\b",
    ".hidden",
    "-rf",
    "a..b",
    "bob/",
    "a" * 65,
    "a\x00b",
    "a\x1b[31mred",
    "a\nb",
    "tab\there",
    "a b",
    "caf\u00e9",
    "\u202eevil",
    "bob\u200b",
    "~",
    "$HOME",
]


@pytest.mark.parametrize("name", BAD_NAMES, ids=[repr(n)[:30] for n in BAD_NAMES])
def test_a_name_that_could_escape_the_folder_is_refused(workspace: Workspace, tmp_path: Path, name: str) -> None:
    before = tree(tmp_path)
    with pytest.raises(PmError) as caught:
        safe_name(name)
    message = str(caught.value)
    assert_one_clear_line(message)
    assert len(message) < 300
    for attempt in (
        lambda: workspace.account_path(name),
        lambda: workspace.load_account(name),
        lambda: workspace.lock_account(name),
        # model_construct skips the model's own cleaning: the workspace must not rely on it.
        lambda: workspace.save_account(Account.model_construct(participant=name)),
    ):
        with pytest.raises(PmError):
            attempt()
    assert tree(tmp_path) == before


@pytest.mark.parametrize("name", ["alice", "Bob", "oncall-sre", "db_owner.2", "a" * 64, "1st"])
def test_ordinary_names_are_accepted(workspace: Workspace, name: str) -> None:
    assert safe_name(name) == name
    workspace.save_account(Account(participant=name))
    assert workspace.load_account(name) is not None


def test_a_badly_named_file_in_accounts_is_listed_unreadable_and_escaped(workspace: Workspace) -> None:
    folder = workspace.root / "accounts"
    (folder / "evil\x1b]0;pwned\x07.toml").write_text(GOOD_BOB)
    (folder / "alice.toml").write_text(to_toml(Account(participant="alice")))
    entries = workspace.accounts()
    assert [e.error is None for e in entries] == [True, False]
    bad = entries[1]
    assert "\x1b" not in bad.participant and "\\x1b" in bad.participant
    assert_one_clear_line(bad.error or "")


# --- planted symlinks are never followed on write ------------------------------------------------------------


def test_a_symlinked_accounts_folder_is_never_written_into(workspace: Workspace, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    accounts = workspace.root / "accounts"
    accounts.rmdir()
    accounts.symlink_to(elsewhere)
    with pytest.raises(PmError) as caught:
        workspace.save_account(Account(participant="alice"))
    assert_one_clear_line(str(caught.value), accounts)
    assert "symbolic link" in str(caught.value)
    with pytest.raises(PmError):
        workspace.lock_account("alice").acquire()
    with pytest.raises(PmError):
        workspace.accounts()
    assert list(elsewhere.iterdir()) == []


def test_a_symlinked_account_file_is_never_written_through(workspace: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "victim.toml"
    target.write_text(GOOD_BOB.replace('"bob"', '"alice"'))
    before = target.read_bytes()
    path = workspace.account_path("alice")
    path.symlink_to(target)
    with pytest.raises(PmError) as caught:
        workspace.save_account(Account(participant="alice", role="overwritten?"))
    assert_one_clear_line(str(caught.value), path)
    assert target.read_bytes() == before and path.is_symlink()


def test_atomic_write_replaces_a_symlink_instead_of_following_it(tmp_path: Path) -> None:
    target = tmp_path / "victim"
    target.write_text("precious")
    link = tmp_path / "out.toml"
    link.symlink_to(target)
    atomic_write(link, "new")
    assert target.read_text() == "precious"
    assert not link.is_symlink() and link.read_text() == "new"


def test_a_planted_temporary_name_is_never_opened(workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "victim"
    target.write_text("precious")
    accounts = workspace.root / "accounts"
    tokens = iter(["deadbeef", "deadbeef", "c0ffee00"])
    monkeypatch.setattr(ws_module, "_temp_tag", lambda: next(tokens))
    planted = accounts / f".alice.toml.{os.getpid()}.deadbeef.tmp"
    planted.symlink_to(target)
    workspace.save_account(Account(participant="alice", role="saved beside the trap"))
    assert target.read_text() == "precious"
    assert planted.is_symlink()
    assert workspace.load_account("alice").role == "saved beside the trap"


def test_when_every_temporary_name_is_taken_the_save_fails_cleanly(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "victim"
    target.write_text("precious")
    monkeypatch.setattr(ws_module, "_temp_tag", lambda: "deadbeef")
    (workspace.root / "accounts" / f".alice.toml.{os.getpid()}.deadbeef.tmp").symlink_to(target)
    with pytest.raises(PmError) as caught:
        workspace.save_account(Account(participant="alice"))
    assert_one_clear_line(str(caught.value))
    assert target.read_text() == "precious"
    assert not workspace.account_path("alice").exists()


def test_a_symlinked_lock_file_is_never_followed(workspace: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "victim"
    target.write_text("precious")
    path = locations.lock_file(workspace.root, "alice")
    path.symlink_to(target)
    with pytest.raises(PmError) as caught:
        workspace.lock_account("alice").acquire()
    assert_one_clear_line(str(caught.value), path)
    assert target.read_text() == "precious"


def test_a_symlinked_postmortem_is_never_written_through(workspace: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "victim.toml"
    target.write_text(to_toml(Postmortem(incident=workspace.incident())))
    before = target.read_bytes()
    path = locations.postmortem_file(workspace.root)
    path.symlink_to(target)
    with pytest.raises(PmError):
        workspace.save_postmortem(Postmortem(incident=workspace.incident(), summary="changed"))
    assert target.read_bytes() == before


def test_new_refuses_a_planted_accounts_symlink(tmp_path: Path) -> None:
    root = tmp_path / "inc"
    root.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "accounts").symlink_to(elsewhere)
    with pytest.raises(PmError) as caught:
        Workspace.create(root, "Checkout outage")
    assert_one_clear_line(str(caught.value))
    assert list(elsewhere.iterdir()) == []
