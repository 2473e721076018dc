"""What every pane of the facilitator's screen shares."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rich.table import Table
from rich.text import Text
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label

from pminterview.model import Incident
from pminterview.tui.facilitator.messages import ItemsRemoved, PostmortemEdited
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

    def on_descendant_focus(self) -> None:
        self._show_focus()

    def on_descendant_blur(self) -> None:
        self._show_focus()

    def _show_focus(self) -> None:
        focused = self.app.focused
        for label in self.query(FieldLabel):
            label.show_focus(focused)

    def edited(self, removed: bool = False) -> None:
        """Tell the app the document changed; `removed` when an item other tabs show is gone."""
        self.post_message(ItemsRemoved() if removed else PostmortemEdited())


#: Marks the label of the field that has the focus. A shape, not a colour: a compact field has
#: no border, and without colour a focused field looks like any other.
FOCUS_MARK = "▶"


class FieldLabel(Label):
    """A field's name, marked with "▶" (and shown in reverse) while the field has the focus."""

    def __init__(self, text: str, field: Widget, *, classes: str = "field-label") -> None:
        super().__init__(f"  {text}", classes=classes, markup=False)
        self.text = text
        self.field = field

    def show_focus(self, focused: Widget | None) -> None:
        """Mark the label if `focused` is its field or inside it (an open Select's menu)."""
        marked = focused is not None and (focused is self.field or self.field in focused.ancestors)
        if marked != self.has_class("-focused"):
            self.set_class(marked, "-focused")
            self.update(f"{FOCUS_MARK if marked else ' '} {self.text}")


def field_row(label: str, widget: Widget, row_id: str | None = None) -> Horizontal:
    """A label and its field on one line: compact enough for 80x24."""
    return Horizontal(FieldLabel(label, widget), widget, classes="field-row", id=row_id)


def label_above(label: str, widget: Widget) -> FieldLabel:
    """A label on its own line above a larger field."""
    return FieldLabel(label, widget, classes="field-label-above")


def local_time(moment: dt.datetime | None, incident: Incident, *, with_zone: bool = False) -> str:
    """`moment` in the incident's time zone, as "2026-11-27 14:31" ("2026-11-27 14:31 CET"
    `with_zone`); "" when unknown."""
    if moment is None:
        return ""
    try:
        zone = ZoneInfo(incident.timezone) if incident.timezone not in ("", "UTC") else dt.timezone.utc
    except (ZoneInfoNotFoundError, ValueError):
        zone = dt.timezone.utc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z" if with_zone else "%Y-%m-%d %H:%M")


def count(number: int, singular: str, plural: str | None = None) -> str:
    """"1 answer", "3 answers"."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def one_line(text: str) -> Text:
    """A list entry cut to one line with an ellipsis, so a screenful shows many entries; the
    form beside the list shows the whole text."""
    return Text(text, no_wrap=True, overflow="ellipsis", end="")


def bullets(items: list[Text], mark: str = "-") -> Table:
    """Items under a mark, wrapped lines indented under the text rather than the mark."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for item in items:
        grid.add_row(mark, item)
    return grid


def next_id(prefix: str, existing: list[str]) -> str:
    """A new id such as "a-own-7" that no existing id uses: one past the highest number."""
    highest = 0
    for item_id in existing:
        if item_id.startswith(prefix) and item_id[len(prefix) :].isdigit():
            highest = max(highest, int(item_id[len(prefix) :]))
    return f"{prefix}{highest + 1}"
