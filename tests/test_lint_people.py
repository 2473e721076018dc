"""The lint finds known names and roles by their first word; it must find exactly what one
case-insensitive pattern of all of them finds, on real sentences and awkward spellings."""

from __future__ import annotations

import random
import re
import tomllib
from pathlib import Path

from pminterview.lint.engine import _People

NAMES = [
    "Priya", "Priya Shah", "on-call SRE", "on-call SRE 2", "on-call SRE 12", "SRE", "Will", "the DBA",
    "Ana-María", "İlker", "Ilyas", "K", "—lead", "marcus.lee", "person001", "O'Brien", "Straße",
]
AWKWARD = [
    "İLKER and ilker and ILKER met ılker.",
    "x-Priya, Priya-based, Priya's and PRIYA SHAH'S notes",
    "the on-call SRE 12 paged the on-call SRE 2, then the on-call SRE",
    "STRASSE or straße or STRAßE; o'brien and O’Brien",
    "—lead said so; marcus.lee.old and marcus.lee agreed",
    "k, K, kelvin \u212a, person0011 and person001.",
]


def _one_pattern(words: set[str]) -> re.Pattern[str]:
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)


def _sentences() -> list[str]:
    texts: list[str] = list(AWKWARD)

    def walk(value: object) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in sorted(Path(__file__).parent.glob("lint_*.toml")):
        walk(tomllib.loads(path.read_text(encoding="utf-8")))
    return texts


def test_names_found_by_first_word_equal_one_pattern_of_all_names() -> None:
    rng = random.Random(3)
    found_any = 0
    for text in _sentences():
        words = set(rng.sample(NAMES, 7))
        middle = len(text) // 2
        with_names = f"{text[:middle]} {' '.join(rng.sample(NAMES, 3))} {text[middle:]}"
        for variant in (text, with_names, with_names.upper(), with_names.lower()):
            expected = [m.span() for m in _one_pattern(words).finditer(variant)]
            assert _People(words).spans(variant) == expected, (words, variant)
            found_any += bool(expected)
    assert found_any > 500  # names were there to find
    for text in AWKWARD:
        assert _People(set(NAMES)).spans(text) == [m.span() for m in _one_pattern(set(NAMES)).finditer(text)]
