"""Child Python processes for the crash, lock and concurrency tests."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import textwrap


def spawn(code: str, *args: str) -> subprocess.Popen[str]:
    """Run `code` in a fresh interpreter with `args` as sys.argv[1:]; stdout is a pipe."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_line(child: subprocess.Popen[str], expected: str, timeout: float = 20.0) -> None:
    """Block until the child prints `expected` on a line of its own (AssertionError if it dies)."""
    assert child.stdout is not None
    fd = child.stdout.fileno()
    buffer = ""
    while True:
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            child.kill()
            raise AssertionError(f"child never said {expected!r}")
        chunk = os.read(fd, 4096).decode()
        if not chunk:
            stderr = child.stderr.read() if child.stderr else ""
            raise AssertionError(f"child exited before saying {expected!r}: {stderr[-2000:]}")
        buffer += chunk
        if expected in buffer.splitlines():
            return


def kill_hard(child: subprocess.Popen[str]) -> None:
    """SIGKILL, as the OOM killer or `kill -9` would; reaped so its flock is surely gone."""
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    for stream in (child.stdout, child.stderr):
        if stream:
            stream.close()
