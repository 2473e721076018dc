"""Structured answers as lists of small cards: timeline entries, safeguards, suggestions.

Each card is a handful of one-line fields; Tab walks through them, F3 adds a card and F4
removes the focused one (after a second press, since it takes text with it). Fully empty
cards are not stored, so an accidental F3 leaves nothing behind.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from pminterview.errors import PmError
from pminterview.guide import Question
from pminterview.model import Answer, DismissedHint, Safeguard, SafeguardKind, Suggestion, TimelineEntry
from pminterview.timeparse import zone
from pminterview.tui.interview.messages import AnswerEdited
from pminterview.tui.interview.questions import QuestionPane, focus_now, focused_within
from pminterview.tui.interview.session import InterviewSession
from pminterview.tui.interview.widgets import OffRecordToggle, quiet_input

# Fields in prose, which get live hints (a time or a kind does not).
_PROSE_FIELDS = ("field-saw", "field-did", "field-expected", "field-description", "field-text")

# Longest a card field may grow; the model itself has no limit, and neither should a "saw".
_FIELD_MAX = 4000


def _row(label: str, field: Widget) -> Horizontal:
    return Horizontal(Label(label, classes="field-label"), field, classes="field-row")


class Card(Vertical):
    """One item in a list answer."""

    noun = "entry"

    def __init__(self, question_id: str, number: int, off_record: bool, editable: bool) -> None:
        super().__init__(classes="card")
        self.question_id = question_id
        self.number = number
        self._off_record = off_record
        self.editable = editable

    def compose_header(self) -> ComposeResult:
        with Horizontal(classes="card-header"):
            yield Label(f"{self.noun.capitalize()} {self.number}", classes="card-title")
            toggle = OffRecordToggle(self._off_record, self.question_id, classes="off-record")
            toggle.editable = self.editable
            yield toggle

    def fields(self) -> list[Widget]:
        """The card's focusable fields, in Tab order."""
        return [w for w in self.query("Input, Select") if isinstance(w, Widget)]

    def entry_field(self) -> Widget:
        """Where the cursor goes in a new card: the first field that takes typing."""
        return self.fields()[0]

    @property
    def off_record(self) -> bool:
        return self.query_one(OffRecordToggle).value

    def toggle_off_record(self) -> None:
        self.query_one(OffRecordToggle).action_toggle()

    def is_empty(self) -> bool:
        return all(not field.value.strip() for field in self.query(Input))

    def item(self) -> object:
        """The stored form of the card."""
        raise NotImplementedError

    def check(self, session: InterviewSession) -> None:
        """Validate what was typed and say so inline."""

    def set_status(self, message: str, error: bool = False) -> None:
        status = self.query_one(".card-status", Static)
        status.update(Text(message))
        status.set_class(error, "-error")
        status.display = bool(message)

    def _field(self, value: str, name: str, placeholder: str = "") -> Input:
        field = quiet_input(value, placeholder=placeholder, max_length=_FIELD_MAX, classes=f"field-{name}")
        field.disabled = not self.editable
        return field


class TimelineCard(Card):
    """Time, what I saw or knew, what I did, what I expected."""

    noun = "moment"

    def __init__(
        self, question_id: str, number: int, entry: TimelineEntry, editable: bool, session: InterviewSession
    ) -> None:
        super().__init__(question_id, number, entry.off_record, editable)
        self.entry = entry
        self.session = session

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield _row("Time", self._field(self.entry.time, "time", "14:02, around 14:00, or leave empty"))
        yield Static("", classes="card-status")
        yield _row("I saw", self._field(self.entry.saw, "saw", "what you saw or knew"))
        yield _row("I did", self._field(self.entry.did, "did", "what you did"))
        yield _row("Expected", self._field(self.entry.expected, "expected", "what you expected to happen"))

    def on_mount(self) -> None:
        self.query_one(".card-status").display = False

    def _value(self, name: str) -> str:
        return self.query_one(f".field-{name}", Input).value

    def item(self) -> TimelineEntry:
        time = self._value("time").strip()
        at, approximate = None, False
        if time:
            try:
                parsed = self.session.read_time(time)
                at, approximate = parsed.at, parsed.approximate
            except PmError:
                # Kept as typed, and the card says what is wrong with it; with no moment
                # it can only be rough, so nothing downstream takes it for an exact time.
                approximate = True
        return TimelineEntry(
            time=time,
            at=at,
            approximate=approximate,
            saw=self._value("saw"),
            did=self._value("did"),
            expected=self._value("expected"),
            off_record=self.off_record,
        )

    def check(self, session: InterviewSession) -> None:
        time = self._value("time").strip()
        if not time:
            self.set_status("")
            return
        try:
            parsed = session.read_time(time)
        except PmError as err:
            self.set_status(f"{err}. Kept as typed.", error=True)
            return
        if parsed.at is None:
            self.set_status("No clock time in that; kept as you wrote it.")
            return
        local = parsed.at.astimezone(zone(session.incident.timezone))
        rough = "about " if parsed.approximate else ""
        # Without an incident date a bare time is placed on a stand-in day; do not show it.
        undated = session.incident.started is None and local.year == 1970
        day = "" if undated else f" on {local:%Y-%m-%d}"
        self.set_status(f"Read as {rough}{local:%H:%M} {session.incident.timezone}{day}.")


