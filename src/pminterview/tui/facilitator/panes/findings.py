"""Findings: the summary and impact, what surprised us, what went well, open questions, and
where the accounts differ.

The summary and impact are prose, as written. They start as incident.toml's; once the
facilitator rewrites one here, a new merge keeps their version (emptied, it is taken from
incident.toml again). The three lists are edited as text, one item per line, each line starting with "- " so an item
that wraps is still told apart from the next. Once the facilitator changes a list, a new merge
keeps it as they wrote it. A differing account is shown side by side, read-only (differences
are findings, not errors to resolve), with a note of the facilitator's own beneath it.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import ContentSwitcher, OptionList, Static
from textual.widgets.option_list import Option

from pminterview.model import DifferingAccount, Postmortem
from pminterview.tui.common.editor import AnswerEditor
from pminterview.tui.facilitator.panes.base import Pane, label_above, one_line
from pminterview.tui.facilitator.panes.timeline import perspective_text
from pminterview.tui.facilitator.session import Session

#: Postmortem prose field -> the heading it has in the export.
TEXTS = {
    "summary": "Summary",
    "impact": "Impact",
}
#: Postmortem list field -> the heading it has in the export.
LISTS = {
    "surprises": "What surprised us",
    "went_well": "What went well",
    "open_questions": "Open questions",
}
BULLET = "- "
DIFFERING_PREFIX = "differing-"


def list_text(items: list[str]) -> str:
    """A list as the editor shows it: one "- item" per line."""
    return "\n".join(BULLET + item for item in items)


def parse_list(text: str) -> list[str]:
    """The items typed in the editor: one per non-empty line, a leading "-", "*" or "•" dropped."""
    items: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if line[:1] in ("-", "*", "•"):
            line = line[1:].strip()
        if line:
            items.append(line)
    return items


def differing_by_id(postmortem: Postmortem) -> dict[str, DifferingAccount]:
    """Each differing account by its id in the list: its topic, numbered from the second
    account on the same topic (two moments can disagree in the same way)."""
    by_id: dict[str, DifferingAccount] = {}
    for item in postmortem.differing_accounts:
        option_id = DIFFERING_PREFIX + item.topic
        number = 1
        while option_id in by_id:
            number += 1
            option_id = f"{DIFFERING_PREFIX}{item.topic} #{number}"
        by_id[option_id] = item
    return by_id


def versions_renderable(item: DifferingAccount) -> RenderableType:
    """Each role's version of a disputed moment, one paragraph per role."""
    parts: list[RenderableType] = [Text(item.topic, style="bold")]
    for version in item.versions:
        said = f" ({version.time})" if version.time else ""
        line = Text(f"\n{version.role or '(no role)'}{said}: ", style="italic")
        line.append_text(perspective_text(version))
        parts.append(line)
    return Group(*parts)


def _rewritten(postmortem: Postmortem, field: str) -> bool:
    """True when the summary or impact differs from incident.toml's: the merge keeps it then."""
    value = getattr(postmortem, field)
    return bool(value) and value != getattr(postmortem.incident, field).strip()


