"""An incident folder on disk: layout, safe names, validated loads, atomic writes, locks.

    DIR/incident.toml              the incident (facilitator)
    DIR/accounts/<participant>.toml one responder's account (only that responder writes it)
    DIR/postmortem.toml            the facilitator's merged draft

Writes are atomic: a temporary file in the same folder, fsync, rename, fsync of the folder, so
a reader (or a crash, or SIGKILL) sees the old file or the new one, never half of one. Renaming
replaces a planted symlink instead of writing through it. Reads refuse symlinks, oversized
files and anything that does not validate, with one line naming the file; a bad file is never
overwritten silently.

Editing an account takes an exclusive `flock` on a hidden lock file. The kernel drops it when
the process dies however it dies, so a killed session never leaves a stale lock; a session
still alive after its connection dropped can be asked to save and exit (see `AccountLock`).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import grp
import json
import os
import pwd
import re
import secrets
import signal
import socket
import stat
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import tomli_w
from pydantic import BaseModel, ValidationError

from pminterview import locations
from pminterview.errors import PmError
from pminterview.model import SCHEMA_VERSION, Account, Incident, Postmortem

M = TypeVar("M", bound=BaseModel)

#: No legitimate file comes near this; a bigger one is refused before it is read.
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_NAME_LENGTH = 64
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

# Account files: the owner writes, the incident's group reads, others nothing.
ACCOUNT_MODE = 0o640
# incident.toml and postmortem.toml: co-facilitators in the group may edit.
SHARED_MODE = 0o660


def safe_name(name: str, what: str = "participant name") -> str:
    """Return `name` if it can be a file name inside the workspace, else raise PmError.

    Letters, digits, dot, dash and underscore; starts with a letter or digit, so no "..",
    no hidden files, no slashes, no absolute paths, nothing non-printing.
    """
    if not name:
        raise PmError(f"{what} is empty; give one such as 'alice' or 'oncall-sre'")
    if len(name) > MAX_NAME_LENGTH:
        raise PmError(f"{what} is {len(name)} characters long; use at most {MAX_NAME_LENGTH}")
    if not _SAFE_NAME.fullmatch(name) or ".." in name:
        shown = name.encode("unicode_escape").decode("ascii")
        raise PmError(
            f"{what} {shown!r} is not allowed; use letters, digits, '.', '-' or '_', starting with a letter or digit"
        )
    return name


def slug(text: str) -> str:
    """A folder-safe id made from a title ("Checkout outage" -> "checkout-outage")."""
    words = re.findall(r"[A-Za-z0-9]+", text.lower())
    return "-".join(words)[:MAX_NAME_LENGTH].strip("-") or "incident"


# --- reading and writing TOML -----------------------------------------------------------------


def to_toml(model: BaseModel) -> str:
    """Serialise a model deterministically: fields in declared order, free-form maps sorted by
    their models' serialisers, no unset values (TOML has no null)."""
    return tomli_w.dumps(model.model_dump(mode="json", exclude_none=True), multiline_strings=True)


def read_model(path: Path, model: type[M], what: str) -> M:
    """Load and validate one file; every failure is a PmError naming the file."""
    data = _read_toml(path, what)
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise PmError(f"{path}: no schema_version, so this is not a pminterview {what} file; move it out of the folder")
    if version > SCHEMA_VERSION:
        raise PmError(
            f"{path}: written by a newer pminterview (schema {version}, this one reads {SCHEMA_VERSION}); upgrade pminterview"
        )
    if version < 1:
        raise PmError(f"{path}: schema_version {version} is not one pminterview wrote; restore the file from git or a backup")
    try:
        return model.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        message = first["msg"].rstrip(".")
        raise PmError(f"{path}: field {where}: {message}; fix the field or restore the file from git") from None


