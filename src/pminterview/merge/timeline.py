"""The merged timeline, and where accounts differ about it.

Grouping: entries from *different* accounts whose times lie within `GROUP_WINDOW` (2 minutes)
of a group's first entry become one moment. People read the time from different clocks (the
page on their phone, a chat timestamp, a graph) and round to the minute, so the "same" moment
is commonly reported a minute or two apart; a wider window would fold distinct steps of a fast
incident together. Two entries from the same account are never grouped: the person told them
as separate moments. The window is measured from the group's first entry, not chained, so a
group never spans more than two minutes.

Rough and missing times: an entry with words only ("just after the page") or no time keeps its
place within its own account. It is anchored just after the moment that holds the account's
previous timed entry (or just before its next one, when it comes first); in an account with no
clock times at all it is anchored at the incident start, or after everything when the start
is unknown. Such entries are their own moments, marked approximate, never dropped.

Differing accounts: two timed entries from different accounts that describe the same event
(similar content words, see `merge.text`) more than the window but at most
`SAME_EVENT_SPAN` (30 minutes) apart are a disagreement about time; two perspectives on one
moment that talk about the same thing but give different numbers are a disagreement about
facts. Both are kept side by side; neither is corrected.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from pminterview.errors import PmError
from pminterview.merge.text import SimilarSets, content_words, one_line, shorten, similar
from pminterview.model import DifferingAccount, Incident, MergedTimelineEntry, Perspective
from pminterview.timeparse import parse_time, zone

GROUP_WINDOW = dt.timedelta(minutes=2)
SAME_EVENT_SPAN = dt.timedelta(minutes=30)


@dataclass
class Moment:
    """One account's timeline entry, already sifted, on its way into the merge."""

    source: int
    """Position of the account in the merge's stable account order."""
    seq: int
    """Position within the account's own timeline."""
    role: str
    at: dt.datetime | None
    approximate: bool
    typed: str
    saw: str
    did: str
    expected: str
    words: frozenset[str] = field(default_factory=frozenset)

    def text(self) -> str:
        return " ".join(part for part in (self.saw, self.did, self.expected) if part)


class Clock:
    """Reads and shows times in the incident's zone."""

    def __init__(self, incident: Incident) -> None:
        try:
            self.tz = zone(incident.timezone)
        except PmError:
            self.tz = dt.timezone.utc  # a bad zone in incident.toml must not stop the merge
        self.started = incident.started
        self.day = incident.started.astimezone(self.tz).date() if incident.started else None
        self.zone_name = incident.timezone or "UTC"

    def read(self, typed: str, at: dt.datetime | None, approximate: bool) -> tuple[dt.datetime | None, bool]:
        """The moment of an entry: its stored `at`, else read from what was typed."""
        if at is not None:
            return (at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)), approximate
        if not typed.strip():
            return None, True
        try:
            parsed = parse_time(typed, day=self.day, tz=self.zone_name)
        except PmError:
            return None, True  # unreadable times stay as words: never dropped
        return parsed.at, parsed.approximate or approximate

    def show(self, at: dt.datetime) -> str:
        local = at.astimezone(self.tz)
        clock = local.strftime("%H:%M:%S" if local.second else "%H:%M")
        if self.day is not None and local.date() != self.day:
            return f"{local.date().isoformat()} {clock}"
        return clock

    def show_moment(self, moment: Moment) -> str:
        if moment.at is None:
            return words_time(moment.typed) or "time not given"
        return ("~" if moment.approximate else "") + self.show(moment.at)


def words_time(typed: str) -> str:
    """A time given in words as a sentence can use it: on one line, without the brackets that
    transcripts put around such times ("[just after the revert]" -> "just after the revert").

    Shown with its brackets, the time reads as a note rather than part of the sentence ("[just
    after the revert], the on-call SRE ..."), and Markdown needs them escaped, which shows as
    backslashes in the plain text.
    """
    text = one_line(typed)
    if text.startswith("[") and text.endswith("]") and "[" not in text[1:-1] and "]" not in text[1:-1]:
        text = text[1:-1].strip()
    return text


