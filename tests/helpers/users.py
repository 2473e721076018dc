"""Real Unix users for the multi-user and SSH tests (root only), and a way to run pminterview as them.

The test venv may live where other users cannot reach (a Python under /root, say), so
`python_for` finds an interpreter of the same version that the user can execute, and puts
the venv's site-packages and the source tree on PYTHONPATH, copying them to a world-readable
temporary folder when the user cannot read them where they are.
"""

from __future__ import annotations

import os
import secrets
import shutil
import site
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pminterview

TOOLS = ("useradd", "userdel", "groupadd", "groupdel", "runuser")


def why_not_root() -> str | None:
    """Why real-user tests cannot run here, or None when they can."""
    if os.geteuid() != 0:
        return "needs root to create throw-away Unix users and a group (CI runs as root)"
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        return f"needs {', '.join(missing)} to create throw-away users"
    return None


@dataclass
class Users:
    """Throw-away users and one group, with unique names."""

    group: str
    members: dict[str, str]  # role in the test -> user name, all in `group`
    outsider: str  # a user not in the group


@contextmanager
def throwaway_users(roles: Sequence[str]) -> Iterator[Users]:
    """Create a group, one user per role in it, and one outsider; remove them all afterwards."""
    tag = secrets.token_hex(3)
    group = f"pmig{tag}"
    names = {role: f"pmi{role[:3]}{tag}" for role in roles}
    outsider = f"pmiout{tag}"
    created: list[str] = []
    group_made = False
    try:
        _run(["groupadd", group])
        group_made = True
        for name in names.values():
            _run(["useradd", "--no-create-home", "--shell", "/bin/sh", "--groups", group, name])
            created.append(name)
        _run(["useradd", "--no-create-home", "--shell", "/bin/sh", outsider])
        created.append(outsider)
        yield Users(group, names, outsider)
    finally:
        for name in created:
            subprocess.run(["userdel", name], capture_output=True)
        if group_made:
            subprocess.run(["groupdel", group], capture_output=True)


def _run(argv: list[str]) -> None:
    result = subprocess.run(argv, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {result.stderr.strip()}")


def shared_tmp(owner: str | None = None) -> Path:
    """A fresh folder under /tmp that every user can traverse (pytest's own tmp is 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="pmi-users-", dir="/tmp"))
    folder.chmod(0o755)
    if owner:
        shutil.chown(folder, owner, None)
    return folder


@dataclass
class Runner:
    """How to start pminterview's Python as another user."""

    python: str
    pythonpath: str

    def env(self) -> dict[str, str]:
        return {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": "/tmp",
            "LANG": "C.UTF-8",
            "PYTHONPATH": self.pythonpath,
            "PYTHONDONTWRITEBYTECODE": "1",
            "TERM": "xterm-256color",
        }

    def argv(self, user: str, args: Sequence[str], umask: str = "022") -> list[str]:
        env = [f"{key}={value}" for key, value in self.env().items()]
        # `sh -c 'umask ...; exec "$@"'` so each test chooses the umask the person has.
        return ["runuser", "-u", user, "--", "env", "-i", *env, "/bin/sh", "-c", f'umask {umask}; exec "$@"', "sh", self.python, *args]

    def run(self, user: str, args: Sequence[str], cwd: Path | None = None, umask: str = "022", timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.argv(user, args, umask), capture_output=True, text=True, cwd=cwd, timeout=timeout)

    def wrapper(self, folder: Path) -> Path:
        """A `pminterview` executable script for other users (for ssh sessions)."""
        script = folder / "pminterview"
        script.write_text(
            "#!/bin/sh\n"
            f"PYTHONPATH='{self.pythonpath}'\nexport PYTHONPATH\n"
            "PYTHONDONTWRITEBYTECODE=1\nexport PYTHONDONTWRITEBYTECODE\n"
            f'exec \'{self.python}\' -m pminterview "$@"\n'
        )
        script.chmod(0o755)
        return script


_PROBE = "import pminterview.workspace, pydantic_core, tomli_w, textual; print('ok')"


def python_for(user: str, scratch: Path) -> Runner:
    """A Runner that works for `user`; copies the code under `scratch` if it must. Raises
    RuntimeError with the reason when nothing works."""
    candidates = [
        sys.executable,
        os.path.realpath(sys.executable),
        getattr(sys, "_base_executable", ""),
        f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}",
        f"/usr/local/bin/python{sys.version_info.major}.{sys.version_info.minor}",
    ]
    source = str(Path(pminterview.__file__).resolve().parent.parent)
    packages = [p for p in site.getsitepackages() if os.path.isdir(p)]
    paths = [source, *packages]
    tried: list[str] = []
    for attempt in ("in place", "copied"):
        if attempt == "copied":
            paths = _copy_for_others(source, packages, scratch)
        pythonpath = os.pathsep.join(paths)
        for python in dict.fromkeys(c for c in candidates if c and os.path.exists(c)):
            runner = Runner(python, pythonpath)
            probe = runner.run(user, ["-c", _PROBE], cwd=Path("/"))
            if probe.returncode == 0 and probe.stdout.strip() == "ok":
                return runner
            tried.append(f"{python} ({attempt}): {probe.stderr.strip().splitlines()[-1:] or probe.returncode}")
    raise RuntimeError("no Python that other users can run pminterview with: " + "; ".join(tried))


def _copy_for_others(source: str, packages: list[str], scratch: Path) -> list[str]:
    target = scratch / "code"
    paths = []
    shutil.copytree(Path(source) / "pminterview", target / "src" / "pminterview", dirs_exist_ok=True)
    paths.append(str(target / "src"))
    for number, folder in enumerate(packages):
        copy = target / f"site{number}"
        shutil.copytree(folder, copy, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__editable__*", "*.pth"))
        paths.append(str(copy))
    for path in [target, *target.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o444 | (0o111 if path.is_dir() else 0))
    return paths
