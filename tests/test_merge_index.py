"""The merge's shortcuts give the same answers as the slow, obvious way: batched lint calls
against one call per text, and the similarity index against comparing every pair."""

from __future__ import annotations

import random

from pminterview.lint import lint_text
from pminterview.merge import merge
from pminterview.merge.blame import lint_many, lint_paragraphs
from pminterview.merge.factors import Item, cluster
from pminterview.merge.text import SimilarSets, set_bits, similar

from merge_samples import sample_accounts, sample_incident  # noqa: F401  (fixtures)

NAMES = ("priya", "marcus.lee")
ROLES = ("on-call SRE", "database owner")

TEXTS = [
    "Marcus should have tested the new pool limit in staging before rolling it out.",
    "They failed to notice the alert.",
    "The health check failed to detect the fault. They failed to notice the alert.",
    "- restart the replica\n- be more careful next time",
    "```\nhe should have known\n",  # an unclosed fence: linted alone
    "This was human error <!-- an open comment\n",
    "-->\nThe engineer ignored the page.",
    "    indented like a list continuation: the on-call SRE ignored the page.",
    "Obviously it was the cache. <!-- pminterview: ignore-next-line -->",
    "Priya should have checked.\r\nThe root cause was the config.\r",
    "# Heading\n\nIn hindsight the alert was plainly visible.",
    "Everyone should be more careful when changing pool settings.",
    "Customers wrote in about declined cards “a few minutes” after 14:00; nobody told support.",
    "If Priya had looked at the graph earlier, we would have caught it.",
    "",
    "   ",
    "I asked for a rollback decision by 14:35 so we had a clear point to decide.",
]


def alone(text: str) -> list[tuple]:
    return [(f.rule_id, f.offset, f.line, f.column, f.length, f.excerpt) for f in lint_text(text, names=NAMES, roles=ROLES)]


def test_batched_lint_gives_each_text_its_findings_as_alone() -> None:
    texts = TEXTS * 2 + [f"{text} Then the engineer ignored page {n}." for n, text in enumerate(TEXTS)]
    found = lint_many(texts, NAMES, ROLES)
    assert set(found) == {text for text in texts if text.strip()}
    some = 0
    for text in found:
        got = [(f.rule_id, f.offset, f.line, f.column, f.length, f.excerpt) for f in found[text]]
        assert got == alone(text), text
        some += bool(got)
    assert some >= 8  # the texts do carry findings, so the comparison means something


def test_narrative_linted_by_paragraph_equals_whole(sample_incident, sample_accounts) -> None:  # noqa: F811
    narrative = merge(sample_incident, sample_accounts).narrative
    blamed = narrative + "\n\nThe engineer should have known better.\n\nIt was human error."
    whole = [(f.rule_id, f.offset, f.line, f.excerpt) for f in lint_text(blamed, names=NAMES, roles=ROLES)]
    pieces = [(f.rule_id, f.offset, f.line, f.excerpt) for f in lint_paragraphs(blamed, NAMES, ROLES)]
    assert len(whole) >= 2
    assert pieces == whole


def _word_sets(count: int, vocabulary: int, seed: int) -> list[frozenset[str]]:
    # Word salad from a small vocabulary: the case where most sets share words with most others.
    rng = random.Random(seed)
    words = [f"w{n}" for n in range(vocabulary)]
    return [frozenset(rng.sample(words, rng.randint(1, 12))) for _ in range(count)]


def similar_earlier(sets: list[frozenset[str]]) -> tuple[list[list[int]], int]:
    """For each set, the earlier sets the index offers that are `similar`; and how many it
    offered that are not."""
    index = SimilarSets()
    found: list[list[int]] = []
    offered_in_vain = 0
    for position, words in enumerate(sets):
        offered = list(set_bits(index.similar_to(words)))
        found.append([e for e in offered if similar(words, sets[e])])
        offered_in_vain += len(offered) - len(found[-1])
        index.add(position, words)
    return found, offered_in_vain


def test_the_index_offers_exactly_the_similar_earlier_sets() -> None:
    for seed in range(3):
        sets = _word_sets(300, 25, seed)
        expected = [[e for e in range(p) if similar(sets[p], sets[e])] for p in range(len(sets))]
        found, offered_in_vain = similar_earlier(sets)
        assert found == expected
        assert offered_in_vain == 0  # the counts are exact: nothing to weed out
        assert sum(map(len, expected)) > 100


