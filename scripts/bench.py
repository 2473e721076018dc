#!/usr/bin/env python3
"""Measure pminterview side by side with baselines, in one run, and print ratios.

Every terminal figure runs the real program under a pseudo-terminal (80x24,
TERM=xterm-256color, COLORTERM unset) and reads what it writes; `pyte` keeps a model of the
screen so the script knows when text is actually on screen. Figures that compare two
programs measure both in the same run, alternating, and report the ratio of medians, so a
busy machine slows both sides alike.

    .venv/bin/python scripts/bench.py            # everything (a few minutes)
    .venv/bin/python scripts/bench.py --quick    # fewer runs, keys and accounts (about a minute)
    .venv/bin/python scripts/bench.py --only typing,lint

Groups for --only: spawn, typing (bytes per key, echo latency, idle bytes), paste (100 KB),
lint, merge.
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
from typing import TYPE_CHECKING

import pyte

if TYPE_CHECKING:
    from pminterview.guide import Guide
    from pminterview.model import Account

ROOT = Path(__file__).resolve().parent.parent
BENCH_APPS = ROOT / "tests" / "bench_apps"
COLUMNS, LINES = 80, 24
GROUPS = ("spawn", "typing", "paste", "lint", "merge")

# What gets typed into an answer field: ordinary prose, one key at a time.
TYPED_TEXT = "the disk alert on db-2 looked like noise"


# --- a program under a pseudo-terminal ----------------------------------------------------------


def _terminal_env(home: Path) -> dict[str, str]:
    """The environment of an SSH session on a bastion host: 256 colours, no COLORTERM."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("TEXTUAL")
        # COLUMNS and LINES would override the pty's size (shutil.get_terminal_size reads
        # them first), and the program would never see a resize.
        and name not in ("COLORTERM", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES")
    }
    env["TERM"] = "xterm-256color"
    env["PMINTERVIEW_HOME"] = str(home)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH", "")]))
    return env


def compile_sources() -> None:
    """Compile the programs' Python files to bytecode, as `pip install` does for an installed
    package, so every program starts the way it does for its users.

    Textual, the baselines' only sizeable code, is compiled at install; pminterview runs from
    src/ here, and with PYTHONDONTWRITEBYTECODE set (as on some build machines) it would be
    compiled from source at every start, which no installed copy ever does.
    """
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "src"), str(BENCH_APPS)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


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

    def resize(self, columns: int, lines: int) -> None:
        """Change the terminal's size, as a window resize does (the kernel sends SIGWINCH)."""
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        self.screen.resize(lines, columns)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGWINCH)

    def send_all(self, data: bytes) -> float:
        """Write a large input while reading the output, so neither side blocks; return the
        time the last byte was written."""
        view = memoryview(data)
        while view:
            readable, writable, _ = select.select([self.master], [self.master], [], 1.0)
            if readable:
                self.pump(0)
            if writable:
                written = os.write(self.master, view[:1024])
                view = view[written:]
            if self.process.poll() is not None:
                break
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
    whole_screen: tuple[str, ...] = ()
    """Texts that are also on the first screen once it is complete (title bar, key bar)."""


def first_prompt() -> str:
    """The first question's prompt, read from the bundled guide (never hard-coded here)."""
    from pminterview.guide import load_guide

    return load_guide().sections[0].questions[0].prompt


def first_prose_question() -> tuple[str, str]:
    """(id, prompt) of the guide's first free-text question: where answers are typed."""
    from pminterview.guide import load_guide

    for section in load_guide().sections:
        for question in section.questions:
            if question.kind == "text":
                return question.id, question.prompt
    raise SystemExit("bench: the bundled guide has no free-text question")


def _on_screen(needle: str, *also: str) -> Callable[[PtyProgram], bool]:
    # A prompt may wrap at 80 columns, so look for its start only.
    probes = [needle[:40], *also]
    return lambda program: all(probe in program.text() for probe in probes)


