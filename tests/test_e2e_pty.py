"""End to end through a real pseudo-terminal: the `pminterview` command at 80x24 with
TERM=xterm-256color, read back with a terminal emulator (pyte).

The case that matters on bastion hosts: the SSH connection drops mid-answer (SIGHUP), and
the next start finds the answer saved and the cursor where it was.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
import tomllib
from pathlib import Path

import pyte
import pytest

from app_factory import make_workspace

COLUMNS, ROWS = 80, 24
CTRL_N = b"\x0e"
ENTER = b"\r"


class Terminal:
    """One run of the interview in a pseudo-terminal, with a pyte screen to read it."""

    def __init__(self, root: Path, participant: str) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        env = {key: value for key, value in os.environ.items() if key != "COLORTERM"}
        env.update(TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(ROWS))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pminterview", "interview", str(root), "--participant", participant],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,  # its own session, like a login shell's child over SSH
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.screen = pyte.Screen(COLUMNS, ROWS)
        self.stream = pyte.ByteStream(self.screen)

    def read(self, timeout: float = 0.1) -> None:
        """Feed whatever the program wrote into the emulator."""
        while True:
            ready, _, _ = select.select([self.master], [], [], timeout)
            if not ready:
                return
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: the program closed the terminal
                return
            if not chunk:
                return
            self.stream.feed(chunk)
            timeout = 0.02

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, needle: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.read()
            if needle in self.text():
                return
            if self.process.poll() is not None:
                break
        raise AssertionError(f"{needle!r} never appeared; screen was:\n{self.text()}")

    def type(self, data: bytes) -> None:
        os.write(self.master, data)
        self.read(0.2)

    def hang_up(self, timeout: float = 20.0) -> int:
        """Send SIGHUP, as sshd does when the connection drops; return the exit code."""
        self.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self.read(0.05)  # keep draining, so the program is never stuck writing
        return self.process.wait(timeout=1)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "incident"
    make_workspace(root)
    return root


def test_sighup_mid_answer_keeps_the_answer_and_the_cursor(root: Path) -> None:
    first = Terminal(root, "x")
    try:
        first.wait_for("In a few words, what was your role")
        first.type(b"on-call SRE")
        first.wait_for("on-call SRE")
        first.type(CTRL_N)  # to the next question
        first.wait_for("2/12")
        first.type(b"I was paged at 14:02." + ENTER + b"The graph looked flat")
        first.wait_for("The graph looked flat")
        code = first.hang_up()
    finally:
        first.close()
    assert code == 128 + signal.SIGHUP

    saved = tomllib.loads((root / "accounts" / "x.toml").read_text(encoding="utf-8"))
    assert saved["role"] == "on-call SRE"
    assert saved["answers"]["involved"]["text"] == "I was paged at 14:02.\nThe graph looked flat"
    assert saved["cursor"] == {"question": "involved", "row": 1, "column": len("The graph looked flat")}

    second = Terminal(root, "x")
    try:
        second.wait_for("The graph looked flat")  # the answer is back on screen ...
        assert "2/12" in second.text()  # ... on the same question
        second.type(b" for five minutes")  # typed where the cursor was left
        second.wait_for("The graph looked flat for five minutes")
        second.type(b"\x11")  # ctrl+q: save and quit
        second.process.wait(timeout=20)
    finally:
        second.close()
    saved = tomllib.loads((root / "accounts" / "x.toml").read_text(encoding="utf-8"))
    assert saved["answers"]["involved"]["text"].endswith("The graph looked flat for five minutes")
