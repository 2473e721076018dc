"""Quality of the lint on the labelled corpus (tests/lint_corpus.toml) and the other labelled sets.

Recall is the share of blame sentences with at least one finding; the false-positive rate is
the share of blameless sentences with any finding. Targets: recall >= 0.9, FPR <= 0.1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pminterview.lint import CATEGORIES
from pminterview.lint.evaluate import DEFAULT_CORPUS, LABELLED_SETS, evaluate, evaluate_all

ROOT = Path(__file__).parent.parent
CORPUS = Path(__file__).with_name("lint_corpus.toml")


@pytest.fixture(scope="module")
def metrics() -> dict:
    return evaluate(CORPUS)


def test_corpus_is_large_and_balanced(metrics: dict) -> None:
    total = metrics["blame"] + metrics["blameless"]
    assert total >= 200
    assert 0.4 <= metrics["blame"] / total <= 0.6
    assert set(metrics["per_category"]) == set(CATEGORIES)


def test_recall_and_false_positive_rate(metrics: dict, capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print(
            f"\nlint corpus: recall {metrics['recall']:.3f} on {metrics['blame']} blame sentences, "
            f"false-positive rate {metrics['false_positive_rate']:.3f} on {metrics['blameless']} blameless, "
            f"category accuracy {metrics['category_accuracy']:.3f}"
        )
    misses = "\n".join(m["text"] for m in metrics["misses"])
    false_positives = "\n".join(f"{f['text']} -> {f['findings']}" for f in metrics["false_positives"])
    assert metrics["recall"] >= 0.9, f"missed:\n{misses}"
    assert metrics["false_positive_rate"] <= 0.1, f"false positives:\n{false_positives}"


def test_every_category_is_caught_mostly(metrics: dict) -> None:
    for category, recall in metrics["per_category"].items():
        assert recall >= 0.8, category


def test_evaluate_reports_misses_and_false_positives(tmp_path: Path) -> None:
    corpus = tmp_path / "tiny.toml"
    corpus.write_text(
        '[blame]\ncounterfactual = ["The engineer failed to check.", "All good here."]\n'
        '[blameless]\nnarrative = ["The deploy failed.", "Obviously the on-call should have known."]\n'
    )
    result = evaluate(corpus)
    assert result["recall"] == 0.5 and result["false_positive_rate"] == 0.5
    assert result["misses"] == [{"category": "counterfactual", "text": "All good here."}]
    assert result["false_positives"][0]["voice"] == "narrative"


def test_default_corpus_path_is_this_file() -> None:
    assert CORPUS.resolve() == (Path(__file__).parent.parent / DEFAULT_CORPUS).resolve()


@pytest.mark.parametrize("name", [name for name in LABELLED_SETS if name != "corpus"])
def test_other_labelled_sets(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    # Sets the rules were not written against: a held-out set, one in the register of
    # published postmortems, one written after a round of fixes, and one written from real
    # postmortem registers without reading the rules.
    result = evaluate(ROOT / LABELLED_SETS[name])
    with capsys.disabled():
        print(
            f"\nlint {name} set: recall {result['recall']:.3f} on {result['blame']}, "
            f"false-positive rate {result['false_positive_rate']:.3f} on {result['blameless']}"
        )
    assert result["blame"] >= 30 and result["blameless"] >= 30
    misses = "\n".join(m["text"] for m in result["misses"])
    false_positives = "\n".join(f"{f['text']} -> {f['findings']}" for f in result["false_positives"])
    assert result["recall"] >= 0.9, f"missed:\n{misses}"
    assert result["false_positive_rate"] <= 0.1, f"false positives:\n{false_positives}"


def test_evaluate_all_reports_every_set_and_the_total() -> None:
    results = evaluate_all(ROOT)
    assert list(results) == [*LABELLED_SETS, "all"]
    total = results["all"]
    assert total["blame"] == sum(results[name]["blame"] for name in LABELLED_SETS)
    assert total["recall"] >= 0.9 and total["false_positive_rate"] <= 0.1


def test_evaluate_all_counts_across_sets(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('[blame]\nx = ["The engineer failed to check."]\n[blameless]\ny = ["Fine."]\n')
    (tmp_path / "b.toml").write_text('[blame]\nx = ["All good here."]\n[blameless]\ny = ["Obviously."]\n')
    results = evaluate_all(tmp_path, {"a": Path("a.toml"), "b": Path("b.toml")})
    assert results["all"]["recall"] == 0.5 and results["all"]["false_positive_rate"] == 0.5
    assert results["a"]["recalled"] == ["The engineer failed to check."]
