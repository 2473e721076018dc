"""The stored models: validation, control characters, deterministic TOML."""

import datetime as dt

import pytest
from pydantic import ValidationError

from pminterview.model import Account, Action, ActionStatus, Answer, Incident, Postmortem, Safeguard, TimelineEntry
from pminterview.workspace import to_toml


def _account(**changes: object) -> Account:
    base = Account(
        participant="alice",
        role="on-call SRE",
        answers={"involved": Answer(text="Paged at 14:02.\nLooked at the graphs."), "actions": Answer(text="Restarted it.")},
        timeline=[TimelineEntry(time="14:02", saw="disk alert", did="restarted the replica")],
        safeguards=[Safeguard(kind="missing", description="no alert on replication lag")],
    )
    return base.model_copy(update=changes)


def test_unknown_fields_are_rejected_not_dropped() -> None:
    with pytest.raises(ValidationError):
        Account.model_validate({"participant": "a", "favourite_colour": "blue"})


def test_control_characters_are_stripped_on_the_way_in() -> None:
    answer = Answer(text="red\x1b[31m alert\x1b]0;pwned\x07 here\x00")
    assert answer.text == "red alert here"
    entry = TimelineEntry(time="14:02\x1b[2J", saw="x\x9b")
    assert entry.time == "14:02" and entry.saw == "x"


def test_text_in_any_script_survives() -> None:
    text = "Café ☕ 漢字 — emoji 🎉 and tabs\tkept\nnew line"
    assert Answer(text=text).text == text


def test_same_content_gives_same_bytes_whatever_the_answer_order() -> None:
    first = _account()
    reordered = first.model_copy(update={"answers": dict(reversed(list(first.answers.items())))})
    assert to_toml(first) == to_toml(reordered)
    assert to_toml(first).startswith("schema_version = 1\n")


def test_toml_round_trip_keeps_everything() -> None:
    import tomllib

    account = _account(updated=dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.timezone.utc))
    assert Account.model_validate(tomllib.loads(to_toml(account))) == account


def test_answer_for_an_unanswered_question_is_empty() -> None:
    assert _account().answer("surprises") == Answer()


def test_action_fields_are_checked() -> None:
    action = Action(id="a1", title="Add an alert on replication lag", due="2026-12-15", status="wont-do")
    assert action.due == dt.date(2026, 12, 15)
    assert action.status is ActionStatus.WONT_DO
    with pytest.raises(ValidationError):
        Action(id="a2", title="x", status="finished")


def test_postmortem_embeds_the_incident() -> None:
    incident = Incident(id="checkout", title="Checkout outage")
    postmortem = Postmortem(incident=incident)
    assert postmortem.incident.title == "Checkout outage"
    assert postmortem.schema_version == 1