def test_bit_sliced_counts_match_counting_one_by_one() -> None:
    from pminterview.merge.text import _at_least, _binary_counts

    rng = random.Random(5)
    bit_sets = [rng.getrandbits(200) for _ in range(37)]
    digits = _binary_counts(bit_sets)
    for count in (1, 2, 5, 18, 19, 20, 37, 38, 64):
        expected = sum(1 << bit for bit in range(200) if sum(b >> bit & 1 for b in bit_sets) >= count)
        assert _at_least(digits, count) == expected, count


def test_cluster_joins_the_earliest_cluster_with_a_similar_item() -> None:
    for seed in range(3):
        sets = _word_sets(300, 30, seed)
        items = [Item("r", " ".join(sorted(words)), "surprise", n) for n, words in enumerate(sets)]
        homes: list[int] = []
        count = 0
        for position, item in enumerate(items):
            similar_homes = [homes[e] for e in range(position) if similar(item.words, items[e].words)]
            if similar_homes:
                homes.append(min(similar_homes))
            else:
                homes.append(count)
                count += 1
        got = cluster(items)
        assert len(got) == count
        for home, group in enumerate(got):
            assert [i.order for i in group.items] == [n for n, h in enumerate(homes) if h == home]
        assert count < len(items) - 20  # some did merge


def test_cluster_keeps_separated_items_apart() -> None:
    items = [
        Item("a", "alert on connection pool saturation", "suggestion", 0),
        Item("b", "alert on connection pool saturation please", "suggestion", 1),
        Item("c", "alert on connection pool saturation now", "suggestion", 2),
    ]
    items[1].flagged = "reframe"
    groups = cluster(items, separate=lambda item: bool(item.flagged))
    assert [[i.order for i in g.items] for g in groups] == [[0, 2], [1]]


def test_differing_times_join_exactly_the_connected_similar_entries() -> None:
    import datetime as dt

    from pminterview.merge.timeline import SAME_EVENT_SPAN, GROUP_WINDOW, Clock, Moment, _differing_times
    from pminterview.model import Incident

    start = dt.datetime(2026, 11, 27, 14, 0, tzinfo=dt.timezone.utc)
    clock = Clock(Incident(id="x", title="x", started=start, timezone="UTC"))
    for seed in range(3):
        rng = random.Random(seed)
        sets = _word_sets(400, 25, seed)
        moments = []
        for n, words in enumerate(sets):
            source = rng.randrange(12)
            moment = Moment(source, n, f"role {source}", start + dt.timedelta(minutes=rng.randrange(120)), False, "", " ".join(sorted(words)), "", "")
            moment.words = words
            moments.append(moment)
        parent = list(range(len(moments)))

        def root(i: int) -> int:
            while parent[i] != i:
                i = parent[i]
            return i

        for j, b in enumerate(moments):
            for i, a in enumerate(moments[:j]):
                apart = abs(b.at - a.at)
                if GROUP_WINDOW < apart <= SAME_EVENT_SPAN and a.source != b.source and similar(a.words, b.words):
                    parent[root(i)] = root(j)
        expected: dict[int, set[tuple[str, str]]] = {}
        for n, moment in enumerate(moments):
            expected.setdefault(root(n), set()).add((moment.role, moment.saw))
        wanted = sorted(sorted(group) for group in expected.values() if len({role for role, _ in group}) >= 2)
        got = sorted(sorted((v.role, v.saw) for v in found.versions) for found in _differing_times(moments, clock))
        assert got == wanted
        assert len(wanted) >= 3


def test_a_suggestion_finds_exactly_the_factors_it_talks_about() -> None:
    from pminterview.merge.factors import _contains, _FactorIndex

    for seed in range(3):
        sets = _word_sets(300, 30, seed)
        items = [Item("r", " ".join(sorted(words)), "surprise", n) for n, words in enumerate(sets)]
        factor_of_key = {item.key: f"cf-{n % 40}" for n, item in enumerate(items) if n % 7}
        index = _FactorIndex(items, factor_of_key)
        linked = 0
        for probe in _word_sets(100, 30, seed + 10):
            expected: list[str] = []
            for item in items:
                factor_id = factor_of_key.get(item.key)
                if factor_id and factor_id not in expected and (similar(probe, item.words) or _contains(probe, item.words)):
                    expected.append(factor_id)
            assert index.about(probe) == expected
            linked += len(expected)
        assert linked > 50
