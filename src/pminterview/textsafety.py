"""Keep terminal control sequences out of everything people read.

Text typed, pasted, imported or planted in a shared folder could carry escape sequences that
retitle a terminal, hide lines, fake prompts or write to the clipboard when shown or `cat`-ed.
Every stored string passes through `clean` on the way in (model validation), exports pass it
again on the way out, and error messages, which quote file names and keys from disk, pass
through `escape`, which keeps the bad characters visible instead of dropping them.

This module also holds the rule for names that become file names (`name_problem`), so the
models and the workspace apply the same rule without importing each other.
"""

import re

# C0 controls except tab and newline, DEL, C1 controls (0x80-0x9f, which some terminals treat
# as escape sequence introducers), lone surrogates (they cannot be written as UTF-8, so a
# save would fail), and bidi embeddings, overrides and isolates, which can disguise text.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
# A whole ANSI/VT sequence goes, not only its introducer, so no "[31m" debris is left behind:
# CSI (ESC [ or 8-bit 0x9b), OSC (ESC ] or 0x9d, ended by BEL or ST), then any other ESC + one
# character (DCS, APC, PM, SOS and charset switches; their payload is plain text once the
# introducer is gone).
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
)

MAX_NAME_LENGTH = 64
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def clean(text: str) -> str:
    """Return `text` without control characters or escape sequences.

    Tabs and newlines stay; CRLF and lone CR become LF, so pasted text keeps its lines.
    """
    if text.isprintable():
        return text  # the common case, and cheap
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _UNSAFE.sub("", text)


def is_clean(text: str) -> bool:
    """True when `clean` would leave `text` unchanged."""
    return clean(text) == text


def escape(text: str) -> str:
    """Show unsafe characters as visible escapes (`\\x1b`, `\\u202e`) instead of dropping them.

    For messages that quote names or keys from disk: the person sees exactly what is wrong
    with the name, and the terminal sees no control character.
    """
    if text.isprintable():
        return text
    out: list[str] = []
    for char in text:
        if char in "\n\t" or not _UNSAFE.match(char):
            out.append(char)
        else:
            out.append(char.encode("unicode_escape", "backslashreplace").decode("ascii"))
    return "".join(out)


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a file name inside a workspace, or None when it can.

    Letters, digits, dot, dash and underscore, starting with a letter or digit and without
    "..": so no parent folders, no hidden files, no slashes, no absolute paths and nothing
    non-printing. The reason names no value; callers add it, escaped.
    """
    if not isinstance(name, str) or not name:
        return "is empty"
    if len(name) > MAX_NAME_LENGTH:
        return f"is {len(name)} characters long; use at most {MAX_NAME_LENGTH}"
    if not _NAME.fullmatch(name) or ".." in name:
        return "is not allowed; use letters, digits, '.', '-' or '_', starting with a letter or digit"
    return None
