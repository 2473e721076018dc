"""The facilitator's screen: merge the accounts, edit the postmortem, export it."""

from pminterview.tui.facilitator.app import FacilitatorApp, run
from pminterview.tui.facilitator.session import Session

__all__ = ["FacilitatorApp", "Session", "run"]
