"""Pieces both apps share: exit signals, debounced autosave, the generated help screen,
and keeping typed keys in order around shortcuts.

Apps include `COMMON_CSS_PATH` in their `CSS_PATH` to style the shared screens.
"""

from pathlib import Path
from typing import TYPE_CHECKING

from pminterview.tui.common.autosave import Autosave, Debouncer
from pminterview.tui.common.signals import EXIT_SIGNALS, install_exit_signals
from pminterview.tui.common.typeahead import settle_keys

if TYPE_CHECKING:
    from pminterview.tui.common.help import HelpRow, HelpScreen, help_rows

#: Stylesheet for the shared screens; add it to an app's CSS_PATH.
COMMON_CSS_PATH = Path(__file__).with_name("common.tcss")

__all__ = [
    "COMMON_CSS_PATH",
    "EXIT_SIGNALS",
    "Autosave",
    "Debouncer",
    "HelpRow",
    "HelpScreen",
    "help_rows",
    "install_exit_signals",
    "settle_keys",
]

_LATER = {"HelpRow", "HelpScreen", "help_rows"}


def __getattr__(name: str) -> object:
    # The help screen (tables, buttons, a modal) is imported when first asked for, not with
    # the package: a first screen does not need it, and start-up time is what people feel.
    if name in _LATER:
        from pminterview.tui.common import help

        return getattr(help, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
