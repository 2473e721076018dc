"""The lint engine: text in, findings out, no I/O.

How a finding is made:

1. `markdown.prepare` masks code, comments and markup without moving any character, and
   cuts the prose into sentences (at most 800 characters each).
2. Each rule lists *anchors*, substrings every match must contain. The sentences holding an
   anchor are found from an index of each sentence's words, and only those sentences are
   searched with the rule's precompiled patterns (on a lowercased copy of the same length;
   a leading word boundary is checked here rather than in the regex, which is much faster).
3. The rule's conditions are checked in that sentence with `grammar.Grammar`: who the
   subject of the trigger is (a person, a system, an implicit "I"/imperative), what the object
   is, whether the verb is a human action, whether the phrase is negated ("not human error",
   "wasn't obvious"). This is what keeps "the health check failed to detect the fault" quiet
   while "the engineer failed to check the host" fires.
4. Opt-out markers, ``select`` and ``ignore`` filter the result; overlapping findings of the
   same category are merged and a finding wholly inside another is dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Iterator

from .grammar import PERSON_KINDS, Agent, tokenize
from .markdown import Prepared, prepare
from .rules import CATEGORIES, Rule, RuleSet, load_rules

# "human error is not ...": the trigger is being argued against, not asserted.
_AFTER_NEGATION = re.compile(
    r"\s+(?:is|was|are|were|isn't|wasn't|aren't|weren't)\s+(?:not\b|never\b|rarely\b|a\s+myth\b|"
    r"(?:only\s+)?(?:a\s+)?(?:symptom|starting\s+point|label)\b)|\s+(?:isn't|wasn't|aren't|weren't)\b"
)


_NEGATED_SUBJECTS = frozenset({"nobody", "noone", "no-one", "none", "neither"})

_CONDITION = re.compile(
    r"\b(?:if|unless|had)\s+(?:only\s+)?(?P<subject>(?:[\w'\x01-]+\s+){0,3}?[\w'\x01-]+?)"
    r"(?:\s+(?:had|hadn't|were|was|weren't|wasn't|did|didn't|been|not\s+been)\b|'d\b)",
    re.IGNORECASE,
)


_SPACES = str.maketrans({"\n": " ", "\t": " ", "\r": " "})


def lower_same_length(text: str) -> str:
    """Lowercase *text* (any script) without changing its length, so offsets stay shared.

    str.lower() turns a few letters into two characters ("İ" -> "i̇"); those letters keep
    only the first character of their lowercase form.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(char.lower()[0] if char.lower() else char for char in text)


