"""The tabs of the facilitator's screen, one pane each."""

from pminterview.tui.facilitator.panes.actions import ActionsPane
from pminterview.tui.facilitator.panes.base import Pane
from pminterview.tui.facilitator.panes.export import ExportPane
from pminterview.tui.facilitator.panes.factors import FactorsPane
from pminterview.tui.facilitator.panes.findings import FindingsPane
from pminterview.tui.facilitator.panes.narrative import NarrativePane
from pminterview.tui.facilitator.panes.participants import ParticipantsPane
from pminterview.tui.facilitator.panes.timeline import TimelinePane

__all__ = [
    "ActionsPane",
    "ExportPane",
    "FactorsPane",
    "FindingsPane",
    "NarrativePane",
    "Pane",
    "ParticipantsPane",
    "TimelinePane",
]
