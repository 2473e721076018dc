"""An incident folder on disk: layout, safe names, validated loads, atomic writes, locks.

    DIR/incident.toml              the incident (facilitator)
    DIR/accounts/<participant>.toml one responder's account (only that responder writes it)
    DIR/postmortem.toml            the facilitator's merged draft

Writes are atomic: a temporary file in the same folder, fsync, rename, fsync of the folder, so
a reader (or a crash, or SIGKILL) sees the old file or the new one, never half of one. All of it
happens relative to a handle on the folder opened without following symlinks, so a planted
symlink (for the folder, the file or the temporary name) is never written through. Reads refuse
symlinks, oversized files and anything that does not validate, with one line naming the file;
a file that does not load is never replaced by a save.

Shared folders (`pminterview new DIR --group G`): DIR is setgid and group-writable (2770) so
every new file keeps the group; accounts/ is also sticky (3770), so the kernel stops anyone but
its owner from replacing or deleting an account file; accounts are 0640 (owner writes, group
reads), incident.toml and postmortem.toml 0660 (facilitators share them).

Editing an account takes an exclusive `flock` on a hidden lock file. The kernel drops it when
the process dies however it dies, so a killed session never leaves a stale lock; a session
still alive after its connection dropped can be asked to save and exit (see `AccountLock`).
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import grp
import json
import os
import pwd
import re
import signal
import stat
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pminterview import locations
from pminterview.errors import PmError, clip, validation_problem
from pminterview.textsafety import MAX_NAME_LENGTH, escape, name_problem

# pydantic and the models are imported where a file is validated, not here: the interview
# opens its folder, checks names and reads raw TOML with this module before its first
# screen, and importing pydantic would cost as much as starting the screen.
if TYPE_CHECKING:
    from pydantic import BaseModel

    from pminterview.model import Account, Incident, Postmortem

M = TypeVar("M", bound="BaseModel")

#: No legitimate file comes near this; a bigger one is refused before it is read.
MAX_FILE_BYTES = 4 * 1024 * 1024

# Account files: the owner writes, the incident's group reads, others nothing.
ACCOUNT_MODE = 0o640
# incident.toml and postmortem.toml: co-facilitators in the group may edit.
SHARED_MODE = 0o660
# Folders of a shared incident: setgid keeps the group on new files; the sticky bit on
# accounts/ means only a file's owner may rename or delete it, so nobody can swap in their
# own version of someone else's account even though the folder is group-writable.
SHARED_DIR_MODE = 0o2770
ACCOUNTS_DIR_MODE = 0o3770
# A temporary file this old is garbage even if its writer's pid is alive (pids get reused).
STALE_TEMP_SECONDS = 3600

# What to do about a folder that is not there: one of the incident's own, or any other.
NO_INCIDENT_FOLDER = "check the path or create the incident with `pminterview new`"
NO_FOLDER = "create it or choose another path"

_TEMP_ATTEMPTS = 8
# ".<file name>.<pid>.<8 hex digits>.tmp", as `_create_temp` names them.
_TEMP_NAME = re.compile(r"\..+\.(\d{1,10})\.[0-9a-f]{8}" + re.escape(locations.TEMP_SUFFIX))


class UnreadableFile(PmError):
    """A file that exists but does not load. `reason` says why, `advice` what to do."""

    def __init__(self, path: Path, reason: str, advice: str) -> None:
        super().__init__(f"{path}: {reason}; {advice}")
        self.path = path
        self.reason = reason
        self.advice = advice


def safe_name(name: str, what: str = "participant name") -> str:
    """Return `name` if it can be a file name inside the workspace, else raise PmError.

    Letters, digits, dot, dash and underscore; starts with a letter or digit, so no "..",
    no hidden files, no slashes, no absolute paths, nothing non-printing.
    """
    problem = name_problem(name)
    if problem is None:
        return name
    if not name:
        raise PmError(f"{what} is empty; give one such as 'alice' or 'oncall-sre'")
    shown = name if len(name) <= MAX_NAME_LENGTH else name[:24] + "..."
    raise PmError(f"{what} '{escape(shown)}' {problem}")


def slug(text: str) -> str:
    """A folder-safe id made from a title ("Checkout outage" -> "checkout-outage")."""
    words = re.findall(r"[A-Za-z0-9]+", text.lower())
    return "-".join(words)[:MAX_NAME_LENGTH].strip("-") or "incident"


# --- reading and writing TOML -----------------------------------------------------------------


def to_toml(model: BaseModel) -> str:
    """Serialise a model deterministically: fields in declared order, free-form maps sorted by
    their models' serialisers, no unset values (TOML has no null)."""
    import tomli_w

    return tomli_w.dumps(model.model_dump(mode="json", exclude_none=True), multiline_strings=True)


