"""Load and compile ``rules.toml`` once per process.

The file holds three things: ``[vocabulary]`` (word classes for the grammar), ``[fragments]``
(regular-expression pieces that patterns reuse as ``{:name}``) and ``[[rule]]`` entries. A rule
is a trigger plus the conditions under which it counts as blame; see the comments at the top of
rules.toml for every key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .grammar import Grammar

CATEGORIES: tuple[str, ...] = (
    "counterfactual",
    "normative",
    "human-error",
    "root-cause",
    "hindsight",
    "proximal",
    "vigilance",
)

SUBJECT_MODES = frozenset(
    {"any", "person", "third", "named", "imperative", "not-system", "not-active-system", "not-person"}
)
OBJECT_MODES = frozenset({"person", "not-system"})
VERB_MODES = frozenset({"participle", "human", "human-participle"})
_FRAGMENT = re.compile(r"\{:([a-z_]+)\}")


@dataclass(frozen=True, slots=True)
class Rule:
    """One compiled rule from rules.toml."""

    id: str
    category: str
    patterns: tuple[re.Pattern[str], ...]
    # Per pattern: True when a leading \b was taken off (see `_strip_boundary`).
    boundaries: tuple[bool, ...]
    anchors: tuple[str, ...]
    message: str
    suggestion: str
    subject: str = "any"
    object: str | None = None
    verb: str | None = None
    persons: frozenset[str] | None = None
    strong: bool = False
    implicit: bool = True
    negatable: bool = False
    clause_start: bool = False
    system_condition_quiet: bool = False
    system_reason_quiet: bool = False
    negated_subject_quiet: bool = False
    first_person_verb: str | None = None
    main_subject: bool = False
    fires: tuple[str, ...] = ()
    quiet: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleSet:
    """All rules plus the grammar built from the vocabulary."""

    rules: tuple[Rule, ...]
    grammar: Grammar


def _expand(pattern: str, fragments: dict[str, str], rule_id: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in fragments:
            raise ValueError(f"rules.toml: rule {rule_id!r} uses unknown fragment {{:{name}}}")
        return "(?:" + fragments[name] + ")"

    # Fragments may use other fragments; two passes are enough for this file.
    for _ in range(3):
        pattern = _FRAGMENT.sub(replace, pattern)
    return pattern


def _strip_boundary(pattern: str) -> tuple[str, bool]:
    """Take a leading \\b off a pattern; the engine checks that boundary itself.

    A pattern that starts with \\b cannot use the regex engine's skip over impossible first
    characters, which makes it several times slower on long text.
    """
    if pattern.startswith("\\b"):
        return pattern[2:], True
    return pattern, False


def parse_rules(data: dict) -> RuleSet:
    """Build a RuleSet from the parsed TOML; raises ValueError on a malformed rule."""
    fragments = {key: str(value) for key, value in data.get("fragments", {}).items()}
    rules = []
    seen = set()
    for raw in data.get("rule", []):
        rule_id = raw["id"]
        if rule_id in seen:
            raise ValueError(f"rules.toml: duplicate rule id {rule_id!r}")
        seen.add(rule_id)
        if raw["category"] not in CATEGORIES:
            raise ValueError(f"rules.toml: rule {rule_id!r} has unknown category {raw['category']!r}")
        subject = raw.get("subject", "any")
        if subject not in SUBJECT_MODES:
            raise ValueError(f"rules.toml: rule {rule_id!r} has unknown subject mode {subject!r}")
        if raw.get("object") not in (None, *OBJECT_MODES):
            raise ValueError(f"rules.toml: rule {rule_id!r} has unknown object mode")
        if raw.get("verb") not in (None, *VERB_MODES):
            raise ValueError(f"rules.toml: rule {rule_id!r} has unknown verb mode")
        patterns = []
        boundaries = []
        for source in raw["patterns"]:
            expanded = _expand(source, fragments, rule_id)
            expanded, boundary = _strip_boundary(expanded)
            boundaries.append(boundary)
            # Patterns run on an ASCII-lowercased copy of the text (faster than IGNORECASE),
            # so an uppercase letter outside an escape or group name could never match.
            if re.search(r"[A-Z]", re.sub(r"\\.|\(\?P<\w+>", "", expanded)):
                raise ValueError(f"rules.toml: rule {rule_id!r} has an uppercase letter in a pattern")
            patterns.append(re.compile(expanded))
        persons = raw.get("persons")
        rules.append(
            Rule(
                id=rule_id,
                category=raw["category"],
                patterns=tuple(patterns),
                boundaries=tuple(boundaries),
                anchors=tuple(a.lower() for a in raw.get("anchors", ())),
                message=raw["message"],
                suggestion=raw["suggestion"],
                subject=subject,
                object=raw.get("object"),
                verb=raw.get("verb"),
                persons=frozenset(persons) if persons else None,
                strong=bool(raw.get("strong", False)),
                implicit=bool(raw.get("implicit", True)),
                negatable=bool(raw.get("negatable", False)),
                clause_start=bool(raw.get("clause_start", False)),
                system_condition_quiet=bool(raw.get("system_condition_quiet", False)),
                system_reason_quiet=bool(raw.get("system_reason_quiet", False)),
                negated_subject_quiet=bool(raw.get("negated_subject_quiet", False)),
                first_person_verb=raw.get("first_person_verb"),
                main_subject=bool(raw.get("main_subject", False)),
                fires=tuple(raw.get("fires", ())),
                quiet=tuple(raw.get("quiet", ())),
            )
        )
    return RuleSet(tuple(rules), Grammar(data.get("vocabulary", {})))


@lru_cache(maxsize=1)
def load_rules() -> RuleSet:
    """The packaged rules, read and compiled on first use."""
    text = resources.files(__package__).joinpath("rules.toml").read_text(encoding="utf-8")
    return parse_rules(tomllib.loads(text))
