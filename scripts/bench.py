#!/usr/bin/env python3
"""Measure pminterview side by side with baselines, in one run, and print ratios.

Every terminal figure runs the real program under a pseudo-terminal (80x24,
TERM=xterm-256color, COLORTERM unset) and reads what it writes; `pyte` keeps a model of the
screen so the script knows when text is actually on screen. Figures that compare two
programs measure both in the same run, alternating, and report the ratio of medians, so a
busy machine slows both sides alike.

    .venv/bin/python scripts/bench.py            # everything (about two minutes)
    .venv/bin/python scripts/bench.py --quick    # fewer runs and keys (seconds; smoke test)
    .venv/bin/python scripts/bench.py --only typing,lint

Groups for --only: spawn, typing (bytes per key, echo latency, idle bytes), lint, merge.
The exit code is 0 whether or not targets are met: this script reports, it does not judge
a build. A figure whose code does not exist yet prints "not available" with the reason.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyte

ROOT = Path(__file__).resolve().parent.parent
BENCH_APPS = ROOT / "tests" / "bench_apps"
COLUMNS, LINES = 80, 24
GROUPS = ("spawn", "typing", "lint", "merge")

# What gets typed into an answer field: ordinary prose, one key at a time.
TYPED_TEXT = "the disk alert on db-2 looked like noise"


# --- a program under a pseudo-terminal ----------------------------------------------------------


def _terminal_env(home: Path) -> dict[str, str]:
    """The environment of an SSH session on a bastion host: 256 colours, no COLORTERM."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("TEXTUAL") and name not in ("COLORTERM", "NO_COLOR", "FORCE_COLOR")
    }
    env["TERM"] = "xterm-256color"
    env["COLUMNS"], env["LINES"] = str(COLUMNS), str(LINES)
    env["PMINTERVIEW_HOME"] = str(home)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH", "")]))
    return env


def _become_terminal_owner() -> None:
    """In the child: make the pty its controlling terminal, as a login shell's would be."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtyProgram:
    """A child process whose stdin, stdout and stderr are one pseudo-terminal.

    Everything it writes is counted (`total_bytes`) and fed to a pyte screen.
    """

    def __init__(self, argv: Sequence[str], env: dict[str, str], cwd: Path | None = None) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.total_bytes = 0
        self.master = master
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
            start_new_session=True,
            preexec_fn=_become_terminal_owner,
        )
        os.close(slave)

    def pump(self, timeout: float) -> int:
        """Read whatever arrives within `timeout` seconds; return how many bytes."""
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return 0
        try:
            data = os.read(self.master, 1 << 16)
        except OSError:  # the child closed the terminal
            return 0
        self.total_bytes += len(data)
        self.stream.feed(data)
        return len(data)

    def text(self) -> str:
        """The screen as plain text, one line per row."""
        return "\n".join(self.screen.display)

    def wait_for(self, predicate: Callable[[PtyProgram], bool], timeout: float) -> float | None:
        """Read until `predicate(self)` holds; return the time it did, or None on timeout."""
        deadline = time.perf_counter() + timeout
        while not predicate(self):
            left = deadline - time.perf_counter()
            if left <= 0 or self.process.poll() is not None:
                return None
            self.pump(min(left, 0.05))
        return time.perf_counter()

    def settle(self, quiet: float, limit: float = 5.0) -> None:
        """Read until nothing has arrived for `quiet` seconds (or `limit` passed)."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            if not self.pump(quiet):
                return

    def count_for(self, seconds: float) -> int:
        """Bytes written during the next `seconds`."""
        before = self.total_bytes
        deadline = time.perf_counter() + seconds
        while (left := deadline - time.perf_counter()) > 0:
            self.pump(left)
        return self.total_bytes - before

    def send(self, data: bytes) -> float:
        """Write keys to the program; return the time of the write."""
        os.write(self.master, data)
        return time.perf_counter()

    def stop(self) -> None:
        """Ask the program to quit (SIGTERM, which the apps treat as save-and-exit), then kill."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        deadline = time.perf_counter() + 3
        while self.process.poll() is None and time.perf_counter() < deadline:
            self.pump(0.05)  # keep draining so the child never blocks on a full pty
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self.master)


# --- the programs compared ---------------------------------------------------------------------


@dataclass
class Subject:
    """A program to start under the pty, and how to tell it is ready for typing."""

    name: str
    argv: list[str]
    ready_text: str
    env_extra: dict[str, str] = field(default_factory=dict)
    prepare: Callable[[], None] | None = None


def first_prompt() -> str:
    """The first question's prompt, read from the bundled guide (never hard-coded here)."""
    from pminterview.guide import load_guide

    guide = load_guide()
    return guide.sections[0].questions[0].prompt


def _on_screen(needle: str) -> Callable[[PtyProgram], bool]:
    # A prompt may wrap at 80 columns, so look for its start only.
    probe = needle[:40]
    return lambda program: probe in program.text()


