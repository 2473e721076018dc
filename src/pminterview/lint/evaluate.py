"""Measure the lint against labelled sets (recall on blame, false positives on the rest).

Each set is a TOML file: ``[blame.<category>]`` lists sentences that should fire,
``[blameless.<voice>]`` lists sentences that should stay quiet. The sets shipped with the
tests are `LABELLED_SETS`: the corpus the rules were written against (`DEFAULT_CORPUS`), a
held-out set, a set in the register of published postmortems, one written after a round of
fixes, and one written from real postmortem registers without reading the rules. `evaluate` reads one file and `evaluate_all` every set; the lint stays pure.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from .engine import lint_text

# Relative to the repository root; scripts/bench.py and the tests resolve it from there.
DEFAULT_CORPUS = Path("tests") / "lint_corpus.toml"
LABELLED_SETS: dict[str, Path] = {
    "corpus": DEFAULT_CORPUS,
    "holdout": Path("tests") / "lint_holdout.toml",
    "realistic": Path("tests") / "lint_realistic.toml",
    "unseen": Path("tests") / "lint_unseen.toml",
    "fresh": Path("tests") / "lint_fresh.toml",
}


def evaluate_all(root: str | Path = ".", sets: dict[str, Path] | None = None) -> dict[str, dict]:
    """`evaluate` every labelled set (default `LABELLED_SETS`, paths relative to *root*).

    Returns {name: metrics} in the order of the sets, plus ``"all"``: recall and
    false-positive rate over every sentence of every set together.
    """
    chosen = LABELLED_SETS if sets is None else sets
    results: dict[str, dict] = {}
    blame = blame_hit = quiet = quiet_hit = 0
    for name, path in chosen.items():
        result = evaluate(Path(root) / path)
        results[name] = result
        blame += result["blame"]
        blame_hit += len(result["recalled"])
        quiet += result["blameless"]
        quiet_hit += len(result["false_positives"])
    results["all"] = {
        "blame": blame,
        "blameless": quiet,
        "recall": blame_hit / blame if blame else 0.0,
        "false_positive_rate": quiet_hit / quiet if quiet else 0.0,
    }
    return results


def evaluate(corpus_path: str | Path = DEFAULT_CORPUS) -> dict:
    """Lint every corpus sentence and return the metrics.

    Keys: ``recall`` (blame sentences with any finding), ``false_positive_rate`` (blameless
    sentences with any finding), ``category_accuracy`` (blame sentences whose findings include
    the labelled category), ``blame``/``blameless`` counts, ``per_category`` recall, and the
    ``misses`` and ``false_positives`` themselves for inspection, and the ``recalled`` blame
    sentences.
    """
    with open(corpus_path, "rb") as handle:
        corpus = tomllib.load(handle)
    misses: list[dict] = []
    recalled: list[str] = []
    false_positives: list[dict] = []
    per_category: dict[str, list[int]] = {}
    blame_total = blame_hit = category_hit = 0
    for category, sentences in corpus.get("blame", {}).items():
        counts = per_category.setdefault(category, [0, 0])
        for sentence in sentences:
            findings = lint_text(sentence)
            blame_total += 1
            counts[1] += 1
            if findings:
                blame_hit += 1
                counts[0] += 1
                recalled.append(sentence)
                if any(f.category == category for f in findings):
                    category_hit += 1
            else:
                misses.append({"category": category, "text": sentence})
    quiet_total = quiet_hit = 0
    for voice, sentences in corpus.get("blameless", {}).items():
        for sentence in sentences:
            findings = lint_text(sentence)
            quiet_total += 1
            if findings:
                quiet_hit += 1
                false_positives.append(
                    {
                        "voice": voice,
                        "text": sentence,
                        "findings": [f"{f.category}:{f.excerpt}" for f in findings],
                    }
                )
    return {
        "blame": blame_total,
        "blameless": quiet_total,
        "recall": blame_hit / blame_total if blame_total else 0.0,
        "false_positive_rate": quiet_hit / quiet_total if quiet_total else 0.0,
        "category_accuracy": category_hit / blame_hit if blame_hit else 0.0,
        "per_category": {
            name: hit / total if total else 0.0 for name, (hit, total) in per_category.items()
        },
        "misses": misses,
        "recalled": recalled,
        "false_positives": false_positives,
    }
