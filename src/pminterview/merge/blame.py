"""Account text on its way into the postmortem: blame sentences out, names replaced by roles.

Every free text from an account passes through `Sifter.sift` once. A sentence the lint flags
(any category) is left out and recorded as a `Reframe` for the facilitator, unless the person
dismissed that hint in the interview ("this is about a system"). What remains has participant
names replaced by roles. The lint is the single judge of blame, so the interview, the
facilitator screen and the merge agree on what counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from pminterview.merge.text import NameScrubber, sentence_spans
from pminterview.model import DismissedHint, Reframe


@lru_cache(maxsize=50_000)
def _lint(text: str, names: tuple[str, ...], roles: tuple[str, ...]) -> tuple:
    # The facilitator screen re-merges whenever an account file changes; most texts are the
    # same as last time, and the lint is a pure function, so its answers are remembered.
    # Imported here so the merge package imports cheaply.
    from pminterview.lint import lint_text

    return tuple(lint_text(text, names=names, roles=roles))


def dismissed_keys(hints: Iterable[DismissedHint]) -> frozenset[tuple[str, str]]:
    """Dismissals as (rule id, matched text) keys, compared without case or outer spaces."""
    return frozenset((hint.rule_id, hint.excerpt.strip().lower()) for hint in hints)


def is_dismissed(finding, dismissed: frozenset[tuple[str, str]]) -> bool:
    return (finding.rule_id, finding.excerpt.strip().lower()) in dismissed


class Sifter:
    """Sifts account text for one merge; collects what it left out in `reframes`."""

    def __init__(self, scrub: NameScrubber, roles: Sequence[str]) -> None:
        self.scrub = scrub
        self.names = scrub.names
        self.roles = tuple(roles)
        self.reframes: list[Reframe] = []
        self._cache: dict[str, list] = {}

    def findings(self, text: str) -> list:
        """Lint findings for `text` (original wording, names known to the lint), cached."""
        found = self._cache.get(text)
        if found is None:
            found = list(_lint(text, tuple(self.names), self.roles)) if text.strip() else []
            self._cache[text] = found
        return found

    def sift(self, text: str, *, role: str, source: str, dismissed: frozenset[tuple[str, str]] = frozenset()) -> str:
        """`text` without its blame sentences, names replaced by roles."""
        if not text.strip():
            return ""
        findings = [f for f in self.findings(text) if not is_dismissed(f, dismissed)]
        if not findings:
            return tidy(self.scrub(text))
        kept: list[str] = []
        cursor = 0
        for start, end in sentence_spans(text):
            inside = [f for f in findings if start <= f.offset < end]
            if not inside:
                continue
            kept.append(text[cursor:start])
            cursor = end
            first = inside[0]
            self.reframes.append(
                Reframe(
                    role=role,
                    source=source,
                    text=self.scrub(text[start:end]),
                    category=first.category,
                    suggestion=first.suggestion,
                )
            )
        kept.append(text[cursor:])
        return tidy(self.scrub("".join(kept)))

    def flag(self, text: str) -> list:
        """Findings for text that is kept whatever they say (suggestions become actions)."""
        return self.findings(text)


_SPACES = re.compile(r"[ \t]+")


def tidy(text: str) -> str:
    """Trim lines and spaces left behind where sentences were taken out."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue  # no runs of blank lines, none at the start
        out.append(line)
    return "\n".join(out).strip()
