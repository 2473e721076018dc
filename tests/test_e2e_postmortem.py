"""A whole postmortem end to end, as people run it: two responders give their accounts in
the real `pminterview interview` under a pseudo-terminal, a third account is imported from a
call transcript, and the facilitator exports. The exports are checked for what matters:
every perspective by role, no names, nothing off the record, and a TOML that loads back."""

from __future__ import annotations

import time
import tomllib
from pathlib import Path

import pytest

from pminterview.cli import main
from pminterview.export import from_toml, to_toml
from test_e2e_pty import Terminal

CTRL_N, CTRL_O, CTRL_Q, TAB = b"\x0e", b"\x0f", b"\x11", b"\t"
F2, F5 = b"\x1bOQ", b"\x1b[15~"  # as xterm sends them

TRANSCRIPT = """\
# Call with the support lead

## Your role and how you got involved

Customers wrote in from 14:06 that payment failed at the last step. Priya told me in the
incident channel that a rollback was under way.

## What you saw and knew, and when

- 14:06 saw: first tickets about failed payments; did: opened a ticket macro
- around 14:20 saw: the status page still said all systems operational

## Safeguards

- missing: nothing tells support when an incident is declared
"""


def _wait_for_status(path: Path, status: str, timeout: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            if data.get("status") == status:
                return data
        time.sleep(0.1)
    raise AssertionError(f"{path} never reached status {status!r}")


def _give_account(root: Path, participant: str, role: str, involved: str, moment: list[str], private: str) -> None:
    """Answer through the real interview: role, how I got involved, one timeline moment,
    an off-the-record note in "anything else", then review and submit."""
    terminal = Terminal(root, participant)
    try:
        terminal.wait_for("1/12")
        terminal.type(role.encode() + CTRL_N)  # the role label, then the next question
        terminal.wait_for("2/12")
        terminal.type(involved.encode() + CTRL_N)  # how I got involved
        terminal.wait_for("3/12")
        terminal.type(TAB.join(field.encode() for field in moment))  # time, saw, did, expected
        terminal.wait_for(moment[-1])
        for number in range(4, 13):  # on to the last question, "anything else"
            terminal.type(CTRL_N)
            terminal.wait_for(f"{number}/12")
        terminal.type(private.encode() + CTRL_O)  # typed, then marked off the record
        terminal.wait_for(private)
        terminal.type(F2)  # the review page
        terminal.wait_for("Submit")
        terminal.type(F5)  # submit
        _wait_for_status(root / "accounts" / f"{participant}.toml", "submitted")
        terminal.type(CTRL_Q)
        terminal.process.wait(timeout=20)
    finally:
        terminal.close()


def test_two_interviews_and_an_import_export_one_blameless_postmortem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "checkout"
    assert main(["new", str(root), "--title", "Checkout outage", "--started", "2026-11-27T14:00Z"]) == 0

    _give_account(
        root, "priya", "on-call SRE",
        "I was paged at 14:02 by the checkout latency alert. Marcus joined a few minutes later.",
        ["14:05", "the payments pool at 20 of 20", "rolled back the config", "errors to drop"],
        "I was also covering a second page that day.",
    )
    _give_account(
        root, "marcus", "payments service owner",
        "Priya paged me at about 14:07 because payments looked saturated.",
        ["14:12", "pool usage flat at 100 percent", "confirmed the rollback with Priya", "the pool to drain"],
        "My manager asked for updates every five minutes.",
    )
    transcript = tmp_path / "dana.md"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    assert main(["import", str(root), str(transcript), "--participant", "dana", "--role", "support lead"]) == 0

    markdown_path, toml_path = tmp_path / "out.md", tmp_path / "out.toml"
    assert main(["export", str(root), "--format", "markdown", "-o", str(markdown_path)]) == 0
    assert main(["export", str(root), "--format", "toml", "-o", str(toml_path)]) == 0
    markdown = markdown_path.read_text(encoding="utf-8")

    # Every perspective is there, by role.
    for role in ("on-call SRE", "payments service owner", "support lead"):
        assert role in markdown
    for fact in ("rolled back the config", "pool usage flat at 100 percent", "first tickets about failed payments"):
        assert fact in markdown
    # Names never reach an export, even when mentioned inside answers; nor off-the-record notes.
    for secret in ("Priya", "priya", "Marcus", "marcus", "dana", "second page that day", "every five minutes"):
        assert secret not in markdown
        assert secret not in toml_path.read_text(encoding="utf-8")
    # Ordinary answers read as plain text: no Markdown escapes, and first-person timeline
    # entries are quoted as the person's words after their role.
    assert "\\" not in markdown
    assert 'the on-call SRE: saw "the payments pool at 20 of 20"; did "rolled back the config"' in markdown
    # The timeline is in time order across accounts.
    assert markdown.index("14:05") < markdown.index("14:06") < markdown.index("14:12")

    # The TOML export is the same postmortem, and loads back to identical bytes.
    text = toml_path.read_text(encoding="utf-8")
    postmortem = from_toml(text, str(toml_path))
    assert to_toml(postmortem) == text
    assert sorted(postmortem.roles) == ["on-call SRE", "payments service owner", "support lead"]

    # Not ready to share yet: actions have no owner. --check says so and writes nothing.
    capsys.readouterr()
    assert main(["export", str(root), "--check"]) == 1
    assert "owner" in capsys.readouterr().out
