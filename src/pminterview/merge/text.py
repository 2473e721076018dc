"""Text helpers for the merge: content words, similarity, sentences, names to roles.

Near-duplicates ("no alert on connection pool saturation" / "nothing alerted when the
connection pool was exhausted") are found with token-set Jaccard similarity over normalised
content words:

- People describe the same safeguard with different grammar and word order but mostly the same
  nouns, so a *set* of content words (stop words and generic verbs such as "add" or "should"
  removed, crude suffix stripping so "alerted"/"alerts"/"alerting" meet) is what they share;
  edit distance punishes reordering, and embeddings would need a model, a heavy dependency and
  non-deterministic, unexplainable results.
- Jaccard divides by the union, so a long paragraph does not swallow every short item that
  shares one word with it (an overlap coefficient would).
- The threshold `SIMILAR` = 0.5 with at least `MIN_SHARED` = 2 shared words: two four-word
  descriptions must share three of five distinct words, which joins rephrasings of one
  safeguard but keeps "alert on pool saturation" apart from "alert on disk saturation".
  A missed merge costs the facilitator one edit; a wrong merge hides a factor, so the
  threshold errs on the side of keeping things apart.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

SIMILAR = 0.5
MIN_SHARED = 2

_STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each else even ever every few
    for from further had has have having he her here hers him his how however i if in into is it its
    itself just lot me more most much my myself no nor not now of off on once only or other our ours
    out over own quite really same she so some still such than that the their them then there these
    they this those through to too under until up us very was we were what when where which while who
    whom why will with would you your yours yet via per
    should must might may shall ought need needs needed add added adding make made making get got
    create created introduce implement build set put use used have having maybe perhaps please
    something anything nothing someone everyone anyone thing things way ways time lot bit kind sort
    missing missed lack lacking lacked there's wasn't weren't isn't aren't didn't don't doesn't
    i'm i'd i've we'd we've it's that's
    """.split()
)

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?(?:-[a-z0-9]+)*")
_SUFFIXES = ("ations", "ation", "ions", "ion", "ings", "ing", "ed", "es", "s", "ly")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """A crude stem: enough for "alerted", "alerts" and "alerting" to meet, no more."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith("ss"):
                break
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def content_words(text: str) -> frozenset[str]:
    """Normalised content words of `text`, for similarity."""
    words = set()
    for word in _WORD.findall(text.lower().replace("’", "'")):
        if word in _STOP_WORDS or len(word) < 2:
            continue
        words.add(stem(word))
    return frozenset(words)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when two word sets describe the same thing (see the module docstring)."""
    return len(a & b) >= MIN_SHARED and jaccard(a, b) >= SIMILAR


def content_key(text: str, words: frozenset[str] | None = None) -> str:
    """A short, stable key for a piece of account material.

    Built from the sorted content words, so punctuation, case and word order do not change it;
    the merge stores these keys on factors and actions to find them again on a later merge.
    """
    words = content_words(text) if words is None else words
    basis = " ".join(sorted(words)) if words else " ".join(text.lower().split())
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:10]


# --- sentences --------------------------------------------------------------------------------

# A sentence ends at . ! or ? followed by space, or at a line break; abbreviations such as
# "e.g." may split a sentence in two, which only makes a blame span smaller, never larger.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank sentence in `text`, in order."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start() if match.group().startswith("\n") else match.end()
        _add_span(text, start, end, spans)
        start = match.end()
    _add_span(text, start, len(text), spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    spans.append((start + lead, start + lead + len(stripped)))


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in sentence_spans(text)]


def one_line(text: str) -> str:
    """Collapse all whitespace, line breaks included, to single spaces."""
    return " ".join(text.split())


def first_sentence(text: str) -> str:
    spans = sentence_spans(text)
    return text[spans[0][0] : spans[0][1]] if spans else ""


def shorten(text: str, limit: int = 120) -> str:
    """`text` on one line, cut at a word boundary with an ellipsis when longer than `limit`."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word looks like a name or acronym ("DB", "I")."""
    word = text.split(" ", 1)[0]
    if word and word[0].isupper() and word != "I" and (len(word) == 1 or word[1:].islower()):
        return text[0].lower() + text[1:]
    return text


def strip_end(text: str) -> str:
    return text.strip().rstrip(".;,:").strip()


# --- names to roles ---------------------------------------------------------------------------


def role_phrase(role: str) -> str:
    """"on-call SRE" -> "the on-call SRE" (roles read as a description, not a name)."""
    role = role.strip()
    return role if role.lower().startswith(("the ", "a ", "an ")) else f"the {role}"


