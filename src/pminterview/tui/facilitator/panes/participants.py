"""Who has given an account, how far they are, and when it last changed."""

from __future__ import annotations

import os
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from pminterview.model import AccountStatus
from pminterview.tui.common.account_text import off_record_count
from pminterview.tui.facilitator.account import AccountScreen
from pminterview.tui.facilitator.panes.base import Pane, count, local_time
from pminterview.tui.facilitator.session import Session

NOT_STARTED = "not started"
UNREADABLE = "unreadable"
NO_ROLE = "(no role)"

#: Column key -> heading.
COLUMNS = {"participant": "Participant", "role": "Role", "status": "Status", "changed": "Last change"}
#: A long role is cut (with "…") rather than narrowed below this, and is shown whole underneath.
MIN_ROLE_WIDTH = 12


@dataclass(frozen=True)
class ParticipantRow:
    """One line of the participants table, and the detail shown when it is highlighted."""

    participant: str
    role: str
    status: str
    changed: str
    detail: str
    problem: bool = False


def participant_rows(session: Session) -> list[ParticipantRow]:
    """Every account file and every interview that is open without a saved account."""
    incident = session.postmortem.incident
    rows: list[ParticipantRow] = []
    for entry in session.entries:
        # With its zone: the incident's zone is not the reader's, and a bare time reads as local.
        changed = local_time(entry.modified, incident, with_zone=True)
        account = entry.account
        if account is None:
            # The folder is known (it is the one open); naming files from it keeps the line short.
            error = (entry.error or "").replace(f"{session.workspace.root}{os.sep}", "")
            rows.append(ParticipantRow(entry.participant, "", UNREADABLE, changed, error, problem=True))
            continue
        if account.updated is not None:
            changed = local_time(account.updated, incident, with_zone=True)
        answered = sum(1 for answer in account.answers.values() if answer.text.strip())
        given = account.role.strip() or answered or account.timeline or account.safeguards or account.suggestions
        if not given and account.status is AccountStatus.DRAFT:
            status = NOT_STARTED
        else:
            status = account.status.value
        off_record = off_record_count(account)
        detail = ", ".join(
            (
                count(answered, "answer"),
                count(len(account.timeline), "timeline entry", "timeline entries"),
                count(len(account.safeguards), "safeguard"),
                count(len(account.suggestions), "suggestion"),
            )
        )
        if off_record:
            detail += f"; {off_record} off the record (never exported)"
        rows.append(ParticipantRow(entry.participant, account.role, status, changed, detail))
    for name in session.waiting:
        rows.append(ParticipantRow(name, "", NOT_STARTED, "", "The interview is open; nothing saved yet."))
    return rows


class ParticipantsTable(DataTable):
    """The participants table; Enter or v on a row opens that person's account."""

    # Replaces DataTable's hidden Enter binding: the same action (it posts RowSelected), but
    # described, so the key line and the help name it.
    BINDINGS = [Binding("enter,v", "select_cursor", "Read account", id="participants-read-account")]


class ParticipantsPane(Pane):
    """The participants table, with the highlighted row's detail underneath."""

    def compose(self) -> ComposeResult:
        yield Static(id="participants-summary", markup=False)
        yield ParticipantsTable(id="participants-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="participants-detail", markup=False)

    _rows: list[ParticipantRow] = []
    _role_width = 0
    _fitted_to = 0
    """The width the columns were last fitted to."""

    def _cells(self, row: ParticipantRow) -> dict[str, str]:
        status = f"! {row.status}" if row.problem else row.status
        return {"participant": row.participant, "role": row.role or NO_ROLE, "status": status, "changed": row.changed or "-"}

    def _room(self, table: DataTable) -> int:
        """Columns the table can show without scrolling sideways."""
        width = table.scrollable_content_region.width
        # Before the first layout, or while another tab is open, the table has no size yet.
        return width if width > 0 else self.app.size.width

    def _fit(self, table: DataTable, cells: list[dict[str, str]]) -> dict[str, int]:
        """Each column's width: its longest cell, except that the role is cut down so every
        column fits the width."""
        padding = 2 * table.cell_padding
        widths = {key: cell_len(heading) for key, heading in COLUMNS.items()}
        for row in cells:
            for key, text in row.items():
                widths[key] = max(widths[key], cell_len(text))
        others = sum(widths[key] + padding for key in COLUMNS if key != "role")
        room = self._room(table) - others - padding
        widths["role"] = max(min(widths["role"], room), min(widths["role"], MIN_ROLE_WIDTH))
        return widths

    def show(self, session: Session) -> None:
        super().show(session)
        self._rows = participant_rows(session)
        table = self.query_one("#participants-table", DataTable)
        keep = table.cursor_row
        cells = [self._cells(row) for row in self._rows]
        # The columns are made again each time, with widths worked out here: DataTable widens
        # a column for a longer cell but never narrows it, so a role that got shorter (or a
        # participant who left) would keep the old width.
        table.clear(columns=True)
        widths = self._fit(table, cells)
        self._role_width = widths["role"]
        self._fitted_to = self._room(table)
        # Fitted, the table needs no sideways scrollbar, not even for the moment between a
        # narrower window and this new fit; on a screen too narrow to fit it, it scrolls.
        needed = sum(width + 2 * table.cell_padding for width in widths.values())
        table.set_class(needed > self._fitted_to, "-too-wide")
        for key, heading in COLUMNS.items():
            table.add_column(heading, key=key, width=widths[key])
        for row, row_cells in zip(self._rows, cells):
            # Text, not str: a role or an error may contain "[", which DataTable reads as markup.
            table.add_row(
                *(Text(text, no_wrap=True, overflow="ellipsis") for text in row_cells.values()), key=row.participant
            )
        if self._rows:
            table.move_cursor(row=min(keep, len(self._rows) - 1))
        counts: dict[str, int] = {}
        for row in self._rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        parts = [f"{counts[name]} {name}" for name in ("submitted", "draft", NOT_STARTED, UNREADABLE) if counts.get(name)]
        summary = f"{len(self._rows)} participants: " + ", ".join(parts) if self._rows else "No accounts yet."
        self.query_one("#participants-summary", Static).update(summary)
        self._show_detail(table.cursor_row)

    def on_resize(self) -> None:
        table = self.query_one("#participants-table", DataTable)
        if self.session is not None and self._room(table) != self._fitted_to:
            self.show(self.session)

    @on(DataTable.RowHighlighted, "#participants-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    @on(DataTable.RowSelected, "#participants-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.read_account(event.cursor_row)

    def read_account(self, index: int) -> None:
        """Open the account on row `index`, or say why there is none to read."""
        rows = self._rows
        if self.session is None or not 0 <= index < len(rows):
            return
        row = rows[index]
        if row.status == UNREADABLE:
            self.notify(f"{row.participant}'s account file cannot be read; the line under the table says why.", severity="warning")
            return
        if not any(entry.participant == row.participant for entry in self.session.entries):
            self.notify(f"{row.participant} has not saved anything yet.")
            return
        self.app.push_screen(AccountScreen(self.session, row.participant))

    def _show_detail(self, index: int) -> None:
        detail = self.query_one("#participants-detail", Static)
        rows = self._rows
        if not rows or not 0 <= index < len(rows):
            detail.update("Accounts appear here as participants save them in `pminterview interview`.")
            detail.set_class(False, "-problem")
            return
        row = rows[index]
        text = row.detail
        if cell_len(row.role) > self._role_width:
            text = f"Role: {row.role}. {text}"  # cut short in the table
        detail.update(text)
        detail.set_class(row.problem, "-problem")
