"""The merge on hand-made accounts: timeline, differing accounts, factors, actions, narrative,
and what must never reach the postmortem (off-the-record material, names, blame sentences)."""

from __future__ import annotations

import datetime as dt

import pytest

from pminterview.lint import lint_text
from pminterview.merge import merge, role_labels
from pminterview.merge.text import NameScrubber, content_words, similar
from pminterview.model import (
    Account,
    AccountStatus,
    Answer,
    DismissedHint,
    FactorKind,
    Incident,
    Safeguard,
    Suggestion,
    TimelineEntry,
)
from pminterview.workspace import to_toml

from merge_samples import sample_accounts, sample_incident  # noqa: F401  (fixtures)

UTC = dt.timezone.utc


def incident(**changes) -> Incident:
    base = dict(id="db", title="Replica lag", started=dt.datetime(2026, 11, 27, 14, 0, tzinfo=UTC), timezone="UTC")
    base.update(changes)
    return Incident(**base)


def at(hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2026, 11, 27, hour, minute, tzinfo=UTC)


def entry(time: str, saw: str = "", did: str = "", expected: str = "", *, when: dt.datetime | None = None, rough: bool = False, off: bool = False) -> TimelineEntry:
    return TimelineEntry(time=time, at=when, approximate=rough, saw=saw, did=did, expected=expected, off_record=off)


def account(participant: str, role: str, **fields) -> Account:
    fields.setdefault("status", AccountStatus.SUBMITTED)
    return Account(participant=participant, role=role, **fields)


def everything(pm) -> str:
    """All of the postmortem's text except the facilitator-only reframing list."""
    return to_toml(pm.model_copy(update={"to_reframe": []}))


# --- timeline ---------------------------------------------------------------------------------


def test_entries_from_different_accounts_within_two_minutes_are_one_moment() -> None:
    sre = account("ana", "on-call SRE", timeline=[entry("14:02", saw="disk alert on db-2", when=at(14, 2))])
    owner = account("bo", "database owner", timeline=[entry("14:03", saw="replication lag on db-2", when=at(14, 3))])
    pm = merge(incident(), [sre, owner])
    assert len(pm.timeline) == 1
    moment = pm.timeline[0]
    assert moment.time == "14:02–14:03"
    assert [(p.role, p.time) for p in moment.perspectives] == [("on-call SRE", "14:02"), ("database owner", "14:03")]


def test_entries_three_minutes_apart_or_from_one_account_stay_apart() -> None:
    sre = account(
        "ana",
        "on-call SRE",
        timeline=[entry("14:02", saw="disk alert", when=at(14, 2)), entry("14:03", did="restarted the replica", when=at(14, 3))],
    )
    owner = account("bo", "database owner", timeline=[entry("14:06", saw="lag graph", when=at(14, 6))])
    pm = merge(incident(), [sre, owner])
    assert [e.time for e in pm.timeline] == ["14:02", "14:03", "14:06"]


def test_times_are_read_and_shown_in_the_incidents_zone() -> None:
    berlin = incident(timezone="Europe/Berlin", started=dt.datetime(2026, 11, 27, 13, 0, tzinfo=UTC))
    # No stored moment: the merge reads "15:02" in Berlin time (14:02 UTC).
    one = account("ana", "on-call SRE", timeline=[entry("15:02", saw="disk alert")])
    # Stored in UTC by another tool; shown in Berlin time.
    two = account("bo", "database owner", timeline=[entry("14:03 UTC", saw="lag", when=at(14, 3))])
    pm = merge(berlin, [one, two])
    assert len(pm.timeline) == 1
    assert pm.timeline[0].at == at(14, 2)
    assert [p.time for p in pm.timeline[0].perspectives] == ["15:02", "15:03"]


