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
from .fields import dismissed_hints, is_record, prose_fields

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2



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
    dismissed: frozenset[tuple[str, str]] = frozenset()


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
        if data is not None and (looks_toml or is_record(data)):
            pairs, names, roles = prose_fields(data)
            return _Document(shown, list(pairs), names, roles, dismissed_hints(data))
    return _Document(shown, [(None, text)])


def _lint_document(
    document: _Document, select: frozenset[str] | None, ignore: frozenset[str] | None
) -> Iterator[FileFinding]:
    for field, text in document.fields:
        findings = lint_text(text, names=document.names, roles=document.roles, select=select, ignore=ignore)
        for finding in findings:
            if (finding.rule_id, finding.excerpt) in document.dismissed:
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