@dataclass
class _Group:
    at: dt.datetime
    members: list[Moment]


def group_moments(moments: list[Moment]) -> list[_Group]:
    """Timed moments grouped by the window; see the module docstring."""
    timed = sorted((m for m in moments if m.at is not None), key=lambda m: (m.at, m.source, m.seq))
    groups: list[_Group] = []
    current: _Group | None = None
    sources: set[int] = set()  # accounts in the current group, so a check is one lookup
    for moment in timed:
        if current is not None and moment.at - current.at <= GROUP_WINDOW and moment.source not in sources:
            current.members.append(moment)
            sources.add(moment.source)
            continue
        current = _Group(moment.at, [moment])
        sources = {moment.source}
        groups.append(current)
    return groups


def build_timeline(moments: list[Moment], clock: Clock) -> tuple[list[MergedTimelineEntry], list[_Group]]:
    """The merged timeline in order, and the groups (for finding differing facts)."""
    groups = group_moments(moments)
    group_of: dict[tuple[int, int], int] = {}
    for index, group in enumerate(groups):
        for member in group.members:
            group_of[(member.source, member.seq)] = index

    # Sort blocks: (group position, phase, account, seq). Phase 0 is the group itself,
    # -1 entries anchored just before it, +1 just after; unanchored go first or last.
    blocks: list[tuple[tuple, MergedTimelineEntry]] = []
    for index, group in enumerate(groups):
        blocks.append(((index, 0, 0, 0), _entry_for_group(group, clock)))
    by_account: dict[int, list[Moment]] = {}
    for moment in moments:
        by_account.setdefault(moment.source, []).append(moment)
    start_index = _first_group_at_or_after(groups, clock.started)
    for source, own in by_account.items():
        own.sort(key=lambda m: m.seq)
        for position, moment in enumerate(own):
            if moment.at is not None:
                continue
            key = _anchor(own, position, group_of, start_index, len(groups))
            blocks.append(((*key, source, moment.seq), _entry_for_rough(moment, clock)))
    blocks.sort(key=lambda block: block[0])
    return [entry for _, entry in blocks], groups


def _anchor(own: list[Moment], position: int, group_of: dict, start_index: int | None, count: int) -> tuple[int, int]:
    for earlier in reversed(own[:position]):
        if earlier.at is not None:
            return group_of[(earlier.source, earlier.seq)], 1
    for later in own[position + 1 :]:
        if later.at is not None:
            return group_of[(later.source, later.seq)], -1
    if start_index is not None:
        return start_index, -1
    return count, 1


def _first_group_at_or_after(groups: list[_Group], started: dt.datetime | None) -> int | None:
    if started is None:
        return None
    for index, group in enumerate(groups):
        if group.at >= started:
            return index
    return len(groups)


def _perspective(moment: Moment, clock: Clock) -> Perspective:
    return Perspective(
        role=moment.role,
        time=clock.show_moment(moment),
        saw=moment.saw,
        did=moment.did,
        expected=moment.expected,
    )


def _entry_for_group(group: _Group, clock: Clock) -> MergedTimelineEntry:
    members = sorted(group.members, key=lambda m: (m.at, m.source, m.seq))
    approximate = any(m.approximate for m in members)
    first = clock.show(group.at)
    last = clock.show(max(m.at for m in members))
    shown = first if first == last else f"{first}–{last.split(' ')[-1]}"
    return MergedTimelineEntry(
        time=("~" if approximate else "") + shown,
        at=group.at,
        approximate=approximate,
        perspectives=[_perspective(m, clock) for m in members],
    )


def _entry_for_rough(moment: Moment, clock: Clock) -> MergedTimelineEntry:
    return MergedTimelineEntry(
        time=clock.show_moment(moment), at=None, approximate=True, perspectives=[_perspective(moment, clock)]
    )


# --- differing accounts -----------------------------------------------------------------------

