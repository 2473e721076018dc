"""The facilitator's working state: the accounts on disk, the merged postmortem, and saving.

Kept free of widgets so the rules (when to re-merge, when a save is needed) read in one place
and can be tested without a screen. The screen calls `poll()` every couple of seconds; it is
cheap (one `stat` per file) and reports a change only when a file's size or mtime moved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from pminterview import locations
from pminterview.export.selection import submitted_only
from pminterview.guide import Guide, load_guide
from pminterview.model import Account, Postmortem
from pminterview.workspace import AccountEntry, Workspace, to_toml

#: One file's identity for change detection: name, mtime in ns, size.
Stamp = tuple[str, int, int]

MergeFunction = Callable[..., Postmortem]


def _default_merge() -> MergeFunction:
    from pminterview.merge import merge

    return merge


class Session:
    """One facilitator session over an incident folder.

    `postmortem` is the live document, merged from the submitted accounts only: the screen
    edits it in place, then calls `save()` (via
    autosave). `remerge()` rebuilds it from the accounts, passing the current document as
    `previous` so the facilitator's edits survive.
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

    def _waiting(self) -> list[str]:
        """Participants who opened an interview (a lock file exists) but saved nothing yet."""
        folder = locations.accounts_dir(self.workspace.root)
        if not folder.is_dir():
            return []
        known = {entry.participant for entry in self.entries}
        names: list[str] = []
        for path in sorted(folder.glob(".*.lock")):
            name = path.name[1 : -len(".lock")]
            if name and name not in known:
                names.append(name)
        return names

    def poll(self) -> bool:
        """Re-read and re-merge when a file in the folder changed; True when it did.

        Nothing is read and nothing is merged while the folder is unchanged, so an idle
        screen does no work and draws nothing.
        """
        if self._scan() == self._stamps:
            return False
        self.reload()
        return True

    def reload(self) -> None:
        """Read every account again and merge, keeping the facilitator's edits."""
        self._stamps = self._scan()
        incident = self.workspace.incident()
        self.entries = self.workspace.accounts()
        self.waiting = self._waiting()
        # Only submitted accounts reach the document: a draft is private until its author
        # submits it. Drafts still show in the Participants tab and in readiness.
        self.postmortem: Postmortem = self._merge(
            incident, submitted_only(self.accounts), self._previous, guide=self.guide, today=self.today
        )
        self._previous = self.postmortem
        self.merges += 1

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