class Workbench:
    """Temporary folders and the subjects the figures use."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.home = base / "home"
        self.home.mkdir()
        self.env = _terminal_env(self.home)
        compile_sources()
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
        """`pminterview interview` on a fresh incident: opens on the first question."""
        folder = self.fresh_incident()
        argv = [sys.executable, "-m", "pminterview", "interview", str(folder), "--participant", "bench"]
        # Timed until the whole first screen is there: the incident's title and the key bar too.
        return Subject(name, argv, self.prompt, dict(extra_env or {}), whole_screen=("Bench outage", "Save and quit"))

    def interview_at_prose(self, extra_env: dict[str, str] | None = None, name: str = "interview") -> Subject:
        """The interview resumed at the first free-text question, whose field is an AnswerEditor.

        The very first question is a short role label (a one-line input), so the account is
        prepared as someone who answered it and left off at the next question.
        """
        from pminterview.model import Account, Cursor
        from pminterview.workspace import Workspace

        folder = self.fresh_incident()
        question_id, prompt = first_prose_question()
        account = Account(participant="bench", role="on-call SRE", cursor=Cursor(question=question_id))
        Workspace.open(folder).save_account(account)
        argv = [sys.executable, "-m", "pminterview", "interview", str(folder), "--participant", "bench"]
        return Subject(name, argv, prompt, dict(extra_env or {}))

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
        seen = program.wait_for(_on_screen(subject.ready_text, *subject.whole_screen), timeout)
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
    bench: Workbench,
    subject: Subject,
    text: str,
    settle: float,
    idle_seconds: float,
    pause_after_word: float = 0.0,
    debounce_wait: float = 2.0,
) -> TypingRun | str:
    """Type `text` one key at a time, waiting for each echo; then sit idle.

    For each key: the latency is the time from writing it to the first moment the typed text
    so far is on screen before the cursor; the bytes are everything written from the
    key until output has been quiet for `settle` seconds (so a second frame caused by the key
    is counted too). `pause_after_word` waits that long after each space, outside the counts.
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
            seen = program.wait_for(lambda p, typed=typed: _echoed(p, typed), 5.0)
            if seen is None:
                run.missed += 1
            else:
                run.latencies.append(seen - sent)
            program.settle(settle)
            run.bytes_per_key.append(program.total_bytes - before)
            if pause_after_word and text[index] == " ":
                program.settle(pause_after_word, limit=pause_after_word)
        if run.missed == len(text):
            print(f"bench: {subject.name}: no key was echoed; the screen showed:\n{program.text()}", file=sys.stderr)
            return f"{subject.name}: no key was echoed (screen on stderr)"
        if idle_seconds:
            # Let debounced work (autosave, lint hints) finish, then listen.
            deadline = time.perf_counter() + debounce_wait
            while (left := deadline - time.perf_counter()) > 0:
                program.pump(left)
            program.settle(0.3)
            run.idle_bytes = program.count_for(idle_seconds)
        return run
    finally:
        program.stop()


def _echoed(program: PtyProgram, typed: str) -> bool:
    """True when `typed` is on screen just before the terminal's cursor.

    Textual parks the terminal's cursor after the focused field's cursor at the end of every
    frame, so this holds from the frame that shows the latest key (the typed text is kept
    short enough not to wrap).
    """
    cursor = program.screen.cursor
    row = program.screen.display[cursor.y]
    return cursor.x >= len(typed) and row[cursor.x - len(typed) : cursor.x] == typed


def chat_log(size: int, marker: str) -> str:
    """A pasted chat log of at least `size` bytes with accents, CJK and emoji; ends in `marker`."""
    lines: list[str] = []
    total = 0
    number = 0
    while total < size:
        line = f"[14:{number % 60:02d}] ana: replica lag on db-{number} is rising again, café 世界 👍"
        lines.append(line)
        total += len(line.encode()) + 1
        number += 1
    lines.append(marker)
    return "\n".join(lines)


