"""Small widgets of the facilitator's screen."""

from pminterview.tui import lazy_exports

_EXPORTS = {
    "Checklist": "checklist",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
