"""Small widgets of the facilitator's screen."""

from pminterview.tui.facilitator.widgets.checklist import Checklist

__all__ = ["Checklist"]
