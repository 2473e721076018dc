"""Messages the facilitator's panes send to the app."""

from __future__ import annotations

from textual.message import Message


class PostmortemEdited(Message):
    """The facilitator changed the postmortem; the app schedules an autosave.

    Sent on every edit (a keystroke in a field), so a queued one may stand in for the next.
    """

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PostmortemEdited)