def paste_session(bench: Workbench, subject: Subject, size: int) -> tuple[float, float] | str:
    """Paste `size` bytes (bracketed paste, as a terminal sends it) and time until its last
    line is on screen; then type one key and time its echo, to show the screen still works.
    Returns (seconds to show the paste, seconds for the next key's echo)."""
    marker = "END-OF-PASTE"
    program = bench.start(subject)
    try:
        if program.wait_for(_on_screen(subject.ready_text), 30.0) is None:
            return f"{subject.name}: ready text never appeared"
        program.settle(0.5)
        started = time.perf_counter()
        program.send_all(b"\x1b[200~" + chat_log(size, marker).encode() + b"\x1b[201~")
        shown = program.wait_for(lambda p: marker in p.text(), 60.0)
        if shown is None:
            return f"{subject.name}: the end of the paste never appeared"
        program.settle(0.2)
        sent = program.send(b"!")
        echoed = program.wait_for(lambda p: f"{marker}!" in p.text(), 10.0)
        if echoed is None:
            return f"{subject.name}: no echo after the paste"
        return shown - started, echoed - sent
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


def _progress(message: str) -> None:
    """A line on stderr so a long run shows where it is (the table goes to stdout)."""
    print(f"bench: {message}", file=sys.stderr, flush=True)


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
    for number in range(runs):
        _progress(f"spawn: round {number + 1} of {runs}")
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
    makers: list[Callable[[], Subject]] = [bench.stock, bench.editor]
    if missing is None:
        makers.append(bench.interview_at_prose)  # a fresh incident each round
    runs: dict[str, list[TypingRun]] = {}
    failures: dict[str, str] = {}
    for _ in range(rounds):
        for make in makers:
            subject = make()
            _progress(f"typing: {subject.name}")
            result = typing_session(bench, subject, text, settle, idle, debounce_wait=0.3 if quick else 2.0)
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


def bench_paste(bench: Workbench, quick: bool) -> Iterator[Row]:
    """A 100 KB paste: until its end is on screen, and the echo of the next key (medians of
    alternating runs)."""
    size = 20_000 if quick else 100_000
    rounds = 1 if quick else 3
    makers: list[Callable[[], Subject]] = [bench.stock, bench.editor]
    if interview_available() is None:
        makers.append(bench.interview_at_prose)
    results: dict[str, list[tuple[float, float]]] = {}
    for number in range(rounds):
        for make in makers:
            subject = make()
            _progress(f"paste: {subject.name}, round {number + 1} of {rounds}")
            outcome = paste_session(bench, subject, size)
            if isinstance(outcome, str):
                yield Row(f"paste {size // 1000} KB, {subject.name}", "failed", result=outcome)
            else:
                results.setdefault(subject.name, []).append(outcome)
    medians = {
        name: (statistics.median(s for s, _ in runs), statistics.median(e for _, e in runs)) for name, runs in results.items()
    }
    base = medians.get("stock TextArea")
    for name, (shown, echo) in medians.items():
        compared = base is not None and name != "stock TextArea"
        yield Row(
            f"paste {size // 1000} KB -> end on screen, {name}",
            _ms(shown),
            _ms(base[0]) if compared else "",
            f"{shown / base[0]:.2f}" if compared else "",
            "no freeze",
        )
        yield Row(f"  next key's echo after the paste, {name}", _ms(echo))


# --- lint -------------------------------------------------------------------------------------

# Sentences for the generated document: interview answers, narrative and action items, some
# with blame and most without, in Markdown, so every part of the engine is exercised.
_LINT_SENTENCES = (
    "I was paged at 14:02 for high latency on checkout and opened the dashboard.",
    "The health check failed to detect the fault because it only probed the load balancer.",
    "The on-call engineer should have paged the database team at the first alert.",
    "A limit that would have helped had been removed in an earlier cleanup.",
    "It was obviously the cache, anyone could have seen that.",
    "The deploy pipeline does not check that the migration has finished.",
    "We restarted the replica and expected it to catch up within a few minutes.",
    "Human error was the root cause of the outage.",
    "The runbook pointed at a dashboard that no longer exists.",
    "Remind engineers to double-check the target region before running the script.",
)
_LINT_MARKDOWN = ("## What happened next", "- Add a guard to the failover script", "> quoted from the chat log", "`kubectl rollout undo`")


