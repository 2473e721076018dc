"""The tabs of the facilitator's screen, one pane each."""

from pminterview.tui import lazy_exports

_EXPORTS = {
    "ActionsPane": "actions",
    "Pane": "base",
    "ExportPane": "export",
    "FactorsPane": "factors",
    "FindingsPane": "findings",
    "NarrativePane": "narrative",
    "ParticipantsPane": "participants",
    "TimelinePane": "timeline",
}
__all__ = sorted(_EXPORTS)
__getattr__ = lazy_exports(__name__, _EXPORTS)
