"""`pminterview lint PATH...`: the lint over files, with text or JSON output.

Markdown and plain text are linted as they are. TOML files are read as plain dictionaries
(sturdier than the models against hand-edited or damaged files) and their prose fields are
linted one by one, reported by field path (``answers.actions.text``, ``timeline[2].did``,
``actions[0].title``). The kind is detected from the content: an account has ``participant``
and ``answers``; a postmortem has ``narrative``, ``actions`` or ``incident``; any other TOML
has all its string values linted. In an account, hints the person dismissed are respected.

Exit status: 0 no findings, 1 findings, 2 a usage error or an unreadable file (one line on
stderr naming it).
"""

from __future__ import annotations

import io
import json
import os
import tomllib
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, TextIO

from ..textsafety import escape
from .engine import Finding, check_categories, lint_text

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

# Keys that never hold prose, for the generic TOML walk.
_NOT_PROSE = frozenset({
    "id", "schema_version", "status", "priority", "type", "kind", "owner", "tracker", "due",
    "created", "completed", "updated", "submitted", "started", "timezone", "at", "time",
    "rule_id", "sources", "factors", "raised_by", "source", "question", "participant", "role",
    "roles", "excerpt", "category",
})


@dataclass(frozen=True, slots=True)
class FileFinding:
    """A finding in one file, and in one field when the file is TOML."""

    path: str
    field: str | None
    finding: Finding


@dataclass(frozen=True, slots=True)
class _Document:
    path: str
    fields: list[tuple[str | None, str]]
    names: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    dismissed: frozenset[tuple[str | None, str, str]] = frozenset()


class _Unreadable(Exception):
    """A file that cannot be linted; the message is the one line to print."""