_MISSING_CONDITION = re.compile(
    r"\b(?:if|unless|had)\s+(?:only\s+)?(?:[\w'-]+\s+){0,3}?(?:had|'d|hadn't)\s+(?:had|a|an|any|more|better|enough|access|been\s+(?:given|provided|shown|told|paged|alerted|warned|notified|offered|sent|trained|informed|asked|included|woken))\b"
    r"|\bhad\s+(?:there|we|they|i|you)\s+(?:had|been\s+(?:given|provided|shown|told|paged|alerted|warned|notified))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of blame language: where it is, what kind, and a way to reframe it."""

    rule_id: str
    category: str
    line: int
    column: int
    length: int
    offset: int
    excerpt: str
    message: str
    suggestion: str


def check_categories(names: Iterable[str] | None) -> frozenset[str] | None:
    """Validate category ids; raises ValueError naming the first unknown one."""
    if names is None:
        return None
    if isinstance(names, str):
        names = names.split(",")
    chosen = set()
    for name in names:
        name = name.strip().lower()
        if not name:
            continue
        if name not in CATEGORIES:
            raise ValueError(f"unknown category {name!r}; choose from {', '.join(CATEGORIES)}")
        chosen.add(name)
    return frozenset(chosen)


def lint_text(
    text: str,
    *,
    names: Iterable[str] = (),
    roles: Iterable[str] = (),
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
) -> list[Finding]:
    """Find blame language in *text* (Markdown or plain), ordered by position.

    *names* and *roles* mark words as people ("Priya", "on-call SRE"); *select* keeps only
    the listed categories and *ignore* drops them (ValueError for an unknown category).
    """
    selected = check_categories(select)
    ignored = check_categories(ignore) or frozenset()
    categories = [c for c in CATEGORIES if (selected is None or c in selected) and c not in ignored]
    if not text or not categories:
        return []
    ruleset = load_rules()
    prepared = prepare(text)
    people = _people_pattern(tuple(names), tuple(roles))
    has_names = people is not None
    person_spans_cache: dict[int, list[tuple[int, int]]] = {}

    found: list[Finding] = []
    masked = prepared.masked
    # Patterns match a lowercased copy (same length, so offsets are shared), and only in
    # sentences holding one of the rule's anchors, found with str.find.
    lowered = lower_same_length(masked)
    anchors = _AnchorIndex(" " + lowered.translate(_SPACES), prepared)
    for rule in ruleset.rules:
        if rule.category not in categories:
            continue
        for index in anchors.candidates(rule):
            start, end, _item = prepared.sentences[index]
            for pattern, boundary in zip(rule.patterns, rule.boundaries):
                for match in _matches(pattern, boundary, lowered, start, end):
                    spans = person_spans_cache.get(index)
                    if spans is None:
                        spans = _person_spans(people, masked[start:end])
                        person_spans_cache[index] = spans
                    if not _accepted(
                        rule, ruleset, masked[start:end], match, start, spans, has_names,
                        lambda index=index: _previous_sentence(prepared, index),
                    ):
                        continue
                    found.append(_finding(rule, text, prepared, match))
    return _tidy(found, prepared)


def _anchor_parts(anchor: str) -> list[str]:
    """Split an anchor into words; a leading space stays, marking a word start."""
    parts = anchor.split()
    if anchor.startswith(" ") and parts:
        parts[0] = " " + parts[0]
    return parts


class _AnchorIndex:
    """Which sentences hold which anchors, computed once per anchor and shared between rules.

    *spaced* is the lowercased masked text with whitespace folded to spaces and one extra
    leading space (so " read" also finds a word at the very start). Each sentence's distinct
    words are indexed once; an anchor is looked up in the small string of all distinct words
    rather than in the whole document, and multi-word anchors are confirmed per sentence.
    """

    def __init__(self, spaced: str, prepared: Prepared) -> None:
        self.spaced = spaced
        self.sentences = prepared.sentences
        # word -> sentences holding it (a sentence twice when it holds the word twice: the
        # lists are only ever read into sets).
        word_sentences: defaultdict[str, list[int]] = defaultdict(list)
        # Each sentence with the character before it, so " read" can match its first word.
        self.texts = [spaced[start : end + 1] for start, end, _item in prepared.sentences]
        for index, text in enumerate(self.texts):
            for word in text.split():
                word_sentences[word].append(index)
        self.words = list(word_sentences)
        self.word_sentences = word_sentences
        # " w1 w2 w3 ": word i starts at self.starts[i]; a match at p belongs to the word
        # whose start is the last one <= p.
        self.vocabulary = " " + " ".join(self.words) + " "
        starts = []
        position = 1
        for word in self.words:
            starts.append(position)
            position += len(word) + 1
        self.starts = starts
        self.cache: dict[str, set[int]] = {}

    def candidates(self, rule: Rule) -> list[int]:
        if not rule.anchors:
            return list(range(len(self.sentences)))
        found: set[int] = set()
        for anchor in rule.anchors:
            found |= self._sentences_with(anchor)
        return sorted(found)

    def _sentences_with(self, anchor: str) -> set[int]:
        cached = self.cache.get(anchor)
        if cached is not None:
            return cached
        parts = _anchor_parts(anchor)
        found: set[int] = set()
        if parts and all(part in self.vocabulary for part in parts):
            # Sentences holding a word that contains the anchor's first part...
            first = parts[0]
            position = self.vocabulary.find(first)
            while position != -1:
                word = bisect_right(self.starts, position + (first[0] == " ")) - 1
                found.update(self.word_sentences[self.words[word]])
                # Continue after this word: one hit per distinct word is enough.
                position = self.vocabulary.find(first, self.starts[word] + len(self.words[word]))
            if len(parts) > 1:
                # ...confirmed by the whole anchor for multi-word anchors.
                texts = self.texts
                found = {i for i in found if anchor in texts[i]}
        self.cache[anchor] = found
        return found


def _matches(pattern: re.Pattern[str], boundary: bool, text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """Like pattern.finditer(text, start, end), with a word boundary required at each match
    start when *boundary* (the leading \\b taken off the pattern): a match starting inside a
    word is retried one character later, so the result is the same as with the \\b."""
    position = start
    while position < end:
        match = pattern.search(text, position, end)
        if match is None:
            return
        begin = match.start()
        if boundary and begin > 0 and _is_word(text[begin - 1]) and begin < match.end() and _is_word(text[begin]):
            position = begin + 1  # starts inside a word, where \b would not hold
            continue
        yield match
        position = match.end() if match.end() > begin else begin + 1


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _accepted(
    rule: Rule,
    ruleset: RuleSet,
    sentence: str,
    match: re.Match[str],
    base: int,
    spans: list[tuple[int, int]],
    has_names: bool,
    previous: Callable[[], str],
) -> bool:
    grammar = ruleset.grammar
    rel_start = match.start() - base
    rel_end = match.end() - base
    if rule.clause_start and not _at_clause_start(sentence[:rel_start]):
        return False
    if rule.negatable and (
        grammar.has_negator(sentence, rel_start, rel_end)
        # "human error is not ..." argues against the trigger; "clearly wasn't reading" does not.
        or not match.group().endswith("ly") and _AFTER_NEGATION.match(sentence, rel_end)
    ):
        return False
    groups = match.re.groupindex
    verb = match.group("verb") if "verb" in groups else None
    if rule.verb in ("participle", "human-participle") and not grammar.is_participle(verb):
        return False
    if rule.verb in ("human", "human-participle") and not grammar.is_human_verb(verb):
        return False
    if rule.subject != "any":
        if "subject" in groups and match.group("subject") is not None:
            agent = grammar.phrase_kind(
                sentence, match.start("subject") - base, match.end("subject") - base, spans
            )
        elif rule.main_subject:
            agent = grammar.main_subject(sentence, rel_start, spans)
        else:
            agent = grammar.subject_before(sentence, rel_start, spans)
        if agent.unresolved:
            # "They failed to ..." opening a sentence: what the sentence before was about.
            before = previous()
            if before and grammar.plural_antecedent(tokenize(before)) == "system":
                agent = Agent("system", agent.text, agent.passive, agent.modal)
        if rule.negated_subject_quiet and agent.text.lower() in _NEGATED_SUBJECTS:
            return False  # "nobody could have seen it" says it could not be seen
        if not _subject_ok(rule, agent, has_names, grammar.is_human_verb(verb)):
            return False
    if rule.system_condition_quiet and _system_condition(ruleset, sentence, spans):
        return False
    if rule.system_reason_quiet and _system_reason(ruleset, sentence, rel_end, spans):
        return False
    if rule.object is not None:
        at = match.start("object") - base if "object" in groups and match.group("object") else rel_end
        target = grammar.object_after(sentence, at, spans)
        kind = target.kind
        if kind == "name" and has_names:
            kind = "unknown"
        if rule.object == "person" and not (kind in PERSON_KINDS or kind == "name"):
            return False
        if rule.object == "not-system" and kind == "system":
            return False
    return True


def _subject_ok(rule: Rule, agent: Agent, has_names: bool, human_verb: bool) -> bool:
    kind = agent.kind
    if kind == "name" and has_names:
        # Participants were named, so an unknown capitalised word is probably a product.
        kind = "unknown"
    mode = rule.subject
    if mode == "not-system":
        return kind != "system"
    if mode == "not-active-system":
        # "the error rate clearly dropped" is about data; "it was clearly ignored" hides a person.
        return agent.passive or kind not in ("system", "modifier")
    if mode == "not-person":
        return kind not in PERSON_KINDS and kind != "name"
    if mode == "named":
        return kind in PERSON_KINDS or kind == "name"
    if mode == "imperative":
        # An action item: a bare imperative, or people/passive with "must", "should", "to".
        if kind == "implicit" and not agent.passive:
            return True
        if kind in ("system", "modifier") and not agent.passive:
            return False
        return agent.modal
    if kind in PERSON_KINDS:
        if mode == "third" and kind != "third":
            return False
        if kind == "first" and rule.first_person_verb == "human" and not human_verb:
            return False  # "we failed to meet the target" reports impact, not blame
        return rule.persons is None or kind in rule.persons
    if kind in ("system", "modifier"):
        return False
    if kind == "implicit":
        return rule.implicit and mode == "person"
    if kind == "name" and mode == "third":
        return True  # a guessed name is a third person
    # An unknown or guessed-name subject counts when the trigger or its verb is human.
    return rule.strong or human_verb


def _previous_sentence(prepared: Prepared, index: int) -> str:
    """The sentence before sentence *index* when both are in one paragraph, else ""."""
    if index <= 0:
        return ""
    start, end, _item = prepared.sentences[index - 1]
    if "\n\n" in prepared.masked[end : prepared.sentences[index][0]].replace(" ", ""):
        return ""
    return prepared.masked[start:end]


def _system_condition(ruleset: RuleSet, sentence: str, spans: list[tuple[int, int]]) -> bool:
    """True for "... if the alert had fired": the counterfactual is about a system.

    Also when the condition is something the person lacked or was not given ("if we had had
    a canary", "if the engineer had been given the dashboard"), whoever its subject is.
    """
    if _MISSING_CONDITION.search(sentence):
        return True
    for match in _CONDITION.finditer(sentence):
        agent = ruleset.grammar.phrase_kind(sentence, *match.span("subject"), spans)
        if agent.kind == "system":
            return True
    return False


_REASON = re.compile(r"\b(?:because|since)\s+", re.IGNORECASE)


def _system_reason(ruleset: RuleSet, sentence: str, after: int, spans: list[tuple[int, int]]) -> bool:
    """True for "... was not followed because it was not linked from the alert": a passive
    with its person left out, explained by something that is not a person."""
    match = _REASON.search(sentence, after)
    if match is None:
        return False
    agent = ruleset.grammar.first_agent(sentence, match.end(), spans)
    return agent.kind not in PERSON_KINDS and agent.kind not in ("name", "implicit")


def _at_clause_start(before: str) -> bool:
    stripped = before.rstrip()
    if not stripped:
        return True
    if stripped[-1] in ",;:(-\u2013\u2014\"":
        return True
    last = stripped.rsplit(None, 1)[-1].lower()
    return last in ("and", "but", "so", "then", "also")


_WORD_TOKEN = re.compile(r"\w+")


class _People:
    """Finds the known names and roles in a sentence.

    One pattern of every name would try each name at each word (hundreds of participants
    make that the lint's slowest step). But a name can only match where its first word
    starts a word of the sentence (the pattern allows no word character or hyphen before
    it), so names are filed by their first word, and at each word of the sentence only the
    names filed under it are tried, longest first, continuing after a match: exactly what
    one pattern of all names finds.
    """

    def __init__(self, words: set[str]) -> None:
        by_first: dict[str, list[str]] = {}
        self._always: list[str] = []  # names not starting with a word character (rare)
        for word in words:
            first = _WORD_TOKEN.match(word)
            if first is None:
                self._always.append(word)
            else:
                by_first.setdefault(_fold(first.group()), []).append(word)
        self._by_first = {first: tuple(sorted(names)) for first, names in by_first.items()}

    def spans(self, sentence: str) -> list[tuple[int, int]]:
        if self._always:
            return [m.span() for m in _names_pattern(tuple(self._always) + sum(self._by_first.values(), ())).finditer(sentence)]
        if sentence.isascii():
            # Lowercasing ASCII keeps every offset, so words are read from the lowered copy.
            lowered = sentence.lower()
            if self._by_first.keys().isdisjoint(_WORD_TOKEN.findall(lowered)):
                return []
            words = ((word.start(), word.group()) for word in _WORD_TOKEN.finditer(lowered))
        else:
            words = ((word.start(), _fold(word.group())) for word in _WORD_TOKEN.finditer(sentence))
        found: list[tuple[int, int]] = []
        end = 0
        for start, key in words:
            if start < end:
                continue
            names = self._by_first.get(key)
            if names is None:
                continue
            match = _names_pattern(names).match(sentence, start)
            if match is not None:
                found.append(match.span())
                end = match.end()
        return found


def _fold(word: str) -> str:
    """`word` in a form that is equal for two words wherever the names pattern, which ignores
    case, would match one with the other (casefold, plus Turkish dotted and dotless i)."""
    return word.casefold().replace("\u0307", "").replace("ı", "i")


@lru_cache(maxsize=4096)
def _names_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    # Longest first, so "on-call SRE" wins over "on-call".
    alternation = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=64)
def _people_pattern(names: tuple[str, ...], roles: tuple[str, ...]) -> _People | None:
    words = set()
    for name in names:
        name = name.strip()
        if not name:
            continue
        words.add(name)
        # "Priya Shah" is often just "Priya" in a story.
        for part in name.split():
            if len(part) > 1:
                words.add(part)
    for role in roles:
        if role.strip():
            words.add(role.strip())
    return _People(words) if words else None


def _person_spans(people: _People | None, sentence: str) -> list[tuple[int, int]]:
    return people.spans(sentence) if people is not None else []


def _finding(rule: Rule, text: str, prepared: Prepared, match: re.Match[str]) -> Finding:
    if "hit" in match.re.groupindex and match.group("hit") is not None:
        start, end = match.span("hit")
    else:
        start, end = match.span()
    # Never report trailing space a pattern swallowed.
    while end > start and text[end - 1].isspace():
        end -= 1
    line, column = prepared.position(start)
    return Finding(
        rule_id=rule.id,
        category=rule.category,
        line=line,
        column=column,
        length=end - start,
        offset=start,
        excerpt=text[start:end],
        message=rule.message,
        suggestion=rule.suggestion,
    )


def _tidy(found: list[Finding], prepared: Prepared) -> list[Finding]:
    order = {c: i for i, c in enumerate(CATEGORIES)}
    found.sort(key=lambda f: (f.offset, -f.length, order[f.category]))
    kept: list[Finding] = []
    last_end: dict[str, int] = {}
    outer_end = -1  # end of the longest span seen so far (findings are sorted by start)
    for finding in found:
        skip = prepared.ignored.get(finding.line, frozenset())
        if skip is None or finding.category in skip:
            continue
        end = finding.offset + finding.length
        if finding.offset < last_end.get(finding.category, -1):
            continue  # same category, overlapping: one finding is enough
        if end <= outer_end:
            continue  # wholly inside another finding ("ignored" in "simply ignored")
        last_end[finding.category] = end
        outer_end = max(outer_end, end)
        kept.append(finding)
    return kept
