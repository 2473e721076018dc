"""Lint the prose fields of an account or postmortem, reporting each field's path.

`prose_fields` finds the fields worth linting in an account, a postmortem (a pydantic model
or the dictionary parsed from its TOML) or any other TOML table, as ``(path, text)`` pairs
with paths such as ``answers.actions.text``, ``timeline[2].did`` or ``actions[0].title``.
The walk tolerates wrong types, since a hand-edited file may hold anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from .engine import Finding, lint_text


@dataclass(frozen=True, slots=True)
class FieldFinding:
    """A finding inside one field, with the field's dotted path (``timeline[2].did``)."""

    field: str
    finding: Finding


def lint_fields(
    pairs: Iterable[tuple[str, str]],
    *,
    names: Iterable[str] = (),
    roles: Iterable[str] = (),
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> list[FieldFinding]:
    """Lint each ``(field path, text)`` pair; findings keep the field's order."""
    names = tuple(names)
    roles = tuple(roles)
    select = None if select is None else tuple(select)
    ignore = None if ignore is None else tuple(ignore)
    results = []
    for path, text in pairs:
        for finding in lint_text(text, names=names, roles=roles, select=select, ignore=ignore):
            results.append(FieldFinding(path, finding))
    return results


# Keys that never hold prose, for the generic walk.
_NOT_PROSE = frozenset({
    "id", "schema_version", "status", "priority", "type", "kind", "owner", "tracker", "due",
    "created", "completed", "updated", "submitted", "started", "timezone", "at", "time",
    "rule_id", "sources", "factors", "raised_by", "source", "question", "participant", "role",
    "roles", "excerpt", "category",
})


def is_record(data: dict[str, Any]) -> bool:
    """True for an account or postmortem table (as opposed to any other TOML)."""
    return ("participant" in data and "answers" in data) or any(
        key in data for key in ("narrative", "actions", "incident")
    )


def prose_fields(record: Any) -> tuple[list[tuple[str, str]], tuple[str, ...], tuple[str, ...]]:
    """The prose fields of an account, postmortem or other TOML table, with names and roles.

    *record* is a parsed TOML dictionary or a pydantic model (dumped first). Returns
    ``(list of (field path, text), participant names, roles)``; pass the names and roles on
    to `lint_fields` so people are recognised.
    """
    data = record.model_dump(mode="json") if hasattr(record, "model_dump") else record
    if not isinstance(data, dict):
        return [], (), ()
    if "participant" in data and "answers" in data:
        return list(_account_fields(data)), _strings([data.get("participant")]), _strings([data.get("role")])
    if any(key in data for key in ("narrative", "actions", "incident")):
        return list(_postmortem_fields(data)), (), _strings(_list(data.get("roles")))
    return list(_generic_fields(data, "")), (), ()


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


def dismissed_hints(data: dict[str, Any]) -> frozenset[tuple[str, str]]:
    """Hints dismissed in an account, keyed by (rule id, excerpt).

    A dismissal covers the whole account, as in the merge: hints dismissed in timeline,
    safeguard and suggestion entries are stored with their question, not with the entry."""
    if not ("participant" in data and "answers" in data):
        return frozenset()
    keys = set()
    for key, answer in _table(data.get("answers")).items():
        for hint in _list(_table(answer).get("dismissed")):
            hint = _table(hint)
            rule_id, excerpt = hint.get("rule_id"), hint.get("excerpt")
            if isinstance(rule_id, str) and isinstance(excerpt, str):
                keys.add((rule_id, excerpt))
    return frozenset(keys)
