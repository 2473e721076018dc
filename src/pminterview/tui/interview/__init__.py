"""The responder's interview: one question at a time, saved as they type."""

from pminterview.tui import lazy_exports

_EXPORTS = {
    "InterviewApp": "app",
    "run": "app",
    "InterviewSession": "session",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
