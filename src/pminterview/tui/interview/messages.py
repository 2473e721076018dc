"""Messages the interview's widgets post, named for what already happened."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class AnswerEdited(Message):
    """Something in the current question's answer changed (text, an entry, a toggle).

    Posted on every keystroke, so a queued one is replaced by the next.
    """

    question_id: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, AnswerEdited) and message.question_id == self.question_id


@dataclass
class AccountSaved(Message):
    """Saving changed state: a save failed (`error` says why), or saved again after one did.

    Not posted for every ordinary autosave, which needs nothing on screen.
    """

    error: str | None = None


@dataclass
class HintsShown(Message):
    """The hints beside the current answer were updated; `count` are showing."""

    count: int
