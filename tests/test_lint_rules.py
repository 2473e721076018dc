"""Every rule in rules.toml: its examples fire or stay quiet, and its data is well formed."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from pminterview.lint import CATEGORIES, lint_text, load_rules
from pminterview.lint.rules import parse_rules

RULES = load_rules().rules
FIRES = [(rule.id, text) for rule in RULES for text in rule.fires]
QUIET = [(rule.id, text) for rule in RULES for text in rule.quiet]
CORPUS = Path(__file__).with_name("lint_corpus.toml")


@pytest.mark.parametrize(("rule_id", "text"), FIRES, ids=[f"{r}:{t[:40]}" for r, t in FIRES])
def test_example_fires(rule_id: str, text: str) -> None:
    found = [f.rule_id for f in lint_text(text)]
    assert rule_id in found, f"{rule_id} did not fire on {text!r}; got {found}"


@pytest.mark.parametrize(("rule_id", "text"), QUIET, ids=[f"{r}:{t[:40]}" for r, t in QUIET])
def test_example_stays_quiet(rule_id: str, text: str) -> None:
    category = next(rule.category for rule in RULES if rule.id == rule_id)
    found = [(f.rule_id, f.excerpt) for f in lint_text(text) if f.rule_id == rule_id or f.category == category]
    assert found == [], f"{text!r} should not produce {category}: {found}"


def test_every_rule_has_examples_both_ways_and_a_known_category() -> None:
    for rule in RULES:
        assert rule.fires, rule.id
        assert rule.quiet, rule.id
        assert rule.category in CATEGORIES
        assert "\n" not in rule.message and len(rule.message) <= 120, rule.id
        assert rule.suggestion.strip(), rule.id


def test_every_category_has_rules() -> None:
    assert {rule.category for rule in RULES} == set(CATEGORIES)


def _all_texts() -> list[str]:
    with open(CORPUS, "rb") as handle:
        corpus = tomllib.load(handle)
    texts = [t for rule in RULES for t in (*rule.fires, *rule.quiet)]
    for group in ("blame", "blameless"):
        for sentences in corpus[group].values():
            texts.extend(sentences)
    return texts


def test_anchors_cover_every_match() -> None:
    # The engine only searches sentences holding an anchor; a pattern matching text without
    # one would silently never fire, so check every match the examples and corpus produce.
    for text in _all_texts():
        lowered = " " + " ".join(text.lower().split())
        for rule in RULES:
            for pattern in rule.patterns:
                for match in pattern.finditer(" ".join(text.split())):
                    window = " " + match.group().lower()
                    # Allow a leading-space anchor to use the space before the match.
                    assert any(a in window for a in rule.anchors), (rule.id, match.group(), lowered)


def test_malformed_rules_are_rejected() -> None:
    good = tomllib.loads(resources.files("pminterview.lint").joinpath("rules.toml").read_text("utf-8"))
    broken = dict(good, rule=[dict(good["rule"][0], category="blameworthy")])
    with pytest.raises(ValueError, match="unknown category"):
        parse_rules(broken)
    duplicate = dict(good, rule=[good["rule"][0], good["rule"][0]])
    with pytest.raises(ValueError, match="duplicate"):
        parse_rules(duplicate)
    unknown_fragment = dict(good, rule=[dict(good["rule"][0], patterns=["{:nope}"])])
    with pytest.raises(ValueError, match="unknown fragment"):
        parse_rules(unknown_fragment)


def test_patterns_compile_without_catastrophic_backtracking() -> None:
    # A long run of words with no sentence end must not make any pattern crawl.
    text = ("the on-call engineer " * 400) + "x"
    for rule in RULES:
        for pattern in rule.patterns:
            assert isinstance(pattern, re.Pattern)
            list(pattern.finditer(text[:4000]))
