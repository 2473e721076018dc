"""Asking before something is deleted.

Escape cancels, but never only Escape: on a slow link it can arrive late or be read as the
start of another key, so "n" and a Cancel button do the same, and "y" or the Delete button
confirm. When a reason is asked for, the keys go to the reason field instead and Enter
confirms.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from pminterview.tui.common.keybar import KeyBar
from pminterview.tui.common.keyorder import InOrderInput


class ConfirmDelete(ModalScreen[str | None]):
    """Confirm a deletion. Dismissed with the reason typed ("" when none was asked for),
    or None when cancelled."""

    BINDINGS = [
        Binding("y", "confirm_key", "Delete", id="confirm-yes"),
        Binding("n", "cancel_key", "Keep it", id="confirm-no"),
        Binding("escape", "cancel", "Cancel", id="confirm-escape"),
    ]

    def __init__(self, question: str, explanation: str, *, confirm_label: str = "Delete", reason: str | None = None) -> None:
        """`reason` None asks for no reason; a string asks for one, starting from that text."""
        super().__init__()
        self.question = question
        self.explanation = explanation
        self.confirm_label = confirm_label
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-panel"):
            yield Static(self.question, id="confirm-question", markup=False)
            yield Static(self.explanation, id="confirm-explanation", markup=False)
            if self.reason is not None:
                yield Label("Reason (shown in the export):", classes="field-label-above")
                yield InOrderInput(self.reason, id="confirm-reason", compact=True, placeholder="e.g. covered by the new deploy pipeline")
                yield Static(id="confirm-error", classes="field-error", markup=False)
                yield Static("Enter confirms; Tab moves to Cancel.", classes="meta")
            with Horizontal(id="confirm-buttons"):
                keys = "Enter" if self.reason is not None else "y"
                yield Button(f"{self.confirm_label} ({keys})", id="confirm-delete", compact=True)
                yield Button("Cancel (n, Esc)" if self.reason is None else "Cancel (Esc)", id="confirm-cancel", compact=True)
        # Its own key line covers the one behind it, which lists keys that do not work here.
        yield KeyBar(id="confirm-keys")

    def on_mount(self) -> None:
        if self.reason is not None:
            self.query_one("#confirm-error").display = False
            field = self.query_one("#confirm-reason", Input)
            field.cursor_blink = False
            field.focus()
        else:
            # Cancel first: an Enter pressed out of habit keeps the item.
            self.query_one("#confirm-cancel").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the reason field has focus, "y" and "n" are letters of the reason.
        if action in ("confirm_key", "cancel_key"):
            return not isinstance(self.focused, Input)
        return True

    def action_confirm_key(self) -> None:
        """Delete ("y")."""
        self.action_confirm()

    def action_cancel_key(self) -> None:
        """Keep the item ("n")."""
        self.action_cancel()

    @on(Button.Pressed, "#confirm-delete")
    @on(Input.Submitted, "#confirm-reason")
    def action_confirm(self) -> None:
        """Delete, giving the reason when one is asked for."""
        if self.reason is None:
            self.dismiss("")
            return
        reason = self.query_one("#confirm-reason", Input).value.strip()
        if not reason:
            error = self.query_one("#confirm-error", Static)
            error.update("Type a reason first, or cancel.")
            error.display = True
            self.query_one("#confirm-reason").focus()
            return
        self.dismiss(reason)

    @on(Button.Pressed, "#confirm-cancel")
    def action_cancel(self) -> None:
        """Keep the item as it is."""
        self.dismiss(None)
