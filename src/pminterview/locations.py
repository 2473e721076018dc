"""Every path pminterview reads or writes, resolved in one place."""

from __future__ import annotations

import os
from pathlib import Path

INCIDENT_FILE = "incident.toml"
ACCOUNTS_DIR = "accounts"
POSTMORTEM_FILE = "postmortem.toml"
EXPORT_STEM = "postmortem"
#: Suffix of in-progress atomic writes; such files are never read as data.
TEMP_SUFFIX = ".tmp"


def incident_file(root: Path) -> Path:
    return root / INCIDENT_FILE


def accounts_dir(root: Path) -> Path:
    return root / ACCOUNTS_DIR


def account_file(root: Path, participant: str) -> Path:
    """The account of `participant`, who must already be a checked safe name."""
    return accounts_dir(root) / f"{participant}.toml"


def lock_file(root: Path, participant: str) -> Path:
    """Held (flock) while a session edits the account; hidden so listings skip it."""
    return accounts_dir(root) / f".{participant}.lock"


def postmortem_file(root: Path) -> Path:
    return root / POSTMORTEM_FILE


def export_file(root: Path, extension: str) -> Path:
    """Where an export lands by default: beside postmortem.toml, with a distinct name so the
    TOML export never overwrites the facilitator's working file."""
    return root / f"{EXPORT_STEM}.export.{extension}"


def sample_incident() -> Path:
    """The bundled sample incident used by `pminterview demo` (read-only in the package)."""
    return Path(__file__).parent / "samples" / "checkout-outage"


def state_home() -> Path:
    """Per-user state (demo copies). PMINTERVIEW_HOME overrides, for tests and shared hosts."""
    override = os.environ.get("PMINTERVIEW_HOME")
    if override:
        return Path(override)
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "pminterview"


def demo_dir() -> Path:
    """Where `pminterview demo` keeps its writable copy of the sample incident."""
    return state_home() / "demo" / "checkout-outage"
