"""The one error type that user input may produce.

Every problem a person can fix (a damaged file, a bad name, an unreadable time) is raised as
`PmError` with a single line that names the file or field, says what went wrong and what to do.
Anything else escaping is a bug and keeps its traceback.
"""


class PmError(Exception):
    """A problem with the user's input or files, described in one actionable line."""

    def __init__(self, message: str) -> None:
        # Keep it to one line whatever the caller passed: the CLI prints it verbatim.
        super().__init__(" ".join(message.split()))

    @property
    def message(self) -> str:
        return str(self)
