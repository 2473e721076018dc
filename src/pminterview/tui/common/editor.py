"""`AnswerEditor`: the multi-line field where a person writes prose.

A `TextArea` set up for answers rather than code (soft wrap, no line numbers, a steady
cursor, Tab moves focus) and made cheap to use over a slow SSH link.

Why the refresh is overridden
-----------------------------
In the stock `TextArea` every keystroke repaints the whole widget: the cursor lives in the
`selection` reactive, which is declared with the default `repaint=True`, and an edit always
ends by moving the cursor, so Textual marks the entire widget dirty and the compositor
re-sends every cell of it (about 4.5 KB per key at 80x24). Nothing else on the keystroke path
asks for a repaint; the rest only updates the document, the wrap layout and `virtual_size`
(which lays out again only when the height really changes).

So this class redeclares `selection` with `repaint=False` and takes over the job of saying
which cells changed:

- a typed or deleted character on one line (the common case): only the cells from the edit
  column to the end of the text on that screen row, plus the rows below it that belong to the
  same wrapped line. When the rows before the edit re-wrapped, all the line's rows; when the
  number of rows changed, everything (what is below moved).
- the cursor moving without an edit: the old and new cursor cells (or, with a selection,
  the rows the old and new selection cover).
- anything else that swaps the text wholesale (load, undo, redo, multi-line edits, paste):
  the whole widget, as before.

Textual's compositor then writes only the dirty rows, each from the widget's left edge to the
right end of the dirty region (Textual 8.2.8 crops a partial update on the right only), so a
typed character costs about one row of text up to the cursor: roughly 150 bytes instead of
4.5 KB at 80x24. Scrolling, resizing and focus changes still repaint fully through Textual's
own paths (`scroll_y`, layout), which is what a reflow needs.

The cursor does not blink: a blinking cursor writes about 1.5 KB/s to an idle terminal.

This reaches into TextArea internals (`_undo_batch`, `_line_cache`, the wrapped document's
`_line_index_to_offsets`), one reason Textual is pinned exactly; tests/test_editor.py checks
under a real pseudo-terminal that the screen equals a full repaint after each kind of edit,
so an upgrade that changes them fails loudly.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.document._document import EditResult, Location, Selection
from textual.binding import Binding
from textual.document._edit import Edit
from textual.geometry import Region
from textual.reactive import Reactive, reactive
from textual.widgets import TextArea

from pminterview.tui.common.keyorder import KeysInOrder

__all__ = ["AnswerEditor", "HighlightSpan"]

#: A span to highlight: (row, column, length), counted in characters of the text.
HighlightSpan = tuple[int, int, int]

# A cursor cell is repainted two cells wide so a double-width (CJK, emoji) character under
# it is always covered.
_CURSOR_CELLS = 2


class AnswerEditor(KeysInOrder, TextArea):
    """A prose answer field: soft-wrapped, steady cursor, Tab moves focus, lean repaints.

    Posts `AnswerEditor.Changed` (a subclass of `TextArea.Changed`, so `@on(TextArea.Changed)`
    receives it too) whenever the text changes; its `control` is the editor.
    `set_highlights` underlines spans of the text, for example lint findings; the spans move
    with the text as the person types, and are cleared when the text is replaced (`.text`,
    `load_text`) or an undo/redo runs, until the caller sends fresh ones.
    """

    DEFAULT_CSS = """
    AnswerEditor > .answer-editor--highlight {
        text-style: underline;
        color: $warning;
    }
    """

    COMPONENT_CLASSES = {"answer-editor--highlight"}

    # TextArea has no keys for the start and end of the whole text; a long answer or a
    # narrative needs them more than paging.
    BINDINGS = [
        Binding("ctrl+home", "cursor_text_start", "Start of the text", show=False),
        Binding("ctrl+end", "cursor_text_end", "End of the text", show=False),
        # TextArea's F6 (select line) and F7 (select all) are the screens' own keys here (the
        # facilitator's tabs): taught as "select all" in one place, F7 then Backspace would
        # switch tabs in the other and delete there. No description: not listed in help.
        Binding("f6,f7", "ignore_key", "", show=False),
    ]

    # Same as TextArea's declaration except repaint=False: see the module docstring.
    selection: Reactive[Selection] = reactive(Selection(), init=False, always_update=True, repaint=False)

    @dataclass
    class Changed(TextArea.Changed):
        """The answer's text changed. `control` (and `text_area`) is the editor."""

        def can_replace(self, message: object) -> bool:
            # A fast typist or a paste can queue many of these; only the latest matters.
            return isinstance(message, AnswerEditor.Changed) and message.text_area is self.text_area

    def __init__(
        self,
        text: str = "",
        *,
        id: str | None = None,
        classes: str | None = None,
        read_only: bool = False,
    ) -> None:
        """Create the editor.

        Args:
            text: The initial answer.
            id: The widget id (kebab-case).
            classes: CSS classes, space-separated.
            read_only: Show the text without allowing edits.
        """
        # Highlights by row: {row: [(column, length), ...]}.
        self._spans: dict[int, list[tuple[int, int]]] = {}
        # True while an edit or undo runs: the edit decides what to repaint, so the
        # selection watcher must not add its own regions.
        self._editing = False
        super().__init__(
            text,
            soft_wrap=True,
            tab_behavior="focus",
            read_only=read_only,
            show_line_numbers=False,
            # The cursor-line band would force repainting two whole rows on every move.
            highlight_cursor_line=False,
            id=id,
            classes=classes,
        )
        self.set_reactive(TextArea.cursor_blink, False)
        # Bracket matching is for code; in prose it only paints stray cells.
        self.set_reactive(TextArea.match_cursor_bracket, False)

    # --- public API ------------------------------------------------------------------------

    @property
    def highlights(self) -> list[HighlightSpan]:
        """The spans currently highlighted, as (row, column, length), sorted."""
        return sorted((row, column, length) for row, spans in self._spans.items() for column, length in spans)

    def set_highlights(self, spans: list[HighlightSpan]) -> None:
        """Highlight these (row, column, length) spans of the text; replaces earlier ones.

        Only the rows whose highlights changed are repainted, so calling this after every
        lint pass is cheap, and a no-op when the spans are the same.
        """
        new: dict[int, list[tuple[int, int]]] = {}
        for row, column, length in spans:
            if length > 0 and row >= 0 and column >= 0:
                new.setdefault(row, []).append((column, length))
        for row_spans in new.values():
            row_spans.sort()
        if new == self._spans:
            return
        changed_rows = {row for row in new.keys() | self._spans.keys() if new.get(row) != self._spans.get(row)}
        self._spans = new
        # The line cache is keyed on cursor and size, not on our spans.
        self._line_cache.clear()
        for row in sorted(changed_rows):
            self._refresh_document_rows(row, row)

    def load_text(self, text: str) -> None:
        """Replace the whole text (also what setting `.text` does); clears highlights."""
        self._spans = {}
        self._editing = True
        try:
            super().load_text(text)
        finally:
            self._editing = False
        self.refresh()

    # --- rendering -------------------------------------------------------------------------

    def get_line(self, line_index: int) -> Text:
        """The line's text, with highlight spans styled (TextArea renders from this)."""
        line = super().get_line(line_index)
        row_spans = self._spans.get(line_index)
        if row_spans:
            style = self.get_component_rich_style("answer-editor--highlight", partial=True)
            for column, length in row_spans:
                line.stylize(style, column, column + length)
        return line

    # --- what to repaint -------------------------------------------------------------------

    def edit(self, edit: Edit) -> EditResult:
        """Perform an edit, then mark only the cells it changed as dirty."""
        if not self.is_mounted:
            return super().edit(edit)
        document = self.document
        wrapped = self.wrapped_document
        top, bottom = edit.top, edit.bottom
        row, column = top
        one_row = top[0] == bottom[0] and "\n" not in edit.text and "\r" not in edit.text
        was_empty = document.line_count == 1 and not document[0]
        old_height = wrapped.height
        old_selection = self.selection
        if one_row:
            old_offsets = list(wrapped.get_offsets(row))
            old_row_end = self._section_end_cells(row, column)

        self._editing = True
        try:
            result = super().edit(edit)
        finally:
            self._editing = False
        self._shift_spans(top, bottom, result)

        now_empty = document.line_count == 1 and not document[0]
        if (
            not one_row
            or wrapped.height != old_height
            or (self.placeholder and was_empty != now_empty)
        ):
            # Rows below moved, or the placeholder appeared or went: everything changed.
            self.refresh()
            return result
        new_offsets = wrapped.get_offsets(row)
        if [o for o in old_offsets if o <= column] != [o for o in new_offsets if o <= column]:
            # A row before the edit re-wrapped (e.g. a word moved up a row): the line's rows.
            self._refresh_document_rows(row, row)
        else:
            self._refresh_from(top, old_row_end)
        self._refresh_cursor(old_selection)
        self._refresh_cursor(self.selection)
        return result

    def _undo_batch(self, edits: Sequence[Edit]) -> None:
        # Undo and redo bypass `edit()` and may touch many rows: repaint everything.
        self._editing = True
        try:
            super()._undo_batch(edits)
        finally:
            self._editing = False
        self._spans = {}
        self.refresh()

    def _redo_batch(self, edits: Sequence[Edit]) -> None:
        self._editing = True
        try:
            super()._redo_batch(edits)
        finally:
            self._editing = False
        self._spans = {}
        self.refresh()

    def action_ignore_key(self) -> None:
        """Nothing: the key is spoken for elsewhere."""

    def action_cursor_text_start(self) -> None:
        """Move the cursor to the start of the text."""
        self.move_cursor((0, 0))

    def action_cursor_text_end(self) -> None:
        """Move the cursor to the end of the text."""
        last = self.document.line_count - 1
        self.move_cursor((last, len(self.document.get_line(last))))

    def _on_resize(self) -> None:
        super()._on_resize()
        # Textual repaints a resized widget before this handler re-wraps the text, and the
        # re-wrap only asks for a repaint when the number of rows changes: without this, a
        # reflow that keeps the row count would leave the old line breaks on screen.
        self.refresh()

    def _watch_selection(self, previous_selection: Selection, selection: Selection) -> None:
        super()._watch_selection(previous_selection, selection)
        if self._editing or not self.is_mounted:
            return
        if previous_selection.is_empty and selection.is_empty:
            self._refresh_cursor(previous_selection)
            self._refresh_cursor(selection)
        else:
            rows = (*previous_selection, *selection)
            self._refresh_document_rows(min(r for r, _ in rows), max(r for r, _ in rows))

    def _section_end_cells(self, row: int, column: int) -> int:
        """Cell width of the screen row (wrapped section) of `row` that holds `column`."""
        sections = self.wrapped_document.get_sections(row)
        index = bisect_right(self.wrapped_document.get_offsets(row), column)
        section = sections[min(index, len(sections) - 1)]
        return cell_len(section.expandtabs(self.indent_width))

    def _refresh_from(self, top: Location, old_row_end: int) -> None:
        """Repaint from `top` to the end of its screen row's text, and the line's rows below."""
        wrapped = self.wrapped_document
        row, column = top
        offset = wrapped.location_to_offset(top)
        new_row_end = self._section_end_cells(row, column)
        # +1: the cell after the text, where the cursor rests at the end of a row.
        width = max(old_row_end, new_row_end) + 1 - offset.x
        self._refresh_virtual(Region(offset.x, offset.y, max(width, _CURSOR_CELLS), 1))
        y_offsets = wrapped._line_index_to_offsets[row]
        later = [y for y in y_offsets if y > offset.y]
        if later:
            self._refresh_virtual(Region(0, later[0], self.scrollable_content_region.width, len(later)))

    def _refresh_cursor(self, selection: Selection) -> None:
        """Repaint the cursor cell(s) of `selection` (rows, when text is selected)."""
        if not selection.is_empty:
            self._refresh_document_rows(min(selection)[0], max(selection)[0])
            return
        try:
            offset = self.wrapped_document.location_to_offset(selection.end)
        except (IndexError, ValueError):
            # A location from before a larger edit: nothing sensible to aim at.
            self.refresh()
            return
        self._refresh_virtual(Region(offset.x, offset.y, _CURSOR_CELLS, 1))

    def _refresh_document_rows(self, first: int, last: int) -> None:
        """Repaint every screen row of document rows `first`..`last`."""
        offsets = self.wrapped_document._line_index_to_offsets
        if not offsets:
            return
        first = max(0, min(first, len(offsets) - 1))
        last = max(first, min(last, len(offsets) - 1))
        top = offsets[first][0]
        bottom = offsets[last][-1]
        self._refresh_virtual(Region(0, top, self.scrollable_content_region.width, bottom - top + 1))

    def _refresh_virtual(self, region: Region) -> None:
        """Mark a region given in document (virtual) cells as dirty, clipped to the view."""
        scroll_x, scroll_y = self.scroll_offset
        view = Region(0, 0, *self.scrollable_content_region.size)
        on_screen = region.translate((self.gutter_width - scroll_x, -scroll_y)).intersection(view)
        if on_screen.area:
            self.refresh(on_screen)

    # --- keeping highlights on their words while typing ------------------------------------

    def _shift_spans(self, top: Location, bottom: Location, result: EditResult) -> None:
        """Move highlight spans with the text an edit moved, until the lint sends new ones."""
        if not self._spans:
            return
        (top_row, top_column), (bottom_row, bottom_column) = top, bottom
        end_row, end_column = result.end_location
        if top_row == bottom_row == end_row and top_row in self._spans:
            inserted = end_column - top_column
            shifted: list[tuple[int, int]] = []
            for column, length in self._spans[top_row]:
                start = _map_start(column, top_column, bottom_column, inserted)
                end = _map_end(column + length, top_column, bottom_column, inserted)
                if end > start:
                    shifted.append((start, end - start))
            self._spans[top_row] = shifted
            return
        if top_row == bottom_row == end_row:
            return
        # Rows joined or split: drop the spans on the rows touched, move those below.
        row_shift = end_row - bottom_row
        moved: dict[int, list[tuple[int, int]]] = {}
        for row, spans in self._spans.items():
            if row < top_row:
                moved[row] = spans
            elif row > bottom_row:
                moved[row + row_shift] = spans
        self._spans = moved


def _map_start(position: int, top: int, bottom: int, inserted: int) -> int:
    """Where a span's first column lands after `top..bottom` became `inserted` characters."""
    if position >= bottom:
        return position + inserted - (bottom - top)
    if position <= top:
        return position
    return top + inserted


def _map_end(position: int, top: int, bottom: int, inserted: int) -> int:
    """Where a span's end column lands (text typed just after a span stays outside it)."""
    if position <= top:
        return position
    if position >= bottom:
        return position + inserted - (bottom - top)
    return top