def test_rough_and_missing_times_keep_their_place_and_are_marked_approximate() -> None:
    sre = account(
        "ana",
        "on-call SRE",
        timeline=[
            entry("14:02", saw="disk alert", when=at(14, 2)),
            entry("just after the page", did="opened the runbook"),
            entry("", did="asked the database owner"),
            entry("around 14:20", saw="lag falling", when=at(14, 20), rough=True),
        ],
    )
    owner = account("bo", "database owner", timeline=[entry("14:10", saw="the question in the channel", when=at(14, 10))])
    pm = merge(incident(), [sre, owner])
    shown = [(e.time, e.approximate, e.perspectives[0].did or e.perspectives[0].saw) for e in pm.timeline]
    assert shown == [
        ("14:02", False, "disk alert"),
        ("just after the page", True, "opened the runbook"),
        ("time not given", True, "asked the database owner"),
        ("14:10", False, "the question in the channel"),
        ("~14:20", True, "lag falling"),
    ]


def test_an_account_without_clock_times_is_anchored_at_the_start_and_nothing_is_dropped() -> None:
    timed = account("ana", "on-call SRE", timeline=[entry("13:50", saw="deploy", when=at(13, 50)), entry("14:05", saw="page", when=at(14, 5))])
    words = account("bo", "support lead", timeline=[entry("when customers wrote in", saw="tickets"), entry("", did="posted in the channel")])
    pm = merge(incident(), [timed, words])
    texts = [e.perspectives[0].saw or e.perspectives[0].did for e in pm.timeline]
    assert texts == ["deploy", "tickets", "posted in the channel", "page"]


def test_an_unreadable_stored_time_is_kept_as_words() -> None:
    odd = account("ana", "on-call SRE", timeline=[entry("25:61", saw="something odd")])
    pm = merge(incident(), [odd])
    assert pm.timeline[0].time == "25:61" and pm.timeline[0].approximate


# --- differing accounts -----------------------------------------------------------------------


def test_the_same_event_at_different_times_is_kept_side_by_side_as_an_open_question() -> None:
    sre = account("ana", "on-call SRE", timeline=[entry("14:31", did="started the rollback of the payments config", when=at(14, 31))])
    commander = account("cy", "incident commander", timeline=[entry("14:38", saw="the rollback of the payments config started", when=at(14, 38))])
    pm = merge(incident(), [sre, commander])
    assert len(pm.timeline) == 2  # both stay in the timeline, at their own times
    assert len(pm.differing_accounts) == 1
    differing = pm.differing_accounts[0]
    assert differing.topic.startswith("Time of")
    assert sorted((v.role, v.time) for v in differing.versions) == [("incident commander", "14:38"), ("on-call SRE", "14:31")]
    assert any("14:31" in q and "14:38" in q for q in pm.open_questions)


def test_different_numbers_about_one_moment_are_a_differing_account() -> None:
    sre = account("ana", "on-call SRE", timeline=[entry("14:20", saw="the connection pool at 20 of 20", when=at(14, 20))])
    owner = account("bo", "payments owner", timeline=[entry("14:21", saw="50 connections in use in the pool", when=at(14, 21))])
    pm = merge(incident(), [sre, owner])
    assert [d.topic for d in pm.differing_accounts] == ["What happened at 14:20"]


def test_unrelated_events_at_different_times_are_not_a_disagreement() -> None:
    sre = account("ana", "on-call SRE", timeline=[entry("14:05", did="restarted the replica", when=at(14, 5))])
    owner = account("bo", "database owner", timeline=[entry("14:15", did="paused the nightly backup", when=at(14, 15))])
    assert merge(incident(), [sre, owner]).differing_accounts == []


def test_a_note_on_a_differing_account_survives_a_re_merge() -> None:
    sre = account("ana", "on-call SRE", timeline=[entry("14:31", did="started the rollback of the payments config", when=at(14, 31))])
    commander = account("cy", "incident commander", timeline=[entry("14:38", saw="the rollback of the payments config started", when=at(14, 38))])
    first = merge(incident(), [sre, commander])
    first.differing_accounts[0].note = "The deploy log says 14:32."
    again = merge(incident(), [sre, commander], first)
    assert again.differing_accounts[0].note == "The deploy log says 14:32."


