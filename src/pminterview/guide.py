"""The interview guide as data: sections, questions, help text and gentle follow-ups.

The default guide ships as `guides/default.toml`; a team can pass its own file with the same
shape. Question ids are the keys under which answers are stored, so they must stay stable.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path

from pminterview.errors import PmError

#: The guide bundled with the package, used when no other is given.
DEFAULT_GUIDE = Path(__file__).with_name("guides") / "default.toml"

# The guide is plain frozen dataclasses checked by hand, not pydantic models: the interview
# puts its first question on screen from the guide before pydantic is imported (importing
# it costs about as much as starting Textual), so the guide must not need it.


class QuestionKind(StrEnum):
    ROLE = "role"
    TEXT = "text"
    TIMELINE = "timeline"
    SAFEGUARDS = "safeguards"
    SUGGESTIONS = "suggestions"


@dataclass(frozen=True)
class Question:
    """One question, with the help and example shown beside its answer field."""

    id: str
    prompt: str
    kind: QuestionKind = QuestionKind.TEXT
    help: str = ""
    example: str = ""
    optional: bool = False


@dataclass(frozen=True)
class Section:
    """A group of questions shown under one title."""

    id: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class FollowUp:
    """A prompt shown once when an answer is shorter than `min_words` or is one of `phrases`."""

    id: str
    prompt: str
    min_words: int = 0
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Guide:
    """A whole interview guide."""

    title: str
    purpose: str
    sections: tuple[Section, ...]
    followups: tuple[FollowUp, ...] = ()
    schema_version: int = 1
    questions: tuple[Question, ...] = field(default=(), compare=False)
    """Every question in order, flattened from the sections."""

    def __post_init__(self) -> None:
        if not self.questions:
            flat = tuple(q for section in self.sections for q in section.questions)
            object.__setattr__(self, "questions", flat)

    def section_of(self, question_id: str) -> Section:
        """The section that holds a question."""
        for section in self.sections:
            if any(q.id == question_id for q in section.questions):
                return section
        raise KeyError(question_id)

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def follow_up(self, answer: str) -> str | None:
        """The gentle follow-up for a vague or very short answer, or None when it reads fine.

        An empty answer gets none: the person has not started yet.
        """
        words = re.findall(r"\w+", answer)
        if not words:
            return None
        normalised = " ".join(w.lower() for w in words)
        for rule in self.followups:
            if rule.phrases and any(normalised == " ".join(re.findall(r"\w+", p.lower())) for p in rule.phrases):
                return rule.prompt
            if rule.min_words and len(words) < rule.min_words:
                return rule.prompt
        return None


# --- checking a guide file by hand ------------------------------------------------------------


class _Invalid(ValueError):
    """A field that does not fit: where (a dotted path) and what is wrong."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


def _table(data: object, where: str, fields: dict[str, tuple[type, object]]) -> dict:
    """Check a TOML table against `fields` (name -> (type, default; ... means required)).

    Returns the values with defaults filled in; `_Invalid` names the first field that is
    missing, of the wrong type or not known.
    """
    if not isinstance(data, dict):
        raise _Invalid(where, "Input should be a valid dictionary")
    for key in data:
        if key not in fields:
            raise _Invalid(_join(where, str(key)), "Extra inputs are not permitted")
    values: dict = {}
    for name, (kind, default) in fields.items():
        path = _join(where, name)
        if name not in data:
            if default is ...:
                raise _Invalid(path, "Field required")
            values[name] = default
            continue
        value = data[name]
        if kind is str and not isinstance(value, str):
            raise _Invalid(path, "Input should be a valid string")
        if kind is int and (not isinstance(value, int) or isinstance(value, bool)):
            raise _Invalid(path, "Input should be a valid integer")
        if kind is bool and not isinstance(value, bool):
            raise _Invalid(path, "Input should be a valid boolean")
        if kind is list and not isinstance(value, list):
            raise _Invalid(path, "Input should be a valid tuple")
        values[name] = value
    return values


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


_KINDS = ", ".join(f"'{kind.value}'" for kind in QuestionKind)


def _question(data: object, where: str) -> Question:
    values = _table(
        data,
        where,
        {
            "id": (str, ...),
            "kind": (str, QuestionKind.TEXT.value),
            "prompt": (str, ...),
            "help": (str, ""),
            "example": (str, ""),
            "optional": (bool, False),
        },
    )
    try:
        values["kind"] = QuestionKind(values["kind"])
    except ValueError:
        raise _Invalid(_join(where, "kind"), f"Input should be one of {_KINDS}") from None
    return Question(**values)


def _section(data: object, where: str) -> Section:
    values = _table(data, where, {"id": (str, ...), "title": (str, ...), "questions": (list, ...)})
    where_questions = _join(where, "questions")
    values["questions"] = tuple(_question(q, f"{where_questions}.{i}") for i, q in enumerate(values["questions"]))
    return Section(**values)


def _follow_up(data: object, where: str) -> FollowUp:
    values = _table(
        data, where, {"id": (str, ...), "prompt": (str, ...), "min_words": (int, 0), "phrases": (list, [])}
    )
    for index, phrase in enumerate(values["phrases"]):
        if not isinstance(phrase, str):
            raise _Invalid(f"{_join(where, 'phrases')}.{index}", "Input should be a valid string")
    values["phrases"] = tuple(values["phrases"])
    return FollowUp(**values)


def guide_from_data(data: object) -> Guide:
    """Build a guide from parsed TOML; ValueError (from `_Invalid`) names the first bad field."""
    values = _table(
        data,
        "",
        {
            "schema_version": (int, 1),
            "title": (str, ...),
            "purpose": (str, ...),
            "sections": (list, ...),
            "followups": (list, []),
        },
    )
    values["sections"] = tuple(_section(s, f"sections.{i}") for i, s in enumerate(values["sections"]))
    values["followups"] = tuple(_follow_up(f, f"followups.{i}") for i, f in enumerate(values["followups"]))
    guide = Guide(**values)
    ids = [q.id for q in guide.questions]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise _Invalid("", f"question ids must be unique; repeated: {', '.join(duplicates)}")
    return guide


def load_guide(path: Path | None = None) -> Guide:
    """Load a guide file, or the bundled default; raises PmError naming a bad file."""
    if path is None:
        return _default_guide()
    try:
        if path.stat().st_size > 4 * 1024 * 1024:
            raise PmError(f"{path}: far larger than any guide; check the path")
        return _parse(path.read_text(encoding="utf-8"), str(path))
    except OSError as err:
        raise PmError(f"{path}: cannot read the guide ({err.strerror}); check the path") from None
    except UnicodeDecodeError as err:
        raise PmError(f"{path}: not UTF-8 text (byte {err.start}); save the guide as UTF-8") from None


@cache
def _default_guide() -> Guide:
    # Read beside this module rather than through importlib.resources, whose file readers
    # (and zipfile) would be imported for this one read before the interview's first screen.
    text = DEFAULT_GUIDE.read_text(encoding="utf-8")
    return _parse(text, "guides/default.toml")


def _parse(text: str, name: str) -> Guide:
    try:
        return guide_from_data(tomllib.loads(text))
    except tomllib.TOMLDecodeError as err:
        raise PmError(f"{name}: not valid TOML ({err}); fix the guide file") from None
    except RecursionError:
        raise PmError(f"{name}: not valid TOML (nested far too deeply); fix the guide file") from None
    except _Invalid as err:
        if not err.where:
            raise PmError(f"{name}: {err.message}; fix the guide file") from None
        raise PmError(f"{name}: field {err.where}: {err.message}; fix the guide file") from None
