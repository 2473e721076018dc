"""The facilitator's working state: the accounts on disk, the merged postmortem, and saving.

Kept free of widgets so the rules (when to re-merge, when a save is needed) read in one place
and can be tested without a screen. The screen calls `changed()` every couple of seconds; it is
cheap (one `stat` per file) and reports a change only when a file's size or mtime moved.

A merge of many accounts takes a noticeable time, so the screen runs it in another thread, in
three steps: `start_merge()` takes a copy of the document (on the screen's thread),
`run_merge()` reads the files and merges (on any thread: it changes nothing in the session),
and `finish_merge()` puts the result in place (on the screen's thread again), unless the
facilitator edited the document meanwhile, in which case the screen merges again from there
once the typing pauses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pminterview import locations
from pminterview.errors import PmError
from pminterview.export.selection import named, submitted_only
from pminterview.guide import Guide, load_guide
from pminterview.model import Account, Postmortem
from pminterview.workspace import AccountEntry, Workspace, to_toml

#: One file's identity for change detection: name, mtime in ns, size.
Stamp = tuple[str, int, int]

MergeFunction = Callable[..., Postmortem]


def _default_merge() -> MergeFunction:
    from pminterview.merge import merge

    return merge


@dataclass(frozen=True)
class MergeJob:
    """What a merge starts from: the document as it was when the merge began, as plain data
    (a copy, so the screen can go on editing the document while the merge reads this)."""

    previous: dict[str, Any] | None
    asked: bool = False
    """True when the facilitator asked for this merge, False when a changed file started it."""


@dataclass
class Merged:
    """A finished merge, waiting to be put in place by `Session.finish_merge`."""

    job: MergeJob
    stamps: tuple[Stamp, ...] = ()
    entries: list[AccountEntry] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    postmortem: Postmortem | None = None
    error: PmError | None = None
    """Set when the incident could not be read; the rest is then empty."""


class Session:
    """One facilitator session over an incident folder.

    `postmortem` is the live document, merged from the submitted accounts only: the screen
    edits it in place, then calls `save()` (via autosave). A merge (`reload()`, or the three
    steps above) rebuilds it from the accounts, passing the current document as `previous`
    so the facilitator's edits survive.
    """

    def __init__(
        self,
        workspace: Workspace,
        *,
        today: dt.date | None = None,
        guide: Guide | None = None,
        merge: MergeFunction | None = None,
    ) -> None:
        self.workspace = workspace
        self.today = today
        self.guide = guide or load_guide()
        self._merge = merge or _default_merge()
        self.entries: list[AccountEntry] = []
        self.waiting: list[str] = []
        self._stamps: tuple[Stamp, ...] = ()
        self._saved_text: str | None = None
        self.merges = 0
        # A damaged postmortem.toml raises PmError here, before any screen opens, so it is
        # reported and never overwritten by a fresh draft.
        previous = workspace.load_postmortem()
        if previous is not None:
            self._saved_text = to_toml(previous)
        self._previous: Postmortem | None = previous
        self.reload()

    # --- the accounts ---------------------------------------------------------------------

    @property
    def accounts(self) -> list[Account]:
        """The accounts that loaded; unreadable files are in `entries` with their error."""
        return [entry.account for entry in self.entries if entry.account is not None]

    def _scan(self) -> tuple[Stamp, ...]:
        stamps: list[Stamp] = []
        paths = [locations.incident_file(self.workspace.root)]
        folder = locations.accounts_dir(self.workspace.root)
        if folder.is_dir():
            paths.extend(sorted(folder.iterdir()))
        for path in paths:
            name = path.name
            # Temporary files of an atomic write come and go; only finished files count.
            if name.endswith(locations.TEMP_SUFFIX):
                continue
            if not (name.endswith(".toml") or name.endswith(".lock")):
                continue
            try:
                info = path.lstat()
            except OSError:
                continue
            stamps.append((name, info.st_mtime_ns, info.st_size))
        return tuple(stamps)

    def _waiting(self, entries: list[AccountEntry]) -> list[str]:
        """Participants who opened an interview (a lock file exists) but saved nothing yet."""
        folder = locations.accounts_dir(self.workspace.root)
        if not folder.is_dir():
            return []
        known = {entry.participant for entry in entries}
        names: list[str] = []
        for path in sorted(folder.glob(".*.lock")):
            name = path.name[1 : -len(".lock")]
            if name and name not in known:
                names.append(name)
        return names

    def changed(self) -> bool:
        """True when a file in the folder changed since the last merge read it.

        Nothing is read while the folder is unchanged, so an idle screen does no work.
        """
        return self._scan() != self._stamps

    def reload(self) -> None:
        """Read every account again and merge, here and now, keeping the facilitator's edits.
        Raises PmError when incident.toml cannot be read."""
        merged = self.run_merge(self.start_merge())
        if merged.error is not None:
            raise merged.error
        self.finish_merge(merged)

    def start_merge(self, asked: bool = False) -> MergeJob:
        """The start of a merge: a copy of the document as it is now; `asked` is kept with it."""
        return MergeJob(None if self._previous is None else self._previous.model_dump(), asked)

    def run_merge(self, job: MergeJob) -> Merged:
        """Read the folder and merge the accounts into the document of `job`.

        Safe on another thread: it reads files and `job`, and changes nothing in the session.
        """
        stamps = self._scan()
        try:
            incident = self.workspace.incident()
        except PmError as err:
            return Merged(job, stamps, error=err)
        entries = self.workspace.accounts()
        accounts = [entry.account for entry in entries if entry.account is not None]
        previous = None if job.previous is None else Postmortem.model_validate(job.previous)
        # Only submitted accounts reach the document: a draft is private until its author
        # submits it. Drafts still show in the Participants tab and in readiness.
        postmortem = self._merge(
            incident, submitted_only(accounts), previous, guide=self.guide, today=self.today, also_named=named(entries)
        )
        return Merged(job, stamps, entries, self._waiting(entries), postmortem)

    def merge_failed(self, merged: Merged) -> None:
        """Take note of a merge that could not read the incident: the folder as it was then
        is not tried again until a file changes."""
        self._stamps = merged.stamps

    def finish_merge(self, merged: Merged) -> bool:
        """Put a finished merge in place; False, changing nothing, when the document was
        edited after the merge started (merge again, or those edits would be lost)."""
        if merged.postmortem is None:
            return False
        current = None if self._previous is None else self._previous.model_dump()
        if current != merged.job.previous:
            return False
        self._stamps = merged.stamps
        self.entries = merged.entries
        self.waiting = merged.waiting
        self.postmortem: Postmortem = merged.postmortem
        self._previous = self.postmortem
        self.merges += 1
        return True

    # --- saving ---------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        """True when postmortem.toml does not hold the current document."""
        return to_toml(self.postmortem) != self._saved_text

    def save(self) -> bool:
        """Write postmortem.toml when the document changed; True when it wrote.

        Writing only on a change keeps the file's bytes (and git diffs) still while nobody
        edits. Raises PmError when the folder cannot be written.
        """
        text = to_toml(self.postmortem)
        if text == self._saved_text:
            return False
        self.workspace.save_postmortem(self.postmortem)
        self._saved_text = text
        return True

    @property
    def postmortem_path(self) -> Path:
        return locations.postmortem_file(self.workspace.root)
