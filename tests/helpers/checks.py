"""Assertions shared by the tests of files, names and errors."""

from __future__ import annotations

import re
from pathlib import Path

# What must never reach a terminal: C0 controls but tab and newline, DEL, C1 controls.
UNSAFE_BYTES = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")
UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def assert_one_clear_line(message: str, path: Path | str | None = None) -> None:
    """A user-facing error: one line, names the file, says what to do, no control characters."""
    assert "\n" not in message and "\r" not in message, message
    assert not UNSAFE_CHARS.search(message), repr(message)
    assert ";" in message, f"no advice after ';' in: {message}"
    if path is not None:
        assert str(path) in message, f"{path} not named in: {message}"


def tree(folder: Path) -> dict[str, object]:
    """Every entry under `folder` with its content (or link target), to prove nothing changed.

    Big files (a planted sparse 1 GB file) are compared by inode, size and mtime, not read.
    """
    found: dict[str, object] = {}
    for entry in sorted(folder.rglob("*")):
        key = str(entry.relative_to(folder))
        info = entry.lstat()
        if entry.is_symlink():
            found[key] = "-> " + str(entry.readlink())
        elif entry.is_file() and info.st_size <= 1 << 20:
            found[key] = (info.st_ino, entry.read_bytes())
        else:
            found[key] = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_mode)
    return found