_KINDS = [
    ("missing", SafeguardKind.MISSING),
    ("failed", SafeguardKind.FAILED),
    ("got in the way", SafeguardKind.IN_THE_WAY),
    ("helped", SafeguardKind.HELPED),
]


class SafeguardCard(Card):
    """A safeguard: what kind (missing, failed, in the way, helped) and a description."""

    noun = "safeguard"

    def __init__(self, question_id: str, number: int, safeguard: Safeguard | None, editable: bool) -> None:
        super().__init__(question_id, number, safeguard.off_record if safeguard else False, editable)
        self.safeguard = safeguard

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        kind = Select(
            _KINDS,
            value=self.safeguard.kind if self.safeguard else SafeguardKind.MISSING,
            allow_blank=False,
            compact=True,
            classes="field-kind",
        )
        kind.disabled = not self.editable
        yield _row("Kind", kind)
        description = self.safeguard.description if self.safeguard else ""
        yield _row("What", self._field(description, "description", "the alert, limit, review or tool"))
        yield Static("", classes="card-status")

    def on_mount(self) -> None:
        self.query_one(".card-status").display = False

    def entry_field(self) -> Widget:
        # The kind already says "missing"; typing should land in the description.
        return self.query_one(".field-description", Input)

    @on(Select.Changed)
    def _kind_changed(self) -> None:
        self.post_message(AnswerEdited(self.question_id))

    def item(self) -> Safeguard:
        kind = self.query_one(".field-kind", Select).value
        return Safeguard(
            kind=SafeguardKind(kind),
            description=self.query_one(".field-description", Input).value,
            off_record=self.off_record,
        )


class SuggestionCard(Card):
    """One change to the system that would make this easier next time."""

    noun = "suggestion"

    def __init__(self, question_id: str, number: int, suggestion: Suggestion | None, editable: bool) -> None:
        super().__init__(question_id, number, suggestion.off_record if suggestion else False, editable)
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        text = self.suggestion.text if self.suggestion else ""
        yield _row("Change", self._field(text, "text", "e.g. block failover while a backup runs"))
        yield Static("", classes="card-status")

    def on_mount(self) -> None:
        self.query_one(".card-status").display = False

    def item(self) -> Suggestion:
        return Suggestion(text=self.query_one(".field-text", Input).value, off_record=self.off_record)


