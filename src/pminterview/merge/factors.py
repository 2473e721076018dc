"""Contributing factors and draft actions: gathered across accounts, near-duplicates merged.

Both are clustered the same way: each item (a safeguard, a surprising sentence, a suggestion)
joins the first cluster holding a similar item (token-set Jaccard, see `merge.text`), else
starts one. Clusters are never collapsed into a single "root cause": each factor stays its own
line, with the roles that raised it.

Ids are derived from content (a hash of the first item's content words), and every factor and
action records the content keys of all items merged into it (`sources`). A later merge looks
up the previous postmortem by those keys, so an edited factor or an action with an owner is
found again even when new accounts joined it or the facilitator rewrote its title.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from pminterview.lint.rules import load_rules
from pminterview.merge.text import (
    capitalise,
    content_key,
    content_words,
    first_sentence,
    lower_first,
    role_phrase,
    shorten,
    SimilarSets,
    similar,
    similar_need,
    strip_end,
)
from pminterview.model import (
    Action,
    ActionStatus,
    ActionType,
    ContributingFactor,
    FactorKind,
    Priority,
)

#: Order in which kinds are listed, and which kind names a merged factor.
KIND_ORDER = (
    FactorKind.MISSING_SAFEGUARD,
    FactorKind.FAILED_SAFEGUARD,
    FactorKind.SAFEGUARD_IN_THE_WAY,
    FactorKind.SURPRISE,
    FactorKind.CONFUSION,
    FactorKind.OTHER,
)
KIND_LABEL = {
    FactorKind.MISSING_SAFEGUARD: "missing safeguard",
    FactorKind.FAILED_SAFEGUARD: "failed safeguard",
    FactorKind.SAFEGUARD_IN_THE_WAY: "safeguard in the way",
    FactorKind.SURPRISE: "surprise",
    FactorKind.CONFUSION: "confusing tool or signal",
    FactorKind.OTHER: "added by the facilitator",
}


@dataclass
class Item:
    """One piece of account material that may become (part of) a factor or an action."""

    role: str
    text: str
    kind: str
    """A FactorKind for factor items; "suggestion", or the safeguard's FactorKind, for actions."""
    order: int
    words: frozenset[str] = field(init=False)
    key: str = field(init=False)
    flagged: str = ""
    """For suggestions: the lint's reframing hint when it reads as vigilance or person-directed."""

    def __post_init__(self) -> None:
        self.words = content_words(self.text)
        self.key = content_key(self.text, self.words)


@dataclass
class Cluster:
    items: list[Item]

    @property
    def seed(self) -> Item:
        return self.items[0]

    @property
    def keys(self) -> list[str]:
        return sorted({item.key for item in self.items})

    def roles(self, role_order: dict[str, int]) -> list[str]:
        return sorted({item.role for item in self.items}, key=lambda r: role_order.get(r, len(role_order)))


def cluster(items: list[Item], *, separate=lambda item: "") -> list[Cluster]:
    """Group similar items; `separate(item)` keeps items with different values apart.

    An item joins the earliest cluster that holds an item similar to it, else starts one.
    Earlier items that may be similar come from `merge.text.SimilarSets` as bits; once one is
    confirmed, the rest of its cluster is dropped from the search, so many alike items
    (everyone mentions the same alert) cost one comparison per cluster, not one per item.
    """
    index = SimilarSets()
    clusters: list[Cluster] = []
    members: list[int] = []  # per cluster, the positions of its items as bits
    home_of: list[int] = []  # per item, its cluster
    marked: dict[object, int] = {}  # per `separate` value, the positions holding it as bits
    for position, item in enumerate(items):
        mark = separate(item)
        candidates = index.similar_to(item.words) & marked.get(mark, 0)
        home = None
        while candidates:
            lowest = candidates & -candidates
            other = lowest.bit_length() - 1
            if similar(item.words, items[other].words):
                found = home_of[other]
                home = found if home is None else min(home, found)
                candidates &= ~members[found]
            else:
                candidates ^= lowest
        if home is None:
            home = len(clusters)
            clusters.append(Cluster([]))
            members.append(0)
        clusters[home].items.append(item)
        home_of.append(home)
        bit = 1 << position
        members[home] |= bit
        marked[mark] = marked.get(mark, 0) | bit
        index.add(position, item.words)
    return clusters