# --- off the record ---------------------------------------------------------------------------


def test_off_the_record_material_never_reaches_the_postmortem() -> None:
    secret = "SECRET-WORDS-XYZ"
    person = account(
        "ana",
        "on-call SRE",
        answers={
            "involved": Answer(text="I was paged at 14:02 for replica lag."),
            "else": Answer(text=f"I had not slept; {secret}.", off_record=True),
            "surprises": Answer(text=f"The restart was slow {secret}.", off_record=True),
        },
        timeline=[entry("14:02", saw="lag alert", when=at(14, 2)), entry("14:09", saw=secret, when=at(14, 9), off=True)],
        safeguards=[Safeguard(kind="missing", description=f"no {secret} alert", off_record=True)],
        suggestions=[Suggestion(text=f"Add {secret} checks", off_record=True)],
    )
    pm = merge(incident(), [person])
    assert secret not in to_toml(pm)  # not even in the facilitator-only parts
    assert len(pm.timeline) == 1 and pm.factors == [] and pm.actions == []


# --- names ------------------------------------------------------------------------------------


def test_participant_names_inside_text_become_roles() -> None:
    sre = account(
        "priya",
        "on-call SRE",
        answers={"help": Answer(text="I asked Marcus about the config. marcus's team owns it. Later PRIYA took a break.")},
        timeline=[entry("14:02", saw="a message from Marcus", when=at(14, 2))],
        safeguards=[Safeguard(kind="missing", description="Nothing told Marcus about the alert")],
    )
    owner = account("marcus", "payments service owner", answers={"involved": Answer(text="Priya pinged me at 14:10.")})
    pm = merge(incident(), [sre, owner])
    text = everything(pm) + to_toml(pm)
    assert "marcus" not in text.lower() and "priya" not in text.lower()
    assert "I asked the payments service owner about the config." in pm.narrative
    assert "The payments service owner's team owns it." in pm.narrative
    assert "The on-call SRE pinged me at 14:10." in pm.narrative
    assert pm.timeline[0].perspectives[0].saw == "a message from the payments service owner"


def test_a_chat_mention_is_replaced_with_its_at_sign() -> None:
    scrub = NameScrubber([("priya.nair", "on-call SRE"), ("al", "database owner")])
    assert scrub("Paged @priya.nair, then @al (and @priya) joined") == (
        "Paged the on-call SRE, then the database owner (and the on-call SRE) joined"
    )
    assert scrub.mentions("Paged @priya.nair, then @al joined") == {"priya.nair": 1, "al": 1}


def test_name_variants_and_whole_words_only() -> None:
    scrub = NameScrubber([("priya.nair", "on-call SRE"), ("al", "database owner")])
    assert scrub("Priya Nair and priya.nair and Priya said") == "The on-call SRE and the on-call SRE and the on-call SRE said"
    assert scrub("the alert was also sent to Al") == "the alert was also sent to the database owner"


# Names that are also ordinary words: replaced where the text uses them as a name, never where
# it uses the word.
COMMON = NameScrubber(
    [("root", "on-call SRE"), ("will", "database owner"), ("mark", "network engineer"), ("may", "support lead"), ("bob", "payments developer")]
)


@pytest.mark.parametrize(
    "text",
    [
        "The root cause was human error",
        "Add an alert so we will know earlier",
        "thought we will recover soon",
        "Root cause: the pool limit was too low.",
        "Mark the alert as noise and move on.",
        "May the next rollout go better.",
        "Will the pool recover on its own?",
        "The MAX and WILL columns are acronyms here, and so is ROOT.",
        "the Root CA expired and the Root user was locked",
        "we may mark it as done; the root of the problem will stay",
        "logged in as root to check the bob of the float",
        "the mark was wrong and the root's permissions too",
        "I will mark the alert as seen",
        # At a sentence start, an imperative before its object or a modal before its subject.
        "Mark the alert as resolved.",
        "Mark it as done, then page the owner.",
        "Will this work? May I ask why?",
        "Will there be a retry?",
        "May 3 was the last good deploy.",
        "Root cause: nobody knew the key was renamed.",
    ],
)
def test_ordinary_words_that_are_also_names_stay_as_written(text: str) -> None:
    assert COMMON(text) == text
    assert COMMON.mentions(text) == {}


