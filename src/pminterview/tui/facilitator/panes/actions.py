"""Action items: a list on the left, every field of the highlighted action on the right.

Each field writes to the document as it changes, except where the value would be wrong: a due
date that is not a date, a tracker that is not a link, or "won't do" without a reason. Those
leave the document as it was until the field is fixed, and show an error under the field
(for the date and the tracker once the field is left or Enter is pressed, not mid-typing).
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from pminterview.export.readiness import FieldLint
from pminterview.merge.factors import rewrite_advice
from pminterview.merge.text import shorten
from pminterview.model import Action, ActionStatus, ActionType, Priority
from pminterview.tui.common.autosave import Debouncer
from pminterview.tui.common.editor import AnswerEditor
from pminterview.tui.common.keyorder import InOrderInput
from pminterview.tui.facilitator.confirm import ConfirmDelete
from pminterview.tui.facilitator.panes.base import Pane, field_row, label_above, next_id, one_line
from pminterview.tui.facilitator.session import Session
from pminterview.tui.facilitator.widgets import Checklist

STATUS_LABELS = {
    ActionStatus.OPEN: "open",
    ActionStatus.IN_PROGRESS: "in progress",
    ActionStatus.DONE: "done",
    ActionStatus.WONT_DO: "won't do",
}
#: Short status marks for the list, readable without colour.
STATUS_MARKS = {
    ActionStatus.OPEN: "[ ]",
    ActionStatus.IN_PROGRESS: "[~]",
    ActionStatus.DONE: "[x]",
    ActionStatus.WONT_DO: "[-]",
}
TYPE_LABELS = {
    ActionType.PREVENT: "prevent",
    ActionType.DETECT: "detect",
    ActionType.MITIGATE: "mitigate",
    ActionType.PROCESS: "process",
}
PRIORITY_LABELS = {Priority.HIGH: "high", Priority.MEDIUM: "medium", Priority.LOW: "low"}

#: Pause after typing in a title before its wording is checked again.
RECHECK_DELAY = 0.4
DUE_FORMAT_HINT = "use YYYY-MM-DD, for example 2026-12-15, or leave it empty"
TRACKER_FORMAT_HINT = "use a web address such as https://tracker.example/OPS-12 or an issue key such as OPS-12"
#: An issue key as trackers write it: a project key, a hyphen, a number ("OPS-12").
ISSUE_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*-[0-9]+")
REASON_REQUIRED = "Won't do needs a reason: type it in Reason; until then the status stays {status}."


def parse_due(text: str) -> dt.date | None:
    """The due date typed in the form; None when empty. Raises ValueError with a message."""
    text = text.strip()
    if not text:
        return None
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"Due: {text!r} is not a date; {DUE_FORMAT_HINT}.") from None


def parse_tracker(text: str) -> str:
    """The tracker link typed in the form, trimmed; "" when empty. Raises ValueError with a
    message unless it is an http(s) address or an issue key such as OPS-12."""
    text = text.strip()
    if not text or ISSUE_KEY.fullmatch(text):
        return text
    parts = urlsplit(text)
    if parts.scheme.lower() in ("http", "https") and parts.hostname and not any(c.isspace() for c in text):
        return text
    raise ValueError(f"Tracker: {text!r} is not a link; {TRACKER_FORMAT_HINT}.")


def action_label(action: Action) -> Text:
    """One line in the list: status, a flag when it needs a rewrite, and the title."""
    flag = "!" if action.awaits_rewrite else " "
    return one_line(f"{STATUS_MARKS[action.status]}{flag}{action.title}")


class ActionsPane(Pane):
    """Edit every field of each action."""

    BINDINGS = [
        Binding("escape", "focus_list", "Back to the list", id="actions-back", show=False),
        Binding("n", "new_action", "New action", id="actions-new"),
        Binding("d,delete", "delete_action", "Delete", id="actions-delete"),
    ]

    _current: str | None = None

    def __init__(self, *, today: dt.date | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.today = today

    def compose(self) -> ComposeResult:
        yield OptionList(id="action-list", classes="item-list", markup=False)
        description = AnswerEditor("", id="action-description", classes="long-field")
        factors = Checklist(id="action-factors")
        # Not a Tab stop itself: it scrolls to the focused field, and a stop on it shows nothing.
        with VerticalScroll(id="action-form", classes="item-form", can_focus=False):
            yield Static(id="action-flag", classes="flag", markup=False)
            yield field_row("Title", _field("action-title"))
            yield label_above("Description", description)
            yield description
            yield field_row("Owner", _field("action-owner", "e.g. payments-team, or a person"))
            yield field_row("Due", _field("action-due", "e.g. 2026-12-15 (YYYY-MM-DD)"))
            yield Static(id="action-due-error", classes="field-error", markup=False)
            yield field_row("Priority", _select(PRIORITY_LABELS, "action-priority"))
            yield field_row("Status", _select(STATUS_LABELS, "action-status"))
            yield field_row("Reason", _field("action-reason", "e.g. covered by OPS-9 (for won't do)"))
            yield Static(id="action-reason-error", classes="field-error", markup=False)
            yield field_row("Type", _select(TYPE_LABELS, "action-type"))
            yield field_row("Tracker", _field("action-tracker", "e.g. https://tracker/OPS-12 or OPS-12"))
            yield Static(id="action-tracker-error", classes="field-error", markup=False)
            yield label_above("Contributing factors it addresses", factors)
            yield factors
            yield Static(id="action-meta", classes="meta", markup=False)
        yield Static(
            "No actions yet: they come from the accounts' suggestions and from missing or failed safeguards.",
            id="action-empty",
            classes="empty",
        )

    _recheck_id: str | None = None

    def on_mount(self) -> None:
        self._recheck = Debouncer(self, RECHECK_DELAY, self.recheck_wording)
        for field in self.query(Input):
            field.cursor_blink = False  # a blinking cursor writes to the terminal while idle
        self.query_one("#action-due-error").display = False
        self.query_one("#action-reason-error").display = False
        self.query_one("#action-tracker-error").display = False

    # --- which action -------------------------------------------------------------------

    def _actions(self) -> list[Action]:
        return self.session.postmortem.actions if self.session else []

    def _action(self) -> Action | None:
        for action in self._actions():
            if action.id == self._current:
                return action
        return None

    def show(self, session: Session) -> None:
        super().show(session)
        actions = self._actions()
        option_list = self.query_one("#action-list", OptionList)
        keep = self._current
        with self.prevent(OptionList.OptionHighlighted):
            option_list.clear_options()
            option_list.add_options(Option(action_label(a), id=a.id) for a in actions)
        has_any = bool(actions)
        self.query_one("#action-form").display = has_any
        self.query_one("#action-empty").display = not has_any
        if not has_any:
            self._current = None
            return
        ids = [action.id for action in actions]
        index = ids.index(keep) if keep in ids else 0
        with self.prevent(OptionList.OptionHighlighted):
            option_list.highlighted = index
        self._load(ids[index], force=ids[index] != keep)

    @on(OptionList.OptionHighlighted, "#action-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id is not None and event.option_id != self._current:
            self._load(event.option_id, force=True)

    @on(OptionList.OptionSelected, "#action-list")
    def _selected(self) -> None:
        self.query_one("#action-title", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # "n" adds an action only from the list; in a text field it is a letter, and a
        # disabled binding passes the key on to the field.
        if action in ("new_action", "delete_action"):
            return self.query_one("#action-list").has_focus
        return True

    def action_new_action(self) -> None:
        """Add an action of your own and start editing its title."""
        if self.session is None:
            return
        postmortem = self.session.postmortem
        action = Action(
            id=next_id("a-own-", [a.id for a in postmortem.actions]),
            title="New action",
            created=self.today or dt.date.today(),
            edited=True,
        )
        postmortem.actions.append(action)
        self._current = None
        self.show(self.session)
        self.query_one("#action-list", OptionList).highlighted = len(postmortem.actions) - 1
        self._load(action.id, force=True)
        title = self.query_one("#action-title", Input)
        title.focus()
        title.select_all()
        self.edited()

    def action_delete_action(self) -> None:
        """Delete the highlighted action, after asking. An action drafted from the accounts
        would be drafted again by the next merge, so it becomes "won't do" with a reason."""
        action = self._action()
        if action is None:
            return
        title = shorten(action.title, 60) or "(no title)"
        if not action.sources:
            explanation = "You added this action; it is removed for good."
            self.app.push_screen(ConfirmDelete(f'Delete the action "{title}"?', explanation), self._deleted(action.id))
            return
        if action.status is ActionStatus.WONT_DO:
            self.app.notify(
                "It is already won't do. It stays in the list because a new merge would draft it again.", timeout=6
            )
            return
        explanation = (
            "It was drafted from the accounts, so merging again would bring it back. "
            "Instead it stays in the list as won't do, with your reason, and the export says so."
        )
        question = f'Drop the action "{title}"?'
        dialog = ConfirmDelete(question, explanation, confirm_label="Set won't do", reason=action.status_reason)
        self.app.push_screen(dialog, self._deleted(action.id))

    def _deleted(self, action_id: str):
        def done(reason: str | None) -> None:
            action = next((a for a in self._actions() if a.id == action_id), None)
            if reason is None or action is None or self.session is None:
                return
            actions = self.session.postmortem.actions
            if not action.sources:
                index = actions.index(action)
                actions.remove(action)
                if actions:
                    self._current = actions[min(index, len(actions) - 1)].id
                message = f'Deleted "{shorten(action.title, 40)}".'
            else:
                action.status = ActionStatus.WONT_DO
                action.status_reason = reason
                action.completed = None
                # The flagged wording no longer asks anything of anyone.
                action.needs_rewrite = False
                action.rewrite_hint = ""
                action.edited = True
                message = f'"{shorten(action.title, 40)}" is now won\'t do; a new merge keeps it that way.'
            self.show(self.session)
            if self._current is not None:
                self._load(self._current, force=True)  # the form showed the deleted action
            self.action_focus_list()
            self.edited(removed=True)
            self.app.notify(message, timeout=4)

        return done

    def action_focus_list(self) -> None:
        """Move the focus back to the list of actions."""
        self.query_one("#action-list", OptionList).focus()

    # --- showing one action ---------------------------------------------------------------

    def _load(self, action_id: str, force: bool) -> None:
        """Fill the form from the action. After a merge (`force` False) a field is left alone
        while it has focus or shows an error, so nobody's typing is overwritten."""
        self._current = action_id
        action = self._action()
        if action is None:
            return
        if force:
            self._set_error("#action-due-error", None)
            self._set_error("#action-reason-error", None)
            self._set_error("#action-tracker-error", None)
        due_error = self.query_one("#action-due-error").display
        values: list[tuple[str, object]] = [
            ("#action-title", action.title),
            ("#action-owner", action.owner),
            ("#action-reason", action.status_reason),
        ]
        # A field showing an error keeps what was typed, so it can be fixed rather than lost.
        if force or not self.query_one("#action-tracker-error").display:
            values.append(("#action-tracker", action.tracker))
        with self.prevent(Input.Changed, Select.Changed, AnswerEditor.Changed):
            for selector, value in values:
                self._fill_input(selector, str(value), force)
            due = self.query_one("#action-due", Input)
            due_text = action.due.isoformat() if action.due else ""
            if force or not (due.has_focus or due_error):
                due.value = due_text
            description = self.query_one("#action-description", AnswerEditor)
            if description.text != action.description and (force or not description.has_focus):
                description.text = action.description
            for selector, value in (
                ("#action-priority", action.priority),
                ("#action-status", action.status),
                ("#action-type", action.type),
            ):
                select = self.query_one(selector, Select)
                if select.value != value and (force or not select.has_focus):
                    select.value = value
            self._fill_factors(action)
        self._show_flag(action)

    def _fill_input(self, selector: str, value: str, force: bool) -> None:
        field = self.query_one(selector, Input)
        if field.value != value and (force or not field.has_focus):
            field.value = value

    def _fill_factors(self, action: Action) -> None:
        factors = self.session.postmortem.factors if self.session else []
        chooser = self.query_one("#action-factors", Checklist)
        chooser.set_items([(f.id, f.title) for f in factors], action.factors)
        chooser.display = bool(factors)

    def _show_flag(self, action: Action) -> None:
        flag = self.query_one("#action-flag", Static)
        if action.awaits_rewrite:
            flag.update(f"! {rewrite_advice(action.rewrite_hint)}")
        flag.display = action.awaits_rewrite
        meta = []
        if action.created:
            meta.append(f"Created {action.created.isoformat()}")
        if action.completed:
            meta.append(f"completed {action.completed.isoformat()}")
        if action.raised_by:
            meta.append(f"raised by {', '.join(action.raised_by)}")
        self.query_one("#action-meta", Static).update("; ".join(meta))

    def _set_error(self, selector: str, message: str | None) -> None:
        error = self.query_one(selector, Static)
        error.update(message or "")
        error.display = message is not None
        field_id = selector.removesuffix("-error")
        self.query_one(field_id, Input).set_class(message is not None, "-invalid")

    # --- editing --------------------------------------------------------------------------

    def _changed(self, action: Action) -> None:
        action.edited = True
        self.query_one("#action-list", OptionList).replace_option_prompt(action.id, action_label(action))
        self.edited()

    def _set_text(self, field: str, value: str) -> None:
        action = self._action()
        if action is None or getattr(action, field) == value:
            return
        setattr(action, field, value)
        self._changed(action)

    @on(Input.Changed, "#action-title")
    def _title_changed(self, event: Input.Changed) -> None:
        self._set_text("title", event.value)
        self._recheck_soon()

    def _recheck_soon(self) -> None:
        # Re-check the wording shortly after typing stops: a rewrite clears the flag.
        self._recheck_id = self._current
        self._recheck.poke()

    def recheck_wording(self) -> None:
        """Lint the title and description of the action last typed in; flag it, or clear its
        flag. Both count, linted as `export --check` lints them: a description drafted from a
        flagged suggestion quotes it, and a new title alone does not make the action ready."""
        action = next((a for a in self._actions() if a.id == self._recheck_id), None)
        if action is None or self.session is None:
            return
        found = FieldLint.of(self.session.postmortem, self.session.accounts).lint_many((action.title, action.description))
        findings = [*found.get(action.title, ()), *found.get(action.description, ())]
        hint = (findings[0].suggestion or findings[0].message) if findings else ""
        if (action.needs_rewrite, action.rewrite_hint) == (bool(findings), hint):
            return
        action.needs_rewrite = bool(findings)
        action.rewrite_hint = hint
        self._changed(action)
        if action.id == self._current:
            self._show_flag(action)

    @on(Input.Changed, "#action-owner")
    def _owner_changed(self, event: Input.Changed) -> None:
        self._set_text("owner", event.value.strip())

    @on(Input.Changed, "#action-tracker")
    def _tracker_changed(self, event: Input.Changed) -> None:
        self._apply_tracker(event.value, show_error=False)

    def _apply_tracker(self, text: str, show_error: bool) -> None:
        try:
            tracker = parse_tracker(text)
        except ValueError as err:
            self._typing_error("#action-tracker-error", str(err), show_error)
            return
        self._set_error("#action-tracker-error", None)
        self._set_text("tracker", tracker)

    @on(AnswerEditor.Changed, "#action-description")
    def _description_changed(self, event: AnswerEditor.Changed) -> None:
        self._set_text("description", event.text_area.text)
        self._recheck_soon()

    @on(Input.Changed, "#action-due")
    def _due_changed(self, event: Input.Changed) -> None:
        self._apply_due(event.value, show_error=False)

    def _apply_due(self, text: str, show_error: bool) -> None:
        action = self._action()
        if action is None:
            return
        try:
            due = parse_due(text)
        except ValueError as err:
            self._typing_error("#action-due-error", str(err), show_error)
            return
        self._set_error("#action-due-error", None)
        if due != action.due:
            action.due = due
            self._changed(action)

    # A half-typed date or link is not an error yet: the error appears when the field is left
    # or Enter is pressed. Until the value is valid it stays out of the document either way.

    @on(Input.Blurred, "#action-due")
    @on(Input.Submitted, "#action-due")
    def _due_left(self, event: Input.Blurred | Input.Submitted) -> None:
        # When another action was loaded meanwhile, the field no longer holds what was left.
        if event.value == event.input.value:
            self._apply_due(event.value, show_error=True)

    @on(Input.Blurred, "#action-tracker")
    @on(Input.Submitted, "#action-tracker")
    def _tracker_left(self, event: Input.Blurred | Input.Submitted) -> None:
        if event.value == event.input.value:
            self._apply_tracker(event.value, show_error=True)

    def _typing_error(self, selector: str, message: str, show: bool) -> None:
        """An invalid value: say so when asked, or update an error already on screen."""
        if show or self.query_one(selector).display:
            self._set_error(selector, message)

    @on(Select.Changed, "#action-priority")
    def _priority_changed(self, event: Select.Changed) -> None:
        action = self._action()
        if action is None or event.value is Select.NULL or event.value == action.priority:
            return
        action.priority = Priority(event.value)
        self._changed(action)

    @on(Select.Changed, "#action-type")
    def _type_changed(self, event: Select.Changed) -> None:
        action = self._action()
        if action is None or event.value is Select.NULL or event.value == action.type:
            return
        action.type = ActionType(event.value)
        self._changed(action)

    @on(Select.Changed, "#action-status")
    @on(Input.Changed, "#action-reason")
    def _status_changed(self) -> None:
        """Status and reason together: "won't do" is kept only with a reason."""
        action = self._action()
        chosen = self.query_one("#action-status", Select).value
        if action is None or chosen is Select.NULL:
            return
        status = ActionStatus(chosen)
        reason = self.query_one("#action-reason", Input).value.strip()
        if status is ActionStatus.WONT_DO and not reason:
            self._set_error("#action-reason-error", REASON_REQUIRED.format(status=STATUS_LABELS[action.status]))
            return
        self._set_error("#action-reason-error", None)
        if status == action.status and reason == action.status_reason:
            return
        if status is ActionStatus.DONE and action.status is not ActionStatus.DONE:
            action.completed = action.completed or self.today or dt.date.today()
        elif status is not ActionStatus.DONE:
            action.completed = None
        action.status = status
        action.status_reason = reason
        self._changed(action)
        self._show_flag(action)

    @on(Checklist.Toggled, "#action-factors")
    def _factors_changed(self, event: Checklist.Toggled) -> None:
        action = self._action()
        # In the factors' own order, so the file does not change with the order of ticking.
        factors = event.checked
        if action is not None and factors != action.factors:
            action.factors = factors
            self._changed(action)


def _field(field_id: str, placeholder: str = "") -> InOrderInput:
    # Placeholders start with "e.g." (and are italic) so an empty field never reads as filled.
    return InOrderInput(id=field_id, placeholder=placeholder, compact=True)


def _select(labels: dict, select_id: str) -> Select:
    return Select(
        [(label, value) for value, label in labels.items()],
        allow_blank=False,
        compact=True,
        id=select_id,
    )
