"""Messages the facilitator's panes send to the app."""

from __future__ import annotations

from textual.message import Message


class PostmortemEdited(Message):
    """The facilitator changed the postmortem; the app schedules an autosave.

    Sent on every edit (a keystroke in a field), so a queued one may stand in for the next.
    """

    def can_replace(self, message: Message) -> bool:
        # Exactly this type: an ItemsRemoved stood in for would lose its redraw.
        return type(message) is PostmortemEdited


class ItemsRemoved(PostmortemEdited):
    """The facilitator deleted a factor or an action, which other tabs may show or refer to;
    the app redraws every tab as well as scheduling the autosave."""

    def can_replace(self, message: Message) -> bool:
        # The redraw and the autosave cover any edit queued before it.
        return isinstance(message, PostmortemEdited)
