"""scripts/bench.py keeps working: its pieces on small inputs, and a quick run of one group.

Figures are printed, never asserted: timings depend on the machine.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bench():
    spec = importlib.util.spec_from_file_location("pminterview_bench_smoke", ROOT / "scripts" / "bench.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_generated_lint_document_has_the_words_asked_for() -> None:
    bench = _bench()
    document = bench.generated_document(2_000)
    assert 2_000 <= len(document.split()) < 2_100


def test_synthetic_accounts_are_valid_and_about_the_size_asked_for() -> None:
    bench = _bench()
    accounts = bench.synthetic_accounts(3, words_each=600)
    assert len({account.participant for account in accounts}) == 3
    assert 500 < bench.account_words(accounts[0]) < 800
    assert accounts[0].timeline and accounts[0].safeguards and accounts[0].suggestions


def test_table_lines_up_and_marks_results() -> None:
    bench = _bench()
    row = bench.Row("bytes per key", "136 B", "4779 B", "2.8%", "<= 10%", bench._verdict(True))
    assert row.result == "PASS" and bench._verdict(False) == "MISS"


def test_table_prints_aligned_columns(capsys) -> None:
    bench = _bench()
    bench.print_table([bench.Row("a figure", "1 B", "2 B", "50.0%", "<= 10%", "MISS"), bench.Row("longer figure name", "3 B")])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("figure") and set(lines[1]) <= {"-", " "}
    assert lines[2].index("1 B") == lines[3].index("3 B")  # columns line up


def test_typing_session_measures_the_editor_under_a_pty(tmp_path: Path) -> None:
    # The pty harness end to end on the smallest subject: spawn, echo detection, byte counts.
    bench = _bench()
    workbench = bench.Workbench(tmp_path)
    run = bench.typing_session(workbench, workbench.editor(), "abc", settle=0.05, idle_seconds=0.2, debounce_wait=0.1)
    assert not isinstance(run, str), run
    assert run.missed == 0 and len(run.latencies) == 3
    assert len(run.bytes_per_key) == 3 and all(count > 0 for count in run.bytes_per_key)
    assert run.idle_bytes is not None


def test_unknown_group_is_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--only", "nonsense"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert "unknown group nonsense" in result.stderr


def test_merge_figure_runs_in_a_fresh_process() -> None:
    # Each timed merge runs in its own process, so nothing an earlier run remembered helps it.
    completed = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench.py"), "--merge-once", "3"], capture_output=True, text=True, check=True
    )
    first, again = (float(part) for part in completed.stdout.split())
    assert first > 0 and again > 0
