"""Lint the prose fields of an account or postmortem, reporting each field's path."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

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
