"""One person's whole account as text to read: every answered question in the guide's order.

Answers, timeline entries, safeguards and suggestions given off the record are shown, each
marked before its words, so a reader sees the mark before the content. Nothing here writes or
exports anything; it only renders an `Account` for reading.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from pminterview.errors import PmError
from pminterview.guide import Guide, QuestionKind
from pminterview.model import Account, TimelineEntry
from pminterview.timeparse import zone

#: Put before everything given off the record.
OFF_RECORD_MARK = "[off the record]"

#: How each kind of safeguard reads after the person's words were given.
SAFEGUARD_LABELS = {"missing": "missing", "failed": "failed", "in-the-way": "got in the way", "helped": "helped"}
#: Answers indent under their question, details under their entry.
_ANSWER_INDENT = 2
_DETAIL_INDENT = 4


def off_record_count(account: Account) -> int:
    """How many answers, timeline entries, safeguards and suggestions are off the record."""
    items = [*account.answers.values(), *account.timeline, *account.safeguards, *account.suggestions]
    return sum(1 for item in items if item.off_record)


def _marked(text: str, off_record: bool) -> Text:
    line = Text()
    if off_record:
        line.append(OFF_RECORD_MARK, style="bold reverse")
        line.append(" ")
    line.append(text)
    return line


def entry_time(entry: TimelineEntry, zone_name: str, with_zone: bool = True) -> str:
    """When a timeline entry happened, as the reader should see it: "~14:02 UTC" in the
    incident's zone when it was read as a time, else the words typed, else "(no time)"."""
    if entry.at is None:
        return entry.time or "(no time)"
    try:
        tz = zone(zone_name)
    except PmError:
        tz, zone_name = zone("UTC"), "UTC"
    when = f"{'~' if entry.approximate else ''}{entry.at.astimezone(tz):%H:%M}"
    return f"{when} {zone_name}" if with_zone else when


def _timeline_lines(account: Account, zone_name: str) -> list[RenderableType]:
    lines: list[RenderableType] = []
    for entry in account.timeline:
        lines.append(Padding(_marked(entry_time(entry, zone_name), entry.off_record), (0, 0, 0, _ANSWER_INDENT)))
        for label, value in (("saw", entry.saw), ("did", entry.did), ("expected", entry.expected)):
            if value.strip():
                detail = Text()
                detail.append(f"{label}: ", style="italic")
                detail.append(value)
                lines.append(Padding(detail, (0, 0, 0, _DETAIL_INDENT)))
    return lines


def _answer_lines(account: Account, question_id: str, kind: QuestionKind, zone_name: str) -> list[RenderableType]:
    lines: list[RenderableType] = []
    match kind:
        case QuestionKind.ROLE:
            answer = account.answers.get(question_id)
            text = account.role or (answer.text if answer else "")
            if text.strip():
                lines.append(_marked(text, bool(answer and answer.off_record and not account.role)))
            # The role question may also carry a longer answer than the role itself.
            if answer is not None and answer.text.strip() and answer.text.strip() != text.strip():
                lines.append(_marked(answer.text, answer.off_record))
        case QuestionKind.TIMELINE:
            return _timeline_lines(account, zone_name)
        case QuestionKind.SAFEGUARDS:
            for safeguard in account.safeguards:
                label = SAFEGUARD_LABELS.get(safeguard.kind, str(safeguard.kind))
                lines.append(_marked(f"{label}: {safeguard.description}", safeguard.off_record))
        case QuestionKind.SUGGESTIONS:
            for suggestion in account.suggestions:
                lines.append(_marked(f"- {suggestion.text}", suggestion.off_record))
        case _:
            answer = account.answers.get(question_id)
            if answer is not None and answer.text.strip():
                lines.append(_marked(answer.text, answer.off_record))
    return [line if isinstance(line, Padding) else Padding(line, (0, 0, 0, _ANSWER_INDENT)) for line in lines]


def account_renderable(account: Account, guide: Guide, zone_name: str) -> RenderableType:
    """The answered questions of `account` under their sections, in the guide's order.

    Timeline times are shown in `zone_name` (the incident's time zone) and say so. Answers to
    questions the guide no longer asks are listed at the end, so nothing given is hidden.
    """
    parts: list[RenderableType] = []
    asked: set[str] = set()
    for section in guide.sections:
        section_parts: list[RenderableType] = []
        for question in section.questions:
            asked.add(question.id)
            lines = _answer_lines(account, question.id, question.kind, zone_name)
            if lines:
                section_parts.append(Text(question.prompt, style="bold"))
                section_parts.extend(lines)
        if section_parts:
            if parts:
                parts.append(Text(""))
            parts.append(Text(section.title, style="bold underline"))
            parts.extend(section_parts)
    others = [(key, answer) for key, answer in account.answers.items() if key not in asked and answer.text.strip()]
    if others:
        if parts:
            parts.append(Text(""))
        parts.append(Text("Answers to questions the guide no longer asks", style="bold underline"))
        for key, answer in others:
            parts.append(Text(key, style="bold"))
            parts.append(Padding(_marked(answer.text, answer.off_record), (0, 0, 0, _ANSWER_INDENT)))
    if not parts:
        return Text("Nothing answered yet.", style="italic")
    return Group(*parts)
