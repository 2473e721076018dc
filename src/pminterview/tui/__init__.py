"""The Textual front end: the responder's interview and the facilitator's screen.

Only this package imports Textual; everything it shows comes from the domain modules.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pminterview.guide import Guide
    from pminterview.workspace import Workspace

__all__ = ["lazy_exports", "run_facilitator", "run_interview"]


def lazy_exports(package: str, exports: dict[str, str]) -> Callable[[str], object]:
    """A module-level `__getattr__` for `package` that imports each public name from its
    submodule (`exports`: name -> submodule) when first used.

    Importing a TUI package therefore loads no Textual: the CLI starts faster, and the check
    that the domain imports without Textual can walk every package.
    """

    def __getattr__(name: str) -> object:
        try:
            submodule = exports[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        return getattr(import_module(f"{package}.{submodule}"), name)

    return __getattr__


def run_interview(workspace: Workspace, participant: str, guide: Guide) -> int:
    """Run the interview for one participant; returns the process exit code."""
    # No cyclic garbage collection until the first question is on screen (the app turns it
    # back on then): start-up allocates tens of thousands of objects that all stay alive,
    # and collections walking over them would only hold back the first paint.
    gc.disable()
    try:
        from pminterview.tui.interview.app import run

        return run(workspace, participant, guide)
    finally:
        gc.enable()


def run_facilitator(workspace: Workspace) -> int:
    """Run the facilitator's screen on an incident folder; returns the exit code."""
    from pminterview.tui.facilitator.app import run

    return run(workspace)