def read_model(path: Path, model: type[M], what: str) -> M:
    """Load and validate one file; every failure is a PmError (an `UnreadableFile` when the
    file exists) naming the file and what to do."""
    return parse_model(_read_text(path, what), model, what, path)


def read_toml(path: Path, what: str) -> dict:
    """The file as plain TOML data, read with the same checks as `read_model` (no symlinks,
    size limit, UTF-8, valid TOML) but not validated: a first look before the models load.
    Every failure is a PmError naming the file."""
    return _parse_toml(_read_text(path, what), path)


def parse_model(text: str, model: type[M], what: str, path: Path) -> M:
    """Validate TOML `text` as `model`; failures are `UnreadableFile` naming `path`.

    Shared by every loader (workspace files, exported postmortems, stdin), so all of them
    check schema_version and report problems the same way."""
    from pydantic import ValidationError

    from pminterview.model import SCHEMA_VERSION

    data = _parse_toml(text, path)
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise UnreadableFile(
            path, f"no schema_version, so this is not a pminterview {what} file", "move it out of the folder"
        )
    if version > SCHEMA_VERSION:
        raise UnreadableFile(
            path,
            f"written by a newer pminterview (schema {clip(str(version))}, this one reads {SCHEMA_VERSION})",
            "upgrade pminterview",
        )
    if version < 1:
        raise UnreadableFile(
            path, f"schema_version {clip(str(version))} is not one pminterview wrote", "restore the file from git or a backup"
        )
    try:
        return model.model_validate(data)
    except ValidationError as err:
        # Keys come from the file and can be anything: PmError shows them escaped.
        reason, advice = validation_problem(err.errors(), "fix the value or restore the file from git")
        raise UnreadableFile(path, reason, advice) from None


def _read_text(path: Path, what: str) -> str:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise PmError(f"{path}: no such {what} file; check the path") from None
    except OSError as err:
        if err.errno == errno.ELOOP:  # O_NOFOLLOW met a symlink where a file should be
            raise UnreadableFile(
                path, "is a symbolic link; pminterview only reads plain files", "replace it with the file itself"
            ) from None
        if err.errno == errno.EACCES:
            raise UnreadableFile(path, "cannot be read (permission denied)", _access_advice(path.parent)) from None
        raise UnreadableFile(path, f"cannot be read ({err.strerror})", "check the file and its folder") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(path, "is not a regular file", "move it out of the folder")
        if info.st_size > MAX_FILE_BYTES:
            raise UnreadableFile(path, _too_big(info.st_size, what), "move it out of the folder")
        raw = _read_at_most(fd, MAX_FILE_BYTES + 1)
    except OSError as err:
        raise UnreadableFile(path, f"cannot be read ({err.strerror})", "check the disk and the file") from None
    finally:
        os.close(fd)
    if len(raw) > MAX_FILE_BYTES:  # it grew after the size check
        raise UnreadableFile(path, _too_big(len(raw), what), "move it out of the folder")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(path, "is UTF-16 text, not UTF-8", "convert it (iconv -f UTF-16 -t UTF-8) or restore it from git")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise UnreadableFile(path, f"is not UTF-8 text (byte {err.start})", "restore it from git or a backup") from None
    return text