def generated_document(words: int) -> str:
    """A Markdown document of about `words` words built from the sentences above."""
    parts: list[str] = []
    count = 0
    index = 0
    while count < words:
        sentence = _LINT_SENTENCES[index % len(_LINT_SENTENCES)]
        if index % 7 == 0:
            line = _LINT_MARKDOWN[(index // 7) % len(_LINT_MARKDOWN)]
            parts.append("\n" + line + "\n")
            count += len(line.split())
        parts.append(sentence + (" " if index % 5 else "\n\n"))
        count += len(sentence.split())
        index += 1
    return "".join(parts)


def _corpus_path() -> Path:
    return ROOT / "tests" / "lint_corpus.toml"


def _lint_quality() -> tuple[float, float, str] | str:
    """(recall, false-positive rate, source) from the labelled corpus, or why not."""
    path = _corpus_path()
    try:
        from pminterview.lint.evaluate import evaluate  # type: ignore[import-not-found]
    except ImportError:
        evaluate = None
    if evaluate is not None:
        result = evaluate(path)
        recall = _field(result, "recall")
        fpr = _field(result, "false_positive_rate", "fp_rate", "fpr")
        if recall is not None and fpr is not None:
            counts = (_field(result, "blame"), _field(result, "blameless"))
            sizes = f" on {counts[0]}+{counts[1]} sentences" if all(isinstance(c, int) for c in counts) else ""
            return float(recall), float(fpr), f"lint.evaluate{sizes}"
    # Without the evaluation module, score the corpus directly with its documented layout:
    # [blame.<category>] lists must fire, [blameless.<voice>] lists must not.
    if not path.exists():
        return f"{path.relative_to(ROOT)} not found"
    import tomllib

    from pminterview.lint import lint_text

    corpus = tomllib.loads(path.read_text(encoding="utf-8"))
    blame = [s for group in corpus.get("blame", {}).values() for s in group]
    blameless = [s for group in corpus.get("blameless", {}).values() for s in group]
    if not blame or not blameless:
        return f"{path.relative_to(ROOT)} has no [blame] or [blameless] sentences"
    caught = sum(1 for sentence in blame if lint_text(sentence))
    false_alarms = sum(1 for sentence in blameless if lint_text(sentence))
    source = f"bench scoring of {len(blame)}+{len(blameless)} corpus sentences (lint.evaluate missing)"
    return caught / len(blame), false_alarms / len(blameless), source


def _field(result: object, *names: str) -> object | None:
    for name in names:
        if isinstance(result, dict) and name in result:
            return result[name]
        if hasattr(result, name):
            return getattr(result, name)
    return None


def bench_lint(bench: Workbench, quick: bool) -> Iterator[Row]:
    """Corpus recall and false positives, throughput, and echo latency with hints on vs off."""
    try:
        from pminterview.lint import lint_text
    except ImportError as err:
        yield Row("lint", "not available", result=f"pminterview.lint: {err}")
        return

    quality = _lint_quality()
    if isinstance(quality, str):
        yield Row("lint recall / false positives", "not available", result=quality)
    else:
        recall, fpr, source = quality
        yield Row("lint recall on blame sentences", f"{recall:.2f}", target=">= 0.9", result=_verdict(recall >= 0.9))
        yield Row("lint false-positive rate on blameless", f"{fpr:.2f}", target="<= 0.1", result=_verdict(fpr <= 0.1))
        yield Row("  (scored by)", source)
    try:
        from pminterview.lint.evaluate import evaluate_all  # type: ignore[import-not-found]
    except ImportError:
        evaluate_all = None
    if evaluate_all is not None:
        # Every labelled set, not only the corpus the rules were written against.
        for name, result in evaluate_all(ROOT).items():
            recall, fpr = result["recall"], result["false_positive_rate"]
            yield Row(
                f"  {name}: recall / false positives on {result['blame']}+{result['blameless']}",
                f"{recall:.2f} / {fpr:.2f}",
                target=">= 0.9 / <= 0.1",
                result=_verdict(recall >= 0.9 and fpr <= 0.1),
            )

    _progress("lint: throughput")
    words = 5_000 if quick else 50_000
    document = generated_document(words)
    size = len(document.encode("utf-8"))
    lint_text(document[:2000])  # load the rules once, as a long-running screen would have
    times = []
    for _ in range(1 if quick else 3):
        started = time.perf_counter()
        lint_text(document)
        times.append(time.perf_counter() - started)
    rate = size / 1e6 / statistics.median(times)
    yield Row(
        f"lint throughput, {words:,}-word document ({size / 1e6:.2f} MB)",
        f"{rate:.2f} MB/s",
        "1 MB/s",
        f"{rate:.2f}",
        ">= 1.0",
        _verdict(rate >= 1.0),
    )

    missing = interview_available()
    if missing:
        yield Row("echo latency, hints on vs off", "not available", result=missing)
        return
    # Words with blame in them, and a pause after each word just past the interview's idle
    # delay, so hint passes run while typing goes on and any key that lands on one waits.
    text = "the engineer should have checked it" if quick else "he should have known the engineer failed to check"
    on: list[float] = []
    off: list[float] = []
    for _ in range(1 if quick else 2):
        for hints, into in (("off", off), ("on", on)):
            subject = bench.interview_at_prose({"PMINTERVIEW_HINTS": hints}, name=f"interview, hints {hints}")
            _progress(f"lint: typing with hints {hints}")
            result = typing_session(bench, subject, text, 0.05, 0.0, pause_after_word=0.45)
            if isinstance(result, str):
                yield Row("echo latency, hints on vs off", "failed", result=result)
                return
            into.extend(result.latencies)
    if not on or not off:
        yield Row("echo latency, hints on vs off", "failed", result="no echoes seen")
        return
    ratio = statistics.median(on) / statistics.median(off)
    yield Row(
        "echo latency in the interview, hints on (median / p90)",
        f"{_ms(statistics.median(on))} / {_ms(_p90(on))}",
        f"{_ms(statistics.median(off))} / {_ms(_p90(off))}",
        f"{ratio:.2f}",
        "<= 1.2",
        _verdict(ratio <= 1.2),
    )


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


# --- merge ------------------------------------------------------------------------------------

_ROLES = ("on-call SRE", "database owner", "incident commander", "payments developer", "support lead", "network engineer")
# Shared incident vocabulary: everyone talks about the same systems and signals...
_SYSTEMS = (
    "db-2", "the checkout service", "the load balancer", "the replica", "the deploy pipeline", "the cache",
    "the payments queue", "the config service", "the connection pool", "the status page", "the pager",
    "the canary stage", "the template tests", "the staging cluster", "the api gateway", "the feature flag",
)
_SIGNALS = (
    "latency", "error rate", "timeouts", "replication lag", "disk usage", "ticket volume", "pool size", "retries",
    "config diff", "rollout", "dashboard", "runbook", "alert", "graph", "incident channel", "rollback",
)
_SAW = ("latency alert on", "error rate rising on", "disk filling up on", "a spike of timeouts from", "replication lag on",
        "a stale dashboard for", "tickets mentioning", "the first page about", "a flat graph for", "a config diff touching")
_DID = ("restarted", "rolled back", "scaled up", "drained traffic from", "paged the owner of", "opened the runbook for",
        "checked", "compared", "watched", "asked about", "looked into", "silenced the alert on")
_EXPECTED = ("the errors to stop", "the lag to recover", "traffic to shift", "the alert to clear", "a quick answer",
             "the pool to drain", "checkout to come back", "the rollback to finish within minutes")
# ...and sentences are put together from parts, so shapes vary: an opening, what happened, and
# sometimes a reason or a consequence, in several orders.
_OPENINGS = ("", "At first ", "A bit later ", "Looking back, ", "Honestly, ", "By then ", "When the page came in, ",
             "Around that time ", "Before the rollback ", "Meanwhile ")
_CLAUSES = (
    "I looked at the {n} for {s} and it showed {w} numbers",
    "the {n} for {s} described a {w} procedure that no longer matched the tooling",
    "nobody on the call knew that {s} had been changed that morning",
    "I expected {s} to recover on its own within {k} minutes",
    "the {n} on {s} was the only signal I trusted",
    "my {w} view only showed {n} for {s}, not {n2}",
    "I asked in the {n} whether anyone had touched {s}",
    "the {w} {w2} we use for {s} hides the {n} behind two clicks",
    "{s} had {k} {n} spikes earlier that week",
    "the {n2} on {s} had been climbing since {k} past two",
    "I thought of the {w} incident from the spring, which had the same shape on the {n2}",
    "we were under pressure because checkout was failing for customers",
    "restarting {s} had fixed a similar {w} problem last month",
    "the {n} in {w2} had been flaky for weeks",
    "{s} kept serving reads while the {n} was being fixed",
    "the {w} checks passed even though the {n} on {s} was wrong",
    "I could not tell whether the {n} or the {n2} moved first",
    "the handover notes said {s} was safe to restart",
)
_JOINS = (", because ", ", so ", ", and ", ", but ", "; ", " while ", ", which is why ")
_QUESTIONS = ("How did the {n} on {s} get past the {w} checks?", "Why did nothing page on the {n2} for {s}?",
              "Who owns the {w} {n} for {s}?")
_BLAME = (
    "{p} should have tested the {n} change in staging before rolling it out.",
    "Honestly it was human error: someone pushed the {n} without checking {s}.",
    "If {p} had looked at the {n} earlier, we would have caught it in minutes.",
    "The root cause was that {p} ignored the {n} on {s}.",
    "People need to be more careful when changing {s}.",
)
_SAFEGUARDS = (
    ("missing", "no alert on {n} for {s}"),
    ("failed", "the health check on {s} kept reporting healthy during the {n}"),
    ("in-the-way", "the change freeze tool blocked the rollback of {s}"),
    ("helped", "the feature flag let us turn off {s} quickly"),
    ("missing", "there was no canary stage for {n} changes on {s}"),
    ("failed", "the {w} alert on {s} fired into a muted channel"),
)
_SUGGESTIONS = (
    "add an alert on {n} for {s}",
    "show recent changes to {s} in the incident channel",
    "make the runbook for {s} part of the deploy review",
    "add a guard to the failover script for {s}",
    "the {n} dashboard for {s} should show {w} limits",
    "Everyone should be more careful with {s}.",
    "run the {w} template tests against the staging config for {s}",
)
_SYLLABLES = ("ka", "lo", "mi", "ver", "dan", "tor", "sel", "qui", "bra", "zen", "pol", "rix", "mun", "gat", "fel", "ost")
_ROUGH_TIMES = ("around 14:00", "around 14:30", "just after the page", "a few minutes later", "")
#: Share of answer sentences that carry blame (real accounts: a few per cent).
_BLAME_RATE = 0.03


def describe_synthetic_accounts() -> str:
    """One line saying what `synthetic_accounts` generates."""
    return (
        "accounts: own 40-word vocabulary per person + shared incident vocabulary; sentences composed from "
        f"{len(_OPENINGS)} openings x {len(_CLAUSES)} clauses x {len(_JOINS)} joins; 15-30 timeline entries at "
        f"each person's own minutes over 90 min, ~15% rough or no time; 3-6 safeguards, 2-5 suggestions; "
        f"~{_BLAME_RATE:.0%} blame sentences; ~3,000 words"
    )


def synthetic_accounts(count: int, words_each: int = 3000, seed: int = 7) -> list[Account]:
    """`count` accounts of about `words_each` words, varied but deterministic.

    Each person has their own vocabulary (made-up words standing in for names of their tools
    and habits) on top of the incident's shared one, their own timeline steps and times, and
    sentences of varied shape, so near-duplicates across accounts are as rare or as common as
    in real accounts rather than everyone repeating five sentences.
    """
    import random

    from pminterview.model import Account, Answer, Safeguard, Suggestion, TimelineEntry

    prose_ids = [q.id for section in _guide().sections for q in section.questions if q.kind == "text"]
    rng = random.Random(seed)
    accounts = []
    for number in range(count):
        own_words = ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))) for _ in range(40)]
        own_systems = rng.sample(_SYSTEMS, 6)
        someone = f"person{rng.randrange(count):03d}"

        def fill(template: str) -> str:
            return template.format(
                s=rng.choice(own_systems) if rng.random() < 0.8 else rng.choice(_SYSTEMS),
                n=rng.choice(_SIGNALS), n2=rng.choice(_SIGNALS), w=rng.choice(own_words), w2=rng.choice(own_words),
                k=rng.randint(2, 40), p=someone,
            )

        def sentence() -> str:
            roll = rng.random()
            if roll < _BLAME_RATE:
                return fill(rng.choice(_BLAME))
            if roll < _BLAME_RATE + 0.04:
                return fill(rng.choice(_QUESTIONS))
            text = rng.choice(_OPENINGS) + fill(rng.choice(_CLAUSES))
            if rng.random() < 0.6:
                text += rng.choice(_JOINS) + fill(rng.choice(_CLAUSES))
            return text[0].upper() + text[1:] + "."

        timeline = []
        for minute in sorted(rng.sample(range(90), rng.randint(15, 30))):
            rough = rng.random() < 0.15
            timeline.append(
                TimelineEntry(
                    time=rng.choice(_ROUGH_TIMES) if rough else f"{14 + minute // 60}:{minute % 60:02d}",
                    saw=f"{rng.choice(_SAW)} {rng.choice(own_systems)} with {rng.randint(10, 500)} {rng.choice(_SIGNALS)}" if rng.random() < 0.8 else "",
                    did=f"{rng.choice(_DID)} {rng.choice(own_systems)} in {rng.choice(own_words)}" if rng.random() < 0.8 else "",
                    expected=rng.choice(_EXPECTED) if rng.random() < 0.6 else "",
                )
            )
        safeguards = [Safeguard(kind=kind, description=fill(text)) for kind, text in (rng.choice(_SAFEGUARDS) for _ in range(rng.randint(3, 6)))]
        suggestions = [Suggestion(text=fill(rng.choice(_SUGGESTIONS))) for _ in range(rng.randint(2, 5))]
        used = sum(len(f"{e.saw} {e.did} {e.expected}".split()) for e in timeline)
        used += sum(len(s.description.split()) for s in safeguards) + sum(len(s.text.split()) for s in suggestions)
        per_answer = max(0, words_each - used) // max(1, len(prose_ids))
        answers: dict[str, Answer] = {}
        for question_id in prose_ids:
            sentences: list[str] = []
            written = 0
            while written < per_answer:
                sentences.append(sentence())
                written += len(sentences[-1].split())
            paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
            answers[question_id] = Answer(text="\n\n".join(paragraphs))
        accounts.append(
            Account(
                participant=f"person{number:03d}",
                role=f"{_ROLES[number % len(_ROLES)]} {number // len(_ROLES) + 1}",
                status="submitted",
                answers=answers,
                timeline=timeline,
                safeguards=safeguards,
                suggestions=suggestions,
            )
        )
    return accounts


