"""The records pminterview keeps on disk, as pydantic models.

Three kinds of file, each with one writer:
- `Incident` (incident.toml): what happened, written by the facilitator with `pminterview new`.
- `Account` (accounts/<participant>.toml): one responder's own account, written only by them.
- `Postmortem` (postmortem.toml): the facilitator's merged draft and their edits.

Every file carries `schema_version`; unknown fields are rejected so that a typo or a file from
a newer version is reported instead of silently dropped.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_serializer, field_validator

from pminterview.textsafety import clean, name_problem

SCHEMA_VERSION = 1

#: Text typed by people: kept verbatim apart from control characters (see `textsafety`).
Text = Annotated[str, AfterValidator(clean)]
ShortText = Annotated[str, StringConstraints(max_length=200), AfterValidator(clean)]


def _safe_name(value: str) -> str:
    problem = name_problem(value)
    if problem:
        raise ValueError(f"{problem} (it names files and folders)")
    return value


#: An identifier that may end up in a file name: the same rule as participant names.
SafeName = Annotated[str, AfterValidator(_safe_name)]


def _clean_strings(value: object) -> object:
    # Plain `str` fields, list items and dict keys (ids, question keys, sources) are shown
    # and exported too, so they get the same treatment as `Text`.
    if type(value) is str:
        return clean(value)
    if isinstance(value, list):
        return [_clean_strings(item) for item in value]
    if isinstance(value, dict):
        return {_clean_strings(key): _clean_strings(item) for key, item in value.items()}
    return value


class Record(BaseModel):
    """Base for every stored model: strict about unknown fields, validated on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: object) -> object:
        return _clean_strings(value)


# --- the incident -----------------------------------------------------------------------------


class Incident(Record):
    """The incident being reviewed (incident.toml)."""

    schema_version: int = SCHEMA_VERSION
    id: SafeName
    """Folder-safe identifier, derived from the title when not given."""
    title: ShortText
    started: dt.datetime | None = None
    """When the incident started, timezone-aware; the date anchors bare times like 14:02."""
    timezone: Text = "UTC"
    """IANA name (or UTC); bare times in accounts are read in this zone."""
    summary: Text = ""
    impact: Text = ""


# --- one responder's account ------------------------------------------------------------------


class AccountStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class DismissedHint(Record):
    """A lint hint the person dismissed ("this is about a system, not a person").

    Keyed by rule and the matched text rather than by position, so the dismissal survives
    edits elsewhere in the answer.
    """

    rule_id: str
    excerpt: Text


class Answer(Record):
    """The answer to one free-text question."""

    text: Text = ""
    off_record: bool = False
    """Off the record: the facilitator may read it; it never reaches an export."""
    dismissed: list[DismissedHint] = Field(default_factory=list)


class TimelineEntry(Record):
    """One moment in the responder's own timeline.

    `time` is kept exactly as typed ("14:02", "around 14:00", "just after the page", or empty);
    `at` is the moment it was read as, when it could be read; `approximate` marks rough times.
    """

    time: Text = ""
    at: dt.datetime | None = None
    approximate: bool = False
    saw: Text = ""
    """What I saw or knew."""
    did: Text = ""
    """What I did."""
    expected: Text = ""
    """What I expected to happen."""
    off_record: bool = False


class SafeguardKind(StrEnum):
    MISSING = "missing"
    FAILED = "failed"
    IN_THE_WAY = "in-the-way"
    HELPED = "helped"


class Safeguard(Record):
    """A safeguard that was missing, failed, got in the way, or helped."""

    kind: SafeguardKind
    description: Text
    off_record: bool = False


class Suggestion(Record):
    """A change to the system that would make this easier next time."""

    text: Text
    off_record: bool = False


class Cursor(Record):
    """Where the person was, so a later start resumes there."""

    question: str = ""
    row: int = 0
    column: int = 0


class Account(Record):
    """One responder's account of the incident (accounts/<participant>.toml)."""

    schema_version: int = SCHEMA_VERSION
    participant: Text
    """Login or chosen name; never appears in exports."""
    role: ShortText = ""
    """How this person appears in everything exported ("on-call SRE")."""
    status: AccountStatus = AccountStatus.DRAFT
    updated: dt.datetime | None = None
    """Last edit; changes only when the content does."""
    submitted: dt.datetime | None = None
    answers: dict[str, Answer] = Field(default_factory=dict)
    """Free-text answers keyed by the guide's question id."""
    timeline: list[TimelineEntry] = Field(default_factory=list)
    safeguards: list[Safeguard] = Field(default_factory=list)
    suggestions: list[Suggestion] = Field(default_factory=list)
    cursor: Cursor = Field(default_factory=Cursor)

    @field_serializer("answers")
    def _answers_sorted(self, answers: dict[str, Answer]) -> dict[str, Answer]:
        # Same content, same bytes, whatever order the questions were answered in.
        return dict(sorted(answers.items()))

    def answer(self, question_id: str) -> Answer:
        """The answer to a question, empty if not answered yet."""
        return self.answers.get(question_id) or Answer()