@pytest.mark.parametrize(
    "text, scrubbed",
    [
        ("I paged Will at 14:02.", "I paged the database owner at 14:02."),
        ("Will said the pool was full.", "The database owner said the pool was full."),
        ("Mark restarted the replica.", "The network engineer restarted the replica."),
        ("Will's laptop had the old config.", "The database owner's laptop had the old config."),
        ("We asked Mark, and Mark's team helped.", "We asked the network engineer, and the network engineer's team helped."),
        ("It was Root who got the page.", "It was the on-call SRE who got the page."),
        ("- Will rolled back the change", "- The database owner rolled back the change"),
        ("The root cause? Root thought it was the cache.", "The root cause? The on-call SRE thought it was the cache."),
        # Logins written as they are, in lowercase, where only a person fits.
        ("I asked bob, then checked the graph.", "I asked the payments developer, then checked the graph."),
        ("bob's runbook was out of date.", "The payments developer's runbook was out of date."),
        ("then mark restarted the replica", "then the network engineer restarted the replica"),
        ("we pinged root twice", "we pinged the on-call SRE twice"),
        # A chat mention goes whole, "@" and all.
        ("I asked @bob about the config.", "I asked the payments developer about the config."),
        ("@bob said the pool was full.", "The payments developer said the pool was full."),
        ("cc @Will and @mark, then @bob's runbook", "cc the database owner and the network engineer, then the payments developer's runbook"),
        # Capitalised at a sentence start, before anything but an imperative's object or a
        # modal's subject: the person, whatever follows.
        ("Bob from payments had just rolled out a config change.", "The payments developer from payments had just rolled out a config change."),
        ("Bob needs to be more careful with config", "The payments developer needs to be more careful with config"),
        ("Bob and I reverted it.", "The payments developer and I reverted it."),
        ("We were stuck. Mark, from networking, joined.", "We were stuck. The network engineer, from networking, joined."),
        ('"Will knows the pool," I thought.', '"The database owner knows the pool," I thought.'),
        ("May on support saw the tickets first.", "The support lead on support saw the tickets first."),
        # Capitalised in mid-sentence: the person, even before another capitalised word.
        ("I asked Bob Jones and then Will Smith", "I asked the payments developer Jones and then the database owner Smith"),
    ],
)
def test_names_that_are_ordinary_words_are_replaced_where_used_as_names(text: str, scrubbed: str) -> None:
    assert COMMON(text) == scrubbed


def test_unusual_names_are_replaced_in_any_case_and_position() -> None:
    scrub = NameScrubber([("priya", "on-call SRE"), ("ops_bot-2", "deploy robot"), ("marcus.lee", "database owner")])
    assert scrub("priya saw it; PRIYA's pager and Priya’s phone") == "The on-call SRE saw it; the on-call SRE's pager and the on-call SRE's phone"
    assert scrub("ops_bot-2 posted. Marcus.Lee and marcus lee agreed, as did Marcus.") == (
        "The deploy robot posted. The database owner and the database owner agreed, as did the database owner."
    )