def _read_toml(path: Path, what: str) -> dict:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        raise PmError(f"{path}: no such {what} file; check the path") from None
    except OSError as err:
        if err.errno == 40:  # ELOOP: a symlink where a file should be
            raise PmError(f"{path}: is a symbolic link; pminterview only reads plain files — replace it with the file") from None
        raise PmError(f"{path}: cannot read ({err.strerror}); check its permissions") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise PmError(f"{path}: is not a regular file; move it out of the folder")
        if info.st_size > MAX_FILE_BYTES:
            raise PmError(
                f"{path}: is {info.st_size // (1024 * 1024)} MB, far larger than any {what} file; move it out of the folder"
            )
        raw = handle.read(MAX_FILE_BYTES + 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise PmError(f"{path}: is not UTF-8 text (byte {err.start}); restore it from git or a backup") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise PmError(f"{path}: is not valid TOML ({err}); fix it or restore it from git") from None


def atomic_write(path: Path, text: str, mode: int = ACCOUNT_MODE) -> None:
    """Replace `path` with `text` so that readers see the old or the new file, never a mix."""
    folder = path.parent
    if folder.is_symlink():
        raise PmError(f"{folder}: is a symbolic link; pminterview writes only into real folders")
    temp = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{locations.TEMP_SUFFIX}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)  # the umask must not hide the file from the group
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    # The rename itself must reach the disk, or a power cut can bring back the old name.
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete temporary files left by writers that died mid-save on this host.

    A temp file names its writer's pid; one whose writer is still alive is left alone.
    """
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for entry in folder.iterdir():
        if not (entry.name.startswith(".") and entry.name.endswith(locations.TEMP_SUFFIX)):
            continue
        parts = entry.name.split(".")
        pid = int(parts[-3]) if len(parts) >= 4 and parts[-3].isdigit() else None
        if pid is not None and _pid_alive(pid):
            continue
        try:
            entry.unlink()
            removed.append(entry)
        except OSError:
            pass  # someone else's file in a shared folder: not ours to remove, and harmless
    return removed


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, owned by someone else
    return True


# --- the workspace ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountEntry:
    """One file in accounts/: the account when it loads, otherwise why it does not."""

    participant: str
    path: Path
    account: Account | None
    error: str | None
    modified: dt.datetime | None


class Workspace:
    """One incident folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # creation and loading

    @classmethod
    def create(
        cls,
        root: Path,
        title: str,
        started: dt.datetime | None = None,
        timezone: str = "UTC",
        group: str | None = None,
    ) -> Workspace:
        """Make a new incident folder; refuses one that already holds an incident."""
        root = Path(root)
        if locations.incident_file(root).exists():
            raise PmError(f"{root}: already holds an incident; pick a new folder")
        gid = _group_id(group) if group else None
        incident = Incident(id=slug(root.resolve().name or title), title=title, started=started, timezone=timezone)
        accounts = locations.accounts_dir(root)
        try:
            accounts.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise PmError(f"{root}: cannot create the folder ({err.strerror}); check the path and permissions") from None
        if gid is not None:
            # setgid folders make every new file inherit the incident's group.
            for folder in (root, accounts):
                os.chown(folder, -1, gid)
                os.chmod(folder, 0o2770)
        workspace = cls(root)
        workspace.save_incident(incident)
        return workspace

    @classmethod
    def open(cls, root: Path) -> Workspace:
        """An existing incident folder; raises PmError when it is not one."""
        workspace = cls(Path(root))
        if not locations.incident_file(workspace.root).is_file():
            raise PmError(
                f"{root}: not an incident folder (no {locations.INCIDENT_FILE}); create one with `pminterview new {root} --title ...`"
            )
        return workspace

    def incident(self) -> Incident:
        return read_model(locations.incident_file(self.root), Incident, "incident")

    def save_incident(self, incident: Incident) -> None:
        atomic_write(locations.incident_file(self.root), to_toml(incident), SHARED_MODE)

    # accounts

    def account_path(self, participant: str) -> Path:
        return locations.account_file(self.root, safe_name(participant))

    def load_account(self, participant: str) -> Account | None:
        """The participant's account, or None when they have not started one."""
        path = self.account_path(participant)
        if not path.exists() and not path.is_symlink():
            return None
        account = read_model(path, Account, "account")
        if account.participant != participant:
            raise PmError(
                f"{path}: belongs to participant {account.participant!r}, not {participant!r}; rename the file back"
            )
        return account

    def save_account(self, account: Account) -> None:
        """Write an account; refuses to write a file another user owns."""
        path = self.account_path(account.participant)
        self.check_writable(path)
        accounts = locations.accounts_dir(self.root)
        accounts.mkdir(exist_ok=True)
        atomic_write(path, to_toml(account), ACCOUNT_MODE)

    def check_writable(self, path: Path) -> None:
        """Raise PmError when `path` belongs to another user: one writer per account."""
        try:
            owner = os.lstat(path).st_uid
        except FileNotFoundError:
            return
        if owner != os.getuid():
            raise PmError(
                f"{path}: belongs to user {_user_name(owner)}; each person writes only their own account — "
                "run as that user or choose another --participant"
            )

    def accounts(self) -> list[AccountEntry]:
        """Every account file, sorted by participant; a bad file is listed with its error."""
        folder = locations.accounts_dir(self.root)
        if not folder.is_dir():
            return []
        entries: list[AccountEntry] = []
        for path in sorted(folder.glob("*.toml")):
            if path.name.startswith("."):
                continue
            participant = path.stem
            modified = _modified(path)
            try:
                safe_name(participant)
                account = self.load_account(participant)
                entries.append(AccountEntry(participant, path, account, None, modified))
            except PmError as err:
                entries.append(AccountEntry(participant, path, None, str(err), modified))
        return entries

    def lock_account(self, participant: str) -> AccountLock:
        return AccountLock(locations.lock_file(self.root, safe_name(participant)))

    # the postmortem

    def load_postmortem(self) -> Postmortem | None:
        path = locations.postmortem_file(self.root)
        if not path.exists() and not path.is_symlink():
            return None
        return read_model(path, Postmortem, "postmortem")

    def save_postmortem(self, postmortem: Postmortem) -> None:
        atomic_write(locations.postmortem_file(self.root), to_toml(postmortem), SHARED_MODE)