class Workbench:
    """Temporary folders and the subjects the figures use."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.home = base / "home"
        self.home.mkdir()
        self.env = _terminal_env(self.home)
        self.prompt = first_prompt()
        self._incidents = 0

    def fresh_incident(self) -> Path:
        """A new incident folder made the way a facilitator makes one."""
        self._incidents += 1
        folder = self.base / f"incident-{self._incidents}"
        subprocess.run(
            [sys.executable, "-m", "pminterview", "new", str(folder), "--title", "Bench outage"],
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return folder

    def stock(self) -> Subject:
        """The baseline: a Label and a stock TextArea."""
        return Subject("stock TextArea", [sys.executable, str(BENCH_APPS / "stock_textarea.py"), self.prompt], self.prompt)

    def editor(self) -> Subject:
        """The product's AnswerEditor alone in the same layout as the baseline."""
        return Subject("AnswerEditor app", [sys.executable, str(BENCH_APPS / "answer_editor_app.py"), self.prompt], self.prompt)

    def interview(self, extra_env: dict[str, str] | None = None, name: str = "interview") -> Subject:
        """`pminterview interview` on a fresh incident."""
        folder = self.fresh_incident()
        argv = [sys.executable, "-m", "pminterview", "interview", str(folder), "--participant", "bench"]
        return Subject(name, argv, self.prompt, dict(extra_env or {}))

    def start(self, subject: Subject) -> PtyProgram:
        env = dict(self.env)
        env.update(subject.env_extra)
        return PtyProgram(subject.argv, env, cwd=self.base)


def interview_available() -> str | None:
    """None when the interview app exists, otherwise why not."""
    if not (ROOT / "src" / "pminterview" / "tui" / "interview" / "app.py").exists():
        return "src/pminterview/tui/interview/app.py does not exist yet"
    return None


# --- measurements ------------------------------------------------------------------------------


def time_to_ready(bench: Workbench, subject: Subject, timeout: float = 30.0) -> float | None:
    """Seconds from spawn until the subject's ready text is on screen."""
    program = bench.start(subject)
    try:
        seen = program.wait_for(_on_screen(subject.ready_text), timeout)
        return None if seen is None else seen - program.started
    finally:
        program.stop()


@dataclass
class TypingRun:
    """What one typing session measured."""

    bytes_per_key: list[int] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    idle_bytes: int | None = None
    missed: int = 0


def typing_session(
    bench: Workbench, subject: Subject, text: str, settle: float, idle_seconds: float
) -> TypingRun | str:
    """Type `text` one key at a time, waiting for each echo; then sit idle.

    For each key: the latency is the time from writing it to the first moment the typed text
    so far is on screen; the bytes are everything written from the key until output has been
    quiet for `settle` seconds (so a second frame caused by the key is counted too).
    """
    run = TypingRun()
    program = bench.start(subject)
    try:
        if program.wait_for(_on_screen(subject.ready_text), 30.0) is None:
            return f"{subject.name}: ready text never appeared"
        program.settle(0.5)
        for index in range(len(text)):
            typed = text[: index + 1]
            before = program.total_bytes
            sent = program.send(text[index].encode())
            seen = program.wait_for(lambda p, typed=typed: typed in p.text(), 5.0)
            if seen is None:
                run.missed += 1
            else:
                run.latencies.append(seen - sent)
            program.settle(settle)
            run.bytes_per_key.append(program.total_bytes - before)
        # Let debounced work (autosave, lint hints) finish, then listen.
        program.settle(1.0, limit=5.0)
        time.sleep(1.0)
        program.settle(0.3)
        run.idle_bytes = program.count_for(idle_seconds)
        return run
    finally:
        program.stop()


# --- the report --------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table."""

    figure: str
    value: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    result: str = ""