def _parse_toml(text: str, path: Path) -> dict:
    if "\x00" in text:
        # Typical of a file cut short by a crash or a full disk on some filesystems.
        raise UnreadableFile(path, "contains NUL bytes, so it is damaged", "restore it from git or a backup, or move it aside")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise UnreadableFile(path, f"is not valid TOML ({err})", "fix it or restore it from git") from None
    except RecursionError:
        raise UnreadableFile(path, "is not valid TOML (nested far too deeply)", "restore it from git") from None


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = os.read(fd, min(1 << 20, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _too_big(size: int, what: str) -> str:
    return f"is {size / (1024 * 1024):.0f} MB, far larger than any {what} file"


def atomic_write(path: Path, text: str, mode: int = ACCOUNT_MODE, *, missing_folder: str = NO_FOLDER) -> None:
    """Replace `path` with `text` so that readers see the old or the new file, never a mix.

    The folder must be a real folder, not a symlink; a symlink at `path` itself is replaced,
    never written through. Every failure is a PmError naming the file, and leaves the old
    file as it was. `missing_folder` is the advice when the folder does not exist: by
    default to create it or choose another path, as for an export's `-o`.
    """
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise PmError(f"{path}: not saved, the text holds a character UTF-8 cannot store (at {err.start}); remove it") from None
    folder = path.parent
    dir_fd = _open_folder(folder, missing_folder)
    try:
        temp, fd = _create_temp(dir_fd, folder, path.name, mode)
        try:
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(handle.fileno(), mode)  # the umask must not hide the file from the group
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, path.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        except BaseException as err:
            try:
                os.unlink(temp, dir_fd=dir_fd)
            except OSError:
                pass  # already renamed, or the folder went away: nothing left to tidy
            if isinstance(err, OSError):
                raise _write_error(path, err) from None
            raise
        # The rename itself must reach the disk, or a power cut can bring back the old name.
        try:
            os.fsync(dir_fd)
        except OSError as err:
            # Some network and FUSE file systems cannot fsync a folder; the rename is done.
            if err.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
                raise _write_error(path, err) from None
    finally:
        os.close(dir_fd)


def _open_folder(folder: Path, missing: str = NO_INCIDENT_FOLDER) -> int:
    """A handle on `folder` that is guaranteed not to be a symlink (PmError otherwise).

    `missing` is the advice when the folder does not exist."""
    try:
        return os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as err:
        if err.errno in (errno.ELOOP, errno.ENOTDIR) and folder.is_symlink():
            raise PmError(
                f"{folder}: is a symbolic link; pminterview writes only into real folders — "
                f"use the real folder ({folder.resolve()}) or remove the link"
            ) from None
        if err.errno == errno.ENOENT:
            raise PmError(f"{folder}: the folder does not exist; {missing}") from None
        if err.errno == errno.EACCES:
            raise PmError(f"{folder}: permission denied; {_access_advice(folder)}") from None
        raise PmError(f"{folder}: cannot open the folder ({err.strerror}); check the path") from None


def _create_temp(dir_fd: int, folder: Path, name: str, mode: int) -> tuple[str, int]:
    # O_EXCL | O_NOFOLLOW: whatever already sits at the name (a file, a planted symlink) is
    # never opened; a fresh random name is tried instead.
    for _ in range(_TEMP_ATTEMPTS):
        temp = f".{name}.{os.getpid()}.{_temp_tag()}{locations.TEMP_SUFFIX}"
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
            return temp, os.open(temp, flags, mode, dir_fd=dir_fd)
        except FileExistsError:
            continue
        except OSError as err:
            raise _write_error(folder / name, err) from None
    raise PmError(
        f"{folder}: cannot create a temporary file for {name} (every name tried was taken); "
        "remove the hidden .*.tmp files there and save again"
    )


def _write_error(path: Path, err: OSError) -> PmError:
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return PmError(f"{path}: not saved, the disk is full (or over quota); free some space and save again")
    if err.errno == errno.EROFS:
        return PmError(f"{path}: not saved, the file system is read-only; copy the folder somewhere writable")
    if err.errno == errno.EPERM:
        # Replacing a file in a sticky folder needs its owner.
        return PmError(f"{path}: not saved, {_owner_clause(path)}only its owner may replace it; run as that user")
    if err.errno == errno.EACCES:
        return PmError(f"{path}: not saved (permission denied); {_access_advice(path.parent)}")
    if err.errno == errno.EISDIR:
        return PmError(f"{path}: not saved, a folder has that name; move the folder away")
    return PmError(f"{path}: not saved ({err.strerror}); check the folder and save again")


def _owner_clause(path: Path) -> str:
    try:
        return f"it belongs to user {_user_name(os.lstat(path).st_uid)} and "
    except OSError:
        return ""


def _access_advice(folder: Path) -> str:
    """What to do about a permission error in an incident folder: usually, join its group."""
    try:
        gid = os.stat(folder).st_gid
    except OSError:
        return "check the folder's permissions"
    if gid in os.getgroups() or gid == os.getgid():
        return "check the folder's permissions"
    return f"ask to be added to group {_group_name(gid)} (then log in again), or check the permissions"


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete temporary files left by writers that died mid-save on this host.

    A temp file names its writer's pid; one whose writer is still alive is left alone unless
    it is older than any save could take. Files this user may not delete are skipped: they
    are ignored by every reader anyway.
    """
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    now = time.time()
    for name in names:
        match = _TEMP_NAME.fullmatch(name)
        if match is None:
            continue  # not one of ours: leave other people's files alone
        entry = folder / name
        pid = int(match.group(1))
        try:
            age = now - os.lstat(entry).st_mtime
        except OSError:
            continue
        if age < STALE_TEMP_SECONDS and (pid == os.getpid() or _pid_alive(pid)):
            continue  # a save in flight, here or in another live process
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
    except (OverflowError, ValueError):
        return False
    return True


# --- the workspace ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AccountEntry:
    """One file in accounts/: the account when it loads, otherwise why it does not.

    `participant` comes from the file name, with any unsafe character shown escaped.
    `owner` is the user who owns the file: on a shared host, who really wrote it.
    """

    participant: str
    path: Path
    account: Account | None
    error: str | None
    modified: dt.datetime | None
    owner: str | None = None


class Workspace:
    """One incident folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        # postmortem.toml as this workspace last read or wrote it, known to load: a save need
        # not read and check a file it still finds unchanged (megabytes, at every autosave).
        self._checked_postmortem: tuple[int, int, int] | None = None

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
        """Make a new incident folder; refuses one that already holds an incident.

        With `group`, the folder is shared: see the module docstring for the modes.
        """
        root = _trusted_root(root)
        if os.path.lexists(locations.incident_file(root)):
            raise PmError(f"{root}: already holds an incident; pick a new folder")
        gid = _group_id(group) if group else None
        from pydantic import ValidationError

        from pminterview.model import Incident

        try:
            incident = Incident(id=slug(root.resolve().name or title), title=title, started=started, timezone=timezone)
        except ValidationError as err:
            reason, advice = validation_problem(err.errors(), "give a shorter or simpler value")
            raise PmError(f"the incident {reason}; {advice}") from None
        accounts = locations.accounts_dir(root)
        try:
            root.mkdir(parents=True, exist_ok=True)
            accounts.mkdir(exist_ok=True)
        except FileExistsError:
            raise PmError(f"{accounts}: exists and is not a folder; move it away and try again") from None
        except OSError as err:
            raise PmError(f"{root}: cannot create the folder ({err.strerror}); check the path and permissions") from None
        if gid is not None:
            _share_folder(root, gid, SHARED_DIR_MODE, group or "")
            _share_folder(accounts, gid, ACCOUNTS_DIR_MODE, group or "")
        else:
            os.close(_open_folder(accounts))  # refuses a planted symlink
        workspace = cls(root)
        workspace.save_incident(incident)
        return workspace

    @classmethod
    def open(cls, root: Path) -> Workspace:
        """An existing incident folder; raises PmError when it is not one.

        Temporary files left by a save that was killed half-way are removed here.
        """
        workspace = cls(_trusted_root(root))
        try:
            found = stat.S_ISREG(os.stat(locations.incident_file(workspace.root)).st_mode)
        except PermissionError:
            raise PmError(f"{root}: permission denied; {_access_advice(workspace.root)}") from None
        except OSError:
            found = False
        if not found:
            raise PmError(
                f"{root}: not an incident folder (no {locations.INCIDENT_FILE}); create one with `pminterview new {root} --title ...`"
            )
        remove_stale_temps(workspace.root)
        remove_stale_temps(locations.accounts_dir(workspace.root))
        return workspace

    def incident(self) -> Incident:
        from pminterview.model import Incident

        return read_model(locations.incident_file(self.root), Incident, "incident")

    def save_incident(self, incident: Incident) -> None:
        """Write incident.toml; refuses to replace one that does not load."""
        from pminterview.model import Incident

        path = locations.incident_file(self.root)
        _refuse_to_replace_unreadable(path, Incident, "incident")
        atomic_write(path, to_toml(incident), SHARED_MODE, missing_folder=NO_INCIDENT_FOLDER)

    # accounts

    def account_path(self, participant: str) -> Path:
        return locations.account_file(self.root, safe_name(participant))

    def load_account(self, participant: str) -> Account | None:
        """The participant's account, or None when they have not started one."""
        path = self.account_path(participant)
        if not os.path.lexists(path):
            return None
        from pminterview.model import Account

        account = read_model(path, Account, "account")
        if account.participant != participant:
            raise UnreadableFile(
                path,
                f"belongs to participant '{clip(account.participant)}', not '{participant}'",
                "rename the file back",
            )
        return account

    def save_account(self, account: Account) -> None:
        """Write an account.

        Refuses (PmError) to write a file another user owns, and to replace a file that does
        not load: that could be someone's only copy of their account, or a newer version's.
        """
        path = self.account_path(account.participant)
        self.check_writable(path)
        if os.path.lexists(path):
            try:
                self.load_account(account.participant)
            except UnreadableFile as err:
                raise _kept(path, err) from None
        accounts = locations.accounts_dir(self.root)
        shared = self._check_accounts_folder()
        try:
            accounts.mkdir()
        except FileExistsError:
            pass  # a planted symlink or file in its place is refused by atomic_write
        except OSError as err:
            raise PmError(f"{accounts}: cannot create the folder ({err.strerror}); {_access_advice(self.root)}") from None
        else:
            if shared:
                fd = _open_folder(accounts)
                try:
                    os.fchmod(fd, ACCOUNTS_DIR_MODE)
                finally:
                    os.close(fd)
        atomic_write(path, to_toml(account), ACCOUNT_MODE, missing_folder=NO_INCIDENT_FOLDER)

    def _check_accounts_folder(self) -> bool:
        """In a shared (setgid) incident folder, make sure accounts/ is the one its owner made.

        Anyone in the group may rename entries of the group-writable incident folder, so a
        member could swap in an accounts/ of their own, where, as its owner, they could delete
        or replace other people's files. Returns whether the folder is shared.
        """
        try:
            root = os.stat(self.root)
        except OSError:
            return False  # reported precisely by whatever reads or writes next
        if not root.st_mode & stat.S_ISGID:
            return False  # a private folder: only its owner writes there
        accounts = locations.accounts_dir(self.root)
        owner = _user_name(root.st_uid)
        try:
            info = os.lstat(accounts)
        except FileNotFoundError:
            if os.geteuid() != root.st_uid:
                raise PmError(
                    f"{accounts}: is missing; ask {owner}, who owns the incident folder, to recreate it "
                    f"(mkdir -m 3770 {accounts})"
                ) from None
            return True
        except OSError:
            return True  # reported precisely by whatever reads or writes next
        if stat.S_ISDIR(info.st_mode) and info.st_uid != root.st_uid:
            raise PmError(
                f"{accounts}: belongs to user {_user_name(info.st_uid)}, not to {owner} who owns the incident "
                f"folder, so it may have been swapped for another; ask {owner} to check it (ls -la {self.root})"
            )
        return True

    def check_writable(self, path: Path) -> None:
        """Raise PmError when `path` belongs to another user: one writer per account."""
        try:
            owner = os.lstat(path).st_uid
        except FileNotFoundError:
            return
        except OSError as err:
            raise PmError(f"{path}: cannot check who owns it ({err.strerror}); {_access_advice(path.parent)}") from None
        if owner != os.getuid():
            raise PmError(
                f"{path}: belongs to user {_user_name(owner)}; each person writes only their own account — "
                "run as that user or choose another --participant"
            )

    def accounts(self) -> list[AccountEntry]:
        """Every account file, sorted by participant; a bad file is listed with its error.

        Raises PmError only when the accounts folder itself cannot be read.
        """
        folder = locations.accounts_dir(self.root)
        try:
            dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except FileNotFoundError:
            return []
        except OSError as err:
            os.close(_open_folder(folder))  # raises the precise PmError (symlink, permission)
            raise PmError(f"{folder}: cannot list the accounts ({err.strerror}); check the folder") from None
        try:
            self._check_accounts_folder()
            names = sorted(os.listdir(dir_fd))
        finally:
            os.close(dir_fd)
        entries: list[AccountEntry] = []
        for name in names:
            if name.startswith(".") or not name.endswith(".toml"):
                continue  # lock files, temporary files of a save in progress, anything else
            path = folder / name
            participant = name[: -len(".toml")]
            info = _lstat(path)
            modified = dt.datetime.fromtimestamp(info.st_mtime, dt.timezone.utc) if info else None
            owner = _user_name(info.st_uid) if info else None
            try:
                safe_name(participant)
                account = self.load_account(participant)
                entries.append(AccountEntry(participant, path, account, None, modified, owner))
            except PmError as err:
                entries.append(AccountEntry(escape(participant), path, None, str(err), modified, owner))
        return entries

    def lock_account(self, participant: str) -> AccountLock:
        return AccountLock(locations.lock_file(self.root, safe_name(participant)))

    # the postmortem

    def load_postmortem(self) -> Postmortem | None:
        path = locations.postmortem_file(self.root)
        if not os.path.lexists(path):
            return None
        from pminterview.model import Postmortem

        before = _file_signature(path)
        self._checked_postmortem = None  # until this read succeeds
        postmortem = read_model(path, Postmortem, "postmortem")
        if before is not None and _file_signature(path) == before:
            self._checked_postmortem = before  # not replaced while it was read
        return postmortem

    def save_postmortem(self, postmortem: Postmortem) -> None:
        """Write postmortem.toml; refuses to replace one that does not load."""
        path = locations.postmortem_file(self.root)
        from pminterview.model import Postmortem

        if self._checked_postmortem is None or _file_signature(path) != self._checked_postmortem:
            _refuse_to_replace_unreadable(path, Postmortem, "postmortem")
        atomic_write(path, to_toml(postmortem), SHARED_MODE, missing_folder=NO_INCIDENT_FOLDER)
        self._checked_postmortem = _file_signature(path)


def _trusted_root(root: Path) -> Path:
    # The incident folder is the one the person named, so a symlink there is theirs to use:
    # follow it once, here. Everything inside is checked without following links.
    root = Path(root)
    return root.resolve() if root.is_symlink() else root


def _file_signature(path: Path) -> tuple[int, int, int] | None:
    """(inode, size, change time) of `path` itself, or None when it is not there. Any rewrite
    changes it: a rename gives a new inode, and writing in place sets the change time, which,
    unlike the modification time, no tool can set back."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_size, info.st_ctime_ns)


def _refuse_to_replace_unreadable(path: Path, model: type[BaseModel], what: str) -> None:
    if not os.path.lexists(path):
        return
    try:
        read_model(path, model, what)
    except UnreadableFile as err:
        raise _kept(path, err) from None


def _kept(path: Path, err: UnreadableFile) -> PmError:
    return PmError(
        f"{path}: not saved, so that the file already there is kept: it {err.reason}; "
        f"{err.advice}, or move it aside, then save again"
    )


def _share_folder(folder: Path, gid: int, mode: int, group: str) -> None:
    fd = _open_folder(folder)
    try:
        os.fchown(fd, -1, gid)
        os.fchmod(fd, mode)
    except PermissionError:
        raise PmError(
            f"{folder}: cannot hand the folder to group {group}: you must own it and be a member of "
            f"the group (id shows your groups; after usermod -aG {group} you, log in again)"
        ) from None
    finally:
        os.close(fd)


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None


def _group_id(group: str) -> int:
    """The id of a group the folder can be handed to: it exists and this user is in it."""
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        raise PmError(f"group '{group}' does not exist; create it first (groupadd {group}) or pick another") from None
    if os.geteuid() != 0 and gid != os.getegid() and gid not in os.getgroups():
        raise PmError(
            f"you are not a member of group {group}, so the folder cannot be shared with it; "
            f"ask an admin to add you (usermod -aG {group} {_user_name(os.getuid())}), log in again, then retry"
        )
    return gid


def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


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
    connection would, then acquires. After a take-over, reload the account from disk: the
    other session saved its last words on the way out.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self.holder: LockHolder | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        """Take the lock without waiting; True when held. PmError when the lock file is unusable."""
        if self._fd is not None:
            return True
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # _open_folder below reports it precisely
        dir_fd = _open_folder(folder)
        try:
            flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
            fd = os.open(self.path.name, flags, 0o640, dir_fd=dir_fd)
        except OSError as err:
            raise self._unusable(err) from None
        finally:
            os.close(dir_fd)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise PmError(f"{self.path}: is not a regular file; remove it so the lock can be created")
            if info.st_uid != os.getuid():
                # Someone else's file could be locked by them forever; do not rely on it.
                raise PmError(
                    f"{self.path}: the lock file belongs to user {_user_name(info.st_uid)}, not you; "
                    "ask them or the folder's owner to remove it"
                )
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.holder = _read_holder(fd)
            os.close(fd)
            return False
        except BaseException:
            os.close(fd)
            raise
        me = LockHolder(
            pid=os.getpid(),
            host=os.uname().nodename,
            user=_user_name(os.getuid()),
            since=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        )
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(me.__dict__).encode(), 0)
        except OSError:
            pass  # who holds it is only a courtesy for the next session; the flock is what counts
        self._fd, self.holder = fd, None
        return True

    def _unusable(self, err: OSError) -> PmError:
        if err.errno == errno.ELOOP:
            return PmError(f"{self.path}: the lock file is a symbolic link; remove it")
        if err.errno == errno.EACCES:
            return PmError(f"{self.path}: {_owner_clause(self.path)}the lock file cannot be opened (permission denied); ask the folder's owner to remove it")
        return PmError(f"{self.path}: cannot open the lock file ({err.strerror}); check the folder's permissions")

    def take_over(self, wait_seconds: float = 5.0) -> bool:
        """Ask the holding session to save and exit, then acquire. False if it would not go."""
        holder = self.holder
        if (
            holder
            and holder.pid > 1  # never 0 or -1, which would signal a whole process group or everyone
            and holder.pid != os.getpid()
            and holder.host == os.uname().nodename
            and holder.user == _user_name(os.getuid())
        ):
            try:
                os.kill(holder.pid, signal.SIGHUP)
            except (ProcessLookupError, PermissionError, OverflowError):
                pass  # gone already, or not ours after all: waiting below settles it
        deadline = time.monotonic() + wait_seconds
        while True:
            if self.acquire():
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock; the file stays, harmless
            self._fd = None

    def __enter__(self) -> AccountLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _temp_tag() -> str:
    """Eight random hex digits that make a temporary file's name hard to guess in advance."""
    return os.urandom(4).hex()


def _read_holder(fd: int) -> LockHolder | None:
    try:
        data = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
        return LockHolder(int(data["pid"]), escape(str(data["host"])), escape(str(data["user"])), escape(str(data["since"])))
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, OSError, RecursionError):
        return None
