"""The Textual front end: the responder's interview and the facilitator's screen.

Only this package imports Textual; everything it shows comes from the domain modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pminterview.guide import Guide
    from pminterview.workspace import Workspace

__all__ = ["run_facilitator", "run_interview"]


def run_interview(workspace: Workspace, participant: str, guide: Guide) -> int:
    """Run the interview for one participant; returns the process exit code."""
    from pminterview.tui.interview.app import run

    return run(workspace, participant, guide)


def run_facilitator(workspace: Workspace) -> int:
    """Run the facilitator's screen on an incident folder; returns the exit code."""
    from pminterview.tui.facilitator.app import run

    return run(workspace)
