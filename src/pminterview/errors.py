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


# What a value should have been, by pydantic error type, in the words of a TOML file.
_EXPECTED = {
    "string_type": "text in quotes",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "list_type": "a list",
    "tuple_type": "a list",
    "set_type": "a list",
    "datetime_type": "a date and time such as 2026-11-27T14:02:00Z",
    "datetime_parsing": "a date and time such as 2026-11-27T14:02:00Z",
    "datetime_from_date_parsing": "a date and time such as 2026-11-27T14:02:00Z",
    "timezone_aware": "a date and time with its zone, such as 2026-11-27T14:02:00Z",
    "date_type": "a date such as 2026-12-01",
    "date_parsing": "a date such as 2026-12-01",
    "date_from_datetime_parsing": "a date such as 2026-12-01",
    "date_from_datetime_inexact": "a date such as 2026-12-01",
}


def validation_problem(errors: list, fix: str) -> tuple[str, str]:
    """The first of pydantic's `ValidationError.errors()` in plain words, as (what is wrong,
    what to do): ("has an unknown field 'foo' (at answers.cues)", "remove it or check its
    spelling"). The reason reads after a file name or "it"; `fix` is the advice for a bad value.

    Field paths read like the lint's (`timeline[0].at`). Taking the error list, not the
    exception, keeps pydantic out of this module's imports.
    """
    first = errors[0]
    loc = list(first.get("loc", ()))
    kind = first.get("type", "")
    if kind in ("extra_forbidden", "missing") and loc:
        name, parent = clip(str(loc[-1])), _path(loc[:-1])
        at = f" (at {parent})" if parent else ""
        if kind == "extra_forbidden":
            return f"has an unknown field '{name}'{at}", "remove it or check its spelling"
        return f"is missing field '{name}'{at}", "add it or restore the file from git"
    value = first.get("input")
    ctx = first.get("ctx") or {}
    if not loc:
        return f"is not valid ({_message(first)})", fix
    where = _path(loc)
    if kind in _EXPECTED:
        return f"has field {where} = {_shown(value)}, but it should be {_EXPECTED[kind]}", fix
    if kind in ("enum", "literal_error") and "expected" in ctx:
        return f"has field {where} = {_shown(value)}, but it should be {ctx['expected']}", fix
    if kind == "string_too_long" and isinstance(value, str) and "max_length" in ctx:
        return f"has field {where} {len(value)} characters long, but it may have at most {ctx['max_length']}", fix
    return f"has field {where} = {_shown(value)}, which is not valid ({_message(first)})", fix


def _message(error: dict) -> str:
    message = str(error.get("msg", "not valid")).removeprefix("Value error, ").rstrip(".")
    return message[:1].lower() + message[1:]


def _path(loc: list) -> str:
    # ("timeline", 0, "at") -> "timeline[0].at"; keys come from the file and can be anything.
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + clip(str(part))
    return out


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return repr(clip(value))
    if hasattr(value, "isoformat"):  # TOML dates and times arrive as datetime objects
        return value.isoformat()
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return "a " + type(value).__name__


def clip(text: str, limit: int = 40) -> str:
    """`text` cut to `limit` characters, "..." marking the cut: for values quoted from files."""
    return text if len(text) <= limit else text[:limit] + "..."