def run_lint_command(
    paths: list[str],
    fmt: str,
    select: Iterable[str] | None,
    ignore: Iterable[str] | None,
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    """Lint *paths* ("-" is stdin) and print findings as "text" or "json"; return the exit code."""
    if fmt not in ("text", "json"):
        print(f"pminterview lint: unknown format {fmt!r}; use text or json", file=stderr)
        return EXIT_USAGE
    try:
        selected = check_categories(_split(select))
        ignored = check_categories(_split(ignore))
    except ValueError as err:
        print(f"pminterview lint: {err}", file=stderr)
        return EXIT_USAGE
    if not paths:
        print("pminterview lint: give at least one file, or - for stdin", file=stderr)
        return EXIT_USAGE
    try:
        documents = [_load(path, stdin) for path in paths]
    except _Unreadable as err:
        print(f"pminterview lint: {err}", file=stderr)
        return EXIT_USAGE

    results: list[FileFinding] = []
    for document in documents:
        results.extend(_lint_document(document, selected, ignored))

    try:
        _write(results, fmt, stdout)
    except BrokenPipeError:
        _silence(stdout)  # "| head" closed the pipe: not an error worth a traceback
    return EXIT_FINDINGS if results else EXIT_OK


def _write(results: list[FileFinding], fmt: str, stdout: TextIO) -> None:
    if fmt == "json":
        json.dump([_as_dict(r) for r in results], stdout, indent=2)
        stdout.write("\n")
        return
    for result in results:
        stdout.write(_as_text(result))
    if results:
        files = len({r.path for r in results})
        noun = "finding" if len(results) == 1 else "findings"
        stdout.write(f"{len(results)} {noun} in {files} file{'s' if files != 1 else ''}\n")
    stdout.flush()


def _silence(stdout: TextIO) -> None:
    # Point the closed stream at /dev/null so the interpreter's final flush stays quiet.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass


def lint_toml_data(data: dict[str, Any]) -> tuple[list[tuple[str, str]], tuple[str, ...], tuple[str, ...]]:
    """The prose fields of a parsed account, postmortem or other TOML, with names and roles.

    Returns ``(pairs of field path and text, participant names, roles)``.
    """
    if "participant" in data and "answers" in data:
        return list(_account_fields(data)), _strings([data.get("participant")]), _strings([data.get("role")])
    if any(key in data for key in ("narrative", "actions", "incident")):
        return list(_postmortem_fields(data)), (), _strings(_list(data.get("roles")))
    return list(_generic_fields(data, "")), (), ()


def _split(categories: Iterable[str] | None) -> list[str] | None:
    if categories is None:
        return None
    if isinstance(categories, str):
        categories = [categories]
    names: list[str] = []
    for item in categories:
        names.extend(part.strip() for part in item.split(",") if part.strip())
    return names


def _load(path: str, stdin: TextIO) -> _Document:
    shown = "<stdin>" if path == "-" else path
    try:
        if path == "-":
            text = stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
    except IsADirectoryError:
        raise _Unreadable(f"{escape(shown)}: is a folder; give the files to lint") from None
    except FileNotFoundError:
        raise _Unreadable(f"{escape(shown)}: no such file") from None
    except UnicodeDecodeError:
        raise _Unreadable(f"{escape(shown)}: not UTF-8 text; save it as UTF-8 and try again") from None
    except OSError as err:
        raise _Unreadable(f"{escape(shown)}: cannot read it ({err.strerror or err})") from None

    looks_toml = path.lower().endswith(".toml")
    if looks_toml or path == "-":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            if looks_toml:
                raise _Unreadable(f"{escape(shown)}: damaged TOML ({err}); fix or restore the file") from None
            data = None  # stdin that is not TOML is Markdown or plain text
        if data is not None and (looks_toml or _is_record(data)):
            pairs, names, roles = lint_toml_data(data)
            return _Document(shown, list(pairs), names, roles, _dismissed(data))
    return _Document(shown, [(None, text)])


def _is_record(data: dict[str, Any]) -> bool:
    return ("participant" in data and "answers" in data) or any(
        key in data for key in ("narrative", "actions", "incident")
    )


def _lint_document(
    document: _Document, select: frozenset[str] | None, ignore: frozenset[str] | None
) -> Iterator[FileFinding]:
    for field, text in document.fields:
        findings = lint_text(text, names=document.names, roles=document.roles, select=select, ignore=ignore)
        for finding in findings:
            if (field, finding.rule_id, finding.excerpt) in document.dismissed:
                continue
            yield FileFinding(document.path, field, finding)


def _as_text(result: FileFinding) -> str:
    finding = result.finding
    where = escape(result.path)
    if result.field is not None:
        where += f":{escape(result.field)}"
    return (
        f"{where}:{finding.line}:{finding.column}: {finding.category}: {finding.message}"
        f' "{escape(finding.excerpt)}" [{finding.rule_id}]\n'
        f"    {finding.suggestion}\n"
    )


def _as_dict(result: FileFinding) -> dict[str, Any]:
    finding = result.finding
    return {
        "path": result.path,
        "field": result.field,
        "line": finding.line,
        "column": finding.column,
        "length": finding.length,
        "offset": finding.offset,
        "rule_id": finding.rule_id,
        "category": finding.category,
        "excerpt": finding.excerpt,
        "message": finding.message,
        "suggestion": finding.suggestion,
    }


# --- TOML walking: tolerant of wrong types, a hand-edited file may hold anything ---------------


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(v for v in values if isinstance(v, str) and v.strip())


def _text(path: str, value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, str) and value.strip():
        yield path, value


def _account_fields(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for key, answer in _table(data.get("answers")).items():
        if isinstance(answer, str):
            yield from _text(f"answers.{key}", answer)
        else:
            yield from _text(f"answers.{key}.text", _table(answer).get("text"))
    for i, entry in enumerate(_list(data.get("timeline"))):
        for name in ("saw", "did", "expected"):
            yield from _text(f"timeline[{i}].{name}", _table(entry).get(name))
    for i, safeguard in enumerate(_list(data.get("safeguards"))):
        yield from _text(f"safeguards[{i}].description", _table(safeguard).get("description"))
    for i, suggestion in enumerate(_list(data.get("suggestions"))):
        yield from _text(f"suggestions[{i}].text", _table(suggestion).get("text"))


def _perspectives(prefix: str, items: Any) -> Iterator[tuple[str, str]]:
    for j, perspective in enumerate(_list(items)):
        for name in ("saw", "did", "expected"):
            yield from _text(f"{prefix}[{j}].{name}", _table(perspective).get(name))


def _postmortem_fields(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    incident = _table(data.get("incident"))
    for name in ("title", "summary", "impact"):
        yield from _text(f"incident.{name}", incident.get(name))
    for name in ("summary", "impact", "narrative"):
        yield from _text(name, data.get(name))
    for i, entry in enumerate(_list(data.get("timeline"))):
        yield from _perspectives(f"timeline[{i}].perspectives", _table(entry).get("perspectives"))
    for name in ("surprises", "went_well", "open_questions", "supporting_material"):
        for i, item in enumerate(_list(data.get(name))):
            yield from _text(f"{name}[{i}]", item)
    for i, differing in enumerate(_list(data.get("differing_accounts"))):
        table = _table(differing)
        yield from _text(f"differing_accounts[{i}].topic", table.get("topic"))
        yield from _text(f"differing_accounts[{i}].note", table.get("note"))
        yield from _perspectives(f"differing_accounts[{i}].versions", table.get("versions"))
    for i, factor in enumerate(_list(data.get("factors"))):
        for name in ("title", "description"):
            yield from _text(f"factors[{i}].{name}", _table(factor).get(name))
    for i, action in enumerate(_list(data.get("actions"))):
        for name in ("title", "description", "status_reason"):
            yield from _text(f"actions[{i}].{name}", _table(action).get(name))
    # `to_reframe` holds sentences set aside because they carry blame; they are the
    # facilitator's to-do list, not part of the document, so they are not linted.


def _generic_fields(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in _NOT_PROSE:
                continue
            yield from _generic_fields(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _generic_fields(item, f"{path}[{i}]")
    elif isinstance(value, str) and value.strip():
        yield path, value


def _dismissed(data: dict[str, Any]) -> frozenset[tuple[str | None, str, str]]:
    """Hints dismissed in an account, keyed by (field path, rule id, excerpt)."""
    if not ("participant" in data and "answers" in data):
        return frozenset()
    keys = set()
    for key, answer in _table(data.get("answers")).items():
        for hint in _list(_table(answer).get("dismissed")):
            hint = _table(hint)
            rule_id, excerpt = hint.get("rule_id"), hint.get("excerpt")
            if isinstance(rule_id, str) and isinstance(excerpt, str):
                keys.add((f"answers.{key}.text", rule_id, excerpt))
    return frozenset(keys)
