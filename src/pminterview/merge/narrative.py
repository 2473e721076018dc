"""The "how we got here" draft: chronological, in role terms, with zero lint findings.

It is Markdown (the facilitator edits it with a preview), built in four short parts: how each
role got involved, the incident moment by moment from the merged timeline, what made each
step look reasonable to the person taking it, and where the system surprised them. Account
words are quoted or paraphrased with the role as the subject, never a name. Every generated
sentence is linted; one that still draws a finding is left out and listed for reframing, so
the draft handed to the facilitator is clean by construction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pminterview.merge.text import (
    capitalise,
    escape_markdown,
    one_line,
    role_phrase,
    sentence_spans,
    shorten,
    strip_end,
)
from pminterview.model import MergedTimelineEntry, Perspective, Reframe


@dataclass
class RoleWords:
    """What one role said in its free-text answers, already sifted and with names replaced."""

    role: str
    involved: list[str]
    reasons: list[str]
    surprises: list[str]


#: Lint callable: text -> findings that still count (dismissed hints already removed).
Check = Callable[[str], list]


@dataclass
class _Piece:
    text: str
    role: str
    source: str


def build_narrative(
    roles: Sequence[str],
    words: Sequence[RoleWords],
    timeline: Sequence[MergedTimelineEntry],
    zone_name: str,
    check: Check,
) -> tuple[str, list[Reframe]]:
    """The narrative and the sentences left out of it for reframing."""
    if not words and not timeline:
        return "", []
    reframes: list[Reframe] = []
    paragraphs: list[str] = []

    # Account words were sifted on the way in; the whole text is linted once at the end
    # (`_final_pass`), which is what guarantees a clean draft.
    def keep(pieces: list[_Piece]) -> list[str]:
        return [piece.text for piece in pieces]

    shortened: list[bool] = []
    paragraphs.append(_introduction(roles, zone_name))
    _section(paragraphs, "Getting involved", keep(_quoted(words, "involved", "described getting involved", shortened)), separate=True)
    moment_pieces: list[str] = []
    for position, entry in enumerate(timeline):
        for perspective in entry.perspectives:
            sentence = moment_sentence(entry, perspective)
            if sentence:
                moment_pieces.append(sentence)
    _section(paragraphs, "Moment by moment", moment_pieces, separate=True)
    _section(paragraphs, "What made sense at the time", keep(_quoted(words, "reasons", "explained their steps", shortened)), separate=True)
    _section(paragraphs, "Where the system surprised people", keep(_quoted(words, "surprises", "was surprised by this", shortened)), separate=True)
    if shortened:
        paragraphs[0] += (
            " Quotes give the opening of each answer (… marks where one was shortened); "
            "the full answers are in each person's account."
        )
    text = "\n\n".join(paragraphs)
    return _final_pass(text, check, reframes), reframes


def _introduction(roles: Sequence[str], zone_name: str) -> str:
    who = _join([role_phrase(r) for r in roles]) if roles else "the people involved"
    return (
        f"This draft follows the incident in time order, built from the accounts of {escape_markdown(who)}. "
        "It describes what each role knew, what they did, and what made each step look reasonable at the time. "
        f"Times are in {escape_markdown(zone_name)}. Everyone involved reviews this draft before it is final."
    )


def _section(paragraphs: list[str], title: str, sentences: list[str], *, separate: bool = False) -> None:
    if not sentences:
        return
    if separate:
        paragraphs.append(f"**{title}.**\n\n" + "\n\n".join(sentences))
    else:
        paragraphs.append(f"**{title}.** " + " ".join(sentences))


#: A quote in the narrative is at most this many sentences and (about) characters of what one
#: role said in one part. The narrative is a readable draft, not a copy of every answer: the
#: answers themselves stay in the accounts, and the merge still reads all of them.
QUOTE_SENTENCES = 2
QUOTE_CHARS = 300


def opening(text: str) -> tuple[str, bool]:
    """The first sentences of `text` (see `QUOTE_SENTENCES`), and whether anything was cut."""
    spans = sentence_spans(text)
    if not spans:
        return "", False
    end = spans[0][1]
    for start, stop in spans[1:QUOTE_SENTENCES]:
        if stop - spans[0][0] > QUOTE_CHARS:
            break
        end = stop
    quote = text[spans[0][0] : end]
    if len(quote) > QUOTE_CHARS:
        quote = shorten(quote, QUOTE_CHARS)
        return quote, True
    cut = end < spans[-1][1]
    return (quote + " …" if cut else quote), cut


def _quoted(words: Sequence[RoleWords], part: str, verb: str, shortened: list[bool]) -> list[_Piece]:
    pieces: list[_Piece] = []
    for entry in words:
        # Each answer ends its last sentence before the next begins: answers typed without a
        # full stop would otherwise run together ("... a ticket number Restore checkout first").
        texts = [_terminated(one_line(t)) for t in getattr(entry, part) if t.strip()]
        if not texts:
            continue
        quote, cut = opening(" ".join(texts))
        if cut:
            shortened.append(True)
        quote = escape_markdown(quote).replace('"', "'")
        pieces.append(_Piece(f'{capitalise(role_phrase(entry.role))} {verb}: "{quote}"', entry.role, f"answers ({part})"))
    return pieces


_ENDED = re.compile(r"[.!?…][\"'”’)\]]*$")


def _terminated(text: str) -> str:
    """`text` ending in terminal punctuation: a full stop is added where it has none."""
    text = text.strip()
    if not text or _ENDED.search(text):
        return text
    return text.rstrip(",;:–— ") + "."


# A timeline entry's fields are whatever the person typed: a noun phrase ("the page for the
# checkout alert"), a clause ("error rate dropped", "checkout 5xx alert paged me") or first
# person ("I opened the dashboard"). After "<role> saw" most of these read wrong, and turning
# "me" or "we" into the role would guess who did what. So each field is quoted after a label,
# as in: the on-call SRE: saw "checkout 5xx alert paged me"; did "opened the dashboard". That
# reads right whatever was typed, and the quote marks keep every "I", "me" and "we" with the
# person who wrote them. Only a lead that repeats the label ("I saw", "I expected", "I") goes.
_I_SAW = re.compile(r"^(?:i\s+)?(?:saw|noticed|knew|spotted|could see|was seeing)\s*:?\s+", re.IGNORECASE)
_I_DID = re.compile(r"^(?:i\s+(?:did\s*:?\s+)?|did\s*:\s*)(?=\S)", re.IGNORECASE)
_I_EXPECTED = re.compile(r"^(?:i\s+)?(?:expected|expecting|thought|assumed|hoped)\s*:?\s+", re.IGNORECASE)


def moment_sentence(entry: MergedTimelineEntry, perspective: Perspective) -> str:
    """One sentence for one role at one moment: when, then what they saw, did and expected,
    each quoted after its label (see the comment above)."""
    fields: list[str] = []
    for label, value, lead in (
        ("saw", perspective.saw, _I_SAW),
        ("did", perspective.did, _I_DID),
        ("expected", perspective.expected, _I_EXPECTED),
    ):
        words = strip_end(one_line(lead.sub("", one_line(value))))
        if words:
            fields.append(f'{label} "{_quote(words)}"')
    if not fields:
        return ""
    subject = escape_markdown(role_phrase(perspective.role))
    return f"{_when(entry, perspective)} {subject}: " + "; ".join(fields) + "."


def _quote(words: str) -> str:
    # Double quotes inside become single ones, so the quote's end is never in doubt.
    return escape_markdown(words).replace('"', "'")


def _when(entry: MergedTimelineEntry, perspective: Perspective) -> str:
    time = perspective.time or entry.time
    if entry.at is None:
        if not time or time == "time not given":
            return "At a time not given,"
        return f"{escape_markdown(capitalise(strip_end(one_line(time))))},"
    if time.startswith("~"):
        return f"At about {time[1:]},"
    return f"At {time},"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _final_pass(text: str, check: Check, reframes: list[Reframe]) -> str:
    """Take out any sentence that draws a finding only once composed (rare), until none do."""
    for _ in range(3):
        found = check(text)
        if not found:
            return text
        spans = sentence_spans(text)
        cut: list[tuple[int, int]] = []
        for finding in found:
            for start, end in spans:
                if start <= finding.offset < end and (start, end) not in cut:
                    cut.append((start, end))
                    reframes.append(Reframe(role="", source="narrative", text=text[start:end], category=finding.category, suggestion=finding.suggestion))
        for start, end in sorted(cut, reverse=True):
            text = text[:start] + text[end:]
        text = re.sub(r"[ \t]+\n", "\n", re.sub(r"[ \t]{2,}", " ", text)).strip()
    return text