_NUMBER = re.compile(r"(?<![\w.-])\d+(?:[.,:]\d+)*%?(?![\w-])")


def differing_accounts(moments: list[Moment], groups: list[_Group], clock: Clock) -> list[DifferingAccount]:
    """Disagreements about when something happened, then about what happened at one moment."""
    found = _differing_times(moments, clock)
    found.extend(_differing_facts(groups, clock))
    return found


def _differing_times(moments: list[Moment], clock: Clock) -> list[DifferingAccount]:
    timed = sorted((m for m in moments if m.at is not None and m.words), key=lambda m: (m.at, m.source, m.seq))
    # Entries are joined into events (union-find) as they are probed, in time order. Only who
    # ends up together matters, so once a probe is joined to an event, the rest of that
    # event's entries are dropped from its search.
    index = SimilarSets()
    parent = list(range(len(timed)))
    event_bits = [1 << i for i in range(len(timed))]  # at each event's root: its entries as bits
    account_bits: dict[int, int] = {}  # per account, its entries as bits

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Candidates lie in [since, until): at most SAME_EVENT_SPAN earlier, and more than
    # GROUP_WINDOW earlier (closer ones are the same moment, not a disagreement about time).
    since = until = 0
    for j, second in enumerate(timed):
        while second.at - timed[since].at > SAME_EVENT_SPAN:
            since += 1
        while until < j and second.at - timed[until].at > GROUP_WINDOW:
            until += 1
        in_range = (1 << until) - (1 << since)
        candidates = index.similar_to(second.words) & in_range & ~account_bits.get(second.source, 0)
        while candidates:
            lowest = candidates & -candidates
            other = lowest.bit_length() - 1
            if similar(second.words, timed[other].words):
                a, b = root(other), root(j)
                low, high = min(a, b), max(a, b)
                parent[high] = low
                event_bits[low] |= event_bits[high]
                candidates &= ~event_bits[low]
            else:
                candidates ^= lowest
        index.add(j, second.words)
        account_bits[second.source] = account_bits.get(second.source, 0) | 1 << j

    events: dict[int, list[Moment]] = {}
    for i, moment in enumerate(timed):
        events.setdefault(root(i), []).append(moment)
    found: list[DifferingAccount] = []
    for members in events.values():
        if len({m.source for m in members}) < 2:
            continue
        members.sort(key=lambda m: (m.at, m.source, m.seq))
        seed = min(members, key=lambda m: (m.source, m.seq))
        topic = f'Time of "{shorten(seed.did or seed.saw or seed.expected, 70)}"'
        found.append(DifferingAccount(topic=topic, versions=[_perspective(m, clock) for m in members]))
    return found


def _differing_facts(groups: list[_Group], clock: Clock) -> list[DifferingAccount]:
    found: list[DifferingAccount] = []
    for group in groups:
        # Numbers are read once per entry, and an entry stops looking as soon as one other
        # entry contradicts it: only whether it clashes matters, not with how many.
        members = sorted(group.members, key=lambda m: (m.source, m.seq))
        numbered = [(m, _numbers(m)) for m in members]
        numbered = [(m, numbers) for m, numbers in numbered if numbers]
        clash: set[int] = set()
        for i, (first, numbers_one) in enumerate(numbered):
            if i in clash:
                continue
            for j, (second, numbers_two) in enumerate(numbered):
                if i != j and numbers_one.isdisjoint(numbers_two) and len(first.words & second.words) >= 2:
                    clash.update((i, j))
                    break
        if clash:
            versions = [_perspective(numbered[i][0], clock) for i in sorted(clash)]
            found.append(DifferingAccount(topic=f"What happened at {clock.show(group.at)}", versions=versions))
    return found


def _numbers(moment: Moment) -> frozenset[str]:
    return frozenset(_NUMBER.findall(moment.text()))


def moment_words(moment: Moment) -> frozenset[str]:
    return content_words(f"{moment.saw} {moment.did}")