# --- the facilitator's postmortem -------------------------------------------------------------


class Perspective(Record):
    """What one role reported about a moment."""

    role: Text
    time: Text = ""
    """The time as this role gave it, in the incident's zone ("14:03", "~14:00", or the words
    typed, such as "just after the page"); it may differ from the merged entry's time."""
    saw: Text = ""
    did: Text = ""
    expected: Text = ""


class MergedTimelineEntry(Record):
    """A moment in the merged timeline, with every role's perspective on it."""

    time: Text = ""
    """Display time in the incident's zone, or the rough description."""
    at: dt.datetime | None = None
    approximate: bool = False
    perspectives: list[Perspective] = Field(default_factory=list)


class DifferingAccount(Record):
    """Where accounts disagree: kept side by side as an open question, not resolved."""

    topic: Text
    versions: list[Perspective] = Field(default_factory=list)
    note: Text = ""


class FactorKind(StrEnum):
    """Where a contributing factor came from in the accounts."""

    MISSING_SAFEGUARD = "missing-safeguard"
    FAILED_SAFEGUARD = "failed-safeguard"
    SAFEGUARD_IN_THE_WAY = "safeguard-in-the-way"
    SURPRISE = "surprise"
    CONFUSION = "confusion"
    """A tool, dashboard, doc or alert that was confusing in the moment."""
    OTHER = "other"
    """Written by the facilitator."""


class ContributingFactor(Record):
    """A condition that contributed; each is necessary, only jointly sufficient."""

    id: str
    title: Text
    description: Text = ""
    kind: FactorKind = FactorKind.OTHER
    raised_by: list[Text] = Field(default_factory=list)
    """Roles that raised it."""
    sources: list[str] = Field(default_factory=list)
    """Content keys of the account material it was merged from, so a later merge finds this
    factor again even after the facilitator rewrote its title. Empty for the facilitator's own."""
    edited: bool = False
    """Set when the facilitator changed it; a later merge keeps their text."""


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    WONT_DO = "wont-do"


class ActionType(StrEnum):
    PREVENT = "prevent"
    DETECT = "detect"
    MITIGATE = "mitigate"
    PROCESS = "process"


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Action(Record):
    """A systemic action item, in the fields good trackers use."""

    id: str
    title: Text
    """Verb first, specific, bounded."""
    description: Text = ""
    owner: Text = ""
    due: dt.date | None = None
    priority: Priority = Priority.MEDIUM
    status: ActionStatus = ActionStatus.OPEN
    status_reason: Text = ""
    """Required when the status is won't do."""
    type: ActionType = ActionType.PREVENT
    tracker: Text = ""
    """Link to the external tracker."""
    created: dt.date | None = None
    completed: dt.date | None = None
    factors: list[str] = Field(default_factory=list)
    """Ids of the contributing factors it addresses."""
    raised_by: list[Text] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    """Content keys of the suggestions and safeguards it was drafted from (see
    ContributingFactor.sources). Empty for the facilitator's own actions."""
    needs_rewrite: bool = False
    """The lint flagged it as vigilance or person-directed; kept, to be rewritten."""
    rewrite_hint: Text = ""
    edited: bool = False

    @property
    def declined(self) -> bool:
        """A won't-do with its reason: the document records what was asked for and why not,
        so its wording stands as asked (a declined "be more careful" is worth keeping)."""
        return self.status == ActionStatus.WONT_DO and bool(self.status_reason.strip())

    @property
    def awaits_rewrite(self) -> bool:
        """Flagged by the lint and not declined: its wording must change before sharing."""
        return self.needs_rewrite and not self.declined


class Reframe(Record):
    """A sentence from an account that carries blame, left out of the narrative for the
    facilitator to reframe."""

    role: Text
    source: str
    """Where it came from, as a field path in the account."""
    text: Text
    category: str
    suggestion: Text = ""


class Postmortem(Record):
    """The facilitator's merged draft (postmortem.toml) and the export's structured content."""

    schema_version: int = SCHEMA_VERSION
    incident: Incident
    roles: list[Text] = Field(default_factory=list)
    """Roles of everyone who gave an account, in a stable order."""
    summary: Text = ""
    impact: Text = ""
    narrative: Text = ""
    narrative_edited: bool = False
    narrative_roles: list[Text] = Field(default_factory=list)
    """Roles whose accounts the narrative was drafted from. An edited narrative keeps the list
    it had, so accounts merged later can be named as missing from it."""
    timeline: list[MergedTimelineEntry] = Field(default_factory=list)
    surprises: list[Text] = Field(default_factory=list)
    surprises_edited: bool = False
    """Set when the facilitator changed the list; a later merge keeps it as it is."""
    went_well: list[Text] = Field(default_factory=list)
    went_well_edited: bool = False
    open_questions: list[Text] = Field(default_factory=list)
    open_questions_edited: bool = False
    differing_accounts: list[DifferingAccount] = Field(default_factory=list)
    factors: list[ContributingFactor] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    to_reframe: list[Reframe] = Field(default_factory=list)
    supporting_material: list[Text] = Field(default_factory=list)
