"""The facilitator's screen: merge the accounts, edit the postmortem, export it."""

from pminterview.tui import lazy_exports

_EXPORTS = {
    "FacilitatorApp": "app",
    "run": "app",
    "Session": "session",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
