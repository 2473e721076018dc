"""The interview guide as data: sections, questions, help text and gentle follow-ups.

The default guide ships as `guides/default.toml`; a team can pass its own file with the same
shape. Question ids are the keys under which answers are stored, so they must stay stable.
"""

from __future__ import annotations

import re
import tomllib
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pminterview.errors import PmError


class QuestionKind(StrEnum):
    ROLE = "role"
    TEXT = "text"
    TIMELINE = "timeline"
    SAFEGUARDS = "safeguards"
    SUGGESTIONS = "suggestions"


class _GuideModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Question(_GuideModel):
    """One question, with the help and example shown beside its answer field."""

    id: str
    kind: QuestionKind = QuestionKind.TEXT
    prompt: str
    help: str = ""
    example: str = ""
    optional: bool = False


class Section(_GuideModel):
    """A group of questions shown under one title."""

    id: str
    title: str
    questions: tuple[Question, ...]


class FollowUp(_GuideModel):
    """A prompt shown once when an answer is shorter than `min_words` or is one of `phrases`."""

    id: str
    prompt: str
    min_words: int = 0
    phrases: tuple[str, ...] = ()


class Guide(_GuideModel):
    """A whole interview guide."""

    schema_version: int = 1
    title: str
    purpose: str
    sections: tuple[Section, ...]
    followups: tuple[FollowUp, ...] = ()
    questions: tuple[Question, ...] = Field(default=(), exclude=True)
    """Every question in order, flattened from the sections."""

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: dict) -> dict:
        if not isinstance(data, dict):
            return data  # validation reports it
        sections = data.get("sections") or ()
        data = dict(data)
        # Anything malformed is skipped here and reported by the field validation.
        if isinstance(sections, (list, tuple)):
            groups = [s.get("questions") or () for s in sections if isinstance(s, dict)]
            data["questions"] = tuple(q for g in groups if isinstance(g, (list, tuple)) for q in g)
        return data

    @model_validator(mode="after")
    def _unique_ids(self) -> Guide:
        ids = [q.id for q in self.questions]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"question ids must be unique; repeated: {', '.join(duplicates)}")
        return self

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
    text = resources.files("pminterview").joinpath("guides/default.toml").read_text(encoding="utf-8")
    return _parse(text, "guides/default.toml")


def _parse(text: str, name: str) -> Guide:
    try:
        return Guide.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as err:
        raise PmError(f"{name}: not valid TOML ({err}); fix the guide file") from None
    except RecursionError:
        raise PmError(f"{name}: not valid TOML (nested far too deeply); fix the guide file") from None
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PmError(f"{name}: field {where}: {first['msg']}; fix the guide file") from None