def name_variants(participant: str, role_words: Iterable[str] = ()) -> list[str]:
    """The ways a participant's name may appear in text.

    The login itself, the login with separators as spaces ("priya.nair" -> "priya nair"), and
    its first part ("priya") when that is a plain word of three letters or more that no role
    uses (so a login like "oncall-sre" does not turn every "SRE" into a role).
    """
    variants = {participant}
    parts = [p for p in re.split(r"[._-]+", participant) if p]
    if len(parts) > 1:
        variants.add(" ".join(parts))
        first = parts[0]
        taken = {w.lower() for w in role_words}
        if first.isalpha() and len(first) >= 3 and first.lower() not in taken and first.lower() not in _STOP_WORDS:
            variants.add(first)
    return sorted((v for v in variants if len(v) >= 2), key=lambda v: (-len(v), v))


class NameScrubber:
    """Replaces known participant names in text with their role.

    Case-insensitive, whole words only, possessives kept ("Priya's" -> "the on-call SRE's"),
    and a capital letter when the name started a sentence.
    """

    def __init__(self, names_to_roles: Sequence[tuple[str, str]]) -> None:
        self._roles: dict[str, str] = {}
        alternatives: list[str] = []
        role_words = {w for _, role in names_to_roles for w in re.findall(r"[A-Za-z]+", role)}
        for participant, role in names_to_roles:
            for variant in name_variants(participant, role_words):
                key = variant.lower()
                if key not in self._roles:
                    self._roles[key] = role
                    alternatives.append(re.escape(variant))
        alternatives.sort(key=lambda a: -len(a))
        self.names = tuple(sorted(self._roles))
        self._pattern = (
            re.compile(r"(?<![\w.-])(" + "|".join(alternatives) + r")(['’]s\b|['’](?![\w]))?(?![\w-])", re.IGNORECASE)
            if alternatives
            else None
        )

    def __call__(self, text: str) -> str:
        if self._pattern is None or not text:
            return text
        return self._pattern.sub(lambda m: self._replace(m, text), text)

    def _replace(self, match: re.Match[str], text: str) -> str:
        phrase = role_phrase(self._roles[match.group(1).lower()])
        if match.group(2):
            phrase += "'s"
        before = text[: match.start()].rstrip(" \t\"'“‘(")
        if not before or before.endswith(("\n", ".", "!", "?")):
            phrase = capitalise(phrase)
        return phrase


# --- Markdown ---------------------------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*\[\]<|])")
_MD_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# Line starts that Markdown reads as structure: headings, quotes, list items, rules, setext.
_MD_LINE_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|\d+(?=[.)](?:\s|$))|=+(?=\s*$)|-+(?=\s*$))")


def escape_markdown(text: str) -> str:
    """`text` as literal Markdown: emphasis, links, code, HTML, tables and line-start structure
    are escaped, and nothing else, so the result still reads well as plain text ("db_primary"
    keeps its underscore because Markdown ignores underscores inside words)."""
    lines = []
    for line in text.split("\n"):
        line = _MD_INLINE.sub(r"\\\1", line)
        line = _MD_UNDERSCORE.sub(r"\\_", line)
        line = line.replace("~~", "\\~\\~")
        line = _MD_ENTITY.sub("&amp;", line)
        line = _MD_LINE_START.sub(_escape_line_start, line)
        lines.append(_escape_ordered(line))
    return "\n".join(lines)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    if marker[0].isdigit():
        return indent + marker  # the "." or ")" after it is escaped below
    return indent + "\\" + marker


_ORDERED = re.compile(r"^(\s*\d+)([.)])(?=\s|$)", re.MULTILINE)


def _escape_ordered(text: str) -> str:
    return _ORDERED.sub(r"\1\\\2", text)


# --- finding similar sets quickly --------------------------------------------------------------


def similar_earlier(sets: Sequence[frozenset[str]]) -> list[list[int]]:
    """For each set, the positions of the earlier sets `similar` to it, in ascending order.

    Exact, and fast on real text, by prefix filtering: order each set's words rarest first;
    two sets with Jaccard >= t must share a word among the first |x| - ceil(t * |x|) + 1 words
    of each. Only those prefixes are indexed, so common words rarely produce candidates and the
    cost stays close to linear instead of comparing every pair.
    """
    frequency = Counter(word for words in sets for word in words)
    index: dict[str, list[int]] = {}
    found: list[list[int]] = []
    for position, words in enumerate(sets):
        if len(words) < MIN_SHARED:
            found.append([])
            continue
        ordered = sorted(words, key=lambda w: (frequency[w], w))
        prefix = ordered[: len(ordered) - math.ceil(SIMILAR * len(ordered)) + 1]
        size = len(words)
        seen: set[int] = set()
        matches: list[int] = []
        for word in prefix:
            for earlier in index.get(word, ()):
                if earlier in seen:
                    continue
                seen.add(earlier)
                other = sets[earlier]
                # Jaccard >= t needs t*|a| <= |b| <= |a|/t: skip the intersection otherwise.
                if not SIMILAR * size <= len(other) <= size / SIMILAR:
                    continue
                shared = len(words & other)
                if shared >= MIN_SHARED and shared >= SIMILAR * (size + len(other) - shared):
                    matches.append(earlier)
        for word in prefix:
            index.setdefault(word, []).append(position)
        found.append(sorted(matches))
    return found