def account_words(account: Account) -> int:
    """Words a person wrote in an account: answers, timeline, safeguards, suggestions."""
    texts = [answer.text for answer in account.answers.values()]
    texts += [f"{entry.time} {entry.saw} {entry.did} {entry.expected}" for entry in account.timeline]
    texts += [safeguard.description for safeguard in account.safeguards]
    texts += [suggestion.text for suggestion in account.suggestions]
    return sum(len(text.split()) for text in texts)


def _guide() -> Guide:
    from pminterview.guide import load_guide

    return load_guide()


def timed_merge(count: int) -> tuple[float, float]:
    """Seconds for a first merge of `count` synthetic accounts, then for merging them again.

    The first merge is what a facilitator waits for on opening the screen: rules and guide
    are loaded (untimed, as a merge of two accounts), but nothing about these accounts is
    remembered yet. The second is a re-merge, where the lint's results per text are reused.
    """
    import datetime as dt

    from pminterview.merge import merge
    from pminterview.model import Incident

    incident = Incident(id="bench-outage", title="Bench outage", started=dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.timezone.utc))
    guide = _guide()
    merge(incident, synthetic_accounts(2, seed=1), guide=guide)
    accounts = synthetic_accounts(count)
    started = time.perf_counter()
    merge(incident, accounts, guide=guide)
    first = time.perf_counter() - started
    started = time.perf_counter()
    merge(incident, accounts, guide=guide)
    return first, time.perf_counter() - started


