"""What every pane of the facilitator's screen shares."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label

from pminterview.model import Incident
from pminterview.tui.facilitator.messages import PostmortemEdited
from pminterview.tui.facilitator.session import Session


class Pane(Widget):
    """A tab's content. `show()` is called after every merge with the current session; the
    pane keeps ids, never model objects, because a merge replaces the objects."""

    DEFAULT_CSS = """
    Pane {
        height: 1fr;
    }
    """

    session: Session | None = None

    def show(self, session: Session) -> None:
        self.session = session

    def focus_first(self) -> None:
        """Focus the first field of this pane that can take the focus right now."""
        for widget in self.screen.focus_chain:
            if self in widget.ancestors:
                widget.focus()
                return

    def edited(self) -> None:
        self.post_message(PostmortemEdited())


def field_row(label: str, widget: Widget, row_id: str | None = None) -> Horizontal:
    """A label and its field on one line: compact enough for 80x24."""
    return Horizontal(Label(label, classes="field-label"), widget, classes="field-row", id=row_id)


def local_time(moment: dt.datetime | None, incident: Incident) -> str:
    """`moment` in the incident's time zone, as "2026-11-27 14:31"; "" when unknown."""
    if moment is None:
        return ""
    try:
        zone = ZoneInfo(incident.timezone) if incident.timezone not in ("", "UTC") else dt.timezone.utc
    except (ZoneInfoNotFoundError, ValueError):
        zone = dt.timezone.utc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def next_id(prefix: str, existing: list[str]) -> str:
    """A new id such as "A7" that no existing id uses: one past the highest "A<number>"."""
    highest = 0
    for item_id in existing:
        if item_id.startswith(prefix) and item_id[len(prefix) :].isdigit():
            highest = max(highest, int(item_id[len(prefix) :]))
    return f"{prefix}{highest + 1}"
