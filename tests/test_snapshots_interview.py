"""What the responder sees: the first question, a timeline entry and the review page, at
80x24 and 120x40, and with NO_COLOR. Scenarios (app and key presses) live in app_factory.

Update after an intended change with: pytest tests/test_snapshots_interview.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app_factory import SCENARIOS

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_interview_looks_right(scenario: str, size: tuple[int, int], snap_compare, tmp_path: Path) -> None:
    make, keys = SCENARIOS[scenario]
    assert snap_compare(make(tmp_path / "incident"), run_before=keys, terminal_size=size)


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_interview_without_colour(
    scenario: str, snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only this test sets NO_COLOR; the shared fixture removes it everywhere else.
    monkeypatch.setenv("NO_COLOR", "1")
    make, keys = SCENARIOS[scenario]
    assert snap_compare(make(tmp_path / "incident"), run_before=keys, terminal_size=(80, 24))