def test_names_that_are_words_never_corrupt_the_merged_text() -> None:
    sre = account(
        "root",
        "on-call SRE",
        answers={"help": Answer(text="The root volume of db-2 was full. Will said the replica was fine.")},
        suggestions=[Suggestion(text="Add an alert so we will know earlier")],
        timeline=[entry("14:02", saw="lag on db-2", expected="we will recover soon", when=at(14, 2))],
    )
    owner = account("will", "database owner", answers={"involved": Answer(text="Root paged me, and I thought we will recover soon.")})
    pm = merge(incident(), [sre, owner])
    text = everything(pm)
    assert "the on-call SRE cause" not in text and "we the database owner" not in text
    assert "The root volume of db-2 was full." in pm.narrative
    assert "The database owner said the replica was fine." in pm.narrative
    assert "The on-call SRE paged me, and I thought we will recover soon." in pm.narrative
    assert any(a.title == "Add an alert so we will know earlier" for a in pm.actions)
    assert pm.timeline[0].perspectives[0].expected == "we will recover soon"


def test_name_mentions_counts_names_used_as_names_only() -> None:
    from pminterview.merge.text import name_mentions

    text = "The root cause was the pool. Will said root access was fine; we will see. I told Priya and Will."
    assert name_mentions(text, ["root", "will", "priya"]) == {"will": 2, "priya": 1}


def test_name_mentions_count_what_might_be_a_name_the_scrubber_kept() -> None:
    from pminterview.merge.text import name_mentions

    # Kept as words by the scrubber, but they could be the person: the check lists them.
    assert COMMON("Root cause: the lock.") == "Root cause: the lock."
    assert name_mentions("Root cause: the lock.", ["root"]) == {"root": 1}
    assert COMMON("Will restarting help?") == "Will restarting help?"
    assert name_mentions("Will restarting help?", ["will"]) == {"will": 1}
    assert COMMON("BOB rolled it out") == "BOB rolled it out"
    assert name_mentions("BOB rolled it out", ["bob"]) == {"bob": 1}
    # Plain word uses are not listed.
    assert name_mentions("Mark the alert as resolved. Will this work? The root cause.", ["mark", "will", "root"]) == {}


def test_every_replaced_name_counts_as_a_mention_before_replacing() -> None:
    from pminterview.merge.text import name_mentions

    texts = [
        "Bob from payments had just rolled out a config change.",
        "Bob needs to be more careful with config",
        "I asked Bob. Then Bob rolled back. Bob's runbook helped.",
        "Mark the alert as resolved. Mark restarted the replica.",
    ]
    for text in texts:
        replaced = text.count("Bob") + text.count("Mark restarted")
        mentioned = sum(name_mentions(text, ["bob", "mark"]).values())
        assert mentioned >= replaced, text
        assert name_mentions(COMMON(text), ["bob", "mark"]) == {}, COMMON(text)


def test_a_name_that_is_a_word_never_reaches_the_export_or_passes_the_check() -> None:
    from pminterview.export.markdown import to_markdown
    from pminterview.export.readiness import readiness

    alice = account(
        "alice",
        "on-call SRE",
        answers={"involved": Answer(text="Bob from payments had just rolled out a config change, so I paged the payments channel.")},
        suggestions=[Suggestion(text="Bob needs to be more careful with config")],
    )
    bob = account("bob", "payments owner", answers={"involved": Answer(text="Bob and I reverted it; alice confirmed the error rate fell.")})
    pm = merge(incident(), [alice, bob])
    for text in (to_markdown(pm), everything(pm)):
        assert "Bob" not in text and "bob" not in text.replace("db", "")
    assert not [reason for reason in readiness(pm, [alice, bob]) if "names participant" in reason]
    # A name typed back in by the facilitator is caught.
    pm.summary = "Bob from payments rolled out the change."
    assert "the export names participant 'bob' (1x); use their role instead" in readiness(pm, [alice, bob])


def test_the_readiness_check_does_not_flag_ordinary_words_as_names() -> None:
    from pminterview.export.readiness import readiness

    sre = account("root", "on-call SRE", answers={"help": Answer(text="The root volume of db-2 was full, and we will know next time.")})
    owner = account("will", "database owner", answers={"involved": Answer(text="I was paged at 14:05.")})
    pm = merge(incident(), [sre, owner])
    assert not [reason for reason in readiness(pm, [sre, owner]) if "names participant" in reason]
    # ... while a real mention still is flagged.
    pm.narrative += "\n\nWill restarted the replica."
    flagged = [reason for reason in readiness(pm, [sre, owner]) if "names participant" in reason]
    assert flagged == ["the export names participant 'will' (1x); use their role instead"]


