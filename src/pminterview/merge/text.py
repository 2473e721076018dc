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

import functools
import hashlib
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
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


@lru_cache(maxsize=65_536)
def content_words(text: str) -> frozenset[str]:
    """Normalised content words of `text`, for similarity (remembered per text: the merge
    asks for the same sentence's words more than once)."""
    words = set()
    for word in _WORD.findall(text.lower().replace("’", "'")):
        if word in _STOP_WORDS or len(word) < 2:
            continue
        words.add(stem(word))
    return frozenset(words)


def similar(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when two word sets describe the same thing (see the module docstring)."""
    # shared / union >= SIMILAR (Jaccard) without the division: the grouping calls this very often.
    shared = len(a & b)
    return shared >= MIN_SHARED and shared >= SIMILAR * (len(a) + len(b) - shared)


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
    return list(_sentence_spans(text))


# One merge splits the same answer several times (sifting, factors, questions, the narrative).
@lru_cache(maxsize=16_384)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text + "\n"):  # the newline ends the last sentence
        end = match.start() if match.group().startswith("\n") else match.end()
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            spans.append((start + lead, start + lead + len(stripped)))
        start = match.end()
    return tuple(spans)


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

#: English words that are also common first names or login names. Text uses them as words far
#: more often than as names ("the root cause", "we will know", "max connections"), so a name
#: that is one of these is replaced where it is written as a name, capitalised, and not where
#: the text plainly uses the word (see `NameScrubber`). Other names (priya, marcus.lee,
#: person007) are replaced wherever they occur, in any case.
COMMON_WORD_NAMES = frozenset(
    """
    root admin administrator ops dev devops test tester user guest deploy build backup service system
    operator support oncall sre web app api prod staging
    will mark max grant bill sky jack rob may june april august march hope joy faith rose summer
    autumn winter dawn grace ivy holly iris lily daisy ruby pearl hazel olive amber crystal penny
    sandy sunny rusty ray drew pat sue art gene frank dean chase hunter miles wade lane page bob
    reed glen dale cliff brook rock stone clay heath king love price rich major norm don nick guy
    chip bud buck carter cook mason miller porter baker smith taylor ward young white black brown
    green gray grey long short little noble sterling justice sage storm star al ed jo bo
    """.split()
)

#: Of those, the words that are logins or system names rather than people's first names. At a
#: sentence start they begin a noun phrase ("Root cause was …", "Build times rose") far more
#: often than they name someone, so there they count as a name only before a verb.
LOGIN_WORD_NAMES = frozenset(
    """
    root admin administrator ops dev devops test tester user guest deploy build backup service system
    operator support oncall sre web app api prod staging
    """.split()
)
#: Names that are also months: before a number they are the date ("May 3", "March 12th").
_MONTH_NAMES = frozenset("march april may june august".split())

# Words after a sentence-initial name that make it the subject ("Will said", "Mark restarted").
_SUBJECT_VERBS = frozenset(
    """
    said says saw sees was is had has did does thought thinks knew knows told tells took takes went
    goes got gets ran runs found finds felt feels came comes wrote writes made makes kept keeps left
    sent gave gives heard meant wants could would should couldn't wouldn't didn't wasn't hadn't
    isn't doesn't won't can't
    """.split()
)
# Verbs after which a lowercase name-like word is a person: "I asked bob", "we paged jack".
_REACHING_VERBS = frozenset(
    """
    ask asks asked tell tells told ping pings pinged paged call calls called phoned messaged
    emailed texted thanked contacted woke cc cc'd dm'd
    """.split()
)
# Words before a capitalised name that show it is not one: names take no article. Not "that",
# which before a name is mostly a conjunction ("I thought that Bob had restarted it").
_NOT_BEFORE_NAME = frozenset("a an the this these those our their your its my his her".split())
# Before a lowercase name-word, "that" is as likely the determiner ("that max was too low"),
# and a lowercase word is taken for a name only where nothing but a person fits.
_NOT_BEFORE_LOWERCASE_NAME = _NOT_BEFORE_NAME | {"that"}
# Words after a sentence-initial capitalised name-word that show the word, used as a verb: an
# imperative before its object ("Mark the alert", "Page them", "Hope this helps") or a modal
# before its subject ("Will this work?", "May I ask", "Will there be a retry?"). A person's
# name is followed by a verb or a phrase about them ("Bob from payments", "Bob and I"), not these.
_WORD_USE_NEXT = frozenset(
    """
    a an the this that these those it its them him her his their our your my me us i we you they he
    she there all any each every some no everyone everybody everything anyone anybody anything
    someone somebody something nobody nothing
    """.split()
)
# How sure the scrubber is that an occurrence of a name-word is the person (see NameScrubber).
_AS_WORD, _MAYBE, _AS_NAME = 0, 1, 2
_TOKEN = re.compile(r"\w(?:[\w.-]*\w)?")
_LINE_START_MARK = re.compile(r"(?:[-*+>]|#{1,6}|\d+[.)])?")


def role_phrase(role: str) -> str:
    """"on-call SRE" -> "the on-call SRE" (roles read as a description, not a name)."""
    role = role.strip()
    return role if role.lower().startswith(("the ", "a ", "an ")) else f"the {role}"


def name_variants(participant: str, role_words: Iterable[str] = ()) -> list[str]:
    """The ways a participant's name may appear in text.

    The login itself, the login with separators as spaces ("priya.nair" -> "priya nair"), and
    its first part ("priya") when that is a plain word of three letters or more that no role
    uses (so a login like "oncall-sre" does not turn every "SRE" into a role). Whether an
    occurrence in text is the name or an ordinary word is `NameScrubber`'s question.
    """
    variants = {participant}
    parts = [p for p in re.split(r"[._-]+", participant) if p]
    if len(parts) > 1:
        variants.add(" ".join(parts))
        first = parts[0]
        taken = {w.lower() for w in role_words}
        if first.isalpha() and len(first) >= 3 and first.lower() not in taken:
            variants.add(first)
    return sorted((v for v in variants if len(v) >= 2), key=lambda v: (-len(v), v))


def is_common_word(variant: str) -> bool:
    """True for a name that is also an ordinary English word, or too short to tell."""
    key = variant.lower()
    return key in COMMON_WORD_NAMES or key in _STOP_WORDS or len(key) <= 2


class NameScrubber:
    """Replaces known participant names in text with their role, where they are used as names.

    The rule, per occurrence of a name variant (whole token; possessives kept, "Priya's" ->
    "the on-call SRE's"; a capital letter when the name started a sentence):

    - A name that is not an ordinary word ("priya", "marcus.lee", "person007") is replaced in
      any case, anywhere.
    - A name that is also an ordinary word (`COMMON_WORD_NAMES`, stop words such as "will" and
      "may", anything of two letters) is replaced when written capitalised ("Bob", not "bob" or
      "BOB"), except where the text plainly uses the word: after an article ("the Root user"),
      before an acronym ("Root CA"), and at a sentence start before an object or subject that
      shows an imperative or modal ("Mark the alert", "Will this work?", "May I"), before a
      number for a month ("May 3"), or, for a login or system word (`LOGIN_WORD_NAMES`), before
      anything but a verb ("Root cause was …"). So "Bob from payments rolled out …", "Bob needs
      to …" and "Bob and I …" name the person, as does a capitalised name-word in mid-sentence.
    - Written in lowercase, as logins are ("I asked bob"), such a name (other than a stop
      word or two letters) is replaced only where just a person fits: after a verb of
      reaching someone ("asked", "pinged"), as an owner ("bob's runbook"), or followed by a
      verb that makes it the subject ("bob said"); never after an article.
    - A chat mention ("@bob", "@Will") is always the person, and the "@" goes with the name:
      "ask @bob" -> "ask the database owner".

    Some occurrences kept as words could still be the person: a login word at a sentence start
    ("Root cause …"), a modal question ("Will restarting help?"), a name in capitals ("BOB"),
    unless it follows an article or is a login word or a word of a role, which in capitals is
    an acronym ("the SRE paged the API team").
    `possible_mentions` counts them with the replaced kind, for the readiness check, where a
    false alarm costs the facilitator one edit and a missed name would be published.

    Text is read in one pass: its tokens are looked up in a dict, and only texts that contain a
    name at all are searched, with a pattern of just those names.
    """

    def __init__(self, names_to_roles: Sequence[tuple[str, str]]) -> None:
        self._roles: dict[str, str] = {}
        self._common: set[str] = set()
        # first token of a variant -> variants starting with it (longest first)
        self._by_first: dict[str, list[str]] = {}
        role_words = {w for _, role in names_to_roles for w in re.findall(r"[A-Za-z]+", role)}
        self._role_words = frozenset(w.lower() for w in role_words)
        for participant, role in names_to_roles:
            for variant in name_variants(participant, role_words):
                key = variant.lower()
                if key in self._roles:
                    continue
                self._roles[key] = role
                if is_common_word(key):
                    self._common.add(key)
                first = _TOKEN.findall(key)
                if first:
                    self._by_first.setdefault(first[0], []).append(key)
        self.names = tuple(sorted(self._roles))
        self._patterns: dict[frozenset[str], re.Pattern[str]] = {}

    def __call__(self, text: str) -> str:
        if not self._roles or not text:
            return text
        pattern = self._pattern(text)
        if pattern is None:
            return text
        return pattern.sub(lambda m: self._replace(m, text), text)

    def mentions(self, text: str) -> dict[str, int]:
        """How often each name variant is used as a name in `text` (same rule as replacing)."""
        return self._count(text, _AS_NAME)

    def possible_mentions(self, text: str) -> dict[str, int]:
        """How often each name variant in `text` is, or could be, the person: what replacing
        would change, and the capitalised occurrences it keeps as words without being sure."""
        return self._count(text, _MAYBE)

    def _count(self, text: str, least: int) -> dict[str, int]:
        counts: dict[str, int] = {}
        pattern = self._pattern(text) if self._roles and text else None
        if pattern is not None:
            for match in pattern.finditer(text):
                if self._reading(match, text) >= least:
                    key = " ".join(match.group("name").lower().split())
                    counts[key] = counts.get(key, 0) + 1
        return counts

    def _pattern(self, text: str) -> re.Pattern[str] | None:
        present: set[str] = set()
        # Most texts name nobody: one set intersection (in C) says so without a loop.
        for token in self._by_first.keys() & set(_TOKEN.findall(text.lower())):
            present.update(self._by_first[token])
        if not present:
            return None
        key = frozenset(present)
        pattern = self._patterns.get(key)
        if pattern is None:
            alternatives = sorted((re.escape(v).replace(r"\ ", r"[ \t]+") for v in present), key=lambda a: (-len(a), a))
            # A chat mention's "@" is part of the match, so it is replaced with the name.
            pattern = re.compile(
                r"(?<![\w.-])(?P<at>@)?(?P<name>" + "|".join(alternatives) + r")(?P<own>['’]s\b|['’](?![\w]))?(?![\w-])",
                re.IGNORECASE,
            )
            self._patterns[key] = pattern
        return pattern

    def _reading(self, match: re.Match[str], text: str) -> int:
        """_AS_NAME, _MAYBE or _AS_WORD: whether this occurrence is the person (see the class)."""
        surface = match.group("name")
        key = " ".join(surface.lower().split())
        if key not in self._common or match.group("at"):
            return _AS_NAME
        if surface == surface.lower() and key not in _STOP_WORDS and len(key) > 2:
            return _AS_NAME if self._lowercase_name(match, text) else _AS_WORD
        before = text[max(0, match.start() - 80) : match.start()]
        if not (surface[0].isupper() and surface[1:] == surface[1:].lower()):
            # "WILL", "ROOT": a column, an acronym or a shout, kept; but "BOB" may be the person.
            # "SRE", "API", "DEV" are acronyms, and so is a word that names a role ("on-call SRE").
            if not surface.isupper() or len(key) <= 2 or key in LOGIN_WORD_NAMES or key in self._role_words:
                return _AS_WORD
            return _AS_WORD if _after_determiner(before) else _MAYBE
        if match.group("own"):
            return _AS_NAME
        if _after_determiner(before):
            return _AS_WORD
        after = text[match.end() : match.end() + 40]
        next_word = after.split(maxsplit=1)[0] if after[:1] in (" ", "\t") and after.strip() else ""
        bare = next_word.strip(",;:.!?\"'”’)").lower()
        if len(bare) >= 2 and next_word.strip(",;:.!?\"'”’)").isupper():
            return _AS_WORD  # "Root CA", "Max TTL": part of a technical term
        if not _at_sentence_start(before, match.start()):
            return _AS_NAME
        if _is_subject_verb(next_word):
            return _AS_NAME
        if bare in _WORD_USE_NEXT or (key in _MONTH_NAMES and bare[:1].isdigit()):
            return _AS_WORD
        if key in LOGIN_WORD_NAMES:
            return _MAYBE
        if key in _STOP_WORDS and _ends_as_question(text, match.end()):
            return _MAYBE  # "Will restarting help?": a modal question, most likely
        return _AS_NAME

    def _used_as_name(self, match: re.Match[str], text: str) -> bool:
        return self._reading(match, text) == _AS_NAME

    @staticmethod
    def _lowercase_name(match: re.Match[str], text: str) -> bool:
        # Logins are lowercase, and people write them so ("I asked bob"): a lowercase word
        # that is also a name counts as the name where only a person fits, after a verb of
        # reaching someone, as an owner ("bob's runbook"), or as the subject of a verb
        # ("bob restarted it"), never after an article ("the root's permissions").
        before = text[max(0, match.start() - 80) : match.start()]
        words_before = before.split()
        previous = words_before[-1].lower().strip("(\"'“‘") if words_before else ""
        if previous in _NOT_BEFORE_LOWERCASE_NAME:
            return False
        if match.group("own") or previous in _REACHING_VERBS:
            return True
        after = text[match.end() : match.end() + 40]
        return _is_subject_verb(after.split(maxsplit=1)[0] if after[:1] in (" ", "\t") and after.strip() else "")

    def _replace(self, match: re.Match[str], text: str) -> str:
        if not self._used_as_name(match, text):
            return match.group(0)
        phrase = role_phrase(self._roles[" ".join(match.group("name").lower().split())])
        if match.group("own"):
            phrase += "'s"
        if _at_sentence_start(text[max(0, match.start() - 80) : match.start()], match.start(), after_colon=False):
            phrase = capitalise(phrase)
        return phrase


def _after_determiner(before: str) -> bool:
    """Whether the text `before` a word ends in an article or determiner: names take none."""
    words_before = before.split()
    return bool(words_before) and words_before[-1].lower().strip("(\"'“‘") in _NOT_BEFORE_NAME


def _is_subject_verb(word: str) -> bool:
    """Whether `word`, following a name-like word, makes that word a subject ("said", "restarted")."""
    word = word.lower().rstrip(",;:.")
    return word in _SUBJECT_VERBS or (len(word) >= 5 and word.endswith("ed") and not word.endswith("eed"))


def _ends_as_question(text: str, start: int) -> bool:
    """Whether the sentence going on at `start` in `text` ends with a question mark."""
    end = _SENTENCE_END.search(text + "\n", start)
    return end is not None and text[start : end.start()].rstrip("\"'”’)]").endswith("?")


def _at_sentence_start(before: str, start: int, after_colon: bool = True) -> bool:
    """Whether a word whose preceding text (a window ending at `start`) is `before` starts a
    sentence, a line or a list item."""
    line = before.rsplit("\n", 1)
    head = line[-1].strip(" \t\"'“‘(")
    if not head:
        return len(line) > 1 or start <= len(before)
    if _LINE_START_MARK.fullmatch(head):
        return len(line) > 1 or start <= len(before)
    return head.endswith((".", "!", "?", ":") if after_colon else (".", "!", "?"))


def name_mentions(text: str, participants: Sequence[str], roles: Sequence[str] = ()) -> dict[str, int]:
    """Participant names that are, or could be, used as names in `text`, with counts: what an
    export must not contain.

    Everything `NameScrubber` would replace, and the capitalised occurrences it keeps without
    being sure (`NameScrubber.possible_mentions`); "The root cause" is still not a mention of a
    participant called root. `roles`, when given, are the participants' roles in the same
    order, read as the merge reads them (a login's first part that a role uses is no name).
    """
    # Never the login as its own role: its words would hide its first part ("priya" of
    # "priya.nair") as a word of a role.
    people = list(zip(participants, roles, strict=True)) if roles else [(p, "") for p in participants]
    return NameScrubber(people).possible_mentions(text)


# --- Markdown ---------------------------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*<|])")
# A bracket is literal in CommonMark unless it closes link text: "[x](url)", "[x][ref]",
# "[x][]" or a definition "[x]: url". Escaping only a "]" followed by "(", "[" or ":" stops all
# of them, so "[just after the revert]" and "[WIP]" stay readable as plain text.
_MD_LINK_CLOSE = re.compile(r"\](?=[(\[:])")
_MD_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# Line starts that Markdown reads as structure: headings, quotes, list items, rules, setext.
_MD_LINE_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|>|[-+*](?=\s|$)|\d+(?=[.)](?:\s|$))|=+(?=\s*$)|-+(?=\s*$))")


# Anything any of the patterns above could change; most text has none of it.
_MD_ANY = re.compile(r"[\\`*\[\]<|_~&]|^\s*[#>+=\d-]", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """`text` as literal Markdown: emphasis, links, code, HTML, tables and line-start structure
    are escaped, and nothing else, so the result still reads well as plain text ("db_primary"
    keeps its underscore because Markdown ignores underscores inside words)."""
    if not _MD_ANY.search(text):
        return text
    lines = []
    for line in text.split("\n"):
        line = _MD_INLINE.sub(r"\\\1", line)
        line = _MD_LINK_CLOSE.sub(r"\\]", line)
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


@lru_cache(maxsize=4096)
def similar_need(size: int, length: int) -> int | None:
    """Shared words a set of `size` words needs with one of `length` words to be `similar`
    (None when the lengths alone rule it out)."""
    if not SIMILAR * size - 1e-9 <= length <= size / SIMILAR + 1e-9:
        return None
    # shared >= SIMILAR * (size + length - shared)  <=>  shared >= SIMILAR * (size + length) / (1 + SIMILAR)
    return max(MIN_SHARED, math.ceil(SIMILAR * (size + length) / (1 + SIMILAR) - 1e-9))


class SimilarSets:
    """Word sets added one by one, and for a probe the added sets sharing enough words with it.

    Python integers serve as bit sets: bit i stands for the set added at position i. Each word
    keeps the bits of the added sets holding it, each set size the bits of the added sets of
    that size. A probe adds up its words' bit sets in binary, one integer per binary digit
    (bit-sliced counting), which gives, for every added set at once, how many words it shares
    with the probe; a comparison on those digits keeps the sets that reach the count their
    size needs. That is a few dozen operations on integers of one bit per set, the same for
    word salad as for a hundred people describing the same alert, where comparing the probe
    with candidate sets one at a time grows with the square of the input.

    The answer is exact up to float rounding in the needed counts, which errs towards more
    candidates: callers confirm each candidate with their own test (`similar`).
    """

    def __init__(self) -> None:
        self._by_word: dict[str, int] = {}
        self._by_size: dict[int, int] = {}

    def add(self, position: int, words: frozenset[str]) -> None:
        """Make the set at `position` (positions added in increasing order) findable."""
        if len(words) < MIN_SHARED:
            return  # shares too few words with anything to count
        bit = 1 << position
        by_word = self._by_word
        for word in words:
            by_word[word] = by_word.get(word, 0) | bit
        self._by_size[len(words)] = self._by_size.get(len(words), 0) | bit

    def similar_to(self, words: frozenset[str]) -> int:
        """Bits of the added sets that may be `similar` to `words`."""
        return self.sharing(words, functools.partial(similar_need, len(words)))

    def sharing(self, words: frozenset[str], need: Callable[[int], int | None]) -> int:
        """Bits of the added sets sharing at least `need(their size)` words with `words`."""
        by_word = self._by_word
        digits = _binary_counts([by_word[word] for word in words if word in by_word])
        if not digits:
            return 0
        # Sizes needing the same count are answered by one comparison.
        sized_by_need: dict[int, int] = {}
        for length, sized in self._by_size.items():
            count = need(length)
            if count is not None:
                sized_by_need[count] = sized_by_need.get(count, 0) | sized
        found = 0
        for count, sized in sized_by_need.items():
            found |= sized & _at_least(digits, count)
        return found


def _binary_counts(bit_sets: list[int]) -> list[int]:
    """For each bit, how many of `bit_sets` have it, as binary digits: one integer per digit,
    least significant first (a ripple-carry adder run on all bits at once)."""
    digits: list[int] = []
    for carry in bit_sets:
        for place, digit in enumerate(digits):
            digits[place] = digit ^ carry
            carry &= digit
            if not carry:
                break
        else:
            if carry:
                digits.append(carry)
    return digits


def _at_least(digits: list[int], count: int) -> int:
    """Bits whose number in `digits` (see `_binary_counts`) is at least `count` (>= 1)."""
    if count.bit_length() > len(digits):
        return 0
    above = 0  # bits already known to be greater than `count`
    equal = -1  # bits equal to `count` in the digits compared so far
    for place in range(len(digits) - 1, -1, -1):
        digit = digits[place]
        if count >> place & 1:
            equal &= digit
        else:
            above |= equal & digit
            equal &= ~digit
    return above | equal


def set_bits(bits: int) -> Iterator[int]:
    """Positions of the set bits of `bits`, lowest first."""
    while bits:
        lowest = bits & -bits
        yield lowest.bit_length() - 1
        bits ^= lowest