def _title(text: str) -> str:
    return shorten(capitalise(strip_end(first_sentence(text) or text)), 160)


def _unique_id(prefix: str, key: str, taken: set[str]) -> str:
    candidate = f"{prefix}-{key[:8]}"
    number = 2
    while candidate in taken:
        candidate = f"{prefix}-{key[:8]}-{number}"
        number += 1
    taken.add(candidate)
    return candidate


# --- contributing factors ---------------------------------------------------------------------


def build_factors(
    items: list[Item], previous: list[ContributingFactor], role_order: dict[str, int]
) -> tuple[list[ContributingFactor], dict[str, str]]:
    """Factors from account items, the facilitator's edits kept; also key -> factor id."""
    clusters = cluster(items)
    clusters.sort(key=lambda c: (min(KIND_ORDER.index(FactorKind(i.kind)) for i in c.items), -len({i.role for i in c.items}), c.seed.order))
    by_key = _previous_by_key(previous)
    used_previous: set[int] = set()
    taken: set[str] = set()
    factors: list[ContributingFactor] = []
    seeds: list[str] = []
    factor_of_key: dict[str, str] = {}
    for group in clusters:
        kind = min((FactorKind(i.kind) for i in group.items), key=KIND_ORDER.index)
        earlier = _match(group.keys, by_key, used_previous)
        factor = ContributingFactor(
            id="",
            title=_title(group.seed.text),
            description=_factor_description(group, role_order),
            kind=kind,
            raised_by=group.roles(role_order),
            sources=group.keys,
        )
        if earlier is not None:
            old = previous[earlier]
            factor.id = old.id
            taken.add(old.id)
            factor.sources = sorted(set(old.sources) | set(group.keys))
            if old.edited:
                factor.title, factor.description, factor.kind, factor.edited = old.title, old.description, old.kind, True
        factors.append(factor)
        seeds.append(group.seed.key)
    # New ids only after every kept previous id is reserved, so a new factor never takes one.
    kept = _kept_previous(previous, used_previous, taken)
    for factor, seed in zip(factors, seeds):
        if not factor.id:
            factor.id = _unique_id("cf", seed, taken)
        for key in factor.sources:
            factor_of_key.setdefault(key, factor.id)
    return factors + kept, factor_of_key


def _distinct_items(group: Cluster, role_order: dict[str, int]) -> Iterator[tuple[Item, str]]:
    """A group's items in role order with their whitespace-folded text, each text once."""
    seen: set[str] = set()
    for item in sorted(group.items, key=lambda i: (role_order.get(i.role, 0), i.order)):
        text = " ".join(item.text.split())
        if text.lower() not in seen:
            seen.add(text.lower())
            yield item, text


def _factor_description(group: Cluster, role_order: dict[str, int]) -> str:
    lines: list[str] = []
    for item, text in _distinct_items(group, role_order):
        lines.append(f"{capitalise(role_phrase(item.role))} ({KIND_LABEL[FactorKind(item.kind)]}): {text}")
    return "\n".join(lines)


def _previous_by_key(previous: list) -> dict[str, int]:
    by_key: dict[str, int] = {}
    for position, thing in enumerate(previous):
        for key in thing.sources:
            by_key.setdefault(key, position)
    return by_key


def _match(keys: list[str], by_key: dict[str, int], used: set[int]) -> int | None:
    for key in keys:
        position = by_key.get(key)
        if position is not None and position not in used:
            used.add(position)
            return position
    return None


def _kept_previous(previous: list, used: set[int], taken: set[str]) -> list:
    """The facilitator's own items and edited ones whose material is gone: never thrown away."""
    kept = []
    for position, thing in enumerate(previous):
        if position in used:
            continue
        if thing.edited or not thing.sources or _has_facilitator_fields(thing):
            if thing.id in taken:
                thing = thing.model_copy(update={"id": _unique_id(thing.id.split("-")[0], thing.id.split("-", 1)[-1], taken)})
            else:
                taken.add(thing.id)
            kept.append(thing)
    return kept