def test_people_with_the_same_role_stay_apart() -> None:
    one = account("ana", "on-call SRE")
    two = account("bo", "on-call SRE")
    assert role_labels([one, two]) == ["on-call SRE (1)", "on-call SRE (2)"]
    assert role_labels([account("cy", "")]) == ["responder"]


# --- blame ------------------------------------------------------------------------------------


def test_blame_sentences_are_listed_for_reframing_never_copied() -> None:
    blame = "Marcus should have tested the new pool limit in staging before rolling it out."
    commander = account(
        "leo",
        "incident commander",
        answers={"surprises": Answer(text=f"{blame} Staging uses a different config template, so the rename never showed up.")},
        timeline=[entry("14:38", saw="the rollback started", did="The on-call SRE should have rolled back sooner.", when=at(14, 38))],
    )
    owner = account("marcus", "payments service owner")
    pm = merge(incident(), [commander, owner])
    assert "should have" not in everything(pm)
    assert "Staging uses a different config template" in pm.narrative
    sources = {(r.source, r.category) for r in pm.to_reframe}
    assert ("answers.surprises", "counterfactual") in sources
    assert ("timeline[0].did", "counterfactual") in sources
    reframed = next(r for r in pm.to_reframe if r.source == "answers.surprises")
    assert reframed.text == "The payments service owner should have tested the new pool limit in staging before rolling it out."
    assert reframed.role == "incident commander" and reframed.suggestion


def test_a_dismissed_hint_is_respected() -> None:
    sentence = "Clearly the pool alert was too slow."
    findings = lint_text(sentence, roles=["on-call SRE"])
    assert findings, "the sentence must draw a hint for this test to mean anything"
    hints = [DismissedHint(rule_id=f.rule_id, excerpt=f.excerpt) for f in findings]
    dismissed = account("ana", "on-call SRE", answers={"surprises": Answer(text=sentence, dismissed=hints)})
    kept = merge(incident(), [dismissed])
    assert sentence in kept.narrative and kept.to_reframe == []
    not_dismissed = account("ana", "on-call SRE", answers={"surprises": Answer(text=sentence)})
    assert sentence not in merge(incident(), [not_dismissed]).narrative


def test_the_generated_narrative_has_no_lint_findings(sample_accounts, sample_incident) -> None:
    pm = merge(sample_incident, sample_accounts)
    names = [a.participant for a in sample_accounts]
    assert pm.narrative
    assert lint_text(pm.narrative, names=names, roles=pm.roles) == []


def test_the_narrative_is_in_time_order_and_in_role_terms(sample_accounts, sample_incident) -> None:
    pm = merge(sample_incident, sample_accounts)
    moments = pm.narrative.split("**Moment by moment.**")[1].split("**What made sense")[0]
    assert moments.index("At about 14:00") < moments.index("At 14:06") < moments.index("At 14:38") < moments.index("At 14:55")
    involved = pm.narrative.split("**Getting involved.**")[1].split("**Moment by moment.**")[0]
    # The support lead saw the first tickets; the payments service owner joined last.
    assert involved.index("The support lead") < involved.index("The on-call SRE") < involved.index("The payments service owner")


# --- factors and actions ----------------------------------------------------------------------


def test_duplicate_safeguards_across_accounts_become_one_factor_raised_by_both() -> None:
    sre = account("ana", "on-call SRE", safeguards=[Safeguard(kind="missing", description="No alert on connection pool saturation for payments")])
    owner = account("bo", "payments owner", safeguards=[Safeguard(kind="missing", description="Nothing alerted when the payments connection pool was exhausted")])
    other = account("cy", "support lead", safeguards=[Safeguard(kind="missing", description="No alert on disk saturation")])
    pm = merge(incident(), [sre, owner, other])
    titles = {f.title: f.raised_by for f in pm.factors}
    assert titles["No alert on connection pool saturation for payments"] == ["on-call SRE", "payments owner"]
    assert titles["No alert on disk saturation"] == ["support lead"]
    assert len(pm.factors) == 2
    assert all(f.kind == FactorKind.MISSING_SAFEGUARD for f in pm.factors)


