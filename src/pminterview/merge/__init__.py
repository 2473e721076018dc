"""Accounts -> one blameless postmortem draft. Pure functions: no I/O, no Textual.

`merge(incident, accounts, previous)` builds the merged timeline, differing accounts,
contributing factors, draft actions, the narrative, what surprised people, what went well and
open questions. Same inputs, same output, byte for byte once serialised.

What never reaches the result: off-the-record answers and items (left out before anything
else happens), participant names (replaced by roles everywhere, including names mentioned
inside answers), and sentences the lint reads as blame (listed in `to_reframe` instead, unless
the person dismissed that hint). `previous` carries the facilitator's work; see `merge`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import re
from collections import Counter
from collections.abc import Iterator, Sequence

from pminterview.guide import Guide, QuestionKind, load_guide
from pminterview.merge.blame import Sifter, dismissed_keys, is_dismissed
from pminterview.merge.factors import Item, build_actions, build_factors, cluster
from pminterview.merge.narrative import RoleWords, build_narrative
from pminterview.merge.text import (
    NameScrubber,
    content_words,
    one_line,
    sentences,
)
from pminterview.merge.timeline import Clock, Moment, build_timeline, differing_accounts, moment_words
from pminterview.model import (
    Account,
    DifferingAccount,
    FactorKind,
    Incident,
    Postmortem,
    SafeguardKind,
)

__all__ = ["merge", "role_labels", "base_role", "DEFAULT_ROLE"]

#: How someone without a role appears.
DEFAULT_ROLE = "responder"

# Which answers feed which part of the draft. Questions of a custom guide that are not listed
# here count as "reasons" (what made sense), the most general part.
INVOLVED_QUESTIONS = ("involved", "cues")
SURPRISE_QUESTIONS = ("surprises",)
CONFUSION_QUESTIONS = ("tools",)
NOT_IN_NARRATIVE = ("else",)

_LUCK = re.compile(r"\b(lucky|luckily|fortunately|thankfully|went well|worked well|saved us|helped)\b", re.IGNORECASE)
_SAFEGUARD_FACTOR = {
    SafeguardKind.MISSING: FactorKind.MISSING_SAFEGUARD,
    SafeguardKind.FAILED: FactorKind.FAILED_SAFEGUARD,
    SafeguardKind.IN_THE_WAY: FactorKind.SAFEGUARD_IN_THE_WAY,
}


def role_labels(accounts: Sequence[Account]) -> list[str]:
    """Each account's role as it appears in the draft, in the given order.

    Two people with the same role get numbered ("on-call SRE (2)") so their perspectives stay
    apart; an empty role reads as "responder".
    """
    counts: dict[str, int] = {}
    for account in accounts:
        role = account.role.strip() or DEFAULT_ROLE
        counts[role.lower()] = counts.get(role.lower(), 0) + 1
    seen: dict[str, int] = {}
    labels: list[str] = []
    for account in accounts:
        role = account.role.strip() or DEFAULT_ROLE
        key = role.lower()
        seen[key] = seen.get(key, 0) + 1
        labels.append(f"{role} ({seen[key]})" if counts[key] > 1 else role)
    return labels


#: The number `role_labels` gives two people with the same role: "on-call SRE (2)".
_ROLE_NUMBER = re.compile(r" \(\d+\)$")


def base_role(label: str) -> str:
    """A label of `role_labels` without its number: "on-call SRE (2)" -> "on-call SRE"."""
    return _ROLE_NUMBER.sub("", label)


def _ordered(accounts: Sequence[Account]) -> list[Account]:
    # A stable order that does not depend on file listing or load order.
    return sorted(accounts, key=lambda a: ((a.role.strip() or DEFAULT_ROLE).lower(), a.participant))


def merge(
    incident: Incident,
    accounts: Sequence[Account],
    previous: Postmortem | None = None,
    *,
    guide: Guide | None = None,
    today: dt.date | None = None,
    also_named: Sequence[tuple[str, str]] = (),
) -> Postmortem:
    """Merge the accounts into a postmortem draft, keeping the facilitator's work in `previous`.

    `also_named` lists (participant, role) of people whose accounts are not merged (drafts,
    files that do not load): their names are replaced in the merged text all the same, by
    their role, so a draft's author mentioned in someone else's account is not named.

    Kept from `previous`: factors and actions marked `edited` (their text), every action's
    owner, due date, priority, status and reason, type, tracker link and dates (found again by
    content keys), factors and actions the facilitator added, the narrative when
    `narrative_edited` (unless emptied, which asks for a fresh draft), the lists of surprises,
    what went well and open questions when their `*_edited` flag is set, a summary or impact
    rewritten in the postmortem, notes on differing accounts, and supporting material.
    Everything else is rebuilt from the accounts, so new material appears. `today` dates new
    actions (None leaves `created` empty, which keeps exports free of the run date).
    """
    with _collection_paused():
        return _merge(incident, accounts, previous, guide or load_guide(), today, also_named)


@contextlib.contextmanager
def _collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one merge.

    A merge allocates hundreds of thousands of small objects that stay alive until it ends.
    The collector's full passes walk every live object, and they come more often the more is
    allocated, so with it running a merge's time grows faster than its input. Nothing is
    freed by pausing it (reference counting frees as usual); collection resumes afterwards.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _merge(
    incident: Incident,
    accounts: Sequence[Account],
    previous: Postmortem | None,
    guide: Guide,
    today: dt.date | None,
    also_named: Sequence[tuple[str, str]],
) -> Postmortem:
    ordered = _ordered(accounts)
    roles = role_labels(ordered)
    role_order = {role: i for i, role in enumerate(roles)}
    merged = {a.participant for a in ordered}
    others = [(name, role.strip() or DEFAULT_ROLE) for name, role in also_named if name not in merged]
    scrub = NameScrubber([(a.participant, role) for a, role in zip(ordered, roles)] + others)
    sifter = Sifter(scrub, roles)
    sifter.prefetch(_texts_to_lint(ordered))
    clock = Clock(incident)

    moments: list[Moment] = []
    factor_items: list[Item] = []
    action_items: list[Item] = []
    helped_items: list[Item] = []
    words: list[RoleWords] = []
    surprises: list[str] = []
    lucky: list[Item] = []
    asked: list[str] = []
    order = 0
    all_dismissed: set[tuple[str, str]] = set()

    for source, (account, role) in enumerate(zip(ordered, roles)):
        account_dismissed = dismissed_keys(h for a in account.answers.values() for h in a.dismissed)
        all_dismissed |= account_dismissed
        said = RoleWords(role, [], [], [])
        for question_id in _answer_order(account, guide):
            answer = account.answers[question_id]
            if answer.off_record or not answer.text.strip():
                continue
            text = sifter.sift(
                answer.text, role=role, source=f"answers.{question_id}", dismissed=dismissed_keys(answer.dismissed)
            )
            if not text:
                continue
            if question_id in INVOLVED_QUESTIONS:
                said.involved.append(text)
            elif question_id in SURPRISE_QUESTIONS or question_id in CONFUSION_QUESTIONS:
                said.surprises.append(text)
                surprises.append(f"{role}: {one_line(text)}")
                kind = FactorKind.SURPRISE if question_id in SURPRISE_QUESTIONS else FactorKind.CONFUSION
                for sentence in sentences(text):
                    if len(content_words(sentence)) >= 3:
                        factor_items.append(Item(role, one_line(sentence), kind, order))
                        order += 1
            elif question_id not in NOT_IN_NARRATIVE:
                said.reasons.append(text)
            if "?" not in text and not _LUCK.search(text):
                continue  # no question and no luck in any of its sentences
            for sentence in sentences(text):
                if sentence.rstrip().endswith("?"):
                    asked.append(f"{role}: {one_line(sentence)}")
                elif _LUCK.search(sentence):
                    lucky.append(Item(role, one_line(sentence), "lucky", 10**9 + order))
                    order += 1
        if said.involved or said.reasons or said.surprises:
            words.append(said)

        for seq, entry in enumerate(account.timeline):
            if entry.off_record:
                continue
            where = f"timeline[{seq}]"
            fields = {
                name: sifter.sift(getattr(entry, name), role=role, source=f"{where}.{name}", dismissed=account_dismissed)
                for name in ("saw", "did", "expected")
            }
            if not any(fields.values()):
                continue
            at, approximate = clock.read(entry.time, entry.at, entry.approximate)
            moment = Moment(source, seq, role, at, approximate, entry.time, fields["saw"], fields["did"], fields["expected"])
            moment.words = moment_words(moment)
            moments.append(moment)

        for number, safeguard in enumerate(account.safeguards):
            if safeguard.off_record:
                continue
            text = sifter.sift(
                safeguard.description, role=role, source=f"safeguards[{number}].description", dismissed=account_dismissed
            )
            if not text:
                continue
            text = one_line(text)
            if safeguard.kind == SafeguardKind.HELPED:
                helped_items.append(Item(role, text, "helped", order))
            else:
                kind = _SAFEGUARD_FACTOR[safeguard.kind]
                factor_items.append(Item(role, text, kind, order))
                if safeguard.kind in (SafeguardKind.MISSING, SafeguardKind.FAILED):
                    action_items.append(Item(role, text, kind, order))
            order += 1

        for suggestion in account.suggestions:
            if suggestion.off_record or not suggestion.text.strip():
                continue
            found = [f for f in sifter.flag(suggestion.text) if not is_dismissed(f, account_dismissed)]
            item = Item(role, one_line(scrub(suggestion.text)), "suggestion", order)
            if found:
                item.flagged = found[0].suggestion or found[0].message
            action_items.append(item)
            order += 1

    timeline, groups = build_timeline(moments, clock)
    differing = differing_accounts(moments, groups, clock)
    if previous is not None:
        _keep_notes(differing, previous.differing_accounts)
    factors, factor_of_key = build_factors(factor_items, previous.factors if previous else [], role_order)
    actions = build_actions(
        action_items, factors, factor_of_key, factor_items, previous.actions if previous else [], role_order, today
    )
    went_well = _went_well(helped_items + lucky, role_order)
    open_questions = [_question(d) for d in differing] + asked

    def still_blame(text: str) -> list:
        return [f for f in sifter.narrative_findings(text) if (f.rule_id, f.excerpt.strip().lower()) not in all_dismissed]

    reframes = list(sifter.reframes)
    # The facilitator's narrative is kept; emptied, it is drafted again from the accounts.
    if previous is not None and previous.narrative_edited and previous.narrative.strip():
        narrative, narrative_edited = previous.narrative, True
        # Files from before `narrative_roles` existed: the roles of their last merge.
        narrative_roles = list(previous.narrative_roles or previous.roles)
    else:
        narrative, left_out = build_narrative(roles, _chronological(words, moments), timeline, clock.zone_name, still_blame)
        reframes.extend(left_out)
        narrative_edited, narrative_roles = False, list(roles)

    summary, impact = scrub(incident.summary.strip()), scrub(incident.impact.strip())
    if previous is not None:
        summary = _kept_if_rewritten(previous.summary, previous.incident.summary, scrub, summary)
        impact = _kept_if_rewritten(previous.impact, previous.incident.impact, scrub, impact)

    return Postmortem(
        incident=incident.model_copy(
            update={"title": scrub(incident.title), "summary": scrub(incident.summary), "impact": scrub(incident.impact)}
        ),
        roles=roles,
        summary=summary,
        impact=impact,
        narrative=narrative,
        narrative_edited=narrative_edited,
        narrative_roles=narrative_roles,
        timeline=timeline,
        surprises=_kept_list(previous, "surprises", surprises),
        surprises_edited=bool(previous and previous.surprises_edited),
        went_well=_kept_list(previous, "went_well", went_well),
        went_well_edited=bool(previous and previous.went_well_edited),
        open_questions=_kept_list(previous, "open_questions", open_questions),
        open_questions_edited=bool(previous and previous.open_questions_edited),
        differing_accounts=differing,
        factors=factors,
        actions=actions,
        to_reframe=reframes,
        supporting_material=list(previous.supporting_material) if previous else [],
    )


def _texts_to_lint(accounts: Sequence[Account]) -> list[str]:
    """Every account text the merge may use, so the lint reads them all in a few calls."""
    texts: list[str] = []
    for account in accounts:
        texts.extend(answer.text for answer in account.answers.values() if not answer.off_record)
        for entry in account.timeline:
            if not entry.off_record:
                texts.extend((entry.saw, entry.did, entry.expected))
        texts.extend(s.description for s in account.safeguards if not s.off_record)
        texts.extend(s.text for s in account.suggestions if not s.off_record)
    return texts


def _chronological(words: list[RoleWords], moments: list[Moment]) -> list[RoleWords]:
    """Roles in the order they entered the incident (first timed moment), the rest after."""
    first: dict[str, dt.datetime] = {}
    for moment in moments:
        if moment.at is not None and (moment.role not in first or moment.at < first[moment.role]):
            first[moment.role] = moment.at
    never = dt.datetime.max.replace(tzinfo=dt.timezone.utc)
    return sorted(words, key=lambda w: first.get(w.role, never))


def _answer_order(account: Account, guide: Guide) -> list[str]:
    """Answered text questions in guide order, then answers the guide does not know, sorted."""
    known = [q.id for q in guide.questions if q.kind == QuestionKind.TEXT and q.id in account.answers]
    listed = {q.id for q in guide.questions}
    return known + sorted(qid for qid in account.answers if qid not in listed)


def _went_well(items: list[Item], role_order: dict[str, int]) -> list[str]:
    """Helped safeguards and lucky moments, near-duplicates merged, safeguards first."""
    lines: list[str] = []
    for group in cluster(items):
        lines.append(f"{', '.join(group.roles(role_order))}: {group.seed.text}")
    return lines


def _question(differing: DifferingAccount) -> str:
    if differing.topic.startswith("Time of"):
        versions = "; ".join(f"{v.role} gives {v.time or 'no time'}" for v in differing.versions)
        return f"{differing.topic}: {versions}. Which fits the logs and chat history?"
    roles = ", ".join(v.role for v in differing.versions)
    return f"{differing.topic}: the accounts give different details ({roles}). Which match the logs?"


def _keep_notes(differing: list[DifferingAccount], earlier: list[DifferingAccount]) -> None:
    # Two disagreements can share a topic, so a note is found again by its topic and the
    # versions' roles and times; failing that (a time was corrected since), by the topic alone
    # when only one disagreement, then and now, has it.
    def key(item: DifferingAccount) -> tuple:
        return (item.topic, tuple(sorted((v.role, v.time) for v in item.versions)))

    by_key = {key(d): d.note for d in earlier if d.note}
    topics_then = Counter(d.topic for d in earlier)
    topics_now = Counter(d.topic for d in differing)
    by_topic = {d.topic: d.note for d in earlier if d.note and topics_then[d.topic] == 1}
    for item in differing:
        item.note = by_key.get(key(item)) or (by_topic.get(item.topic, "") if topics_now[item.topic] == 1 else "")


def _kept_list(previous: Postmortem | None, name: str, fresh: list[str]) -> list[str]:
    if previous is not None and getattr(previous, f"{name}_edited"):
        return list(getattr(previous, name))
    return fresh


def _kept_if_rewritten(written: str, source: str, scrub: NameScrubber, fresh: str) -> str:
    # The postmortem's summary starts as the incident's; once the facilitator rewrites it
    # there, it is theirs, and a change to incident.toml no longer replaces it.
    if written and written != scrub(source.strip()):
        return written
    return fresh