def _has_facilitator_fields(thing) -> bool:
    if not isinstance(thing, Action):
        return False
    return bool(thing.owner or thing.due or thing.tracker or thing.status != ActionStatus.OPEN)


# --- draft actions ----------------------------------------------------------------------------

_FILLERS = re.compile(
    r"^(?:(?:i think|i guess|honestly|maybe|perhaps|please|ideally|also|and|so|then|"
    r"we (?:should|must|could|need to|ought to)|(?:it )?would (?:help|be good|be nice) to|"
    r"it'?d (?:help|be good|be nice) to|i'?d (?:like|want) (?:us )?to|i would (?:like|want) (?:us )?to|"
    r"let'?s|could we|can we|someone should|to)\b[\s,:]*)+",
    re.IGNORECASE,
)
_NO_THING = re.compile(r"^(?:there (?:was|is|were|are) no|we (?:had|have) no|no|missing|lack of|without)\s+(?P<rest>.+)$", re.IGNORECASE)
_MODAL = re.compile(r"^(?P<subject>.+?)\s+(?:should|must|needs? to|ought to|has to|have to)\s+(?P<verb>\w+)(?P<rest>.*)$", re.IGNORECASE)
_PEOPLE = re.compile(r"^(?:i|we|you|they|he|she|someone|everyone|everybody|people|engineers|the team|whoever)\b", re.IGNORECASE)
_DETERMINERS = frozenset("a an the some more better clearer automatic automated one any".split())
VERBS = frozenset(
    """
    add adopt alert allow archive audit automate block build bump cap change check clarify clean
    configure create cut decouple define delete deploy detect disable document drop enable enforce
    ensure escalate expand expose extend fix flag gate give group harden hide improve include
    introduce investigate isolate keep label limit link list lock log lower make measure merge
    migrate monitor move notify page pin prevent protect publish rate-limit record reduce refuse
    reject remove rename replace report require restrict retry review revert roll route run
    schedule separate set share show shorten simplify split stage standardise standardize stop
    surface switch tag teach test throttle track trigger turn update upgrade use validate verify
    warn write be retrain remind train let grant give send post announce provide offer connect
    integrate wire tie hook automate rehearse practise practice drill exercise plan hold ask
    pause cancel delay batch cache retire version
    """.split()
)


def action_title(item: Item) -> str:
    """A verb-first title drafted from a suggestion or a missing/failed safeguard."""
    text = strip_end(first_sentence(item.text) or item.text)
    text = _FILLERS.sub("", text).strip() or text
    if item.flagged:
        return shorten(capitalise(text), 160)  # kept as written, marked for a rewrite
    if item.kind == FactorKind.FAILED_SAFEGUARD:
        return shorten(f"Fix the safeguard that failed: {lower_first(text)}", 160)
    if item.kind == FactorKind.MISSING_SAFEGUARD:
        match = _NO_THING.match(text)
        if match:
            return shorten(f"Add {lower_first(match['rest'])}", 160)
        if text.lower().startswith("nothing "):
            return shorten(f"Add a safeguard where {lower_first(text)}", 160)
        return shorten(f"Add {lower_first(text)}" if _first_word(text) in _DETERMINERS else f"Add a safeguard: {lower_first(text)}", 160)
    first = _first_word(text)
    if first in VERBS:
        return shorten(capitalise(text), 160)
    match = _MODAL.match(text)
    if match and not _PEOPLE.match(match["subject"]):
        verb = match["verb"].lower()
        if verb == "be":
            return shorten(f"Ensure {lower_first(match['subject'])} is{match['rest']}", 160)
        return shorten(f"Make {lower_first(match['subject'])} {verb}{match['rest']}", 160)
    match = _NO_THING.match(text)
    if match:
        return shorten(f"Add {lower_first(match['rest'])}", 160)
    return shorten(f"Add {lower_first(text)}", 160)


def _first_word(text: str) -> str:
    words = text.split(maxsplit=1)
    return words[0].lower().strip(",.:;") if words else ""


