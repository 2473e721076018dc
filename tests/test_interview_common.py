"""The shared TUI pieces: exit signals, the debouncer and the generated help screen."""

from __future__ import annotations

import asyncio
import io
import os
import signal

import pytest
from rich.console import Console
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from pminterview.tui.common import COMMON_CSS_PATH, Debouncer, HelpScreen, help_rows, install_exit_signals
from pminterview.tui.common.help import key_name


class _Probe(App[None]):
    CSS_PATH = [COMMON_CSS_PATH]
    BINDINGS = [
        Binding("f1", "help", "Help", id="help", priority=True),
        Binding("ctrl+n", "noop", "Next question", id="next-question"),
        Binding("f9", "noop", "", id="hidden"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.saves = 0
        self.fired = 0

    def compose(self) -> ComposeResult:
        yield Static("probe")
        yield Input(id="field")

    def on_mount(self) -> None:
        install_exit_signals(self, self._save)

    def _save(self) -> None:
        self.saves += 1

    def action_help(self) -> None:
        self.push_screen(HelpScreen.for_screen(self.screen))

    def action_noop(self) -> None:
        pass


async def test_sighup_saves_then_exits() -> None:
    app = _Probe()
    async with app.run_test() as pilot:
        os.kill(os.getpid(), signal.SIGHUP)
        await asyncio.sleep(0.05)
        await pilot.pause()
    assert app.saves == 1
    assert app.return_code == 128 + signal.SIGHUP


def _plain(renderable: object) -> str:
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


async def test_help_lists_described_bindings_with_ids() -> None:
    app = _Probe()
    async with app.run_test() as pilot:
        rows = help_rows(app.screen)
        by_id = {row.binding_id: row for row in rows}
        assert by_id["next-question"].description == "Next question"
        assert by_id["next-question"].keys == "Ctrl+N"  # spelled out for people, not "^n"
        assert "hidden" not in by_id  # no description: internal, not listed
        # Editing keys of the focused field are listed too, after the app's own.
        assert any(not row.own for row in rows)
        assert rows[0].own
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(_plain(static.content) for static in app.screen.query("Static"))
        assert "Next question" in shown and "Ctrl+N" in shown
        assert "next-question" not in shown and "Binding id" not in shown  # ids are for keymaps
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize(
    ("key", "name"),
    [("ctrl+pageup", "Ctrl+PgUp"), ("f1", "F1"), ("shift+tab", "Shift+Tab"), ("question_mark", "?"), ("ctrl+a", "Ctrl+A"), ("x", "x")],
)
def test_keys_are_named_as_people_write_them(key: str, name: str) -> None:
    assert key_name(key) == name


async def test_debouncer_runs_once_after_the_last_poke() -> None:
    app = _Probe()
    async with app.run_test() as pilot:
        calls: list[int] = []
        debouncer = Debouncer(app, 0.1, lambda: calls.append(1))
        for _ in range(5):
            debouncer.poke()
            await asyncio.sleep(0.03)
        assert calls == []  # still typing
        await asyncio.sleep(0.25)
        await pilot.pause()
        assert calls == [1]
        debouncer.poke()
        debouncer.flush()
        assert calls == [1, 1]
        assert not debouncer.pending
