"""The drafted narrative and the Markdown export read as plain English whatever people typed:
first-person timeline entries, answers without a full stop, rough times in brackets."""

from __future__ import annotations

import datetime as dt

from pminterview.export import to_markdown
from pminterview.merge import merge
from pminterview.merge.narrative import moment_sentence
from pminterview.merge.timeline import words_time
from pminterview.model import Account, AccountStatus, Answer, Incident, MergedTimelineEntry, Perspective, TimelineEntry

UTC = dt.timezone.utc


def incident() -> Incident:
    return Incident(id="co", title="Checkout 5xx", started=dt.datetime(2026, 12, 1, 14, 0, tzinfo=UTC), timezone="UTC")


def account(participant: str, role: str, **fields) -> Account:
    return Account(participant=participant, role=role, status=AccountStatus.SUBMITTED, **fields)


def moments(narrative: str) -> str:
    return narrative.split("**Moment by moment.**")[1].split("**", 1)[0]


def test_first_person_timeline_entries_are_quoted_as_the_persons_words() -> None:
    sre = account(
        "priya",
        "on-call SRE",
        timeline=[
            TimelineEntry(time="14:02", saw="checkout 5xx alert paged me", did="I opened the dashboard"),
            TimelineEntry(time="14:05", saw="message from Kim", did="replied that we were on it"),
            TimelineEntry(time="14:09", saw="error rate dropped"),
        ],
    )
    support = account("kim", "support lead", timeline=[TimelineEntry(time="14:30", expected="an all-clear from the on-call SRE")])
    text = moments(merge(incident(), [sre, support]).narrative)
    assert 'At 14:02, the on-call SRE: saw "checkout 5xx alert paged me"; did "opened the dashboard".' in text
    # A name inside what was typed still becomes the role; "we" stays in the person's quote.
    assert 'At 14:05, the on-call SRE: saw "message from the support lead"; did "replied that we were on it".' in text
    assert 'At 14:09, the on-call SRE: saw "error rate dropped".' in text
    assert 'At 14:30, the support lead: expected "an all-clear from the on-call SRE".' in text
    for clumsy in ("SRE saw checkout", "saw error rate dropped", "saw message from"):
        assert clumsy not in text


def test_a_moment_sentence_keeps_quotes_inside_a_quote_unambiguous() -> None:
    view = Perspective(role="on-call SRE", time="14:02", saw='the "deploy blocked" banner', did="I did: a rollback.")
    moment = MergedTimelineEntry(time="14:02", at=dt.datetime(2026, 12, 1, 14, 2, tzinfo=UTC), perspectives=[view])
    sentence = moment_sentence(moment, view)
    assert sentence == "At 14:02, the on-call SRE: saw \"the 'deploy blocked' banner\"; did \"a rollback\"."


def test_answers_without_a_full_stop_do_not_run_into_the_next() -> None:
    sre = account(
        "priya",
        "on-call SRE",
        answers={
            "actions": Answer(text="I tried to roll back with the deploy tool but it asked for a ticket number"),
            "goals": Answer(text="Restore checkout first, then find out why"),
            "help": Answer(text="Asked the payments team (they said: 'not us')"),
        },
    )
    text = merge(incident(), [sre]).narrative
    assert (
        'The on-call SRE explained their steps: "I tried to roll back with the deploy tool but it asked for a ticket number.'
        " Restore checkout first, then find out why. …\"" in text
    )


def test_an_answer_that_already_ends_a_sentence_is_left_as_it_is() -> None:
    for typed in ("Was it the config?", "It said 'retry later.'", "We waited…", "Paged at 14:02 (by the alert)."):
        sre = account("priya", "on-call SRE", answers={"involved": Answer(text=typed)})
        assert f'getting involved: "{typed}"' in merge(incident(), [sre]).narrative.replace("\\", "")


def test_a_time_in_words_reads_without_its_brackets_or_escapes() -> None:
    sre = account(
        "priya",
        "on-call SRE",
        timeline=[
            TimelineEntry(time="14:02", at=dt.datetime(2026, 12, 1, 14, 2, tzinfo=UTC), saw="the 5xx alert"),
            TimelineEntry(time="[just after the revert]", saw="error rate dropped"),
            TimelineEntry(time="[]", did="wrote the handover"),
        ],
    )
    pm = merge(incident(), [sre])
    assert [entry.time for entry in pm.timeline] == ["14:02", "just after the revert", "time not given"]
    assert 'Just after the revert, the on-call SRE: saw "error rate dropped".' in moments(pm.narrative)
    markdown = to_markdown(pm)
    assert "- **just after the revert** on-call SRE: saw: error rate dropped" in markdown
    assert "\\[" not in markdown and "[just" not in markdown


def test_only_brackets_around_the_whole_time_in_words_go() -> None:
    assert words_time("  [after the page]  ") == "after the page"
    assert words_time("[page] then [ack]") == "[page] then [ack]"
    assert words_time("after the\n page") == "after the page"
