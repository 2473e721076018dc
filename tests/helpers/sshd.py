"""A throw-away sshd on 127.0.0.1 and a tmux pane to drive an ssh client from, for the SSH test.

Everything lives in one temporary folder: host key, client key, authorized_keys, config,
pid file. Nothing in /etc/ssh is read or changed.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import time
from pathlib import Path

SSHD = "/usr/sbin/sshd"


def why_no_ssh() -> str | None:
    """Why the SSH test cannot run here, or None when it can."""
    if os.geteuid() != 0:
        return "needs root to start sshd and create a test user (CI runs as root)"
    if not os.access(SSHD, os.X_OK):
        return f"needs Debian's openssh-server ({SSHD}); .ci/run installs it when it can"
    for tool in ("ssh", "ssh-keygen", "tmux"):
        if shutil.which(tool) is None:
            return f"needs {tool}; .ci/run installs it when it can"
    if not stat.S_ISCHR(os.stat(os.devnull).st_mode):
        # tmux's server cannot start then ("server exited unexpectedly"); the machine is broken.
        return f"{os.devnull} is not the null device on this machine (something replaced it with a file)"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sshd:
    """sshd -D on a free port, letting only `user` in with a generated key."""

    def __init__(self, folder: Path, user: str) -> None:
        self.folder, self.user = folder, user
        self.port = free_port()
        self.key = folder / "client_key"
        self.log = folder / "sshd.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        folder = self.folder
        # Traversable, so sshd can read authorized_keys as the user; the keys stay 0600.
        folder.mkdir(exist_ok=True)
        folder.chmod(0o711)
        for name in ("host_key", "client_key"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)], check=True)
        keys = folder / "authorized_keys"
        keys.write_text((folder / "client_key.pub").read_text())
        keys.chmod(0o644)
        config = folder / "sshd_config"
        config.write_text(
            f"Port {self.port}\n"
            "ListenAddress 127.0.0.1\n"
            f"HostKey {folder / 'host_key'}\n"
            f"PidFile {folder / 'sshd.pid'}\n"
            f"AuthorizedKeysFile {keys}\n"
            "StrictModes no\n"
            "UsePAM no\n"
            "PasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\n"
            "PubkeyAuthentication yes\n"
            f"AllowUsers {self.user}\n"
            "PrintMotd no\n"
            "PrintLastLog no\n"
            "X11Forwarding no\n"
            "LogLevel VERBOSE\n"
        )
        # sshd refuses to start without its privilege-separation folder, which the Debian
        # service creates at boot; a container that never ran the service lacks it.
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
        check = subprocess.run([SSHD, "-t", "-f", str(config)], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"sshd rejects the test config: {check.stderr.strip()}")
        log = self.log.open("wb")
        self.process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=log, stderr=log)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"sshd exited: {self.log.read_text(errors='replace')[-1000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("sshd did not start listening")

    def ssh_command(self, remote: str) -> list[str]:
        return [
            "ssh", "-tt", "-p", str(self.port), "-i", str(self.key),
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
            f"{self.user}@127.0.0.1", remote,
        ]  # fmt: skip

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Tmux:
    """One detached tmux session on a private server socket."""

    def __init__(self, name: str, folder: Path) -> None:
        self.socket = name
        self.target = f"{name}:0.0"
        # Keep the pane after its command exits, so a failure stays readable. It must be set in
        # the config, before the session starts: set afterwards, a command that fails at once
        # (ssh refused) takes the only session and the server down with it, and new-session
        # itself fails with "server exited unexpectedly" instead of showing why.
        self.config = folder / "tmux.conf"
        self.config.write_text("set -g remain-on-exit on\n")

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-L", self.socket, "-f", str(self.config), *args], capture_output=True, text=True, check=check)

    def start(self, command: str, width: int = 80, height: int = 24) -> None:
        self._tmux("new-session", "-d", "-s", self.socket, "-x", str(width), "-y", str(height), command)

    def screen(self) -> str:
        result = self._tmux("capture-pane", "-p", "-t", self.target, check=False)
        return result.stdout

    def wait_for(self, text: str, timeout: float = 40, poll: float = 0.2) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in " ".join(screen.split()):
                return screen
            if self.exit_status() is not None:
                break  # nothing more will appear
            time.sleep(poll)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", self.target, "-l", text)

    def exit_status(self) -> int | None:
        """The pane command's exit status once it has ended, else None."""
        shown = self._tmux("display-message", "-p", "-t", self.target, "#{pane_dead} #{pane_dead_status}", check=False)
        dead, _, status = shown.stdout.strip().partition(" ")
        return int(status or -1) if dead == "1" else None

    def pane_pid(self) -> int:
        return int(self._tmux("display-message", "-p", "-t", self.target, "#{pane_pid}").stdout.strip())

    def stop(self) -> None:
        self._tmux("kill-server", check=False)


def user_pids(user: str) -> list[int]:
    """Processes of the throw-away test user (each one started by the test itself)."""
    import pwd

    uid = pwd.getpwnam(user).pw_uid
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid == uid:
                found.append(int(entry.name))
        except OSError:
            continue  # it exited while we looked
    return found