def _modified(path: Path) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(path.lstat().st_mtime, dt.timezone.utc)
    except OSError:
        return None


def _group_id(group: str) -> int:
    try:
        return grp.getgrnam(group).gr_gid
    except KeyError:
        raise PmError(f"group {group!r} does not exist; create it first (groupadd {group}) or pick another") from None


def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


# --- one live session per account -------------------------------------------------------------


@dataclass(frozen=True)
class LockHolder:
    """Who holds an account open, as written into the lock file."""

    pid: int
    host: str
    user: str
    since: str

    def describe(self) -> str:
        return f"{self.user} (pid {self.pid} on {self.host}, since {self.since})"


class AccountLock:
    """An exclusive hold on one account while a session edits it.

    `acquire()` returns True when held. Otherwise `holder` says who has it; `take_over()`
    asks that session (same user, same host) to save and exit with SIGHUP, as a dropped SSH
    connection would, then acquires.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self.holder: LockHolder | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o640)
        except OSError as err:
            raise PmError(f"{self.path}: cannot open the lock file ({err.strerror}); check the folder's permissions") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.holder = _read_holder(fd)
            os.close(fd)
            return False
        me = LockHolder(
            pid=os.getpid(),
            host=socket.gethostname(),
            user=_user_name(os.getuid()),
            since=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        )
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(me.__dict__).encode(), 0)
        self._fd, self.holder = fd, None
        return True

    def take_over(self, wait_seconds: float = 5.0) -> bool:
        """Ask the holding session to save and exit, then acquire. False if it would not go."""
        holder = self.holder
        if holder and holder.host == socket.gethostname() and holder.user == _user_name(os.getuid()):
            try:
                os.kill(holder.pid, signal.SIGHUP)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + wait_seconds
        while time.monotonic() < deadline:
            if self.acquire():
                return True
            time.sleep(0.1)
        return False

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock; the file stays, harmless
            self._fd = None


def _read_holder(fd: int) -> LockHolder | None:
    try:
        data = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
        return LockHolder(int(data["pid"]), str(data["host"]), str(data["user"]), str(data["since"]))
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None
