"""The merged timeline, read-only: every role's perspective on each moment."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from pminterview.model import MergedTimelineEntry, Perspective, Postmortem
from pminterview.tui.facilitator.panes.base import Pane
from pminterview.tui.facilitator.session import Session

#: Printed before a rough time ("around 14:00", "just after the page"), and explained once.
APPROXIMATE_MARK = "~"


def perspective_text(perspective: Perspective) -> Text:
    """What one role saw, did and expected, as one wrapped paragraph."""
    text = Text()
    for label, value in (("saw", perspective.saw), ("did", perspective.did), ("expected", perspective.expected)):
        if value.strip():
            if text:
                text.append("  ")
            text.append(f"{label}: ", style="italic")
            text.append(value.strip())
    return text


def entry_time(entry: MergedTimelineEntry) -> str:
    time = entry.time or "(no time)"
    # Only clock times get the mark; "just after the page" already says it is rough.
    if entry.approximate and time[:1].isdigit():
        return f"{APPROXIMATE_MARK}{time}"
    return time


def timeline_renderable(postmortem: Postmortem) -> RenderableType:
    """The merged timeline as a table: time, role, what that role reported."""
    if not postmortem.timeline:
        return Text("No timeline entries yet: they appear as participants fill in their timelines.")
    table = Table(box=None, expand=True, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("Time", max_width=14)
    table.add_column("Perspective", ratio=1, max_width=22)
    table.add_column("What they reported", ratio=3)
    for entry in postmortem.timeline:
        first = True
        for perspective in entry.perspectives or [Perspective(role="")]:
            role = Text(perspective.role or "(no role)")
            # A role that gave its own, different time keeps it: the difference is a finding.
            if perspective.time and perspective.time != entry.time:
                role.append(f"\n(said {perspective.time})", style="italic")
            table.add_row(
                Text(entry_time(entry) if first else "", style="bold" if first else ""),
                role,
                perspective_text(perspective),
            )
            first = False
    legend = Text(f"\n{APPROXIMATE_MARK} marks an approximate time, placed by its order in the account.", style="dim")
    return Group(table, legend)


class TimelinePane(Pane):
    """The merged timeline, every role's perspective on each moment."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="timeline-scroll", classes="reading"):
            yield Static(id="timeline-body")

    def show(self, session: Session) -> None:
        super().show(session)
        self.query_one("#timeline-body", Static).update(timeline_renderable(session.postmortem))
