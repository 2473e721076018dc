"""The postmortem as Markdown that reads well as plain text and renders well.

Sections follow the shared template: summary, impact, timeline, narrative ("how we got here"),
what surprised us, contributing factors and missing safeguards, what went well, open questions
and differing accounts, action items, supporting material. Every piece of text that came from
an account or a field is escaped, so a stray `*`, `#` or `<script>` stays literal; the
narrative is the facilitator's own Markdown and goes in as written, with its headings moved
below the document's. Control characters are stripped from the whole result.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pminterview.merge.factors import KIND_LABEL, rewrite_advice
from pminterview.merge.text import escape_markdown, one_line
from pminterview.model import Action, ActionStatus, MergedTimelineEntry, Perspective, Postmortem
from pminterview.textsafety import clean

_HEADING = re.compile(r"^(#{1,6})(?=\s)", re.MULTILINE)
NONE = "None recorded."


def to_markdown(pm: Postmortem) -> str:
    """The whole document; the same postmortem always gives the same bytes."""
    out: list[str] = [f"# Postmortem: {_inline(pm.incident.title)}", "", _header(pm), ""]
    _section(out, "Summary", [_paragraph(pm.summary)])
    _section(out, "Impact", [_paragraph(pm.impact)])
    _section(out, "Timeline", _timeline(pm))
    _section(out, "How we got here", [_narrative(pm.narrative)])
    _section(out, "What surprised us", _bullets(pm.surprises))
    _section(out, "Contributing factors and missing safeguards", _factors(pm))
    _section(out, "What went well and where we got lucky", _bullets(pm.went_well))
    _section(out, "Open questions and differing accounts", _questions(pm))
    _section(out, "Action items", _actions(pm))
    _section(out, "Supporting material", _bullets(pm.supporting_material))
    text = "\n".join(out)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return clean(text.strip()) + "\n"


def _inline(text: str) -> str:
    escaped = escape_markdown(one_line(text))
    # A fragment is followed by the document's own text ("role: saw …"), so a bracket closing
    # it could pair with what comes next ("[ops]: …" is a link definition): escape it too.
    if escaped.endswith("]") and not escaped.endswith("\\]"):
        escaped = escaped[:-1] + "\\]"
    return escaped


def _paragraph(text: str) -> str:
    return escape_markdown(text.strip()) if text.strip() else NONE


def _header(pm: Postmortem) -> str:
    parts = []
    if pm.incident.started is not None:
        parts.append(f"Started {_in_incident_zone(pm.incident.started, pm.incident.timezone)}")
    parts.append(f"times in {_inline(pm.incident.timezone or 'UTC')}")
    if pm.roles:
        parts.append("accounts from: " + ", ".join(_inline(r) for r in pm.roles))
    return " · ".join(parts) + "."


def _in_incident_zone(moment: dt.datetime, zone_name: str) -> str:
    """`moment` as the rest of the document gives times: in the incident's zone, with the
    zone's abbreviation ("2026-11-27 15:00 CET"). An unknown zone leaves it as stored."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    try:
        zone: dt.tzinfo = ZoneInfo(zone_name) if zone_name and zone_name != "UTC" else dt.timezone.utc
    except (ZoneInfoNotFoundError, ValueError):
        zone = moment.tzinfo
    local = moment.astimezone(zone)
    return _inline(f"{local:%Y-%m-%d %H:%M} {local.tzname() or zone_name}".strip())


def _section(out: list[str], title: str, body: list[str]) -> None:
    out.append(f"## {title}")
    out.append("")
    out.extend(body if body and any(b.strip() for b in body) else [NONE])
    out.append("")


def _bullets(items: list[str]) -> list[str]:
    return [f"- {_indented(escape_markdown(item.strip()), 2)}" for item in items if item.strip()]


def _indented(text: str, spaces: int) -> str:
    # Continuation lines of a list item must be indented to stay inside it.
    pad = " " * spaces
    return ("\n" + pad).join(line if line else "" for line in text.split("\n"))


def _perspective(view: Perspective, with_time: bool) -> str:
    fields = [f"{name}: {_inline(value)}" for name, value in (("saw", view.saw), ("did", view.did), ("expected", view.expected)) if value.strip()]
    who = _inline(view.role) + (f" ({_inline(view.time)})" if with_time and view.time else "")
    return f"{who}: " + "; ".join(fields) if fields else who


def _timeline(pm: Postmortem) -> list[str]:
    if not pm.timeline:
        return []
    lines = [f"Times in {_inline(pm.incident.timezone or 'UTC')}; ~ marks an approximate time. Each line is one role's account.", ""]
    for entry in pm.timeline:
        lines.extend(_timeline_entry(entry))
    return lines


