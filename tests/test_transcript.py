"""Accounts from hand-written Markdown transcripts: what is read, and every line that is not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pminterview.cli import main
from pminterview.errors import PmError
from pminterview.guide import load_guide
from pminterview.model import AccountStatus, Incident, SafeguardKind
from pminterview.transcript import parse_transcript
from pminterview.workspace import Workspace

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
INCIDENT = Incident(id="db", title="Replica lag", started=dt.datetime(2026, 11, 27, 14, 0, tzinfo=UTC))

FULL = """\
# Call with the database owner, 28 November

Role: database owner

## Your role and how you got involved

I joined at about 14:20, when the on-call SRE saw replication lag on db-2.
I thought it was the nightly backup.

## What you saw and knew, and when

- 14:02 saw the disk alert on db-2; restarted the replica; expected it to catch up
- around 14:10 · saw: lag still growing · did: paused the backup
- [just after the page] did: opened the runbook; saw: the link was broken
- expected: the failover to be blocked
    while the backup held its lock
- 14:40 (off the record) saw a message from my manager

### cues

The lag graph looked flat because it averages over 10 minutes.

## What you did

### goals

Keep the data safe first.

## Safeguards

- missing: nothing stops a failover while a backup is running
- failed: the replication lag alert fired 15 minutes late
- in the way: the runbook link pointed to a moved page
- helped: the backup lock held

## What would make this easier next time

- Block failover while a backup holds the lock, and say so in the error
- Fix the runbook links in alerts

## Anything else (off the record)

