"""Light grammar for the lint: who is the agent of a clause?

No parser and no model: a sentence is tokenised with one regular expression and the
subject of a trigger is found by walking backwards from it, the way a reader skims:

1. skip adverbs and auxiliaries ("the on-call *had probably not* checked");
2. take the noun phrase that ends there and classify its head word with the vocabulary in
   ``rules.toml`` (pronouns, person nouns such as "engineer", system nouns such as "alert");
3. if that phrase hangs off a preposition ("the alert *for the on-call*"), the real head is the
   phrase before the preposition; if it sits inside a relative clause ("the engineer *who
   restarted the service*"), the head is the antecedent of "who"/"that"/"which";
4. with nothing left ("Should have checked.", "Double-check the region") the subject is
   *implicit*: an elided "I" or an imperative addressed to a person;
5. after "and"/"but" the subject is elided, so the first noun of the sentence stands in.

Some words need their neighbours: "they" takes the kind of the first person or plural thing
before it in the sentence, else in the sentence before ("the alerts ... they failed to" is
about alerts); "operator" after a product or system word is software ("the Postgres
operator"); an unknown abstract noun ("the investigation") is never a person; a person noun
followed by a human verb ends the phrase ("ensure engineers check").

The same classifier reads the object after a trigger ("retrain *the model*" vs "retrain
*the engineer*"). Kinds: ``first``/``second``/``third`` (person), ``name`` (an unknown
capitalised word, probably a name), ``system``, ``unknown``, ``implicit`` and ``modifier``
(the trigger is an adjective inside a noun phrase, "a forgotten cron job").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

PERSON_KINDS = frozenset({"first", "second", "third"})

# Words, code placeholders (\x01, see markdown.py) and the punctuation that ends a clause.
# Letters of any script: "Zoë" and "Müller" are one word each.
_TOKEN = re.compile(r"(?:[^\W_]|\x01)(?:[\w'\x01-]|\.(?=[^\W_]))*|[,;:()\"?!]|[\u2013\u2014]")
_CONTRACTION = re.compile(r"'(?:d|ve|ll|m|re)$")
_CLAUSE_PUNCT = frozenset({";", ":", "(", ")", "\"", "?", "!", "\u2013", "\u2014"})
_COORDINATORS = frozenset({"and", "but", "or", "then", "so", "yet", "nor"})
_RELATIVES = frozenset({"who", "that", "which", "whom"})
_VERB_NEGATORS = frozenset({"not", "never", "cannot"})
# "by being more careful", "through paying attention": a gerund with no subject of its own.
_GERUND_PREPOSITIONS = frozenset({"by", "through", "via"})
_GERUND = re.compile(r"[A-Za-z-]+ing\b")
# Conjunctions that open a clause with its own subject (never prepositions, so a noun phrase
# after them is a subject: "after the deploy" would not be).
_SUBORDINATORS = frozenset({"when", "whenever", "because", "while", "once", "although", "though", "whereas"})
_BE = frozenset({"be", "been", "being", "was", "were", "is", "are", "am", "get", "got", "gets"})
_CAUSATIVES = frozenset({
    "have", "ask", "require", "get", "tell", "instruct", "encourage", "expect", "ensure", "make",
    "remind", "train", "teach",
})
# Suffixes of abstract nouns (investigation, assessment, readiness, capacity, maintenance).
_ABSTRACT = re.compile(r"..(?:tion|sion|ment|ness|ity|ance|ence|sis|ism)s?$")
_PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs", "themselves"})
_MODALS = frozenset({
    "should", "must", "will", "shall", "need", "needs", "ought", "have", "has", "going", "to",
    "gotta", "would", "won't", "shouldn't", "mustn't",
})


@dataclass(frozen=True, slots=True)
class Token:
    """One word or punctuation mark of a sentence, with its offset in the sentence."""

    text: str
    start: int
    lower: str
    possessive: bool


@dataclass(frozen=True, slots=True)
class Agent:
    """Who or what a clause is about, as far as the heuristics can tell."""

    kind: str
    text: str = ""
    passive: bool = False
    modal: bool = False  # a modal or "to" stood between subject and verb ("must", "need to")
    # "they" with nothing in its own sentence to refer to; the caller may look further back.
    unresolved: bool = False


def tokenize(text: str) -> list[Token]:
    """Split *text* into tokens; possessive "'s" and contractions are folded into the word."""
    tokens = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        lower = word.lower()
        possessive = False
        if lower.endswith("'s") and len(lower) > 2:
            lower = lower[:-2]
            possessive = True
        elif lower.endswith("s'"):
            lower = lower[:-1]
            possessive = True
        elif "'" in lower and not lower.endswith("n't"):
            lower = _CONTRACTION.sub("", lower)
        tokens.append(Token(word, match.start(), lower, possessive))
    return tokens


@lru_cache(maxsize=256)
def _sentence_tokens(sentence: str) -> tuple[tuple[Token, ...], tuple[int, ...]]:
    # A sentence is analysed once however many triggers it holds.
    tokens = tuple(tokenize(sentence))
    return tokens, tuple(t.start for t in tokens)


def tokens_between(sentence: str, start: int, end: int | None = None) -> tuple[Token, ...]:
    """Tokens of *sentence* starting inside [start, end), offsets relative to the sentence.

    A token that runs past *end* is kept whole: "Sam's" for a subject captured as "Sam".
    """
    tokens, starts = _sentence_tokens(sentence)
    first = bisect_left(starts, start)
    last = len(tokens) if end is None else bisect_left(starts, end)
    return tokens[first:last]


class Grammar:
    """Word classes from the ``[vocabulary]`` table of rules.toml, and the agent finders."""

    def __init__(self, vocabulary: dict[str, Sequence[str]]) -> None:
        def words(key: str) -> frozenset[str]:
            return frozenset(w.lower() for w in vocabulary.get(key, ()))

        self.first = words("first_person")
        self.second = words("second_person")
        self.third = words("third_person")
        self.person_nouns = words("person_nouns")
        self.system_nouns = words("system_nouns")
        self.system_pronouns = words("system_pronouns")
        self.software_roles = words("software_roles")
        self.skip = words("skip")
        self.determiners = words("determiners")
        self.prepositions = words("prepositions")
        self.negators = words("negators")
        self.human_verbs = _inflect(words("human_verbs"))
        self.participles = words("irregular_participles")
        self.not_participles = words("not_participles")
        # Words that can never be a noun phrase head on their own.
        self.function_words = (
            self.skip | self.determiners | self.prepositions | _COORDINATORS | _RELATIVES
            | words("function_words")
        )

    # -- word level -------------------------------------------------------------------

    def classify(self, token: Token, person_spans: Sequence[tuple[int, int]] = ()) -> str | None:
        """Return the kind of one word, or None for a function word."""
        for start, end in person_spans:
            if start <= token.start < end:
                return "third"
        word = token.lower
        if "\x01" in word:
            return "system"  # a code span: a command, file or flag
        if word in self.first:
            return "first"
        if word in self.second:
            return "second"
        if word in self.third:
            return "third"
        if word in self.system_pronouns:
            return "system"
        kind = self._noun_kind(word)
        if kind is None and "-" in word:
            kind = self._noun_kind(word.rsplit("-", 1)[1]) if word not in self.function_words else None
        if kind is not None:
            return kind
        if word in self.function_words or word in self.human_verbs:
            return None
        if token.text.islower() and (word.endswith("ed") or word.endswith("ing")):
            return None  # most likely a verb form, not a noun
        if token.text[:1].isupper() and not token.text.isupper() or token.possessive:
            if token.possessive or not _ABSTRACT.search(word):
                return "name"
        if _ABSTRACT.search(word):
            # "the investigation did not look for ...": an abstract noun is never a person.
            return "system"
        return "unknown"

    def _noun_kind(self, word: str) -> str | None:
        for form in _singulars(word):
            if form in self.person_nouns:
                return "third"
            if form in self.system_nouns:
                return "system"
        return None

    def is_software_role(self, head: Token, modifier: Token, modifier_kind: str) -> bool:
        """True for a role noun that names software after a product or system word:
        "the Postgres operator", "the cert-manager operator", "the `etcd` operator"."""
        if head.lower not in self.software_roles:
            return False
        if modifier_kind in ("system", "name"):
            return True
        # Hyphenated tool names ("cert-manager") unless the whole word is a person role.
        return "-" in modifier.lower and modifier.lower not in self.person_nouns

    def is_human_verb(self, word: str | None) -> bool:
        return bool(word) and word.lower() in self.human_verbs

    def is_participle(self, word: str | None) -> bool:
        if not word:
            return False
        word = word.lower()
        if word in self.not_participles:
            return False
        return word in self.participles or word.endswith("ed") or word.endswith("en")

    # -- phrase level -----------------------------------------------------------------

    def subject_before(
        self, sentence: str, pos: int, person_spans: Sequence[tuple[int, int]] = ()
    ) -> Agent:
        """Find the subject of the clause whose verb starts at *pos* in *sentence*."""
        tokens = tokens_between(sentence, 0, pos)
        i = len(tokens) - 1
        if i >= 0 and tokens[i].lower in _GERUND_PREPOSITIONS and _GERUND.match(sentence, pos):
            # A gerund's doer is the subject of an active clause ("the cache avoids this by
            # being aware of the TTL"); after a passive ("avoided by being more careful") it
            # is whoever the advice is for.
            main = self._main_subject(tokens[:i], person_spans, False)
            if main.kind == "implicit" or tokens[0].lower in self.human_verbs or any(
                t.lower in _BE and not t.lower.startswith("g") for t in tokens[:i]
            ):
                return Agent("implicit")  # passive or imperative ("Prevent this by ...")
            modal = any(t.lower in _MODALS or t.lower in ("can", "could") for t in tokens[:i])
            return Agent(main.kind, main.text, modal=modal)
        passive = modal = False
        while i >= 0 and (tokens[i].lower in self.skip or tokens[i].text == ","):
            if tokens[i].lower in _BE:
                passive = True
            if tokens[i].lower in _MODALS:
                modal = True
            i -= 1
        if i >= 0 and tokens[i].text.lower().endswith("'ll"):
            modal = True  # "we'll double-check"
        if tokens and tokens[0].lower in _CAUSATIVES and i > 0:
            modal = True  # "Have a second person review", "Ask engineers to check"
        agent = self._subject_at(tokens, i, sentence, pos, person_spans)
        return Agent(agent.kind, agent.text, passive, modal, agent.unresolved)

    def _subject_at(
        self,
        tokens: Sequence[Token],
        i: int,
        sentence: str,
        pos: int,
        person_spans: Sequence[tuple[int, int]],
    ) -> Agent:
        if i < 0:
            return Agent("implicit")
        token = tokens[i]
        if token.text in _CLAUSE_PUNCT:
            return Agent("implicit")
        if token.lower in _COORDINATORS:
            return self._main_subject(tokens[:i], person_spans, False)
        if token.lower in _RELATIVES:
            return self._antecedent(tokens, i, person_spans, False)
        if token.lower in self.first or token.lower in self.second or token.lower in self.third:
            # A pronoun is the whole phrase, even a possessive one: "his failure to".
            return self._pronoun(tokens, i, person_spans)
        if token.lower in self.determiners or token.lower in self.prepositions:
            return Agent("modifier", token.text)
        if sentence[pos - 1: pos] == "-":
            return Agent("modifier", token.text)
        return self._noun_phrase(tokens, i, person_spans)

    def main_subject(
        self, sentence: str, pos: int, person_spans: Sequence[tuple[int, int]] = ()
    ) -> Agent:
        """The first person or system noun of the clause before *pos* (its main subject).

        The clause starts after the last semicolon, colon, dash or bracket before *pos*, or
        after a subordinating conjunction: in "the outage began when Sam ran it against the
        wrong host" the trigger belongs to Sam's clause, not to the outage's.
        """
        tokens = tokens_between(sentence, 0, pos)
        start = 0
        subordinate = False
        for index, token in enumerate(tokens):
            if token.text in _CLAUSE_PUNCT or token.lower in _SUBORDINATORS:
                start = index + 1
                subordinate = token.lower in _SUBORDINATORS
            elif subordinate and token.text == ",":
                # "When the alert fired, Sam ran it ...": the main clause follows the comma.
                start = index + 1
                subordinate = False
        return self._main_subject(tokens[start:], person_spans, False)

    def first_agent(
        self, sentence: str, pos: int, person_spans: Sequence[tuple[int, int]] = ()
    ) -> Agent:
        """The subject of the clause starting at *pos*: its first person or system noun."""
        return self._main_subject(tokens_between(sentence, pos), person_spans, False)

    def object_after(
        self, sentence: str, pos: int, person_spans: Sequence[tuple[int, int]] = ()
    ) -> Agent:
        """Classify the noun phrase after *pos*: its head ("the release *engineer*"), or else
        the first person or system noun within the clause."""
        run: list[tuple[Token, str]] = []
        for token in tokens_between(sentence, pos)[:10]:
            if token.text in _CLAUSE_PUNCT or token.text == ",":
                break
            if not run and token.lower in self.determiners and not token.lower in self.third:
                continue
            if run and run[-1][1] in PERSON_KINDS and token.lower in self.human_verbs:
                break  # "ensure engineers check ...": the person is the phrase, "check" its verb
            if run and token.lower in self.system_pronouns:
                break  # "by the developer meant that ...": "that" starts a clause, not the phrase
            kind = self.classify(token, person_spans)
            if kind is None:
                break
            run.append((token, kind))
            if token.possessive or token.lower in self.first or token.lower in self.second or token.lower in self.third:
                break  # a pronoun is a whole phrase; in "Sam's access" the possessor counts
        for index in range(len(run) - 1, -1, -1):
            token, kind = run[index]
            if kind in PERSON_KINDS and index > 0 and self.is_software_role(token, *run[index - 1]):
                return Agent("system", token.text)
            if kind in PERSON_KINDS or kind in ("system", "name"):
                return Agent(kind, token.text)
        for count, token in enumerate(tokens_between(sentence, pos)):
            if token.text in _CLAUSE_PUNCT or token.text == "," or count > 8:
                break
            kind = self.classify(token, person_spans)
            if kind in PERSON_KINDS or kind in ("system", "name"):
                return Agent(kind, token.text)
        return Agent("unknown")

    def phrase_kind(
        self, sentence: str, start: int, end: int, person_spans: Sequence[tuple[int, int]] = ()
    ) -> Agent:
        """Classify the noun phrase occupying sentence[start:end] (a captured subject)."""
        tokens = tokens_between(sentence, start, end)
        if not tokens:
            return Agent("implicit")
        last = tokens[-1]
        if last.lower in self.first or last.lower in self.second or last.lower in self.third:
            before = tokens_between(sentence, 0, start)
            return self._pronoun((*before, *tokens), len(before) + len(tokens) - 1, person_spans)
        return self._noun_phrase(tokens, len(tokens) - 1, person_spans)

    def has_negator(self, sentence: str, pos: int, end: int | None = None, window: int = 4) -> bool:
        """True when a word just before *pos* (or inside pos..end) negates or distances it."""
        before = tokens_between(sentence, 0, pos)
        tokens = list(before[-window:])
        # A negated verb further back in the same clause still governs the trigger: "did not
        # attempt to find a single root cause". Only verb negation reaches that far
        # ("without a dry run was irresponsible" is not negated).
        for distance, token in enumerate(reversed(before[-window - 4 :])):
            if token.text in _CLAUSE_PUNCT or token.text == "," or token.lower in _COORDINATORS:
                break
            if distance >= window and (token.lower in _VERB_NEGATORS or token.lower.endswith("n't")):
                tokens.append(token)
        if end is not None:
            tokens += tokens_between(sentence, pos, end)
        return any(t.lower in self.negators or t.lower.endswith("n't") for t in tokens)

    def _noun_phrase(
        self, tokens: Sequence[Token], i: int, person_spans: Sequence[tuple[int, int]], hops: int = 0
    ) -> Agent:
        # Walk left over the words of the phrase; the rightmost classified word is the head,
        # except that a person possessive ("Sam's script") is remembered for proximal rules.
        kind = None
        head = tokens[i].text
        head_index = i
        start = i
        while start >= 0:
            token = tokens[start]
            if token.text in _CLAUSE_PUNCT or token.text == "," or token.lower in self.function_words:
                break
            word_kind = self.classify(token, person_spans)
            if word_kind is None:
                break  # a verb or function word ends the phrase
            if kind is None or (kind == "unknown" and word_kind != "unknown"):
                kind = word_kind
                head = token.text
                head_index = start
            elif start == head_index - 1 and self.is_software_role(tokens[head_index], token, word_kind):
                kind = "system"  # "the Postgres operator": software, not a person
            if token.possessive and start < i:
                break  # "Sam's script": the possessor is not the head
            start -= 1
        if kind is None:
            kind = "unknown"
        # "the alert for the on-call": the phrase before the preposition is the head.
        j = start
        while j >= 0 and tokens[j].lower in self.determiners:
            j -= 1
        if hops < 3 and j >= 1 and tokens[j].lower in self.prepositions:
            k = j - 1
            while k >= 0 and tokens[k].lower in self.determiners:
                k -= 1
            if k >= 0 and tokens[k].lower not in self.function_words and tokens[k].text not in _CLAUSE_PUNCT:
                outer = self._noun_phrase(tokens, k, person_spans, hops + 1)
                if outer.kind != "unknown":
                    return outer
        # "anyone reading the diff": the noun before a participle phrase is the head.
        if hops < 3 and j >= 1 and tokens[j].lower.endswith("ing") and tokens[j].text.islower():
            outer_kind = self.classify(tokens[j - 1], person_spans)
            if outer_kind is not None and outer_kind != "unknown":
                return Agent(outer_kind, tokens[j - 1].text)
        # "the engineer who restarted the service": jump to the antecedent of "who".
        for back in range(j, max(j - 4, -1), -1):
            if back < 0:
                break
            if tokens[back].lower in _RELATIVES and back < j:
                return self._antecedent(tokens, back, person_spans, False)
            if tokens[back].text in _CLAUSE_PUNCT:
                break
        return Agent(kind, head)

    def _antecedent(
        self, tokens: Sequence[Token], i: int, person_spans: Sequence[tuple[int, int]], passive: bool
    ) -> Agent:
        relative = tokens[i].lower
        k = i - 1
        while k >= 0 and tokens[k].text == ",":
            k -= 1
        if k < 0 or tokens[k].lower in self.function_words:
            # "that" as a complementiser or a sentence-initial "Who ...?"
            return Agent("third" if relative == "who" else "implicit", passive=passive)
        agent = self._noun_phrase(tokens, k, person_spans, hops=3)
        if agent.kind in ("unknown", "name") and relative == "who":
            return Agent("third", agent.text, passive)
        return Agent(agent.kind, agent.text, passive)

    def _main_subject(
        self, tokens: Sequence[Token], person_spans: Sequence[tuple[int, int]], passive: bool
    ) -> Agent:
        for index, token in enumerate(tokens):
            kind = self.classify(token, person_spans)
            if kind in PERSON_KINDS and token.lower in _PLURAL_PRONOUNS:
                agent = self._pronoun(tokens, index, person_spans)
                return Agent(agent.kind, agent.text, passive, unresolved=agent.unresolved)
            if kind in PERSON_KINDS or kind in ("system", "name"):
                if token.possessive or token.lower in self.system_pronouns or kind in PERSON_KINDS and token.lower not in self.person_nouns:
                    return Agent(kind, token.text, passive)
                # A compound's head is its last noun: "the release manager", "the deploy tool".
                end = index
                while end + 1 < len(tokens) and not tokens[end].possessive:
                    following = tokens[end + 1]
                    if following.text in _CLAUSE_PUNCT or following.text == "," or following.lower in self.function_words:
                        break
                    following_kind = self.classify(following, person_spans)
                    if following_kind not in PERSON_KINDS and following_kind != "system":
                        break
                    end += 1
                if end > index:
                    head = self._noun_phrase(tokens, end, person_spans, hops=3)
                    return Agent(head.kind, head.text, passive)
                return Agent(kind, token.text, passive)
        return Agent("implicit", passive=passive)

    def _pronoun(self, tokens: Sequence[Token], i: int, person_spans: Sequence[tuple[int, int]]) -> Agent:
        """The kind of the pronoun tokens[i]; "they" takes the kind of what it refers to."""
        token = tokens[i]
        kind = self.classify(token, person_spans) or "third"
        if token.lower not in _PLURAL_PRONOUNS or kind != "third":
            return Agent(kind, token.text)
        antecedent = self.plural_antecedent(tokens[:i], person_spans)
        if antecedent == "system":
            return Agent("system", token.text)
        return Agent("third", token.text, unresolved=antecedent is None)

    def plural_antecedent(
        self, tokens: Sequence[Token], person_spans: Sequence[tuple[int, int]] = ()
    ) -> str | None:
        """What "they" most likely refers to after *tokens*: "person", "system" or None.

        The first candidate wins, as the subject of the earlier clause usually carries on
        ("The alerts were noisy, and they failed to ..."). Candidates are people (a role or
        name, which singular "they" can stand for) and plural system nouns; "I", "we", "you",
        "he", "she" and singular things ("it", "the alert") cannot be "they".
        """
        for token in tokens:
            word = token.lower
            if word in self.first or word in self.second or word in self.system_pronouns:
                continue
            if word in _PLURAL_PRONOUNS:
                return None  # an earlier "they" with nothing before it: look further back
            if word in self.third:
                if word in ("someone", "somebody", "anyone", "anybody", "whoever"):
                    return "person"
                continue  # he, she, nobody, everyone ... do not become "they" later
            kind = self.classify(token, person_spans)
            if kind in PERSON_KINDS or kind == "name":
                return "person"
            if kind == "system" and self._is_plural_noun(word):
                return "system"
        return None

    def _is_plural_noun(self, word: str) -> bool:
        # "alerts", "retries", "pods" yes; "dns", "status", "redis" are singular words.
        if not word.endswith("s") or word.endswith("ss"):
            return False
        forms = list(_singulars(word))[1:]
        if any(form in self.system_nouns for form in forms):
            return True
        return word not in self.system_nouns


def _singulars(word: str) -> Iterable[str]:
    yield word
    if word.endswith("ies") and len(word) > 4:
        yield word[:-3] + "y"
    if word.endswith("es") and len(word) > 3:
        yield word[:-2]
    if word.endswith("s") and len(word) > 2:
        yield word[:-1]


def _inflect(bases: Iterable[str]) -> frozenset[str]:
    """Regular inflections of base verbs (check -> checks, checked, checking)."""
    forms = set()
    for base in bases:
        forms.add(base)
        if " " in base:
            continue
        if base.endswith("e"):
            forms.update({base + "s", base + "d", base[:-1] + "ing"})
        elif base.endswith("y") and base[-2:-1] not in "aeiou":
            forms.update({base[:-1] + "ies", base[:-1] + "ied", base + "ing"})
        else:
            forms.update({base + "s", base + "ed", base + "ing"})
            if _DOUBLES.search(base):
                # spot -> spotted, stop -> stopped, plan -> planned
                forms.update({base + base[-1] + "ed", base + base[-1] + "ing"})
    return frozenset(forms)


# Consonant-vowel-consonant endings that double before -ed/-ing in short verbs.
_DOUBLES = re.compile(r"(?:^|[^aeiou])[aeiou][bdgklmnprt]$")
