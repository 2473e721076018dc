"""Shared fixtures: every test runs with a clean terminal environment and its own files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pminterview.workspace import Workspace


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Remove colour and Textual settings that would change rendering, and point all
    per-user state at a temporary folder."""
    for name in list(os.environ):
        # TEXTUAL_SNAPSHOT_* is pytest-textual-snapshot's own bookkeeping, not a rendering setting.
        if name.startswith("TEXTUAL_SNAPSHOT"):
            continue
        if name.startswith("TEXTUAL") or name in ("NO_COLOR", "COLORTERM", "FORCE_COLOR"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PMINTERVIEW_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TERM", "xterm-256color")


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """A fresh incident folder with a start date, so bare times have a day."""
    import datetime as dt

    return Workspace.create(
        tmp_path / "incident",
        "Checkout outage",
        started=dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.timezone.utc),
    )
