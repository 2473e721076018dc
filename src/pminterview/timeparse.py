"""Read the times people type into a timeline.

Accepted: "14:02", "14:02:30", "2:02pm", "14:02 UTC", "14:02 +01:00", "2026-11-27 14:02",
"2026-11-27T14:02Z". A rough time ("around 14:00", "~14:00", "about 2pm") is read and marked
approximate. Words with no clock time in them ("just after the page") and an empty field are
kept as typed, with no moment attached. Only something that looks like a clock time but is not
one ("25:61", "14:0x") is an error, reported as one line for the person to fix.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pminterview.errors import PmError

_ROUGH_WORDS = re.compile(
    r"^\s*(~|approx\.?|approximately|around|about|roughly|circa|ca\.|c\.|sometime around|"
    r"shortly (?:before|after)|just (?:before|after)|before|after|by)\s*", re.IGNORECASE
)
_TIME = re.compile(
    r"^(?:(?P<date>\d{4}-\d{2}-\d{2})[ T])?"
    r"(?P<hour>\d{1,2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?\s*(?P<ampm>[ap]\.?m\.?)?"
    r"\s*(?P<zone>Z|UTC|GMT|[+-]\d{2}:?\d{2}|[A-Za-z]+/[A-Za-z_]+)?\s*$",
    re.IGNORECASE,
)
_LOOKS_LIKE_TIME = re.compile(r"\d{1,2}\s*[:h.]\s*\d|\d{4}-\d{2}-\d{2}|\d\s*[ap]\.?m\b", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedTime:
    """What a typed time was read as: a moment (or none) and whether it is rough."""

    at: dt.datetime | None
    approximate: bool


def zone(name: str) -> dt.tzinfo:
    """The time zone called `name`; raises PmError naming it when unknown."""
    if name.upper() in ("UTC", "Z", "GMT", ""):
        return dt.timezone.utc
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise PmError(f"time zone {name!r} is not known; use an IANA name such as Europe/Berlin, or UTC") from None


def parse_time(text: str, *, day: dt.date | None = None, tz: str = "UTC") -> ParsedTime:
    """Read `text` as a moment on `day` (the incident's date) in zone `tz`.

    Returns a moment in UTC, or None for a time given only in words. Raises PmError with the
    typed text when it looks like a clock time but cannot be one.
    """
    raw = text.strip()
    if not raw:
        return ParsedTime(None, approximate=True)
    rough = _ROUGH_WORDS.match(raw)
    body = raw[rough.end():] if rough else raw
    match = _TIME.match(body)
    if match is None:
        if _LOOKS_LIKE_TIME.search(raw):
            raise PmError(f"time {raw!r} is not readable; write it like 14:02, 14:02 UTC or 2026-11-27 14:02")
        # Words only, or a bare number with words: a rough position, kept as typed.
        return ParsedTime(None, approximate=True)
    if match["minute"] is None and match["ampm"] is None and match["date"] is None:
        # "after 3 retries" is not a time; keep it as words.
        return ParsedTime(None, approximate=True)
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
    second = int(match["second"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            raise PmError(f"time {raw!r} is not readable: {hour} is not an hour on a 12-hour clock")
        hour = hour % 12 + (12 if match["ampm"].lower().startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise PmError(f"time {raw!r} is not a clock time; hours go to 23 and minutes to 59")
    if match["date"]:
        try:
            day = dt.date.fromisoformat(match["date"])
        except ValueError:
            raise PmError(f"date in {raw!r} is not a real date; write it as YYYY-MM-DD") from None
    tzinfo = _zone_of(match["zone"]) if match["zone"] else zone(tz)
    local = dt.datetime.combine(day or dt.date(1970, 1, 1), dt.time(hour, minute, second), tzinfo)
    # Without an incident date, times still order correctly within one day.
    return ParsedTime(local.astimezone(dt.timezone.utc), approximate=rough is not None)


def _zone_of(token: str) -> dt.tzinfo:
    if token[0] in "+-":
        digits = token[1:].replace(":", "")
        offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        if offset > dt.timedelta(hours=14):
            raise PmError(f"time zone offset {token!r} is out of range; offsets go to ±14:00")
        return dt.timezone(offset if token[0] == "+" else -offset)
    return zone(token)