class ListPane(QuestionPane):
    """A question answered with a list of cards."""

    takes_entries = True

    #: The account field holding the list.
    field_name = ""
    #: What one card is called in messages.
    noun = "entry"
    empty_text = "Nothing here yet. F3 adds one."

    def __init__(self, session: InterviewSession, question: Question) -> None:
        super().__init__(session, question)
        self._remove_armed: Card | None = None
        # Where the cursor last was, kept so it is known after focus has left the screen.
        self._last_cursor = (session.account.cursor.row, session.account.cursor.column)

    def make_card(self, number: int, item: object | None) -> Card:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        yield from self.compose_head()
        items = list(getattr(self.session.account, self.field_name))
        # A Tab stop only when read-only, to scroll with; otherwise the fields are the stops.
        with VerticalScroll(classes="cards", can_focus=not self.editable):
            for number, item in enumerate(items, start=1):
                yield self.make_card(number, item)
            if not items and self.editable:
                # Ready to type straight away; an untouched card is never stored.
                yield self.make_card(1, None)
            yield Static(Text(self.empty_text), classes="cards-empty")
        yield from self.compose_hints()

    def on_mount(self) -> None:
        self._refresh_empty()

    @property
    def cards(self) -> list[Card]:
        return list(self.query(Card))

    def allow_focus(self) -> bool:
        # With every card removed there is no field left: the pane holds the focus, so the
        # keys (F3 to add one) still apply.
        return not self.editable or not self.cards

    def _refresh_empty(self) -> None:
        self.query_one(".cards-empty").display = not self.cards

    @on(Input.Changed)
    def _field_changed(self) -> None:
        self._remove_armed = None  # typing in between: F4 asks again before removing
        self.post_message(AnswerEdited(self.question.id))

    @on(Input.Submitted)
    def _field_entered(self, event: Input.Submitted) -> None:
        # Enter in a form moves on to the next field, as Tab does, but not round from the last
        # field of the last card to the first card, where the next keys would land unseen.
        event.stop()
        cards = self.cards
        if cards and cards[-1].fields()[-1:] == [event.input]:
            return
        self.screen.focus_next()

    @on(Input.Blurred)
    def _field_left(self, event: Input.Blurred) -> None:
        for card in event.input.ancestors:
            if isinstance(card, Card):
                card.check(self.session)
                break

    def commit(self) -> None:
        items = [card.item() for card in self.cards if not card.is_empty()]
        if items != getattr(self.session.account, self.field_name):
            setattr(self.session.account, self.field_name, items)
        # Hints dismissed in the entries are kept with the question's (otherwise empty)
        # answer; the merge honours an account's dismissals in its entries too.
        answers = self.session.account.answers
        if self.dismissed:
            answer = Answer(dismissed=list(self.dismissed))
            if answers.get(self.question.id) != answer:
                answers[self.question.id] = answer
        else:
            answers.pop(self.question.id, None)

    # hints, for the focused prose field

    def hint_text(self) -> str | None:
        focused = self.app.focused
        if isinstance(focused, Input) and self in focused.ancestors:
            if any(focused.has_class(name) for name in _PROSE_FIELDS):
                return focused.value
        return None

    def dismissed_elsewhere(self) -> tuple[DismissedHint, ...]:
        account = self.session.account
        return tuple(h for qid, a in account.answers.items() if qid != self.question.id for h in a.dismissed)

    def focused_card(self) -> Card | None:
        for card in self.cards:
            if focused_within(card):
                return card
        return None

    def on_descendant_focus(self) -> None:
        card = self.focused_card()
        if card is not None:
            fields = card.fields()
            column = next((i for i, f in enumerate(fields) if f.has_focus), 0)
            self._last_cursor = (self.cards.index(card), column)
        # The hints follow the focused field.
        self.refresh_hints(getattr(self.screen, "hints_on", False))

    def cursor(self) -> tuple[int, int]:
        return self._last_cursor

    def focus_answer(self, row: int = 0, column: int = 0) -> bool:
        cards = self.cards
        if not cards:
            return False
        card = cards[min(row, len(cards) - 1)]
        card.scroll_visible(animate=False)
        fields = card.fields()
        if not fields or fields[0].disabled:
            return False
        focus_now(card.entry_field() if column == 0 else fields[min(column, len(fields) - 1)])
        return True

    def toggle_off_record(self) -> str | None:
        card = self.focused_card()
        if card is None:
            return f"move to a {self.noun} first"
        card.toggle_off_record()
        return None

    def after_pause(self, hints_on: bool) -> None:
        card = self.focused_card()
        if card is not None:
            card.check(self.session)
        self.refresh_hints(hints_on)

    async def add_card(self) -> None:
        """Add an empty card at the end and put the cursor in its first field."""
        card = self.make_card(len(self.cards) + 1, None)
        await self.query_one(".cards", VerticalScroll).mount(card, before=self.query_one(".cards-empty"))
        self._refresh_empty()
        focus_now(card.entry_field())
        card.scroll_visible(animate=False)

    async def remove_card(self) -> str:
        """Remove the focused card on the second press; returns what happened, to show."""
        card = self.focused_card()
        if card is None:
            return f"Move to a {self.noun} first."
        if self._remove_armed is not card:
            self._remove_armed = card
            return f"Press F4 again to remove {card.noun} {card.number} and its text."
        self._remove_armed = None
        index = self.cards.index(card)
        await card.remove()
        for number, other in enumerate(self.cards, start=1):
            other.number = number
            other.query_one(".card-title", Label).update(f"{other.noun.capitalize()} {number}")
        self._refresh_empty()
        self.post_message(AnswerEdited(self.question.id))
        if self.cards:
            self.focus_answer(min(index, len(self.cards) - 1), 0)
        return f"Removed {card.noun} {card.number}."


class TimelinePane(ListPane):
    field_name = "timeline"
    noun = "moment"
    empty_text = "No moments yet. F3 adds one."

    def make_card(self, number: int, item: object | None) -> Card:
        entry = item if isinstance(item, TimelineEntry) else TimelineEntry()
        return TimelineCard(self.question.id, number, entry, self.editable, self.session)


class SafeguardsPane(ListPane):
    field_name = "safeguards"
    noun = "safeguard"
    empty_text = "No safeguards yet. F3 adds one."

    def make_card(self, number: int, item: object | None) -> Card:
        return SafeguardCard(self.question.id, number, item if isinstance(item, Safeguard) else None, self.editable)


class SuggestionsPane(ListPane):
    field_name = "suggestions"
    noun = "suggestion"
    empty_text = "No suggestions yet. F3 adds one."

    def make_card(self, number: int, item: object | None) -> Card:
        return SuggestionCard(self.question.id, number, item if isinstance(item, Suggestion) else None, self.editable)
