"""`AnswerEditor`: the multi-line field where a person writes prose.

A `TextArea` set up for answers rather than code: soft wrap, no line numbers, a steady
(non-blinking) cursor, and Tab that moves focus instead of inserting a tab.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.widgets import TextArea

__all__ = ["AnswerEditor", "HighlightSpan"]

#: A span to highlight: (row, column, length), in characters of the document.
HighlightSpan = tuple[int, int, int]


class AnswerEditor(TextArea):
    """A prose answer field: soft-wrapped, steady cursor, Tab moves focus.

    Posts `AnswerEditor.Changed` (a subclass of `TextArea.Changed`) when the text changes,
    so both `@on(AnswerEditor.Changed)` and `@on(TextArea.Changed)` receive it.
    """

    DEFAULT_CSS = """
    AnswerEditor > .answer-editor--highlight {
        text-style: underline;
        color: $warning;
    }
    """

    COMPONENT_CLASSES = {"answer-editor--highlight"}

    @dataclass
    class Changed(TextArea.Changed):
        """The answer's text changed. `control` is the editor."""

        def can_replace(self, message: object) -> bool:
            # A paste or a fast typist can queue many of these; only the latest matters.
            return isinstance(message, AnswerEditor.Changed) and message.text_area is self.text_area

    def __init__(
        self,
        text: str = "",
        *,
        id: str | None = None,
        classes: str | None = None,
        read_only: bool = False,
    ) -> None:
        super().__init__(
            text,
            soft_wrap=True,
            tab_behavior="focus",
            read_only=read_only,
            show_line_numbers=False,
            highlight_cursor_line=False,
            id=id,
            classes=classes,
        )
        # A blinking cursor writes to the terminal twice a second while idle.
        self.set_reactive(TextArea.cursor_blink, False)
        # Bracket matching is for code; in prose it only adds repaints.
        self.set_reactive(TextArea.match_cursor_bracket, False)
        self._spans: list[HighlightSpan] = []

    def set_highlights(self, spans: list[HighlightSpan]) -> None:
        """Highlight (row, column, length) spans of the text, e.g. lint findings."""
        self._spans = list(spans)
        self._line_cache.clear()
        self.refresh()

    def get_line(self, line_index: int):  # noqa: ANN201 - rich Text, as TextArea declares
        line = super().get_line(line_index)
        if self._spans:
            style = self.get_component_rich_style("answer-editor--highlight", partial=True)
            for row, column, length in self._spans:
                if row == line_index and length > 0:
                    line.stylize(style, column, column + length)
        return line
