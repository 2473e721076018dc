"""Read an account from a Markdown transcript the facilitator typed during or after a call.

The format is plain Markdown a person writes by hand (the README has a full example):

- `# Title` on the first heading line is optional and ignored.
- `Role: on-call SRE` before the first section, or in the role section, gives the role when
  `--role` is not passed (`--role` wins).
- `## <section>` starts a section of the guide, matched without regard to case or punctuation
  by its title ("What you saw and knew, and when"), its id ("knew"), the first words of its
  title ("What you saw"), or a question's id or prompt ("## cues"), which then targets that
  one question.
- `### <question>` inside a section picks one of its questions by id or prompt. Prose directly
  under a `##` section goes to the section's first free-text question.
- List lines (`- `, `* `, `1. `) in a section with a timeline, safeguards or suggestions
  question are items of that list; in other sections they are part of the prose. An indented
  line under an item continues it.
- Timeline items: `- 14:02 saw the disk alert on db-2; restarted the replica; expected it to
  catch up`. The time comes first and may be rough (`around 14:00`, `~14:00`, `2:05pm`,
  `2026-11-27 14:02`, `14:02 UTC`); a time in words goes in brackets (`- [just after the page]
  ...`) and no time at all is fine. Up to three fields separated by `;`: what was seen, done and
  expected, in that order, or labelled in any order (`did: ...; saw: ...`).
- Safeguard items: `- missing: ...`, `- failed: ...`, `- in the way: ...`, `- helped: ...`.
- Suggestion items: `- ...`, one change each.
- `(off the record)` in a heading marks everything under it; on a list item, that item; in
  prose, the whole answer (answers are kept off the record as a whole); alone on a line,
  everything after it under the same heading.

A line that cannot be read is an error naming the source and the line number: nothing is
dropped silently. The account is stored as *submitted*: the facilitator typed it from a call
that has ended, and it would otherwise never count as ready; the person still reviews the
merged draft ("calibration") before the postmortem is final.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from pminterview.errors import PmError, validation_problem
from pminterview.guide import Guide, Question, QuestionKind, Section
from pminterview.model import (
    Account,
    AccountStatus,
    Answer,
    Incident,
    Safeguard,
    SafeguardKind,
    Suggestion,
    TimelineEntry,
)
from pminterview.timeparse import parse_time, zone

__all__ = ["parse_transcript"]

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+(.*)$")
_OFF_RECORD = re.compile(r"\s*[(\[]\s*off[\s-]+(?:the[\s-]+)?record\s*[)\]]\s*", re.IGNORECASE)
_ROLE_LINE = re.compile(r"^\s*role\s*:\s*(.*?)\s*$", re.IGNORECASE)
_ROUGH = r"(?:~\s*|(?:approx\.?|approximately|around|about|roughly|circa|shortly before|shortly after|just before|just after|before|after|by)\s+)"
_CLOCK = (
    r"(?:\d{4}-\d{2}-\d{2}[ T])?\d{1,2}(?::\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?|\s*[ap]\.?m\.?)"
    r"(?:\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})(?![\w]))?"
)
_LEADING_TIME = re.compile(rf"^(?P<time>{_ROUGH}?{_CLOCK})(?=$|[\s,;:·–—-])[\s,:·–—-]*(?P<rest>.*)$", re.IGNORECASE)
_WORDS_TIME = re.compile(r"^\[(?P<time>[^\]]*)\]\s*[,:·–—-]?\s*(?P<rest>.*)$")
_TIME_LIKE = re.compile(r"^(?:~\s*)?\d{1,2}\s*[:h.]\s*\d", re.IGNORECASE)
_LABEL = re.compile(r"^(saw|knew|did|expected|expect|expecting)\s*:\s*(.*)$", re.IGNORECASE)
_UNLABELLED_LEAD = {
    "saw": re.compile(r"^(?:i\s+)?(?:saw|noticed)\s+", re.IGNORECASE),
    "did": re.compile(r"^did\s+(?=\w)", re.IGNORECASE),
    "expected": re.compile(r"^(?:i\s+)?(?:expected|expecting)\s+", re.IGNORECASE),
}
_SAFEGUARD = re.compile(
    r"^(?P<kind>missing|failed|in[\s-]+the[\s-]+way|got[\s-]+in[\s-]+the[\s-]+way|helped)\s*[:·–—-]\s*(?P<text>.*)$",
    re.IGNORECASE,
)
_STRUCTURED = (QuestionKind.TIMELINE, QuestionKind.SAFEGUARDS, QuestionKind.SUGGESTIONS)
_FIELDS = ("saw", "did", "expected")


@dataclass
class _Item:
    kind: QuestionKind
    line: int
    text: str
    off: bool


@dataclass
class _State:
    section: Section | None = None
    question: Question | None = None
    """Set by a heading that names one question; otherwise the section decides per line."""
    off: bool = False
    item: _Item | None = None
    titled: bool = False
    answers: dict[str, list[str]] = field(default_factory=dict)
    off_answers: set[str] = field(default_factory=set)
    items: list[_Item] = field(default_factory=list)
    role: str = ""


def parse_transcript(
    text: str,
    participant: str,
    role: str,
    guide: Guide,
    incident: Incident,
    *,
    source: str = "<transcript>",
    now: dt.datetime | None = None,
) -> Account:
    """The account in `text`, as a submitted account of `participant`.

    `role` (from --role) wins over a `Role:` line in the transcript. `now` stamps the account
    (default: the current time). Raises PmError naming `source` and the line for anything it
    cannot read.
    """
    reader = _Reader(guide, source)
    state = _State()
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        reader.line(state, number, raw.rstrip())
    reader.close_item(state)
    return _account(state, participant, role, incident, source, now)


class _Reader:
    def __init__(self, guide: Guide, source: str) -> None:
        self.guide = guide
        self.source = source

    def error(self, number: int, message: str) -> PmError:
        return PmError(f"{self.source}, line {number}: {message}")

    # --- one line ---------------------------------------------------------------------

    def line(self, state: _State, number: int, line: str) -> None:
        heading = _HEADING.match(line)
        if heading:
            self.close_item(state)
            self.heading(state, number, len(heading.group(1)), heading.group(2))
            return
        if not line.strip():
            self.close_item(state)
            if state.section is not None:
                target = self._prose_target(state)
                if target is not None and state.answers.get(target.id):
                    state.answers[target.id].append("")
            return
        if state.section is None:
            role = _ROLE_LINE.match(line)
            if role:
                state.role = role.group(1)
                return
            raise self.error(
                number, "text before the first '## section' heading; put it under a heading such as '## Anything else'"
            )
        if _OFF_RECORD.fullmatch(line):
            self.close_item(state)
            state.off = True
            self._mark_prose_off(state)
            return
        if state.item is not None and line[:1] in (" ", "\t") and not _ITEM.match(line):
            state.item.text += " " + line.strip()
            return
        item = _ITEM.match(line)
        structured = self._structured_question(state)
        if item and structured is not None:
            self.close_item(state)
            body = item.group(1)
            off = state.off
            if _OFF_RECORD.search(body):
                off, body = True, _OFF_RECORD.sub(" ", body).strip()
            state.item = _Item(structured.kind, number, body, off)
            return
        self.close_item(state)
        role = _ROLE_LINE.match(line)
        if role and self._has_role_question(state):
            state.role = role.group(1)
            return
        target = self._prose_target(state)
        if target is None:
            raise self.error(number, self._structured_hint(structured))
        if target.kind == QuestionKind.ROLE:
            state.role = _OFF_RECORD.sub(" ", line).strip()
            return
        if _OFF_RECORD.search(line):
            state.off_answers.add(target.id)
            line = _OFF_RECORD.sub(" ", line).strip()
        if state.off:
            state.off_answers.add(target.id)
        state.answers.setdefault(target.id, []).append(line)

    def heading(self, state: _State, number: int, level: int, title: str) -> None:
        off = bool(_OFF_RECORD.search(title))
        title = _OFF_RECORD.sub(" ", title).strip()
        if level == 1:
            if state.titled or state.section is not None:
                raise self.error(number, f"'# {title}': only the first heading may be a '#' title; use '## ' for sections")
            state.titled = True
            return
        if level == 2:
            found = self._find_top(title)
            if found is None:
                titles = "; ".join(s.title for s in self.guide.sections)
                raise self.error(number, f"heading {title!r} matches no section of the guide; use one of: {titles}")
        else:
            if state.section is None:
                raise self.error(number, f"'{'#' * level} {title}' comes before any '## section' heading; add the section first")
            found = self._find_question(state.section, title)
            if found is None:
                ids = ", ".join(q.id for q in state.section.questions)
                raise self.error(number, f"heading {title!r} is not a question of section {state.section.title!r}; use one of: {ids}")
        if isinstance(found, Section):
            state.section, state.question = found, None
        else:
            state.section, state.question = self.guide.section_of(found.id), found
        state.off = off
        self._mark_prose_off(state)

    # --- where a line goes ------------------------------------------------------------

    def _structured_question(self, state: _State) -> Question | None:
        if state.question is not None:
            return state.question if state.question.kind in _STRUCTURED else None
        assert state.section is not None
        return next((q for q in state.section.questions if q.kind in _STRUCTURED), None)

    def _prose_target(self, state: _State) -> Question | None:
        if state.question is not None:
            return state.question if state.question.kind in (QuestionKind.TEXT, QuestionKind.ROLE) else None
        if state.section is None:
            return None
        return next((q for q in state.section.questions if q.kind == QuestionKind.TEXT), None)

    def _has_role_question(self, state: _State) -> bool:
        if state.question is not None:
            return state.question.kind == QuestionKind.ROLE
        return state.section is not None and any(q.kind == QuestionKind.ROLE for q in state.section.questions)

    def _mark_prose_off(self, state: _State) -> None:
        target = self._prose_target(state)
        if state.off and target is not None:
            state.off_answers.add(target.id)

    def _structured_hint(self, question: Question | None) -> str:
        examples = {
            QuestionKind.TIMELINE: "a timeline line such as '- 14:02 saw the alert; restarted the replica; expected it to recover'",
            QuestionKind.SAFEGUARDS: "a safeguard line such as '- missing: no alert on pool saturation' (missing, failed, in the way, helped)",
            QuestionKind.SUGGESTIONS: "a suggestion line such as '- Alert on pool saturation'",
        }
        if question is not None and question.kind in examples:
            return f"here each line is a list item: {examples[question.kind]}"
        return "this line has no question to go to; put it under a section with free-text questions"

    # --- finding sections and questions -----------------------------------------------

    def _find_top(self, title: str) -> Section | Question | None:
        wanted = _norm(title)
        if not wanted:
            return None
        for section in self.guide.sections:
            if wanted in (_norm(section.title), _norm(section.id)):
                return section
        for question in self.guide.questions:
            if wanted in (_norm(question.id), _norm(question.prompt)):
                return question
        # The first words of a title ("What you saw") are enough when they are not too few.
        if len(wanted.split()) >= 2:
            for section in self.guide.sections:
                if _norm(section.title).startswith(wanted + " ") :
                    return section
            for question in self.guide.questions:
                if len(wanted.split()) >= 3 and _norm(question.prompt).startswith(wanted + " "):
                    return question
        return None

    def _find_question(self, section: Section, title: str) -> Question | None:
        wanted = _norm(title)
        for question in section.questions:
            if wanted in (_norm(question.id), _norm(question.prompt)):
                return question
        if len(wanted.split()) >= 3:
            for question in section.questions:
                if _norm(question.prompt).startswith(wanted + " "):
                    return question
        for question in self.guide.questions:
            if wanted == _norm(question.id):
                return question
        return None

    # --- list items -------------------------------------------------------------------

    def close_item(self, state: _State) -> None:
        if state.item is not None:
            if not state.item.text.strip():
                raise self.error(state.item.line, "an empty list item; write the entry or remove the line")
            state.items.append(state.item)
            state.item = None


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


# --- building the account ---------------------------------------------------------------------


def _account(state: _State, participant: str, role: str, incident: Incident, source: str, now: dt.datetime | None) -> Account:
    answers: dict[str, Answer] = {}
    for question_id, lines in state.answers.items():
        text = _tidy(lines)
        if text:
            answers[question_id] = Answer(text=text, off_record=question_id in state.off_answers)
    timeline: list[TimelineEntry] = []
    safeguards: list[Safeguard] = []
    suggestions: list[Suggestion] = []
    day, tz = _incident_day(incident)
    for item in state.items:
        if item.kind == QuestionKind.TIMELINE:
            timeline.append(_timeline_entry(item, day, tz, source))
        elif item.kind == QuestionKind.SAFEGUARDS:
            safeguards.append(_safeguard(item, source))
        else:
            suggestions.append(Suggestion(text=item.text.strip(), off_record=item.off))
    if not (answers or timeline or safeguards or suggestions):
        raise PmError(
            f"{source}: no answers, timeline lines, safeguards or suggestions found; write them under '## <section>' headings of the guide"
        )
    moment = (now or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0)
    try:
        return Account(
            participant=participant,
            role=(role or state.role).strip(),
            status=AccountStatus.SUBMITTED,
            updated=moment,
            submitted=moment,
            answers=answers,
            timeline=timeline,
            safeguards=safeguards,
            suggestions=suggestions,
        )
    except ValidationError as err:
        reason, advice = validation_problem(err.errors(), "shorten or fix it")
        raise PmError(f"{source}: the account {reason}; {advice}") from None


def _tidy(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        if not line.strip() and (not out or not out[-1].strip()):
            continue
        out.append(line.rstrip())
    return "\n".join(out).strip()


def _incident_day(incident: Incident) -> tuple[dt.date | None, str]:
    tz = incident.timezone or "UTC"
    if incident.started is None:
        return None, tz
    try:
        return incident.started.astimezone(zone(tz)).date(), tz
    except PmError:
        return incident.started.date(), "UTC"


def _timeline_entry(item: _Item, day: dt.date | None, tz: str, source: str) -> TimelineEntry:
    def error(message: str) -> PmError:
        return PmError(f"{source}, line {item.line}: {message}")

    text = item.text.strip()
    words = _WORDS_TIME.match(text)
    timed = _LEADING_TIME.match(text)
    if words:
        typed, rest = words["time"].strip(), words["rest"]
    elif timed:
        typed, rest = timed["time"].strip(), timed["rest"]
    elif _TIME_LIKE.match(text):
        raise error(f"the time in {text.split()[0]!r} is not readable; write it like 14:02, ~14:00 or [just after the page]")
    else:
        typed, rest = "", text
    at, approximate = None, True
    if typed:
        try:
            parsed = parse_time(typed, day=day, tz=tz)
        except PmError as err:
            raise error(str(err)) from None
        at, approximate = parsed.at, parsed.approximate
    separator = " · " if " · " in rest and ";" not in rest else ";"
    # Empty fields keep their place: "a; ; c" is what was seen and what was expected.
    parts = [part.strip() for part in rest.split(separator)]
    if len(parts) > 3:
        raise error(
            f"{len(parts)} fields separated by '{separator.strip()}'; a timeline line has at most three "
            "(saw; did; expected) — write other semicolons as commas"
        )
    fields = {"saw": "", "did": "", "expected": ""}
    for position, part in enumerate(parts):
        label = _LABEL.match(part)
        if label:
            name = {"knew": "saw", "expect": "expected", "expecting": "expected"}.get(label.group(1).lower(), label.group(1).lower())
            if fields[name]:
                raise error(f"'{name}' is given twice; give each of saw, did and expected once")
            fields[name] = label.group(2).strip()
        elif part:
            name = _FIELDS[position]
            if fields[name]:
                raise error(f"field {position + 1} would be '{name}', which a label already filled; label every field or none")
            fields[name] = _UNLABELLED_LEAD[name].sub("", part, count=1).strip()
    if not any(fields.values()):
        raise error("a timeline line needs what was seen, done or expected after the time")
    return TimelineEntry(time=typed, at=at, approximate=approximate, off_record=item.off, **fields)


def _safeguard(item: _Item, source: str) -> Safeguard:
    match = _SAFEGUARD.match(item.text.strip())
    if match is None or not match["text"].strip():
        raise PmError(
            f"{source}, line {item.line}: a safeguard line starts with 'missing:', 'failed:', 'in the way:' or 'helped:', "
            "then the safeguard, e.g. '- missing: no alert on pool saturation'"
        )
    kind = match["kind"].lower()
    if "way" in kind:
        kind = SafeguardKind.IN_THE_WAY
    return Safeguard(kind=SafeguardKind(kind), description=match["text"].strip(), off_record=item.off)
