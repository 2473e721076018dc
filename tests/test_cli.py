"""The command line: set-up commands and their one-line errors."""

from pathlib import Path

import pytest

from pminterview.cli import main
from pminterview.workspace import Workspace


def test_new_creates_an_incident_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "checkout"
    code = main(["new", str(folder), "--title", "Checkout outage", "--started", "2026-11-27T14:00Z", "--timezone", "Europe/Berlin"])
    assert code == 0
    incident = Workspace.open(folder).incident()
    assert incident.title == "Checkout outage"
    assert incident.id == "checkout"
    assert incident.timezone == "Europe/Berlin"
    assert incident.started is not None and incident.started.hour == 14
    assert (folder / "accounts").is_dir()
    assert "pminterview interview" in capsys.readouterr().out


def test_new_refuses_a_folder_that_already_holds_an_incident(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "checkout"
    assert main(["new", str(folder), "--title", "One"]) == 0
    before = (folder / "incident.toml").read_bytes()
    assert main(["new", str(folder), "--title", "Two"]) == 2
    assert "already holds an incident" in capsys.readouterr().err
    assert (folder / "incident.toml").read_bytes() == before


def test_new_rejects_an_unknown_time_zone_before_writing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "checkout"
    assert main(["new", str(folder), "--title", "x", "--timezone", "Mars/Olympus"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Mars/Olympus" in err
    assert not folder.exists()


def test_new_rejects_an_unreadable_start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["new", str(tmp_path / "x"), "--title", "x", "--started", "yesterday"])
    assert caught.value.code == 2
    assert "2026-11-27T14:00Z" in capsys.readouterr().err


def test_interview_outside_an_incident_folder_says_what_to_do(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["interview", str(tmp_path), "--participant", "alice"]) == 2
    err = capsys.readouterr().err
    assert "not an incident folder" in err and "pminterview new" in err


@pytest.mark.parametrize("name", ["../evil", "/etc/passwd", ".hidden", "a/b", "", "x" * 65, "tab\there"])
def test_interview_refuses_names_that_escape_the_folder(workspace: Workspace, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["interview", str(workspace.root), "--participant", name]) == 2
    assert "participant name" in capsys.readouterr().err
    assert sorted(p.name for p in workspace.root.rglob("*")) == ["accounts", "incident.toml"]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["export", "DIR", "--format", "pdf"], "pminterview: --format pdf is not known; use markdown or toml\n"),
        (["lint", "-", "--format", "yaml"], "pminterview: --format yaml is not known; use text or json\n"),
    ],
)
def test_an_unknown_format_is_one_line_naming_the_known_ones(
    workspace: Workspace, argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [str(workspace.root) if arg == "DIR" else arg for arg in argv]
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert capsys.readouterr().err == expected


def test_a_usage_error_is_one_line_pointing_to_the_help(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["new", str(tmp_path / "x")])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "usage:" not in err
    assert err == "pminterview: the following arguments are required: --title; see `pminterview new --help`\n"


def test_a_stray_argument_points_to_its_own_commands_help(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["export", str(tmp_path), "--fromat", "toml"])
    assert caught.value.code == 2
    assert capsys.readouterr().err == "pminterview: unrecognized arguments: --fromat toml; see `pminterview export --help`\n"


def test_the_known_formats_still_show_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    assert "--format {markdown,toml}" in capsys.readouterr().out


# --- the README's own example -------------------------------------------------------------------

README = Path(__file__).parent.parent / "README.md"


def _readme_commands() -> list[list[str]]:
    """Every `pminterview` command in the README's shell blocks, as argv lists."""
    import re
    import shlex

    commands = []
    for block in re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL):
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip().startswith("pminterview "):
                commands.append(shlex.split(line, comments=True)[1:])
    return commands


def test_the_readme_example_runs_as_shown_and_its_times_follow_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io
    import re

    from pminterview.guide import load_guide
    from pminterview.transcript import parse_transcript

    monkeypatch.chdir(tmp_path)
    commands = _readme_commands()
    new = next(argv for argv in commands if argv[0] == "new" and "--started" in argv)
    assert main(new) == 0
    workspace = Workspace.open(Path(new[1]))
    incident = workspace.incident()

    # The transcript shown in the README, read in the incident's zone, happens after the start.
    transcript = re.search(r"```markdown\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert transcript is not None
    (tmp_path / "call.md").write_text(transcript.group(1), encoding="utf-8")
    assert main(["import", new[1], "call.md", "--participant", "dana"]) == 0
    account = parse_transcript(transcript.group(1), "dana", "", load_guide(), incident)
    times = [entry.at for entry in account.timeline if entry.at is not None]
    assert times and incident.started is not None
    assert all(at >= incident.started for at in times), (incident.started, times)

    # The other commands shown, in the folders they name (interviews and the facilitator's
    # screen need a terminal; a shared folder needs its group to exist).
    (Path(new[1]) / "notes.txt").write_text("We should have checked the replica.\n", encoding="utf-8")
    ran = 0
    for argv in commands:
        if argv[0] in ("new", "interview", "facilitate"):
            continue
        if argv[0] == "lint":
            monkeypatch.chdir(tmp_path / new[1])
            if "<" in argv:
                at = argv.index("<")
                monkeypatch.setattr("sys.stdin", io.StringIO(Path(argv[at + 1]).read_text(encoding="utf-8")))
                del argv[at : at + 2]
            argv = [arg for pattern in argv for arg in (sorted(str(p) for p in Path().glob(pattern)) if "*" in pattern else [pattern])]
        expected = {1} if "--check" in argv or argv[:2] == ["lint", "-"] else {0}
        assert main(argv) in expected, argv
        monkeypatch.chdir(tmp_path)
        ran += 1
    assert ran >= 5
    assert "Started 2026-11-27 14:00 CET" in (Path(new[1]) / "postmortem.export.md").read_text(encoding="utf-8")
