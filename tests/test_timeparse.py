"""Reading the times people type into their timeline."""

import datetime as dt

import pytest

from pminterview.errors import PmError
from pminterview.timeparse import parse_time

DAY = dt.date(2026, 11, 27)
UTC = dt.timezone.utc


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14:02", dt.datetime(2026, 11, 27, 14, 2, tzinfo=UTC)),
        ("14:02 UTC", dt.datetime(2026, 11, 27, 14, 2, tzinfo=UTC)),
        ("14:02:30", dt.datetime(2026, 11, 27, 14, 2, 30, tzinfo=UTC)),
        ("2:02pm", dt.datetime(2026, 11, 27, 14, 2, tzinfo=UTC)),
        ("2026-11-28 09:15", dt.datetime(2026, 11, 28, 9, 15, tzinfo=UTC)),
        ("2026-11-27T14:02Z", dt.datetime(2026, 11, 27, 14, 2, tzinfo=UTC)),
        ("14:02 +01:00", dt.datetime(2026, 11, 27, 13, 2, tzinfo=UTC)),
        ("14:02 Europe/Berlin", dt.datetime(2026, 11, 27, 13, 2, tzinfo=UTC)),
    ],
)
def test_exact_times_are_read_as_moments_in_utc(typed: str, expected: dt.datetime) -> None:
    parsed = parse_time(typed, day=DAY)
    assert parsed.at == expected
    assert parsed.approximate is False


def test_bare_times_are_read_in_the_incident_zone() -> None:
    parsed = parse_time("14:02", day=DAY, tz="America/New_York")
    assert parsed.at == dt.datetime(2026, 11, 27, 19, 2, tzinfo=UTC)


@pytest.mark.parametrize("typed", ["around 14:00", "~14:00", "about 2pm", "roughly 14:00", "shortly after 14:00"])
def test_rough_times_keep_a_moment_and_are_marked_approximate(typed: str) -> None:
    parsed = parse_time(typed, day=DAY)
    assert parsed.at is not None and parsed.at.hour == 14
    assert parsed.approximate is True


@pytest.mark.parametrize("typed", ["", "   ", "just after the page", "when the second alert fired", "after 3 retries"])
def test_times_in_words_or_none_are_kept_without_a_moment(typed: str) -> None:
    parsed = parse_time(typed, day=DAY)
    assert parsed.at is None
    assert parsed.approximate is True


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("25:61", "not a clock time"),
        ("14:0x", "not readable"),
        ("13pm", "12-hour clock"),
        ("2026-13-45 10:00", "not a real date"),
        ("14:02 Mars/Olympus", "not known"),
    ],
)
def test_unreadable_times_raise_one_line_naming_the_text(typed: str, says: str) -> None:
    with pytest.raises(PmError) as caught:
        parse_time(typed, day=DAY)
    assert says in str(caught.value)
    assert "\n" not in str(caught.value)


def test_without_an_incident_day_times_still_order_within_the_day() -> None:
    early, late = parse_time("09:00"), parse_time("17:30")
    assert early.at is not None and late.at is not None
    assert early.at < late.at
    assert early.approximate is False