def test_similarity_joins_rephrasings_but_not_different_subjects() -> None:
    one = content_words("The payments config rollout had no canary stage")
    two = content_words("No canary stage for payments config rollouts")
    three = content_words("No canary stage for search index rebuilds")
    assert similar(one, two)
    assert not similar(one, three)


def test_surprises_and_confusion_become_factors_and_never_a_single_root_cause(sample_accounts, sample_incident) -> None:
    pm = merge(sample_incident, sample_accounts)
    kinds = {f.kind for f in pm.factors}
    assert {FactorKind.MISSING_SAFEGUARD, FactorKind.FAILED_SAFEGUARD, FactorKind.SURPRISE, FactorKind.CONFUSION} <= kinds
    assert len(pm.factors) > 1
    assert "root cause" not in everything(pm).lower()
    assert len({f.id for f in pm.factors}) == len(pm.factors)


def test_actions_come_from_suggestions_and_missing_or_failed_safeguards() -> None:
    sre = account(
        "ana",
        "on-call SRE",
        safeguards=[
            Safeguard(kind="missing", description="No canary stage for config rollouts"),
            Safeguard(kind="failed", description="The lag alert fired 15 minutes late"),
            Safeguard(kind="in-the-way", description="The runbook link pointed to a moved page"),
            Safeguard(kind="helped", description="The backup lock held"),
        ],
        suggestions=[Suggestion(text="Add a canary stage to config rollouts"), Suggestion(text="we should alert on replication lag per replica")],
    )
    pm = merge(incident(), [sre], today=dt.date(2026, 11, 30))
    titles = [a.title for a in pm.actions]
    assert "Add a canary stage to config rollouts" in titles  # suggestion and safeguard merged
    assert "Fix the safeguard that failed: the lag alert fired 15 minutes late" in titles
    assert "Alert on replication lag per replica" in titles
    assert len(pm.actions) == 3
    canary = next(a for a in pm.actions if a.title.startswith("Add a canary"))
    assert canary.factors and canary.factors[0] in {f.id for f in pm.factors}
    assert canary.created == dt.date(2026, 11, 30) and canary.owner == "" and canary.due is None
    assert pm.went_well == ["on-call SRE: The backup lock held"]


def test_vigilance_and_person_directed_suggestions_are_kept_marked_for_a_rewrite() -> None:
    person = account(
        "leo",
        "incident commander",
        suggestions=[
            Suggestion(text="Everyone should be more careful when changing pool settings."),
            Suggestion(text="Retrain Marcus on the rollout tool"),
            Suggestion(text="Make sure the pipeline checks the pool size"),
        ],
    )
    owner = account("marcus", "payments owner")
    pm = merge(incident(), [person, owner])
    flagged = {a.title: a for a in pm.actions if a.needs_rewrite}
    assert set(flagged) == {"Everyone should be more careful when changing pool settings", "Retrain the payments owner on the rollout tool"}
    assert all(a.rewrite_hint for a in flagged.values())
    assert [a.title for a in pm.actions if not a.needs_rewrite] == ["Make sure the pipeline checks the pool size"]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Block failover while a backup holds the lock", "Block failover while a backup holds the lock"),
        ("A canary stage for config rollouts", "Add a canary stage for config rollouts"),
        ("The config loader should reject unknown keys", "Make the config loader reject unknown keys"),
        ("Pool size should be validated in CI", "Ensure pool size is validated in CI"),
        ("I think we should page the owner on pool saturation.", "Page the owner on pool saturation"),
    ],
)
def test_action_titles_are_verb_first(text: str, title: str) -> None:
    pm = merge(incident(), [account("ana", "on-call SRE", suggestions=[Suggestion(text=text)])])
    assert pm.actions[0].title == title


