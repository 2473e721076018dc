"""Account text on its way into the postmortem: blame sentences out, names replaced by roles.

Every free text from an account passes through `Sifter.sift` once. A sentence the lint flags
(any category) is left out and recorded as a `Reframe` for the facilitator, unless the person
dismissed that hint in the interview ("this is about a system"). What remains has participant
names replaced by roles. The lint is the single judge of blame, so the interview, the
facilitator screen and the merge agree on what counts.

What gets linted, and how it stays fast
---------------------------------------
Everything. Every account text the merge may use is linted whole, in its own wording, so
`to_reframe` is complete: a sentence is never judged by a cheaper stand-in for the lint, and a
blame sentence cannot slip through because the merge did not look. The generated narrative is
linted again once composed (see `merge.narrative`), because quoting changes a sentence's
surroundings. What makes this affordable is that `lint_text` costs about a millisecond per
call before it reads a word (it indexes each rule's anchors), while its cost per character is
small. So texts are linted in batches (`lint_many`): many texts joined by blank lines in one
call, the findings handed back to each text with its own offsets. A blank line ends the
lint's paragraph and its "sentence before" context, so each text is judged exactly as alone;
the few texts whose Markdown could reach past a blank line (code fences, HTML comments,
opt-out markers, a first line indented like a list continuation) are linted on their own.
Results are remembered per text (`_REMEMBERED`): the facilitator screen re-merges whenever an
account changes, and then only the changed texts are linted again.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Iterable, Sequence

from pminterview.merge.text import NameScrubber, sentence_spans
from pminterview.model import DismissedHint, Reframe

People = tuple[tuple[str, ...], tuple[str, ...]]

# Texts joined per lint call: large enough that the per-call cost vanishes, small enough that
# one call never holds much more memory than the texts themselves.
_BATCH_CHARS = 256_000
_SEPARATOR = "\n\n"
# Markdown that can carry state past a blank line in the lint's reading of it.
_REACHES_FAR = ("```", "~~~", "<!--", "-->", "pminterview")
# Findings remembered per participant set (names change the lint's reading of a sentence).
_PEOPLE_KEPT = 4
_TEXTS_KEPT = 100_000
_REMEMBERED: dict[People, dict[str, tuple]] = {}
_LOCK = threading.Lock()


def _lint_alone(text: str, people: People) -> tuple:
    # Imported here so the merge package imports cheaply.
    from pminterview.lint import lint_text

    return tuple(lint_text(text, names=people[0], roles=people[1]))


def _stands_alone(text: str) -> bool:
    return text[:1].isspace() or any(marker in text for marker in _REACHES_FAR)


def _lint_batch(texts: list[str], people: People) -> list[tuple]:
    """Lint texts joined by blank lines in one call; each text's findings in its own offsets."""
    from pminterview.lint import lint_text

    starts: list[int] = []
    first_lines: list[int] = []
    offset, line = 0, 1
    for text in texts:
        starts.append(offset)
        first_lines.append(line)
        piece = text + _SEPARATOR
        offset += len(piece)
        line += len(piece.splitlines())
    joined = _SEPARATOR.join(texts)
    per_text: list[list] = [[] for _ in texts]
    position = 0
    for finding in lint_text(joined, names=people[0], roles=people[1]):
        while position + 1 < len(starts) and starts[position + 1] <= finding.offset:
            position += 1
        per_text[position].append(
            dataclasses.replace(
                finding, offset=finding.offset - starts[position], line=finding.line - first_lines[position] + 1
            )
        )
    return [tuple(found) for found in per_text]


def lint_many(texts: Iterable[str], names: Sequence[str], roles: Sequence[str]) -> dict[str, tuple]:
    """Lint findings for each distinct non-blank text, as `lint_text` gives them for it alone.

    Remembered across calls; texts not seen before are linted in batches (see the module
    docstring).
    """
    people: People = (tuple(names), tuple(roles))
    with _LOCK:
        remembered = _REMEMBERED.pop(people, None)
        if remembered is None:
            remembered = {}
            while len(_REMEMBERED) >= _PEOPLE_KEPT:
                del _REMEMBERED[next(iter(_REMEMBERED))]
        _REMEMBERED[people] = remembered  # most recently used last
    wanted = list(dict.fromkeys(text for text in texts if text.strip()))
    fresh = [text for text in wanted if text not in remembered]
    batch: list[str] = []
    size = 0
    for text in fresh:
        if _stands_alone(text):
            remembered[text] = _lint_alone(text, people)
            continue
        batch.append(text)
        size += len(text)
        if size >= _BATCH_CHARS:
            remembered.update(zip(batch, _lint_batch(batch, people)))
            batch, size = [], 0
    if batch:
        remembered.update(zip(batch, _lint_batch(batch, people)))
    found = {text: remembered[text] for text in wanted}
    if len(remembered) > _TEXTS_KEPT:
        remembered.clear()  # a long session with many merges: start again rather than grow
    return found


def lint_paragraphs(text: str, names: Sequence[str], roles: Sequence[str]) -> list:
    """Findings for a text of blank-line separated paragraphs, each remembered on its own.

    For generated Markdown such as the narrative, where nothing carries from one paragraph to
    the next, this equals linting the whole text; a re-merge that changes one role's quote
    lints only that paragraph again.
    """
    pieces: list[tuple[int, int, str]] = []
    start, line = 0, 1
    while start <= len(text):
        end = text.find(_SEPARATOR, start)
        end = len(text) if end == -1 else end
        pieces.append((start, line, text[start:end]))
        line += len(text[start : end + len(_SEPARATOR)].splitlines())
        start = end + len(_SEPARATOR)
    found_for = lint_many((piece for _, _, piece in pieces), names, roles)
    found: list = []
    for start, line, piece in pieces:
        for finding in found_for.get(piece, ()):
            found.append(dataclasses.replace(finding, offset=finding.offset + start, line=finding.line + line - 1))
    return found


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
        self._cache: dict[str, tuple] = {}

    def prefetch(self, texts: Iterable[str]) -> None:
        """Lint all of `texts` now, in batches, so later calls find their results ready."""
        self._cache.update(lint_many(texts, self.names, self.roles))

    def findings(self, text: str) -> list:
        """Lint findings for `text` (original wording, names known to the lint), cached."""
        found = self._cache.get(text)
        if found is None:
            found = lint_many((text,), self.names, self.roles).get(text, ())
            self._cache[text] = found
        return list(found)

    def narrative_findings(self, text: str) -> list:
        """Lint findings for generated Markdown, paragraph by paragraph (`lint_paragraphs`)."""
        return lint_paragraphs(text, self.names, self.roles)

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
# What `tidy` would change: tabs, double spaces, space at a line's ends, a blank line first or
# after another. Most texts have none of it.
_UNTIDY = re.compile(r"\t|  |^[^\S\n]|[^\S\n]$|\A\n|\n\n\n", re.MULTILINE)


def tidy(text: str) -> str:
    """Trim lines and spaces left behind where sentences were taken out."""
    if not _UNTIDY.search(text):
        return text.strip()
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue  # no runs of blank lines, none at the start
        out.append(line)
    return "\n".join(out).strip()
