"""The `pminterview` command: argparse subcommands, each a thin call into the package.

Heavy modules (Textual above all) are imported inside the handler that needs them, so
`pminterview lint` and `pminterview export` start fast on a busy bastion host.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from pminterview import __version__, locations
from pminterview.errors import PmError
from pminterview.workspace import Workspace, safe_name

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args, stray = parser.parse_known_args(argv)
    if stray:
        getattr(args, "command_parser", parser).error(f"unrecognized arguments: {' '.join(stray)}")
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.handler(args)
    except PmError as err:
        print(f"pminterview: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors in one line, like every other error of the command."""

    def error(self, message: str) -> NoReturn:
        # argparse would print the whole usage first; the help is one flag away instead.
        line = str(PmError(message.removeprefix("argument ")))
        if ";" not in line:
            line += f"; see `{self.prog} --help`"
        self.exit(EXIT_USAGE, f"pminterview: {line}\n")


class _OneOf(argparse.Action):
    """An option that takes one of a few words. Unlike `choices`, a wrong word gets a sentence
    naming the option and the words it takes ("--format pdf is not known; use markdown or toml")."""

    def __init__(self, option_strings: list[str], dest: str, known: tuple[str, ...], **kwargs: object) -> None:
        kwargs.setdefault("metavar", "{" + ",".join(known) + "}")
        super().__init__(option_strings, dest, **kwargs)  # type: ignore[arg-type]
        self.known = known

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object, option_string: str | None = None
    ) -> None:
        if values not in self.known:
            words = ", ".join(self.known[:-1]) + f" or {self.known[-1]}"
            parser.error(f"{option_string} {values} is not known; use {words}")
        setattr(namespace, self.dest, values)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="pminterview",
        description="Blameless postmortems: private guided interviews, merged into one narrative.",
    )
    parser.add_argument("--version", action="version", version=f"pminterview {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    new = commands.add_parser("new", help="create an incident folder")
    new.add_argument("dir", type=Path, help="the folder to create")
    new.add_argument("--title", required=True, help='for example "Checkout outage"')
    new.add_argument("--started", type=_moment, help="when it started, e.g. 2026-11-27T14:00Z")
    new.add_argument("--timezone", default="UTC", help="IANA zone for bare times in accounts (default UTC)")
    new.add_argument("--group", help="Unix group to share the folder with (setgid, group-readable accounts)")
    new.set_defaults(handler=_cmd_new)

    interview = commands.add_parser("interview", help="give your own account of an incident")
    interview.add_argument("dir", type=Path, help="the incident folder")
    interview.add_argument("--participant", help="your name in the folder (default: your login name)")
    interview.add_argument("--guide", type=Path, help="an interview guide TOML (default: the bundled one)")
    interview.set_defaults(handler=_cmd_interview)

    demo = commands.add_parser("demo", help="try it on a bundled sample incident")
    demo.add_argument("--facilitator", action="store_true", help="open the facilitator screen instead")
    demo.add_argument("--reset", action="store_true", help="start again from a fresh copy of the sample")
    demo.set_defaults(handler=_cmd_demo)

    lint = commands.add_parser("lint", help="check text for blame and hindsight language")
    lint.add_argument("paths", nargs="+", help="Markdown, text, account or postmortem TOML; - reads stdin")
    lint.add_argument("--format", action=_OneOf, known=("text", "json"), default="text")
    lint.add_argument("--select", help="only these categories, comma-separated")
    lint.add_argument("--ignore", help="skip these categories, comma-separated")
    lint.set_defaults(handler=_cmd_lint)

    imp = commands.add_parser("import", help="add an account from a Markdown transcript")
    imp.add_argument("dir", type=Path, help="the incident folder")
    imp.add_argument("file", type=Path, help="the transcript (Markdown); - reads stdin")
    imp.add_argument("--participant", required=True, help="the person's name in the folder")
    imp.add_argument("--role", help='how they appear in exports, e.g. "database owner"')
    imp.set_defaults(handler=_cmd_import)

    facilitate = commands.add_parser("facilitate", help="merge the accounts and edit the postmortem")
    facilitate.add_argument("dir", type=Path, help="the incident folder")
    facilitate.set_defaults(handler=_cmd_facilitate)

    export = commands.add_parser(
        "export",
        help="write the postmortem as Markdown or TOML",
        epilog="Exit status: 0 written (with --check: ready); 1 written but an account that does not load was "
        "left out, or with --check not ready; 2 nothing written (a usage error, or the folder or the path "
        "cannot be used).",
    )
    export.add_argument("dir", type=Path, help="the incident folder")
    export.add_argument("--format", action=_OneOf, known=("markdown", "toml"), default="markdown")
    export.add_argument("-o", "--output", type=Path, help="where to write (default: beside postmortem.toml; - for stdout)")
    export.add_argument("--check", action="store_true", help="exit 1 and list why when the postmortem is not ready")
    export.set_defaults(handler=_cmd_export)
    for command in commands.choices.values():
        command.set_defaults(command_parser=command)  # its own help for a stray argument
    return parser


def _moment(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date and time; write it like 2026-11-27T14:00Z") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _categories(text: str | None) -> list[str] | None:
    return [c.strip() for c in text.split(",") if c.strip()] if text else None


# --- handlers ---------------------------------------------------------------------------------


def _cmd_new(args: argparse.Namespace) -> int:
    from pminterview.timeparse import zone

    zone(args.timezone)  # reject an unknown zone before anything is written
    workspace = Workspace.create(args.dir, args.title, args.started, args.timezone, args.group)
    print(f"Created {workspace.root}. Responders run: pminterview interview {workspace.root}")
    return EXIT_OK


def _cmd_interview(args: argparse.Namespace) -> int:
    from pminterview.guide import load_guide

    workspace = Workspace.open(args.dir)
    participant = safe_name(getpass.getuser() if args.participant is None else args.participant)
    guide = load_guide(args.guide)
    # A damaged incident.toml or account is reported by the interview itself: it checks
    # them right after its first screen, so that screen does not wait for the models.
    from pminterview.tui import run_interview

    return run_interview(workspace, participant, guide)


def _cmd_demo(args: argparse.Namespace) -> int:
    target = locations.demo_dir()
    if args.reset and target.exists():
        shutil.rmtree(target)
    if not target.exists():
        shutil.copytree(locations.sample_incident(), target)
    workspace = Workspace.open(target)
    if args.facilitator:
        from pminterview.tui import run_facilitator

        return run_facilitator(workspace)
    from pminterview.guide import load_guide
    from pminterview.tui import run_interview

    return run_interview(workspace, getpass.getuser(), load_guide())


def _cmd_lint(args: argparse.Namespace) -> int:
    from pminterview.lint.command import run_lint_command

    return run_lint_command(
        args.paths, args.format, _categories(args.select), _categories(args.ignore), sys.stdin, sys.stdout, sys.stderr
    )


def _cmd_import(args: argparse.Namespace) -> int:
    from pminterview.guide import load_guide
    from pminterview.transcript import parse_transcript

    workspace = Workspace.open(args.dir)
    source = "<stdin>" if str(args.file) == "-" else str(args.file)
    try:
        text = sys.stdin.read() if source == "<stdin>" else args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise PmError(f"{source}: cannot read the transcript ({err}); check the path") from None
    if workspace.load_account(args.participant) is not None:
        raise PmError(
            f"{workspace.account_path(args.participant)}: already exists; pick another --participant or remove that file first"
        )
    account = parse_transcript(text, args.participant, args.role or "", load_guide(), workspace.incident(), source=source)
    workspace.save_account(account)
    if account.role:
        print(f"Imported {account.participant} as {account.role}")
    else:
        # Exports would call them "responder" and, with two such, could not tell them apart.
        print(
            f"Imported {account.participant} without a role; set one in {workspace.account_path(account.participant)} "
            "(role = \"...\"), or remove that file and import again with --role or a 'Role:' line"
        )
    return EXIT_OK


def _cmd_facilitate(args: argparse.Namespace) -> int:
    workspace = Workspace.open(args.dir)
    workspace.incident()
    from pminterview.tui import run_facilitator

    return run_facilitator(workspace)


def _cmd_export(args: argparse.Namespace) -> int:
    from pminterview.export import export_workspace

    return export_workspace(Workspace.open(args.dir), args.format, args.output, args.check, sys.stdout, sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
