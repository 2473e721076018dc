"""`pminterview lint`: exit codes, text and JSON output, stdin, TOML field paths."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import tomli_w

from pminterview.cli import main
from pminterview.lint.command import run_lint_command

BLAME = "The engineer failed to check the host.\n"
CLEAN = "The health check failed to detect the fault.\n"


def run(paths: list[str], fmt: str = "text", select=None, ignore=None, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_lint_command(paths, fmt, select, ignore, io.StringIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


def test_exit_codes_and_text_format(tmp_path: Path) -> None:
    clean = tmp_path / "clean.md"
    clean.write_text(CLEAN)
    blame = tmp_path / "blame.md"
    blame.write_text("# Narrative\n\n" + BLAME)
    assert run([str(clean)]) == (0, "", "")
    code, out, err = run([str(clean), str(blame)])
    assert code == 1 and err == ""
    first, suggestion, summary = out.splitlines()
    assert first.startswith(f"{blame}:3:14: counterfactual: ")
    assert '"failed to check" [failed-to]' in first
    assert suggestion.startswith("    ") and suggestion.strip()
    assert summary == "1 finding in 1 file"


def test_json_format(tmp_path: Path) -> None:
    blame = tmp_path / "notes.txt"
    blame.write_text(BLAME)
    code, out, _ = run([str(blame)], fmt="json")
    assert code == 1
    (item,) = json.loads(out)
    assert item["path"] == str(blame) and item["field"] is None
    assert (item["line"], item["column"], item["length"], item["offset"]) == (1, 14, 15, 13)
    assert item["category"] == "counterfactual" and item["excerpt"] == "failed to check"
    assert run([str(tmp_path / "nothing.txt")], fmt="json")[0] == 2
    (tmp_path / "ok.txt").write_text(CLEAN)
    assert run([str(tmp_path / "ok.txt")], fmt="json")[1].strip() == "[]"


def test_stdin_dash() -> None:
    code, out, _ = run(["-"], stdin="We should've rolled back.")
    assert code == 1 and out.startswith("<stdin>:1:4: counterfactual:")
    assert run(["-"], stdin=CLEAN)[0] == 0


def test_select_and_ignore(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("Obviously the engineer failed to check.\n")
    assert run([str(path)], select=["hindsight"])[1].count("hindsight:") == 1
    assert run([str(path)], select=["hindsight"])[1].count("counterfactual:") == 0
    assert run([str(path)], ignore=["hindsight", "counterfactual"])[0] == 0
    assert run([str(path)], ignore=["hindsight,counterfactual"])[0] == 0
    code, out, err = run([str(path)], select=["blame"])
    assert code == 2 and out == "" and err.count("\n") == 1 and "'blame'" in err


def test_unreadable_files_exit_2_with_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "missing.md"
    code, out, err = run([str(missing)])
    assert code == 2 and out == "" and err.count("\n") == 1 and str(missing) in err
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"\xff\xfe\x00bad")
    code, _, err = run([str(binary)])
    assert code == 2 and err.count("\n") == 1 and "UTF-8" in err
    damaged = tmp_path / "account.toml"
    damaged.write_text('participant = "sam"\nanswers = [\n')
    code, _, err = run([str(damaged)])
    assert code == 2 and err.count("\n") == 1 and "account.toml" in err and "damaged TOML" in err
    code, _, err = run([str(tmp_path)])
    assert code == 2 and err.count("\n") == 1 and "folder" in err


def test_a_hostile_file_name_is_escaped(tmp_path: Path) -> None:
    name = tmp_path / "evil\x1b]0;owned\x07.md"
    name.write_text(BLAME)
    _, out, _ = run([str(name)])
    assert "\x1b" not in out and "\\x1b" in out


def test_account_toml_fields_names_and_dismissals(tmp_path: Path) -> None:
    account = {
        "schema_version": 1,
        "participant": "bolt",
        "role": "database owner",
        "answers": {
            "actions": {
                "text": "Retrain the database owner. Bolt failed to renew the lease.",
                "dismissed": [{"rule_id": "retrain-remind", "excerpt": "Retrain"}],
            },
            "understanding": {"text": "The alert fired and I joined the bridge."},
            # Dismissed in a list entry: stored with the question, honoured for its entries.
            "suggestions": {"dismissed": [{"rule_id": "be-careful", "excerpt": "Be more careful with"}]},
        },
        "timeline": [
            {"time": "14:02", "did": "Restarted the primary."},
            {"time": "14:05", "saw": "The operator ignored the alert."},
        ],
        "safeguards": [{"kind": "missing", "description": "Someone should have double-checked the host."}],
        "suggestions": [{"text": "Be more careful with deletes."}, {"text": "Remind people to double-check."}],
    }
    path = tmp_path / "bolt.toml"
    path.write_text(tomli_w.dumps(account))
    code, out, _ = run([str(path)], fmt="json")
    assert code == 1
    fields = [(item["field"], item["rule_id"]) for item in json.loads(out)]
    # "Bolt" is the participant's name, so it counts as a person; the dismissed hint is gone.
    assert ("answers.actions.text", "failed-to") in fields
    assert ("answers.actions.text", "retrain-remind") not in fields
    assert ("timeline[1].saw", "did-not-notice") in fields
    assert ("safeguards[0].description", "should-have") in fields
    assert ("suggestions[0].text", "be-careful") not in fields
    assert [rule for field, rule in fields if field == "suggestions[1].text"]
    text_out = run([str(path)])[1]
    assert f"{path}:answers.actions.text:1:" in text_out


def test_postmortem_toml_fields(tmp_path: Path) -> None:
    postmortem = {
        "schema_version": 1,
        "incident": {"id": "checkout", "title": "Checkout outage", "summary": "Obviously bad."},
        "roles": ["on-call SRE"],
        "narrative": "The health check failed to detect the fault.\n\nThe on-call SRE failed to notice.",
        "timeline": [{"time": "14:02", "perspectives": [{"role": "x", "did": "He forgot to drain it."}]}],
        "factors": [{"id": "f1", "title": "Root cause: the config"}],
        "actions": [{"id": "a1", "title": "Remind engineers to check the region", "owner": "the careless team"}],
        "to_reframe": [{"role": "x", "source": "answers.a.text", "text": "It was Sam's fault.", "category": "proximal"}],
    }
    path = tmp_path / "postmortem.toml"
    path.write_text(tomli_w.dumps(postmortem))
    code, out, _ = run([str(path)], fmt="json")
    assert code == 1
    found = {(item["field"], item["category"]) for item in json.loads(out)}
    assert found == {
        ("incident.summary", "hindsight"),
        ("narrative", "counterfactual"),
        ("timeline[0].perspectives[0].did", "counterfactual"),
        ("factors[0].title", "root-cause"),
        ("actions[0].title", "vigilance"),
    }
    narrative = next(item for item in json.loads(out) if item["field"] == "narrative")
    assert narrative["line"] == 3


def test_toml_with_wrong_types_is_walked_without_crashing(tmp_path: Path) -> None:
    path = tmp_path / "postmortem.toml"
    path.write_text('narrative = 3\nactions = "Be careful"\ntimeline = [1, "x", {perspectives = "no"}]\n')
    assert run([str(path)]) == (0, "", "")
    other = tmp_path / "notes.toml"
    other.write_text('[section]\nbody = "The root cause was DNS."\nid = "root cause"\n')
    code, out, _ = run([str(other)])
    assert code == 1 and ":section.body:1:" in out and out.endswith("1 finding in 1 file\n")


def test_stdin_toml_account_is_recognised() -> None:
    account = 'participant = "sam"\n[answers.a]\ntext = "Obviously it broke."\n'
    code, out, _ = run(["-"], stdin=account)
    assert code == 1 and out.startswith("<stdin>:answers.a.text:1:1: hindsight:")


def test_cli_entry_point(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.md"
    path.write_text(BLAME)
    assert main(["lint", str(path), "--format", "json", "--ignore", "vigilance"]) == 1
    assert json.loads(capsys.readouterr().out)[0]["rule_id"] == "failed-to"
    assert main(["lint", str(path), "--select", "nonsense"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_prose_fields_accepts_a_model() -> None:
    from pminterview.lint import lint_fields, prose_fields
    from pminterview.model import Account, Answer, TimelineEntry

    account = Account(
        participant="sam",
        role="on-call SRE",
        answers={"actions": Answer(text="Retrain the on-call SRE.")},
        timeline=[TimelineEntry(time="14:02", did="Restarted the primary.")],
    )
    pairs, names, roles = prose_fields(account)
    assert ("answers.actions.text", "Retrain the on-call SRE.") in pairs
    assert ("timeline[0].did", "Restarted the primary.") in pairs
    assert names == ("sam",) and roles == ("on-call SRE",)
    results = lint_fields(pairs, names=names, roles=roles)
    assert [(r.field, r.finding.category) for r in results] == [("answers.actions.text", "vigilance")]
