"""Keep terminal control sequences out of everything people read.

Text typed, pasted, imported or planted in a shared folder could carry escape sequences that
retitle a terminal, hide lines or fake prompts when shown or `cat`-ed. Every stored string
passes through `clean` on the way in (model validation) and exports pass it again on the way out.
"""

import re

# C0 controls except tab and newline, DEL, and C1 controls (0x80-0x9f, which some terminals
# treat as escape sequence introducers). Also bidi overrides, which can disguise text.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A whole ANSI/VT sequence goes, not only its ESC, so no "[31m" debris is left behind.
_ESCAPE_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")


def clean(text: str) -> str:
    """Return `text` without control characters or escape sequences; CRLF becomes LF."""
    if text.isprintable():
        return text  # the common case, and cheap
    text = text.replace("\r\n", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _UNSAFE.sub("", text)
