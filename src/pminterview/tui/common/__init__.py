"""Pieces both apps share: exit signals, debounced autosave, the generated help screen,
and keeping typed keys in order around shortcuts.

Apps include `COMMON_CSS_PATH` in their `CSS_PATH` to style the shared screens.
"""

from pathlib import Path

from pminterview.tui import lazy_exports

#: Stylesheet for the shared screens; add it to an app's CSS_PATH.
COMMON_CSS_PATH = Path(__file__).with_name("common.tcss")

# Imported when first used: the first screen does not need the help screen, and importing
# the package must not load Textual.
_EXPORTS = {
    "Autosave": "autosave",
    "Debouncer": "autosave",
    "EXIT_SIGNALS": "signals",
    "install_exit_signals": "signals",
    "settle_keys": "typeahead",
    "HelpRow": "help",
    "HelpScreen": "help",
    "help_rows": "help",
}
__all__ = sorted([*_EXPORTS, "COMMON_CSS_PATH"])
__getattr__ = lazy_exports(__name__, _EXPORTS)