def _timeline_entry(entry: MergedTimelineEntry) -> list[str]:
    when = f"**{_inline(entry.time)}**"
    if len(entry.perspectives) == 1:
        view = entry.perspectives[0]
        return [f"- {when} {_perspective(view, view.time != entry.time)}"]
    lines = [f"- {when}"]
    for view in entry.perspectives:
        lines.append(f"  - {_perspective(view, view.time != entry.time)}")
    return lines


def _narrative(text: str) -> str:
    if not text.strip():
        return NONE
    # The facilitator's headings sit below this section's "##".
    return _HEADING.sub(lambda m: "#" * min(6, len(m.group(1)) + 2), clean(text.strip()))


def _factors(pm: Postmortem) -> list[str]:
    if not pm.factors:
        return []
    lines = ["Each of these contributed; none of them alone explains the incident."]
    for number, factor in enumerate(pm.factors, 1):
        # Blank lines around the title: a line right below it would join its paragraph
        # when rendered ("**Title** Missing safeguard · raised by ..." on one line).
        marker = f"{number}. "
        lines.extend(["", f"{marker}**{_inline(factor.title)}**", ""])
        # Indented at least as far as the title, or the lines after the blank one would
        # leave the item (from "100. " on) and render as a code block.
        pad = " " * max(4, len(marker))
        detail = [KIND_LABEL[factor.kind].capitalize()]
        if factor.raised_by:
            detail.append("raised by " + ", ".join(_inline(r) for r in factor.raised_by))
        detail.append(f"id {_inline(factor.id)}")
        lines.append(pad + " · ".join(detail))
        for line in factor.description.split("\n"):
            if line.strip():
                lines.append(f"{pad}- {_inline(line)}")
    return lines


def _questions(pm: Postmortem) -> list[str]:
    lines = _bullets(pm.open_questions)
    if pm.differing_accounts:
        if lines:
            lines.append("")
        lines.extend(["### Differing accounts", "", "Kept side by side, not resolved: each is how that role saw it.", ""])
        for differing in pm.differing_accounts:
            lines.append(f"- **{_inline(differing.topic)}**")
            for view in differing.versions:
                lines.append(f"  - {_perspective(view, True)}")
            if differing.note.strip():
                lines.append(f"  - Note: {_inline(differing.note)}")
    return lines


_STATUS = {
    ActionStatus.OPEN: "open",
    ActionStatus.IN_PROGRESS: "in progress",
    ActionStatus.DONE: "done",
    ActionStatus.WONT_DO: "won't do",
}


def _actions(pm: Postmortem) -> list[str]:
    titles = {f.id: f.title for f in pm.factors}
    lines: list[str] = []
    for number, action in enumerate(pm.actions, 1):
        lines.extend(_action(number, action, titles))
    return lines


def _action(number: int, action: Action, factor_titles: dict[str, str]) -> list[str]:
    lines = [f"{number}. **{_inline(action.title)}** (id {_inline(action.id)})"]
    lines.append(f"    - Status: {_STATUS[action.status]} · Priority: {action.priority.value} · Type: {action.type.value}")
    if action.status == ActionStatus.WONT_DO:
        lines.append(f"    - Reason: {_inline(action.status_reason) or 'not given'}")
    owner = _inline(action.owner) if action.owner.strip() else "not set"
    due = action.due.isoformat() if action.due else "not set"
    lines.append(f"    - Owner: {owner} · Due: {due}")
    if action.factors:
        addressed = [f"{_inline(factor_titles.get(f, f))} ({_inline(f)})" for f in action.factors]
        lines.append("    - Addresses: " + "; ".join(addressed))
    if action.tracker.strip():
        lines.append(f"    - Tracker: {_inline(action.tracker)}")
    dates = []
    if action.created:
        dates.append(f"created {action.created.isoformat()}")
    if action.completed:
        dates.append(f"completed {action.completed.isoformat()}")
    if dates:
        lines.append("    - " + capitalise_first(", ".join(dates)))
    if action.raised_by:
        lines.append("    - Raised by: " + ", ".join(_inline(r) for r in action.raised_by))
    if action.awaits_rewrite:
        lines.append(f"    - {_inline(rewrite_advice(action.rewrite_hint))}")
    for line in action.description.split("\n"):
        if line.strip():
            lines.append(f"    - {_inline(line)}")
    return lines


def capitalise_first(text: str) -> str:
    return text[:1].upper() + text[1:]
