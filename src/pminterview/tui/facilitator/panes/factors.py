"""Contributing factors: a list on the left, the highlighted factor's title and description
on the right."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from pminterview.model import ContributingFactor
from pminterview.merge.text import shorten
from pminterview.tui.common.editor import AnswerEditor
from pminterview.tui.common.keyorder import InOrderInput
from pminterview.tui.facilitator.confirm import ConfirmDelete
from pminterview.tui.facilitator.panes.base import Pane, field_row, label_above, next_id, one_line
from pminterview.tui.facilitator.session import Session


def factor_label(number: int, factor: ContributingFactor) -> Text:
    """"3. Title": the number tells wrapped entries apart without colour; "*" marks the
    facilitator's own wording, which a new merge keeps."""
    mark = " *" if factor.edited else ""
    return one_line(f"{number}. {factor.title}{mark}")


class FactorsPane(Pane):
    """Edit each contributing factor's title and description; raised-by stays as merged."""

    BINDINGS = [
        Binding("escape", "focus_list", "Back to the list", id="factors-back", show=False),
        Binding("n", "new_factor", "New factor", id="factors-new"),
        Binding("d,delete", "delete_factor", "Delete", id="factors-delete"),
    ]

    _current: str | None = None

    def compose(self) -> ComposeResult:
        yield OptionList(id="factor-list", classes="item-list", markup=False)
        with VerticalScroll(id="factor-form", classes="item-form", can_focus=False):  # no empty Tab stop
            yield field_row("Title", InOrderInput(id="factor-title", compact=True))
            description = AnswerEditor("", id="factor-description", classes="long-field")
            yield label_above("Description", description)
            yield description
            yield Static(id="factor-meta", classes="meta", markup=False)
        yield Static(
            "No contributing factors yet: they come from missing or failed safeguards and surprises in the accounts.",
            id="factor-empty",
            classes="empty",
        )

    def _factors(self) -> list[ContributingFactor]:
        return self.session.postmortem.factors if self.session else []

    def _factor(self) -> ContributingFactor | None:
        for factor in self._factors():
            if factor.id == self._current:
                return factor
        return None

    def show(self, session: Session) -> None:
        super().show(session)
        factors = self._factors()
        option_list = self.query_one("#factor-list", OptionList)
        keep = self._current
        with self.prevent(OptionList.OptionHighlighted):
            option_list.clear_options()
            option_list.add_options(Option(factor_label(n, f), id=f.id) for n, f in enumerate(factors, 1))
        has_any = bool(factors)
        self.query_one("#factor-form").display = has_any
        self.query_one("#factor-empty").display = not has_any
        if not has_any:
            self._current = None
            return
        ids = [factor.id for factor in factors]
        index = ids.index(keep) if keep in ids else 0
        with self.prevent(OptionList.OptionHighlighted):
            option_list.highlighted = index
        self._load(ids[index], force=ids[index] != keep)

    @on(OptionList.OptionHighlighted, "#factor-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id is not None and event.option_id != self._current:
            self._load(event.option_id, force=True)

    @on(OptionList.OptionSelected, "#factor-list")
    def _selected(self) -> None:
        self.query_one("#factor-title", Input).focus()

    def _load(self, factor_id: str, force: bool) -> None:
        """Show a factor in the form; after a merge, only fields nobody is typing in."""
        self._current = factor_id
        factor = self._factor()
        if factor is None:
            return
        title = self.query_one("#factor-title", Input)
        description = self.query_one("#factor-description", AnswerEditor)
        with self.prevent(Input.Changed, AnswerEditor.Changed):
            if title.value != factor.title and (force or not title.has_focus):
                title.value = factor.title
            if description.text != factor.description and (force or not description.has_focus):
                description.text = factor.description
        actions = self.session.postmortem.actions if self.session else []
        addressed = [action.title for action in actions if factor.id in action.factors]
        meta = f"Kind: {factor.kind.value.replace('-', ' ')}"
        meta += f"\nRaised by: {', '.join(factor.raised_by) or 'you'}"
        meta += f"\nAddressed by: {'; '.join(addressed) or 'no action yet'}"
        if factor.edited:
            meta += "\nEdited by you: a new merge keeps your text."
        self.query_one("#factor-meta", Static).update(meta)

    def _relabel(self, factor: ContributingFactor) -> None:
        option_list = self.query_one("#factor-list", OptionList)
        number = self._factors().index(factor) + 1
        option_list.replace_option_prompt(factor.id, factor_label(number, factor))

    @on(Input.Changed, "#factor-title")
    def _title_changed(self, event: Input.Changed) -> None:
        factor = self._factor()
        if factor is None or event.value == factor.title:
            return
        factor.title = event.value
        factor.edited = True
        self._relabel(factor)
        self.edited()

    @on(AnswerEditor.Changed, "#factor-description")
    def _description_changed(self, event: AnswerEditor.Changed) -> None:
        factor = self._factor()
        text = event.text_area.text
        if factor is None or text == factor.description:
            return
        factor.description = text
        factor.edited = True
        self._relabel(factor)
        self.edited()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # "n" adds a factor only from the list; in a text field it is a letter.
        if action in ("new_factor", "delete_factor"):
            return self.query_one("#factor-list").has_focus
        return True

    def action_new_factor(self) -> None:
        """Add a contributing factor of your own and start editing its title."""
        if self.session is None:
            return
        factors = self.session.postmortem.factors
        factor = ContributingFactor(id=next_id("cf-own-", [f.id for f in factors]), title="New factor", edited=True)
        factors.append(factor)
        self._current = None
        self.show(self.session)
        self.query_one("#factor-list", OptionList).highlighted = len(factors) - 1
        self._load(factor.id, force=True)
        title = self.query_one("#factor-title", Input)
        title.focus()
        title.select_all()
        self.edited()

    def action_delete_factor(self) -> None:
        """Delete a factor you added, after asking. A factor from the accounts cannot be
        deleted (the next merge would find it again); rewrite it instead."""
        factor = self._factor()
        if factor is None:
            return
        if factor.sources:
            self.app.notify(
                "This factor comes from the accounts, so a new merge would bring it back. "
                "Rewrite its title or description instead; your wording is kept.",
                severity="warning",
                timeout=8,
            )
            return
        title = shorten(factor.title, 60) or "(no title)"
        explanation = "You added this factor; it is removed for good, and from the actions that address it."
        self.app.push_screen(ConfirmDelete(f'Delete the factor "{title}"?', explanation), self._deleted(factor.id))

    def _deleted(self, factor_id: str):
        def done(reason: str | None) -> None:
            factor = next((f for f in self._factors() if f.id == factor_id), None)
            if reason is None or factor is None or self.session is None:
                return
            postmortem = self.session.postmortem
            index = postmortem.factors.index(factor)
            postmortem.factors.remove(factor)
            for action in postmortem.actions:
                if factor_id in action.factors:
                    action.factors = [f for f in action.factors if f != factor_id]
            if postmortem.factors:
                self._current = postmortem.factors[min(index, len(postmortem.factors) - 1)].id
            self.show(self.session)
            if self._current is not None:
                self._load(self._current, force=True)  # the form showed the deleted factor
            self.action_focus_list()
            self.edited(removed=True)
            self.app.notify(f'Deleted "{shorten(factor.title, 40)}".', timeout=4)

        return done

    def action_focus_list(self) -> None:
        """Move the focus back to the list of factors."""
        self.query_one("#factor-list", OptionList).focus()
