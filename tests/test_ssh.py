"""A real SSH connection dropped mid-interview: the answer typed before the drop survives.

The test starts its own sshd on 127.0.0.1 (throw-away host key, a test user with a generated
key), runs `pminterview interview` over `ssh -tt` inside an 80x24 tmux pane, types an answer,
then SIGKILLs the ssh client, as a dropped connection would leave it. sshd hangs up the session
(SIGHUP), and the app must save on the way out. Needs root, sshd, ssh and tmux; skipped with
the reason otherwise.
"""

from __future__ import annotations

import os
import secrets
import shlex
import shutil
import signal
import subprocess
import time
import tomllib
from pathlib import Path

import pytest
from helpers.sshd import Sshd, Tmux, user_pids, why_no_ssh
from helpers.users import python_for, shared_tmp, throwaway_users

from pminterview.guide import load_guide

pytestmark = pytest.mark.skipif(why_no_ssh() is not None, reason=why_no_ssh() or "")

ANSWER = "on-call SRE"
MORE = " via ssh"


def _interview_available() -> bool:
    try:
        import pminterview.tui.interview.app  # noqa: F401
    except ImportError:
        return False
    return True


def _wait_until(check, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return check()


def test_an_answer_typed_before_the_connection_dropped_survives() -> None:
    if not _interview_available():
        pytest.skip("the interview app (pminterview.tui.interview) is not in this tree yet")
    first = load_guide().questions[0]
    with throwaway_users(["ssh"]) as users:
        user = users.members["ssh"]
        # A locked password ("!") makes sshd without PAM refuse even key logins; "*" is no
        # password at all, which is what a key-only account wants.
        subprocess.run(["usermod", "-p", "*", user], check=True, capture_output=True)
        base = shared_tmp(owner=user)
        sshd = Sshd(base / "sshd", user)
        tmux = Tmux(f"pmi-{secrets.token_hex(3)}", base)
        try:
            try:
                runner = python_for(user, base)
            except RuntimeError as err:
                pytest.skip(str(err))
            program = runner.wrapper(base)
            incident = base / "incident"
            made = runner.run(user, ["-m", "pminterview", "new", str(incident), "--title", "Checkout outage"], cwd=base)
            assert made.returncode == 0, made.stderr
            sshd.start()

            remote = f"TERM=xterm-256color exec {shlex.quote(str(program))} interview {shlex.quote(str(incident))} --participant x"
            screen = _connect(tmux, sshd, remote, " ".join(first.prompt.split()[:4]))
            assert "Checkout outage" in screen
            tmux.type(ANSWER)
            tmux.wait_for(ANSWER, timeout=20)
            account = incident / "accounts" / "x.toml"

            def role() -> str:
                try:
                    return tomllib.loads(account.read_text()).get("role", "")
                except (OSError, tomllib.TOMLDecodeError):
                    return ""

            # Autosave works over ssh too...
            assert _wait_until(lambda: role() == ANSWER, timeout=20), _diagnose(account, sshd)
            # ...and what was typed after the last autosave is saved by the hang-up: type more
            # and drop the connection as soon as it is on the screen, well inside the
            # autosave delay.
            tmux.type(MORE)
            tmux.wait_for(ANSWER + MORE, timeout=20, poll=0.02)
            os.kill(tmux.pane_pid(), signal.SIGKILL)  # the client dies without a word to the server
            saved_by_autosave = role() == ANSWER + MORE

            assert _wait_until(lambda: role() == ANSWER + MORE, timeout=30), _diagnose(account, sshd)
            if saved_by_autosave:
                print("note: autosave beat the hang-up this time; the answer survived either way")
            # ...and the session ended instead of living on without a terminal.
            assert _wait_until(lambda: not _interview_pids(user), timeout=30), "the interview outlived its connection"
            data = tomllib.loads(account.read_text())
            assert data["participant"] == "x" and data["schema_version"] == 1
            assert not [p.name for p in account.parent.iterdir() if p.name.endswith(".tmp")]
        finally:
            tmux.stop()
            sshd.stop()
            for pid in user_pids(user):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            _wait_until(lambda: not user_pids(user), timeout=10)
            shutil.rmtree(base, ignore_errors=True)


def _connect(tmux: Tmux, sshd: Sshd, remote: str, prompt: str) -> str:
    """Start the ssh client in the pane and wait for the interview's first screen.

    ssh exits with 255 when the connection itself fails; on a loaded machine that happens
    before the app is ever reached, and says nothing about the app, so it is tried once more.
    """
    for attempt in (1, 2):
        tmux.start("exec " + shlex.join(sshd.ssh_command(remote)))
        try:
            return tmux.wait_for(prompt)
        except AssertionError as err:
            failure = f"{err}\nssh exit status: {tmux.exit_status()}\nsshd log:\n{sshd.log.read_text(errors='replace')[-1500:]}"
            if attempt == 2 or tmux.exit_status() != 255:
                raise AssertionError(failure) from None
            print(f"note: ssh could not connect, trying once more:\n{failure}")
            tmux.stop()
    raise AssertionError("unreachable")


def _interview_pids(user: str) -> list[int]:
    found = []
    for pid in user_pids(user):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"pminterview" in command:
            found.append(pid)
    return found


def _diagnose(account: Path, sshd: Sshd) -> str:
    content = account.read_text(errors="replace") if account.exists() else "(no account file)"
    log = sshd.log.read_text(errors="replace")[-1500:] if sshd.log.exists() else ""
    return f"the answer did not survive.\naccount file:\n{content}\nsshd log:\n{log}"