class FindingsPane(Pane):
    """Edit the lists of findings and add notes to differing accounts."""

    BINDINGS = [
        Binding("escape", "focus_list", "Back to the list", id="findings-back", show=False),
    ]

    _current: str = "summary"
    """A field name from TEXTS or LISTS, or the id of a differing account (see `differing_by_id`)."""

    def compose(self) -> ComposeResult:
        yield OptionList(id="findings-list", classes="item-list", markup=False)
        with ContentSwitcher(initial="findings-list-form", id="findings-switcher", classes="item-form"):
            with Vertical(id="findings-list-form"):
                yield Static(id="findings-list-help", classes="meta", markup=False)
                yield AnswerEditor("", id="findings-editor")
            with VerticalScroll(id="findings-differing-form"):
                yield Static(id="findings-versions")
                note = AnswerEditor("", id="findings-note", classes="long-field")
                yield label_above("Your note (Enter to edit; in the export, kept by a new merge)", note)
                yield note

    # --- which finding --------------------------------------------------------------------

    def _postmortem(self) -> Postmortem | None:
        return self.session.postmortem if self.session else None

    def _differing(self) -> DifferingAccount | None:
        postmortem = self._postmortem()
        if postmortem is None or not self._current.startswith(DIFFERING_PREFIX):
            return None
        return differing_by_id(postmortem).get(self._current)

    def _options(self, postmortem: Postmortem) -> list[Option | None]:
        options: list[Option | None] = []
        for field in TEXTS:
            options.append(Option(self._text_label(postmortem, field), id=field))
        options.append(None)  # a separator line
        for field in LISTS:
            options.append(Option(self._list_label(postmortem, field), id=field))
        options.append(None)  # a separator line
        if postmortem.differing_accounts:
            options.append(Option("Where accounts differ:", disabled=True))
            for option_id, item in differing_by_id(postmortem).items():
                options.append(Option(self._differing_label(option_id, item), id=option_id))
        else:
            options.append(Option("The accounts agree so far.", disabled=True))
        return options

    def _differing_label(self, option_id: str, item: DifferingAccount) -> Text:
        # The id, not the topic: it tells apart two disagreements on the same topic ("#2").
        mark = " *" if item.note.strip() else ""
        return one_line(f"  {option_id[len(DIFFERING_PREFIX) :]}{mark}")

    def _list_label(self, postmortem: Postmortem, field: str) -> Text:
        mark = " *" if getattr(postmortem, f"{field}_edited") else ""
        return one_line(f"{LISTS[field]} ({len(getattr(postmortem, field))}){mark}")

    def _text_label(self, postmortem: Postmortem, field: str) -> Text:
        value = getattr(postmortem, field)
        mark = " *" if _rewritten(postmortem, field) else "" if value else " (empty)"
        return one_line(f"{TEXTS[field]}{mark}")

    def show(self, session: Session) -> None:
        super().show(session)
        postmortem = session.postmortem
        option_list = self.query_one("#findings-list", OptionList)
        with self.prevent(OptionList.OptionHighlighted):
            option_list.clear_options()
            option_list.add_options(self._options(postmortem))
        keep = self._current
        if keep.startswith(DIFFERING_PREFIX) and self._differing() is None:
            keep = "summary"  # that disagreement is gone after the merge
        with self.prevent(OptionList.OptionHighlighted):
            option_list.highlighted = option_list.get_option_index(keep)
        self._load(keep, force=keep != self._current)

    @on(OptionList.OptionHighlighted, "#findings-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id is not None and event.option_id != self._current:
            self._load(event.option_id, force=True)

    @on(OptionList.OptionSelected, "#findings-list")
    def _selected(self) -> None:
        self.action_focus_form()

    def action_focus_form(self) -> None:
        """Move the focus into the editor of the highlighted finding."""
        editor = "#findings-note" if self._current.startswith(DIFFERING_PREFIX) else "#findings-editor"
        self.query_one(editor).focus()

    def action_focus_list(self) -> None:
        """Move the focus back to the list of findings."""
        self.query_one("#findings-list", OptionList).focus()

    # --- showing one finding --------------------------------------------------------------

    def _load(self, key: str, force: bool) -> None:
        """Show a list or a differing account; after a merge (`force` False) the editor is
        left alone while it has focus, so nobody's typing is overwritten."""
        self._current = key
        postmortem = self._postmortem()
        if postmortem is None:
            return
        switcher = self.query_one("#findings-switcher", ContentSwitcher)
        if key in TEXTS:
            switcher.current = "findings-list-form"
            editor = self.query_one("#findings-editor", AnswerEditor)
            value = getattr(postmortem, key)
            # Spaces at the ends are not kept in the document, so they are no difference.
            if (force or editor.text.strip() != value) and (force or not editor.has_focus):
                with self.prevent(AnswerEditor.Changed):
                    editor.text = value
            self._show_text_help(postmortem, key)
            return
        if key in LISTS:
            switcher.current = "findings-list-form"
            self._fill(self.query_one("#findings-editor", AnswerEditor), getattr(postmortem, key), force)
            self._show_list_help(postmortem, key)
            return
        item = self._differing()
        if item is None:
            return
        switcher.current = "findings-differing-form"
        self.query_one("#findings-versions", Static).update(versions_renderable(item))
        note = self.query_one("#findings-note", AnswerEditor)
        if note.text != item.note and (force or not note.has_focus):
            with self.prevent(AnswerEditor.Changed):
                note.text = item.note

    def _fill(self, editor: AnswerEditor, items: list[str], force: bool) -> None:
        # Rewrite the text only when it means something else: "-item" and "- item" are the
        # same list, and rewriting would move the cursor.
        if parse_list(editor.text) == items and not force:
            return
        if force or not editor.has_focus:
            with self.prevent(AnswerEditor.Changed):
                editor.text = list_text(items)

    def _show_text_help(self, postmortem: Postmortem, field: str) -> None:
        if _rewritten(postmortem, field):
            origin = "Written by you (*): a new merge keeps it. Emptied, it comes from incident.toml again."
        elif getattr(postmortem, field):
            origin = "From incident.toml; once you rewrite it here, a new merge keeps your version."
        else:
            origin = "Empty: write it here (a new merge keeps it), or in incident.toml."
        self.query_one("#findings-list-help", Static).update(
            f"{TEXTS[field]}: in your own words. Enter edits, Esc returns to the list.\n{origin}"
        )

    def _show_list_help(self, postmortem: Postmortem, field: str) -> None:
        if getattr(postmortem, f"{field}_edited"):
            origin = "Edited by you (*): a new merge keeps this list as it is."
        else:
            origin = "Gathered from the accounts; once you edit it, a new merge keeps your version."
        self.query_one("#findings-list-help", Static).update(
            f"{LISTS[field]}: one item per line. Enter edits, Esc returns to the list.\n{origin}"
        )

    # --- editing --------------------------------------------------------------------------

    @on(AnswerEditor.Changed, "#findings-editor")
    def _list_changed(self, event: AnswerEditor.Changed) -> None:
        postmortem = self._postmortem()
        field = self._current
        if postmortem is not None and field in TEXTS:
            self._text_changed(postmortem, field, event.text_area.text.strip())
            return
        if postmortem is None or field not in LISTS:
            return
        items = parse_list(event.text_area.text)
        if items == getattr(postmortem, field):
            return
        first_edit = not getattr(postmortem, f"{field}_edited")
        setattr(postmortem, field, items)
        setattr(postmortem, f"{field}_edited", True)
        self.query_one("#findings-list", OptionList).replace_option_prompt(field, self._list_label(postmortem, field))
        if first_edit:
            self._show_list_help(postmortem, field)
        self.edited()

    def _text_changed(self, postmortem: Postmortem, field: str, value: str) -> None:
        if value == getattr(postmortem, field):
            return
        was_rewritten = _rewritten(postmortem, field)
        setattr(postmortem, field, value)
        self.query_one("#findings-list", OptionList).replace_option_prompt(field, self._text_label(postmortem, field))
        if was_rewritten != _rewritten(postmortem, field):
            self._show_text_help(postmortem, field)
        self.edited()

    @on(AnswerEditor.Changed, "#findings-note")
    def _note_changed(self, event: AnswerEditor.Changed) -> None:
        item = self._differing()
        note = event.text_area.text.strip()
        if item is None or note == item.note:
            return
        had_note = bool(item.note)
        item.note = note
        if had_note != bool(note):
            self.query_one("#findings-list", OptionList).replace_option_prompt(
                self._current, self._differing_label(self._current, item)
            )
        self.edited()
