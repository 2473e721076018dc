"""`pminterview export`: merge the current accounts with the facilitator's postmortem.toml,
then write Markdown or TOML, or with `--check` only say whether it is ready."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import TextIO

from pminterview import locations
from pminterview.errors import PmError
from pminterview.export.markdown import to_markdown
from pminterview.export.readiness import readiness
from pminterview.export.selection import named, submitted_only
from pminterview.export.structured import to_toml
from pminterview.guide import load_guide
from pminterview.merge import merge
from pminterview.workspace import SHARED_MODE, Workspace, atomic_write

EXTENSIONS = {"markdown": "md", "toml": "toml"}


def export_workspace(
    workspace: Workspace, fmt: str, output: Path | None, check: bool, stdout: TextIO, stderr: TextIO
) -> int:
    """Run the export command and return its exit status.

    Exit status: 0 the export is written (or, with `--check`, the postmortem is ready);
    1 the export is written but leaves out an account that does not load (each is named on
    stderr, and the last line on stderr says the export is incomplete), or with `--check`
    the postmortem is not ready; 2 nothing is written: a usage error, or the incident, the
    postmortem or the output path cannot be used (raised as PmError, reported by the CLI).

    Only submitted accounts are merged; `--check` lists the drafts as not submitted yet.
    `--check` writes nothing: it lists why the postmortem is not ready, or says it is ready.
    Exports carry no run date (new actions get no `created` date until the facilitator saves
    the postmortem), so exporting twice gives the same bytes.
    """
    if fmt not in EXTENSIONS:
        raise PmError(f"format {fmt!r} is not known; use markdown or toml")
    incident = workspace.incident()
    entries = workspace.accounts()
    accounts = [entry.account for entry in entries if entry.account is not None]
    unreadable = [entry.error or f"{entry.path}: unreadable" for entry in entries if entry.account is None]
    # Drafts are private until submitted: they count for readiness, never for the document.
    postmortem = merge(
        incident, submitted_only(accounts), workspace.load_postmortem(), guide=load_guide(), also_named=named(entries)
    )

    if check:
        reasons = [f"{problem} (left out of the merge)" for problem in unreadable] + readiness(postmortem, accounts)
        if reasons:
            print("Not ready to share:", file=stdout)
            for reason in reasons:
                print(f"- {reason}", file=stdout)
            return 1
        print("Ready to share.", file=stdout)
        return 0

    for problem in unreadable:
        print(f"pminterview: skipped an account: {problem}", file=stderr)
    text = to_markdown(postmortem) if fmt == "markdown" else to_toml(postmortem)
    if output is not None and str(output) == "-":
        stdout.write(text)
        stdout.flush()
    else:
        target = output or locations.export_file(workspace.root, EXTENSIONS[fmt])
        _refuse_workspace_files(workspace, target)
        # Only a path the person named is written through: the default one sits in a shared
        # folder, where a planted link must be replaced, never followed.
        if output is not None and _written_through(target):
            _write_into(target, text)
        else:
            atomic_write(target, text, SHARED_MODE)
        # On stderr, with the other notes: stdout may be the export itself (-o /dev/stdout).
        print(f"Wrote {target}", file=stderr)
    if unreadable:
        # Written all the same, so people can read what there is; the status tells scripts
        # (and CI) that the document is missing someone's account.
        stdout.flush()
        count = "1 account that does not load" if len(unreadable) == 1 else f"{len(unreadable)} accounts that do not load"
        print(
            f"pminterview: the export is incomplete, it leaves out {count} (named above); "
            "fix or move it aside and export again (exit status 1)",
            file=stderr,
        )
        return 1
    return 0


def _refuse_workspace_files(workspace: Workspace, target: Path) -> None:
    # An export must never replace the incident, an account or the facilitator's working file.
    resolved = target.resolve()
    protected = {locations.incident_file(workspace.root).resolve(), locations.postmortem_file(workspace.root).resolve()}
    accounts = locations.accounts_dir(workspace.root).resolve()
    if resolved in protected or resolved.parent == accounts:
        raise PmError(f"{target}: is one of the incident's own files; export to another path (the default is {locations.export_file(workspace.root, 'md')})")


def _written_through(target: Path) -> bool:
    """Whether `target` is written into rather than replaced: a link (/dev/stdout, or one the
    person keeps to their own file), a device (/dev/null) or a named pipe. Renaming a file over
    any of them would replace the link or device itself (as root, /dev/null for everyone), as
    a shell's `>` never does. A regular file, or nothing yet, gets the atomic write."""
    try:
        own = target.lstat()
    except OSError:
        return False  # not there yet (or unreachable): the atomic write says why
    if stat.S_ISLNK(own.st_mode):
        try:
            if stat.S_ISDIR(target.stat().st_mode):
                raise PmError(f"{target}: is a link to a folder; name a file in it, e.g. {target / 'postmortem.md'}")
        except OSError:
            pass  # a link to nothing yet: writing creates it, as `>` would (or says why not)
        return True
    return not (stat.S_ISREG(own.st_mode) or stat.S_ISDIR(own.st_mode))


def _write_into(target: Path, text: str) -> None:
    try:
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as err:
        raise PmError(f"{target}: cannot write the export there ({err.strerror}); choose another path with -o") from None
