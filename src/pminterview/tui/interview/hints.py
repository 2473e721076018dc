"""Live lint hints for one answer: which findings to show, and where to highlight them.

Pure functions over text; the screen calls them from an idle timer, never per keystroke.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from pminterview.model import DismissedHint

#: Set to "off" (or "0", "no", "false") to start with live hints turned off.
HINTS_ENV = "PMINTERVIEW_HINTS"


def hints_enabled_by_default() -> bool:
    """Live hints are on unless PMINTERVIEW_HINTS says off."""
    return os.environ.get(HINTS_ENV, "on").strip().lower() not in ("off", "0", "no", "false")


@dataclass(frozen=True)
class Hint:
    """A finding as the interview shows it."""

    rule_id: str
    category: str
    message: str
    suggestion: str
    excerpt: str
    line: int
    """1-based, as the lint reports it."""
    column: int
    length: int

    @property
    def label(self) -> str:
        """The kind of wording, as the rule's message names it ("Counterfactual", "Vigilance
        action"); the category id in words when the message does not start with one."""
        head, colon, _rest = self.message.partition(": ")
        if colon and len(head) <= 40:
            return head
        return self.category.replace("-", " ").capitalize()

    @property
    def explanation(self) -> str:
        """The message without its leading label, which `hint_text` shows once, first."""
        head, colon, rest = self.message.partition(": ")
        if colon and len(head) <= 40:
            return rest
        return self.message

    @property
    def span(self) -> tuple[int, int, int]:
        """(row, column, length), 0-based, as `AnswerEditor.set_highlights` takes them."""
        return (self.line - 1, self.column - 1, self.length)

    def covers(self, row: int, column: int) -> bool:
        """Whether a 0-based document position falls inside the finding."""
        start_row, start_column, length = self.span
        return row == start_row and start_column <= column <= start_column + length

    def dismissal(self) -> DismissedHint:
        """The record of this hint's dismissal, as stored in the account."""
        from pminterview.model import DismissedHint

        return DismissedHint(rule_id=self.rule_id, excerpt=self.excerpt)


def hint_text(hint: Hint, *, suggestion: bool = True) -> Text:
    """One hint, worded the same on the live panel and the review page:
    `Counterfactual “should have checked”: says what … → reframing question`."""
    text = Text()
    text.append(hint.label, style="bold")
    text.append(f" “{hint.excerpt}”: {hint.explanation}")
    if suggestion and hint.suggestion:
        text.append(f"\n→ {hint.suggestion}", style="italic")
    return text


def find_hints(
    text: str,
    dismissed: list[DismissedHint] | tuple[DismissedHint, ...] = (),
    names: tuple[str, ...] = (),
    roles: tuple[str, ...] = (),
) -> list[Hint]:
    """The lint findings for `text`, minus those the person dismissed."""
    if not text.strip():
        return []
    from pminterview.lint import lint_text  # the engine loads its rules on first use

    gone = {(d.rule_id, d.excerpt) for d in dismissed}
    hints: list[Hint] = []
    for finding in lint_text(text, names=names, roles=roles):
        if (finding.rule_id, finding.excerpt) in gone:
            continue
        hints.append(
            Hint(
                rule_id=finding.rule_id,
                category=finding.category,
                message=finding.message,
                suggestion=finding.suggestion,
                excerpt=finding.excerpt,
                line=finding.line,
                column=finding.column,
                length=finding.length,
            )
        )
    return hints