_TYPE_WORDS = {
    ActionType.DETECT: ("alert", "alarm", "monitor", "dashboard", "paging", "notify", "detect", "metric", "graph", "observ", "visib", "warn", "log"),
    ActionType.MITIGATE: ("rollback", "roll back", "revert", "failover", "fail over", "runbook", "restore", "recover", "mitigat", "kill switch", "feature flag", "fallback", "circuit"),
    ActionType.PROCESS: ("process", "review", "checklist", "document", "handover", "hand-over", "rotation", "escalat", "communicat", "status page", "policy", "training", "meeting", "on-call"),
}


def action_type(text: str) -> ActionType:
    """The kind of change, from its words; the facilitator corrects it when it guessed wrong."""
    lowered = text.lower()
    best, best_score = ActionType.PREVENT, 0
    for kind, words in _TYPE_WORDS.items():
        score = sum(1 for word in words if word in lowered)
        if score > best_score:
            best, best_score = kind, score
    return best


def build_actions(
    items: list[Item],
    factors: list[ContributingFactor],
    factor_of_key: dict[str, str],
    factor_items: list[Item],
    previous: list[Action],
    role_order: dict[str, int],
    today: dt.date | None,
) -> list[Action]:
    """Draft actions, duplicates merged, the facilitator's fields and edits kept."""
    # A vigilance suggestion never merges into a systemic one: it would hide inside it.
    clusters = cluster(items, separate=lambda item: bool(item.flagged))
    by_key = _previous_by_key(previous)
    used_previous: set[int] = set()
    taken: set[str] = set()
    actions: list[Action] = []
    seeds: list[str] = []
    topics = _FactorIndex(factor_items, factor_of_key)
    factor_order = {f.id: i for i, f in enumerate(factors)}
    for group in clusters:
        # Suggestions are phrased as changes already, so they name the action when present.
        lead = next((i for i in group.items if i.kind == "suggestion"), group.seed)
        flagged = next((i.flagged for i in group.items if i.flagged), "")
        roles = group.roles(role_order)
        addressed = _addressed_factors(group, factor_of_key, topics, factor_order)
        action = Action(
            id="",
            title=action_title(lead),
            description=_action_description(group, role_order),
            priority=Priority.HIGH if len(roles) >= 2 or any(i.kind == FactorKind.FAILED_SAFEGUARD for i in group.items) else Priority.MEDIUM,
            type=action_type(" ".join(i.text for i in group.items)),
            created=today,
            factors=addressed,
            raised_by=roles,
            sources=group.keys,
            needs_rewrite=bool(flagged),
            rewrite_hint=flagged,
        )
        earlier = _match(group.keys, by_key, used_previous)
        if earlier is not None:
            action = _keep_facilitator_fields(action, previous[earlier], today, {f.id for f in factors})
            taken.add(action.id)
        actions.append(action)
        seeds.append(group.seed.key)
    kept = _kept_previous(previous, used_previous, taken)
    for action, seed in zip(actions, seeds):
        if not action.id:
            action.id = _unique_id("a", seed, taken)
    # High priority first; otherwise in the order the material appeared (a stable sort).
    rank = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}
    actions.sort(key=lambda a: rank[a.priority])
    actions.extend(kept)
    for action in actions:
        if action.status == ActionStatus.DONE and action.completed is None and today is not None:
            action.completed = today
    return actions


def _keep_facilitator_fields(fresh: Action, old: Action, today: dt.date | None, factor_ids: set[str]) -> Action:
    kept = old.model_copy(deep=True)
    kept.raised_by = fresh.raised_by
    kept.sources = sorted(set(old.sources) | set(fresh.sources))
    if kept.created is None:
        kept.created = today
    if not old.edited:
        kept.title = fresh.title
        kept.description = fresh.description
        kept.factors = fresh.factors
        kept.needs_rewrite = fresh.needs_rewrite
        kept.rewrite_hint = fresh.rewrite_hint
    else:
        kept.factors = [f for f in old.factors if f in factor_ids] or fresh.factors
    return kept