def _merge_in_fresh_process(count: int) -> tuple[float, float]:
    # A process of its own per run: no run benefits from what an earlier one remembered.
    output = subprocess.run(
        [sys.executable, __file__, "--merge-once", str(count)], capture_output=True, text=True, check=True
    ).stdout.split()
    return float(output[0]), float(output[1])


def bench_merge(bench: Workbench, quick: bool) -> Iterator[Row]:
    """First-merge time for N and 2N synthetic accounts of about 3,000 words each."""
    try:
        from pminterview.merge import merge  # noqa: F401
    except ImportError as err:
        yield Row("merge", "not available", result=f"pminterview.merge: {err}")
        return
    small = 10 if quick else 100
    repeats = 1 if quick else 3
    first: dict[int, float] = {}
    again: dict[int, float] = {}
    for count in (small, small * 2):
        runs = []
        for _ in range(repeats):
            _progress(f"merge: {count} accounts, in a fresh process")
            runs.append(_merge_in_fresh_process(count))
            if runs[-1][0] > 5.0:
                break  # far from the target already: one run says enough
        first[count] = statistics.median(run[0] for run in runs)
        again[count] = statistics.median(run[1] for run in runs)
        if first[count] > 60.0:
            break  # doubling would take minutes; report what there is
    words = account_words(synthetic_accounts(1)[0])
    print(f"merge input: {describe_synthetic_accounts()}", flush=True)
    yield Row(
        f"merge {small} accounts (~{words:,} words each)",
        f"{first[small]:.3f} s",
        target="< 1 s" if not quick else "(quick: 10)",
        result=_verdict(first[small] < 1.0) if not quick else "",
    )
    if small * 2 not in first:
        yield Row(f"merge {small * 2} accounts vs {small}", "skipped", result=f"{small} accounts took over a minute")
        return
    growth = first[small * 2] / first[small]
    yield Row(
        f"merge {small * 2} accounts vs {small}",
        f"{first[small * 2]:.3f} s",
        f"{first[small]:.3f} s",
        f"{growth:.2f}",
        "<= 2.3",
        _verdict(growth <= 2.3),
    )
    yield Row(f"re-merge {small} accounts, unchanged (info)", f"{again[small]:.3f} s")


# --- main ---------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and keys; a smoke test, not a measurement")
    parser.add_argument("--only", help=f"comma-separated groups: {', '.join(GROUPS)}")
    parser.add_argument("--merge-once", type=int, metavar="N", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.merge_once:
        print(*(f"{seconds:.6f}" for seconds in timed_merge(args.merge_once)))
        return 0
    wanted = {g.strip() for g in args.only.split(",")} if args.only else set(GROUPS)
    unknown = sorted(wanted - set(GROUPS))
    chosen = [g for g in GROUPS if g in wanted]
    if unknown:
        parser.error(f"unknown group {', '.join(unknown)}; choose from {', '.join(GROUPS)}")

    runners: dict[str, Callable[[Workbench, bool], Iterator[Row]]] = {
        "spawn": bench_spawn,
        "typing": bench_typing,
        "paste": bench_paste,
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
          f"{COLUMNS}x{LINES}, TERM=xterm-256color, no COLORTERM, Python {sys.version.split()[0]}, "
          "programs compiled to bytecode as installed")
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