This was my first on-call week on this service.
"""


def parse(text: str, role: str = "", source: str = "call.md"):
    return parse_transcript(text, "sam", role, load_guide(), INCIDENT, source=source, now=NOW)


def test_a_full_transcript_is_read_into_a_submitted_account() -> None:
    account = parse(FULL)
    assert account.participant == "sam" and account.role == "database owner"
    assert account.status == AccountStatus.SUBMITTED and account.submitted == NOW == account.updated
    assert account.answers["involved"].text == (
        "I joined at about 14:20, when the on-call SRE saw replication lag on db-2.\nI thought it was the nightly backup."
    )
    assert account.answers["cues"].text.startswith("The lag graph")
    assert account.answers["goals"].text == "Keep the data safe first."
    assert account.answers["else"].off_record and not account.answers["involved"].off_record

    first, rough, words, untimed, secret = account.timeline
    assert (first.time, first.at, first.approximate) == ("14:02", dt.datetime(2026, 11, 27, 14, 2, tzinfo=UTC), False)
    assert (first.saw, first.did, first.expected) == ("the disk alert on db-2", "restarted the replica", "it to catch up")
    assert (rough.time, rough.approximate, rough.saw, rough.did) == ("around 14:10", True, "lag still growing", "paused the backup")
    assert (words.time, words.at, words.saw, words.did) == ("just after the page", None, "the link was broken", "opened the runbook")
    assert (untimed.time, untimed.expected) == ("", "the failover to be blocked while the backup held its lock")
    assert secret.off_record and not first.off_record

    assert [(s.kind, s.description) for s in account.safeguards] == [
        (SafeguardKind.MISSING, "nothing stops a failover while a backup is running"),
        (SafeguardKind.FAILED, "the replication lag alert fired 15 minutes late"),
        (SafeguardKind.IN_THE_WAY, "the runbook link pointed to a moved page"),
        (SafeguardKind.HELPED, "the backup lock held"),
    ]
    assert [s.text for s in account.suggestions] == [
        "Block failover while a backup holds the lock, and say so in the error",
        "Fix the runbook links in alerts",
    ]


def test_an_empty_field_keeps_the_others_in_place() -> None:
    entry = parse("## Timeline\n\n- 14:02 posted in the channel; ; someone to confirm\n").timeline[0]
    assert (entry.saw, entry.did, entry.expected) == ("posted in the channel", "", "someone to confirm")


def test_role_option_wins_over_the_role_line() -> None:
    assert parse(FULL, role="DBA").role == "DBA"


@pytest.mark.parametrize("heading", ["## what you saw and knew, and when", "## knew", "## What you saw", "## Timeline", "## WHAT YOU SAW AND KNEW AND WHEN"])
def test_section_headings_are_matched_tolerantly(heading: str) -> None:
    account = parse(f"{heading}\n\n- 14:05 saw the page\n")
    assert account.timeline[0].saw == "the page"


def test_question_ids_work_as_headings_and_prose_goes_to_the_first_text_question() -> None:
    account = parse("## cues\n\nThe graph was flat.\n\n## surprises\n\nThe restart took 20 minutes.\n\n### tools\n\nThe runbook moved.\n")
    assert account.answers["cues"].text == "The graph was flat."
    assert account.answers["surprises"].text == "The restart took 20 minutes."
    assert account.answers["tools"].text == "The runbook moved."


def test_list_lines_in_a_prose_section_stay_prose() -> None:
    account = parse("## What you did\n\nI tried:\n- restarting the replica\n- pausing the backup\n")
    assert account.answers["actions"].text == "I tried:\n- restarting the replica\n- pausing the backup"


def test_a_paragraph_marked_off_the_record_keeps_the_whole_answer_off_the_record() -> None:
    account = parse("## Anything else\n\nThanks for the call.\n\n(off the record) I was exhausted.\n")
    assert account.answers["else"].off_record
    assert "off the record" not in account.answers["else"].text


def test_a_marker_alone_on_a_line_covers_what_follows_under_that_heading() -> None:
    account = parse("## Safeguards\n\n- missing: a lag alert\n(off the record)\n- failed: my pager app\n\n## surprises\n\nThe restart was slow.\n")
    assert [s.off_record for s in account.safeguards] == [False, True]
    assert not account.answers["surprises"].off_record


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("Some words before any heading\n", 1, "before the first '## section'"),
        ("## Things I liked\n\nstuff\n", 1, "matches no section"),
        ("## Safeguards\n\n- missing: a lag alert\n- nothing special\n", 4, "safeguard line starts with"),
        ("## Safeguards\n\nNone that I can think of.\n", 3, "each line is a list item"),
        ("## Timeline\n\n- 25:61 saw the page\n", 3, "not a clock time"),
        ("## Timeline\n\n- 14:0x saw the page\n", 3, "not readable"),
        ("## Timeline\n\n- 14:02 a; b; c; d\n", 3, "at most three"),
        ("## Timeline\n\n- 14:02\n", 3, "needs what was seen"),
        ("## Timeline\n\n- saw: a; saw: b\n", 3, "twice"),
        ("## What you did\n\n### the weather\n\ntext\n", 3, "not a question of section"),
        ("### goals\n\ntext\n", 1, "before any '## section'"),
        ("## cues\n\ntext\n\n# Another title\n", 5, "only the first heading"),
        ("## Timeline\n\n- \n", 3, None),
    ],
)
def test_a_line_it_cannot_read_is_an_error_naming_source_and_line(text: str, line: int, fragment: str | None) -> None:
    with pytest.raises(PmError) as caught:
        parse(text, source="call.md")
    message = str(caught.value)
    assert message.startswith(f"call.md, line {line}:") or (fragment is None and message.startswith("call.md")), message
    if fragment:
        assert fragment in message
    assert "\n" not in message


def test_an_empty_transcript_is_an_error() -> None:
    with pytest.raises(PmError, match=r"^call\.md: no answers"):
        parse("# Just a title\n\n")


def test_times_are_read_in_the_incidents_zone_and_day() -> None:
    berlin = INCIDENT.model_copy(update={"timezone": "Europe/Berlin", "started": dt.datetime(2026, 11, 27, 23, 30, tzinfo=UTC)})
    account = parse_transcript("## Timeline\n\n- 00:45 saw the page\n- 2:05pm did: rolled back\n", "sam", "", load_guide(), berlin, now=NOW)
    assert account.timeline[0].at == dt.datetime(2026, 11, 27, 23, 45, tzinfo=UTC)
    assert account.timeline[1].at == dt.datetime(2026, 11, 28, 13, 5, tzinfo=UTC)


def test_control_characters_are_stripped_on_the_way_in() -> None:
    account = parse("## cues\n\nThe graph \x1b[31mwas\x1b[0m flat.\n")
    assert account.answers["cues"].text == "The graph was flat."


# --- through the command line -----------------------------------------------------------------


def test_import_command_writes_the_account(workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    transcript = tmp_path / "call.md"
    transcript.write_text(FULL, encoding="utf-8")
    assert main(["import", str(workspace.root), str(transcript), "--participant", "sam"]) == 0
    account = workspace.load_account("sam")
    assert account is not None and account.role == "database owner" and len(account.timeline) == 5
    assert "database owner" in capsys.readouterr().out


def test_import_without_a_role_says_how_to_give_one(workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    transcript = tmp_path / "call.md"
    transcript.write_text("## cues\n\nThe graph was flat.\n", encoding="utf-8")
    assert main(["import", str(workspace.root), str(transcript), "--participant", "dave"]) == 0
    said = capsys.readouterr().out.strip()
    assert said.startswith("Imported dave without a role;") and "\n" not in said
    assert str(workspace.account_path("dave")) in said and "--role" in said and "Role:" in said


def test_import_command_reports_the_bad_line_and_writes_nothing(workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    transcript = tmp_path / "call.md"
    transcript.write_text("## Safeguards\n\n- missing: an alert\n- a bad line\n", encoding="utf-8")
    assert main(["import", str(workspace.root), str(transcript), "--participant", "sam"]) == 2
    err = capsys.readouterr().err
    assert f"{transcript}, line 4:" in err and err.count("\n") == 1
    assert workspace.load_account("sam") is None


def test_a_role_too_long_to_store_is_one_plain_line_naming_the_field() -> None:
    with pytest.raises(PmError) as caught:
        parse("Role: " + "r" * 300 + "\n\n## Timeline\n\n- 14:02 saw the page\n")
    assert str(caught.value) == "call.md: the account has field role 300 characters long, but it may have at most 200; shorten or fix it"