# --- determinism ------------------------------------------------------------------------------


def test_merge_is_deterministic_whatever_the_order_of_accounts(sample_accounts, sample_incident) -> None:
    forward = to_toml(merge(sample_incident, sample_accounts))
    backward = to_toml(merge(sample_incident, list(reversed(sample_accounts))))
    assert forward == backward


def test_no_accounts_give_an_empty_draft() -> None:
    pm = merge(incident(summary="Replica lag for an hour."), [])
    assert pm.timeline == [] and pm.factors == [] and pm.narrative == "" and pm.summary == "Replica lag for an hour."


def test_the_narrative_quotes_the_opening_of_long_answers() -> None:
    long = "The graph was flat at first. It averages over five minutes. The pool was full by then. Support saw it first."
    sre = account("ana", "on-call SRE", answers={"involved": Answer(text=long)})
    owner = account("ben", "database owner", answers={"involved": Answer(text="I was paged at 14:05.")})
    pm = merge(incident(), [sre, owner])
    assert '"The graph was flat at first. It averages over five minutes. …"' in pm.narrative
    assert "The pool was full by then." not in pm.narrative
    assert '"I was paged at 14:05."' in pm.narrative
    assert "the full answers are in each person's account" in pm.narrative


def test_the_first_name_of_a_dotted_login_counts_as_a_mention() -> None:
    from pminterview.merge.text import name_mentions

    text = "Priya restarted it. priya said so."
    assert name_mentions(text, ["priya.nair"]) == {"priya": 2}
    assert name_mentions(text, ["priya.nair"], ["on-call SRE"]) == {"priya": 2}
    # A first part that a role uses stays the role: "sre" of "sre-bot" beside an on-call SRE.
    assert name_mentions("Then sre restarted it.", ["sre-bot", "priya.nair"], ["bot", "on-call sre"]) == {}


def test_acronyms_in_capitals_are_not_taken_for_a_login_or_a_role_word() -> None:
    from pminterview.merge.text import NameScrubber, name_mentions

    text = "The API returned 500s and the SRE paged the DEV team."
    assert name_mentions(text, ["api", "sre", "dev"]) == {}
    # Not a login word, but a word of someone's role: "on-call SRE" is not a person named sre.
    scrub = NameScrubber([("priya", "on-call SRE"), ("pager", "incident commander")])
    assert scrub.possible_mentions("SRE said the PAGER went off. COMMANDER on duty.") == {"pager": 1}
    people = ["major", "priya"], ["payments owner", "major incident manager"]
    assert name_mentions("MAJOR incident declared at 14:05.", *people) == {}
    assert name_mentions("MAJOR incident declared at 14:05.", ["major"]) == {"major": 1}
    # After an article, capitals are a thing, not a person.
    assert name_mentions("We checked the BOB dashboard.", ["bob"]) == {}
    assert name_mentions("BOB rolled it out", ["bob"]) == {"bob": 1}


def test_a_name_after_that_as_a_conjunction_is_the_person() -> None:
    from pminterview.merge.text import NameScrubber, name_mentions

    scrub = NameScrubber([("bob", "payments owner"), ("may", "incident commander"), ("max", "on-call SRE")])
    assert scrub("I thought that Bob had restarted it.") == "I thought that the payments owner had restarted it."
    assert name_mentions("I thought that Bob had restarted it.", ["bob"]) == {"bob": 1}
    assert scrub("May I add that Bob was right?") == "May I add that the payments owner was right?"
    # Determiners still keep the word, and a lowercase word after "that" stays a word.
    assert scrub("The Bob dashboard was green.") == "The Bob dashboard was green."
    assert scrub("I thought that max was too low.") == "I thought that max was too low."
    assert name_mentions("I thought that max was too low, and that rose.", ["max", "rose"]) == {}