class _FactorIndex:
    """Factor items as `SimilarSets`, for finding the factors a suggestion talks about."""

    def __init__(self, items: list[Item], factor_of_key: dict[str, str]) -> None:
        self.items = items
        self.factor_at = [factor_of_key.get(item.key) or "" for item in items]
        self.index = SimilarSets()
        self.members: dict[str, int] = {}  # per factor, the positions of its items as bits
        for position, item in enumerate(items):
            self.index.add(position, item.words)
            factor_id = self.factor_at[position]
            if factor_id:
                self.members[factor_id] = self.members.get(factor_id, 0) | 1 << position
        self.with_factor = 0
        for bits in self.members.values():
            self.with_factor |= bits

    def about(self, words: frozenset[str]) -> list[str]:
        """Factors with an item `similar` to `words` or mostly contained in it (`_contains`)."""
        size = len(words)

        def need(length: int) -> int:
            similar_count = similar_need(size, length)
            contains_count = max(3, math.ceil(_ADDRESSES * min(size, length) - 1e-9))
            return contains_count if similar_count is None else min(similar_count, contains_count)

        candidates = self.index.sharing(words, need) & self.with_factor
        ids: list[str] = []
        while candidates:
            lowest = candidates & -candidates
            position = lowest.bit_length() - 1
            other = self.items[position].words
            if similar(words, other) or _contains(words, other):
                factor_id = self.factor_at[position]
                ids.append(factor_id)
                candidates &= ~self.members[factor_id]  # a factor found needs no second look
            else:
                candidates ^= lowest
        return ids


def _addressed_factors(group: Cluster, factor_of_key: dict[str, str], topics: _FactorIndex, order: dict[str, int]) -> list[str]:
    ids: list[str] = []
    for item in group.items:
        factor_id = factor_of_key.get(item.key)
        if factor_id and factor_id not in ids:
            ids.append(factor_id)
    if not ids:
        # A suggestion addresses the factors it talks about.
        for item in group.items:
            for factor_id in topics.about(item.words):
                if factor_id not in ids:
                    ids.append(factor_id)
    return sorted(ids, key=lambda i: order.get(i, len(order)))


#: Share of the shorter word set that a suggestion and a factor item must have in common.
_ADDRESSES = 0.6


def _contains(suggestion: frozenset[str], factor: frozenset[str]) -> bool:
    # "Alert when the payments connection pool stays above 90%" addresses "no alert on
    # connection pool saturation for the payments service": most words of the shorter one
    # appear in the other. Looser than `similar`, because linking an action to a factor hides
    # nothing, while merging two factors would.
    shared = len(suggestion & factor)
    return shared >= 3 and shared >= _ADDRESSES * min(len(suggestion), len(factor))


def _action_description(group: Cluster, role_order: dict[str, int]) -> str:
    lines: list[str] = []
    for item, text in _distinct_items(group, role_order):
        who = capitalise(role_phrase(item.role))
        if item.kind == "suggestion":
            lines.append(f"{who} suggested: {text}")
        else:
            lines.append(f"{who} described a {KIND_LABEL[FactorKind(item.kind)]}: {text}")
    return "\n".join(lines)


#: What a flagged action is asked to become, and an example when the lint's hint does not fit.
REWRITE_AS_CHANGE = "Needs a rewrite as a change to a tool, process or safeguard"
REWRITE_EXAMPLE = "for example a check the tool runs itself, an alert, or a safer default"


def rewrite_advice(hint: str) -> str:
    """The line under an action flagged for a rewrite, built from the lint's `hint`.

    The hint is the suggestion of the rule that flagged the title. Vigilance rules ("be more
    careful", "remind people") suggest a change to the system, which is what an action needs.
    The other rules' suggestions reframe a sentence of a narrative ("Describe what they knew
    and saw at the time ..."), which makes no sense for an action, so an example of an
    action-shaped rewrite takes their place; so does a hint no current rule gives.
    """
    if hint.strip() in _action_hints():
        return f"{REWRITE_AS_CHANGE}. {hint.strip()}"
    return f"{REWRITE_AS_CHANGE}, {REWRITE_EXAMPLE}."


@functools.lru_cache(maxsize=1)
def _action_hints() -> frozenset[str]:
    return frozenset(rule.suggestion.strip() for rule in load_rules().rules if rule.category == "vigilance")
