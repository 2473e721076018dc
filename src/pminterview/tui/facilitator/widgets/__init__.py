"""Small widgets of the facilitator's screen."""

from pminterview.tui.facilitator.widgets.checklist import Checklist
from pminterview.tui.facilitator.widgets.keybar import KeyBar

__all__ = ["Checklist", "KeyBar"]