def _verdict(ok: bool | None) -> str:
    return "" if ok is None else ("PASS" if ok else "MISS")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def print_table(rows: list[Row]) -> None:
    headers = Row("figure", "measured", "baseline", "ratio", "target", "result")
    table = [headers, *rows]
    widths = [max(len(getattr(r, f)) for r in table) for f in ("figure", "value", "baseline", "ratio", "target", "result")]
    for index, row in enumerate(table):
        cells = (row.figure, row.value, row.baseline, row.ratio, row.target, row.result)
        print("  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip())
        if index == 0:
            print("  ".join("-" * width for width in widths))


# --- figure groups -----------------------------------------------------------------------------


def bench_spawn(bench: Workbench, quick: bool) -> Iterator[Row]:
    """Spawn to first question on screen, interview vs a Label+TextArea app, alternating."""
    runs = 2 if quick else 7
    missing = interview_available()
    subjects = [bench.stock(), bench.editor()]
    if missing is None:
        subjects.append(None)  # a fresh incident per interview run, made below
    times: dict[str, list[float]] = {}
    for _ in range(runs):
        for subject in subjects:
            subject = subject or bench.interview()
            seconds = time_to_ready(bench, subject)
            if seconds is not None:
                times.setdefault(subject.name, []).append(seconds)
    base = statistics.median(times["stock TextArea"]) if times.get("stock TextArea") else None
    yield Row(f"spawn -> first screen, stock Label+TextArea (median of {runs})", _ms(base) if base else "failed")
    for name in ("AnswerEditor app", "interview"):
        if name == "interview" and missing:
            yield Row("spawn -> first question, interview", "not available", result=missing)
            continue
        if not times.get(name) or base is None:
            yield Row(f"spawn -> first question, {name}", "failed: never on screen", result="MISS")
            continue
        value = statistics.median(times[name])
        ratio = value / base
        target = 1.25
        yield Row(f"spawn -> first question, {name}", _ms(value), _ms(base), f"{ratio:.2f}", f"<= {target}", _verdict(ratio <= target))


def bench_typing(bench: Workbench, quick: bool) -> Iterator[Row]:
    """Bytes per typed key, echo latency and idle bytes: product fields vs stock TextArea."""
    text = TYPED_TEXT[:10] if quick else TYPED_TEXT
    settle = 0.05 if quick else 0.1
    idle = 1.0 if quick else 5.0
    rounds = 1 if quick else 2
    missing = interview_available()
    subjects = [bench.stock(), bench.editor()] + ([bench.interview()] if missing is None else [])
    runs: dict[str, list[TypingRun]] = {}
    failures: dict[str, str] = {}
    for _ in range(rounds):
        for subject in subjects:
            if subject.name == "interview":
                subject = bench.interview()  # a fresh incident each time
            result = typing_session(bench, subject, text, settle, idle)
            if isinstance(result, str):
                failures[subject.name] = result
            else:
                runs.setdefault(subject.name, []).append(result)

    def pooled(name: str) -> TypingRun | None:
        if name not in runs:
            return None
        merged = TypingRun()
        for run in runs[name]:
            merged.bytes_per_key += run.bytes_per_key
            merged.latencies += run.latencies
            merged.missed += run.missed
            merged.idle_bytes = max(merged.idle_bytes or 0, run.idle_bytes or 0)
        return merged

    stock = pooled("stock TextArea")
    if stock is None:
        yield Row("typing: stock TextArea", "failed", result=failures.get("stock TextArea", ""))
        return
    stock_bytes = statistics.mean(stock.bytes_per_key)
    stock_latency = statistics.median(stock.latencies)
    keys = len(text) * rounds
    yield Row(f"bytes per typed key, stock TextArea ({keys} keys)", f"{stock_bytes:.0f} B")
    yield Row("echo latency, stock TextArea (median)", _ms(stock_latency))
    for name in ("AnswerEditor app", "interview"):
        if name == "interview" and missing:
            yield Row("typing figures, interview", "not available", result=missing)
            continue
        measured = pooled(name)
        if measured is None:
            yield Row(f"typing figures, {name}", "failed", result=failures.get(name, "MISS"))
            continue
        per_key = statistics.mean(measured.bytes_per_key)
        share = per_key / stock_bytes
        yield Row(
            f"bytes per typed key, {name}",
            f"{per_key:.0f} B",
            f"{stock_bytes:.0f} B",
            f"{share:.1%}",
            "<= 10%",
            _verdict(share <= 0.10),
        )
        if measured.latencies:
            latency = statistics.median(measured.latencies)
            ratio = latency / stock_latency
            yield Row(
                f"echo latency, {name} (median)",
                _ms(latency),
                _ms(stock_latency),
                f"{ratio:.2f}",
                "<= 1.2",
                _verdict(ratio <= 1.2) if not measured.missed else f"MISS ({measured.missed} echoes missing)",
            )
        yield Row(
            f"idle bytes in {idle:.0f} s, focused, {name}",
            f"{measured.idle_bytes} B",
            f"{stock.idle_bytes} B",
            target="0",
            result=_verdict(measured.idle_bytes == 0),
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and keys; a smoke test, not a measurement")
    parser.add_argument("--only", help=f"comma-separated groups: {', '.join(GROUPS)}")
    args = parser.parse_args(argv)
    chosen = [g.strip() for g in args.only.split(",")] if args.only else list(GROUPS)
    unknown = [g for g in chosen if g not in GROUPS]
    if unknown:
        parser.error(f"unknown group {', '.join(unknown)}; choose from {', '.join(GROUPS)}")

    runners: dict[str, Callable[[Workbench, bool], Iterator[Row]]] = {
        "spawn": bench_spawn,
        "typing": bench_typing,
        "lint": bench_lint,
        "merge": bench_merge,
    }
    rows: list[Row] = []
    base = Path(tempfile.mkdtemp(prefix="pminterview-bench-"))
    try:
        bench = Workbench(base)
        for group in chosen:
            rows.extend(runners[group](bench, args.quick))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(f"pminterview bench{' (quick: smoke test, figures are rough)' if args.quick else ''}: "
          f"{COLUMNS}x{LINES}, TERM=xterm-256color, no COLORTERM, Python {sys.version.split()[0]}")
    print_table(rows)
    return 0


def bench_lint(bench: Workbench, quick: bool) -> Iterator[Row]:
    yield Row("lint", "not available", result="not written yet")


def bench_merge(bench: Workbench, quick: bool) -> Iterator[Row]:
    yield Row("merge", "not available", result="not written yet")


if __name__ == "__main__":
    sys.exit(main())
