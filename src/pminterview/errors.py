"""The one error type that user input may produce.

Every problem a person can fix (a damaged file, a bad name, an unreadable time) is raised as
`PmError` with a single line that names the file or field, says what went wrong and what to do.
Anything else escaping is a bug and keeps its traceback.
"""

from pminterview.textsafety import escape


class PmError(Exception):
    """A problem with the user's input or files, described in one actionable line."""

    def __init__(self, message: str) -> None:
        # One line whatever the caller passed, because the CLI and the TUI print it verbatim;
        # and messages quote file names and keys from disk, which anyone sharing the folder
        # could have chosen, so control characters are shown escaped, never sent raw.
        super().__init__(" ".join(escape(str(message)).split()))

    @property
    def message(self) -> str:
        return str(self)
