"""AnswerEditor: behaviour through Pilot, and proof that its narrow repaints miss nothing."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from textual import events, on
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import TextArea

from pminterview.tui.common.editor import AnswerEditor

ROOT = Path(__file__).resolve().parent.parent


class EditorApp(App[None]):
    """Two editors, so Tab has somewhere to go; records every Changed message."""

    def __init__(self, text: str = "", read_only: bool = False) -> None:
        super().__init__()
        self._text = text
        self._read_only = read_only
        self.changes: list[str] = []
        self.text_area_changes = 0

    def compose(self) -> ComposeResult:
        yield AnswerEditor(self._text, id="first-answer", read_only=self._read_only)
        yield AnswerEditor(id="second-answer")

    def on_mount(self) -> None:
        self.query_one("#first-answer").focus()

    @on(AnswerEditor.Changed, "#first-answer")
    def record_change(self, event: AnswerEditor.Changed) -> None:
        assert isinstance(event.control, AnswerEditor)
        self.changes.append(event.control.text)

    @on(TextArea.Changed)
    def count_text_area_change(self, event: TextArea.Changed) -> None:
        self.text_area_changes += 1


class RefreshSpy:
    """Records the regions an editor asks to repaint; None stands for the whole widget."""

    def __init__(self, editor: AnswerEditor) -> None:
        self.calls: list[Region | None] = []
        original = editor.refresh

        def spy(*regions: Region, **kwargs: bool) -> AnswerEditor:
            self.calls.extend(regions if regions else [None])
            return original(*regions, **kwargs)

        editor.refresh = spy  # type: ignore[method-assign]

    def clear(self) -> None:
        self.calls.clear()


def editor(app: App[None], selector: str = "#first-answer") -> AnswerEditor:
    return app.query_one(selector, AnswerEditor)


async def test_typing_edits_text_and_posts_changed() -> None:
    app = EditorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("h", "i", "space", "t", "h", "e", "r", "e")  # type "hi there"
        await pilot.pause()
        assert editor(app).text == "hi there"
        assert editor(app).cursor_location == (0, 8)
        assert app.changes and app.changes[-1] == "hi there"
        # The subclass message reaches TextArea.Changed handlers too.
        assert app.text_area_changes >= 1


async def test_text_and_cursor_location_can_be_set() -> None:
    app = EditorApp("first line\nsecond")
    async with app.run_test(size=(80, 24)) as pilot:
        field = editor(app)
        field.cursor_location = (1, 3)
        await pilot.press("X")  # types at the location set
        assert field.text == "first line\nsecXond"
        field.text = "replaced"
        assert field.text == "replaced"


async def test_tab_moves_focus_instead_of_inserting() -> None:
    app = EditorApp("answer")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("tab")  # to the second editor
        assert app.focused is editor(app, "#second-answer")
        assert editor(app).text == "answer"


async def test_cursor_does_not_blink() -> None:
    app = EditorApp("steady")
    async with app.run_test(size=(80, 24)) as pilot:
        field = editor(app)
        await pilot.pause()
        assert field.cursor_blink is False
        assert field.blink_timer._active.is_set() is False  # the timer is paused, never ticks
        assert field._draw_cursor is True


async def test_read_only_ignores_typing_and_paste() -> None:
    app = EditorApp("fixed", read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", "b", "backspace")  # try to type and delete
        app.post_message(events.Paste("pasted"))  # and to paste
        await pilot.pause()
        assert editor(app).text == "fixed"


async def test_long_text_wraps_and_reflows_on_resize() -> None:
    text = " ".join(["reflow"] * 40)  # 279 characters, no newline
    app = EditorApp(text)
    async with app.run_test(size=(80, 24)) as pilot:
        field = editor(app)
        wide_rows = field.wrapped_document.height
        assert wide_rows > 1  # soft wrap is on
        await pilot.resize_terminal(40, 24)
        await pilot.pause()
        assert field.wrapped_document.height > wide_rows  # narrower terminal, more rows
        assert field.text == text  # nothing lost by reflowing


async def test_accents_cjk_and_emoji_round_trip() -> None:
    app = EditorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        field = editor(app)
        app.post_message(events.Paste("café 世界 👍 naïve"))  # pasted
        await pilot.pause()
        await pilot.press("end", "space", "世")  # and typed
        await pilot.pause()
        assert field.text == "café 世界 👍 naïve 世"
        # Double-width characters take two cells each: the cursor lands after them.
        assert field.cursor_screen_offset.x - field.content_region.x == len("café ") + 4 + 1 + 2 + len(" naïve ") + 2
        rendered = "".join(segment.text for segment in field.render_line(0))
        assert "café 世界 👍 naïve 世" in rendered


async def test_highlights_are_styled_from_the_theme() -> None:
    app = EditorApp("the engineer should have checked the host")
    async with app.run_test(size=(80, 24)) as pilot:
        field = editor(app)
        field.set_highlights([(0, 13, 17)])  # "should have checked"
        await pilot.pause()
        assert field.highlights == [(0, 13, 17)]
        line = field.get_line(0)
        styled = [(span.start, span.end) for span in line.spans if span.style and span.style.underline]
        assert styled == [(13, 30)]


async def test_highlights_survive_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = EditorApp("obviously wrong")
    async with app.run_test(size=(80, 24)) as pilot:
        field = editor(app)
        field.set_highlights([(0, 0, 9)])
        await pilot.pause()
        style = field.get_component_rich_style("answer-editor--highlight", partial=True)
        assert style.underline  # visible without any colour


async def test_highlights_move_with_typing_and_clear_on_load() -> None:
    app = EditorApp("he should have known")
    async with app.run_test(size=(80, 24)) as pilot:
        field = editor(app)
        field.set_highlights([(0, 3, 11)])  # "should have"
        field.cursor_location = (0, 0)
        await pilot.press("s", "o", "space")  # "so he should have known"
        assert field.highlights == [(0, 6, 11)]
        field.cursor_location = (0, 9)  # inside "should"
        await pilot.press("x")
        assert field.highlights == [(0, 6, 12)]
        field.text = "new text"
        assert field.highlights == []


async def test_setting_the_same_highlights_repaints_nothing() -> None:
    app = EditorApp("one\ntwo\nthree")
    async with app.run_test(size=(80, 24)) as pilot:
        field = editor(app)
        field.set_highlights([(1, 0, 3)])
        await pilot.pause()
        spy = RefreshSpy(field)
        field.set_highlights([(1, 0, 3)])
        assert spy.calls == []
        field.set_highlights([(2, 0, 5)])  # rows 1 and 2 change, row 0 does not
        assert spy.calls and None not in spy.calls
        assert all(region.height == 1 for region in spy.calls)


async def test_typing_repaints_less_than_the_widget() -> None:
    app = EditorApp("a short answer")
    async with app.run_test(size=(80, 24)) as pilot:
        field = editor(app)
        await pilot.press("end")
        await pilot.pause()
        spy = RefreshSpy(field)
        await pilot.press("s")  # type one character at the end
        assert field.text == "a short answers"
        assert spy.calls, "the typed character must be repainted"
        assert None not in spy.calls  # no whole-widget repaint
        full = field.scrollable_content_region.size
        for region in spy.calls:
            assert region.height == 1
            assert region.width < full.width
        # The region starts at the edit, not at the left edge.
        assert min(region.x for region in spy.calls) >= len("a short answer") - 1

        spy.clear()
        await pilot.press("left", "left")  # cursor moves: only cursor cells
        assert spy.calls and None not in spy.calls
        assert all(region.width <= 2 for region in spy.calls)


async def test_a_change_of_wrap_height_falls_back_to_a_full_repaint() -> None:
    app = EditorApp()
    async with app.run_test(size=(30, 10)) as pilot:
        field = editor(app)
        width = field.wrap_width
        field.text = "x" * (width - 1)
        field.cursor_location = (0, width - 1)
        await pilot.pause()
        spy = RefreshSpy(field)
        await pilot.press("y")  # fills the row exactly: still one row
        height = field.wrapped_document.height
        await pilot.press("space", "z")  # spills onto a second row
        assert field.wrapped_document.height == height + 1
        assert None in spy.calls  # the rows below moved: whole widget

        spy.clear()
        await pilot.press("enter")  # a new line moves everything below
        assert None in spy.calls


async def test_undo_and_setting_text_repaint_the_whole_editor() -> None:
    # Both swap text without going through edit(), so no narrow region can describe them.
    app = EditorApp("draft")
    async with app.run_test(size=(80, 24)) as pilot:
        field = editor(app)
        await pilot.press("end", "s")
        await pilot.pause()
        spy = RefreshSpy(field)
        await pilot.press("ctrl+z")  # undo the "s"
        assert field.text == "draft"
        assert None in spy.calls
        spy.clear()
        field.text = "something else"
        assert None in spy.calls


async def test_pasting_100_kb_completes() -> None:
    chat = "\n".join(f"[14:{i % 60:02d}] ana: replica lag on db-{i} is rising again, café 世界 👍" for i in range(1500))
    assert len(chat.encode()) > 100_000
    app = EditorApp()
    async with app.run_test(size=(80, 24)) as pilot:
        field = editor(app)
        app.post_message(events.Paste(chat))
        await pilot.pause()
        await pilot.press("!")  # still responsive afterwards
        await pilot.pause()
        assert field.text == chat + "!"
        assert field.cursor_location == (1499, len(chat.splitlines()[-1]) + 1)


# --- through a real terminal ----------------------------------------------------------------


def _bench_module():
    spec = importlib.util.spec_from_file_location("pminterview_bench", ROOT / "scripts" / "bench.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_narrow_repaints_leave_the_screen_as_a_full_repaint_would(tmp_path: Path) -> None:
    """Type, delete, wrap, join lines, select and resize under a pty; after each step the
    screen must not change when the whole editor is repainted (Ctrl+R in the bench app)."""
    bench = _bench_module()
    workbench = bench.Workbench(tmp_path)
    subject = workbench.editor()
    program = workbench.start(subject)

    def cells() -> list[tuple]:
        screen = program.screen
        return [
            (char.data, char.fg, char.bg, char.reverse, char.underscore, char.bold)
            for row in range(screen.lines)
            for char in (screen.buffer[row][column] for column in range(screen.columns))
        ]

    steps: list[bytes | int] = [
        "hello world ".encode(),  # typed one key at a time below
        "café 世界 👍 ".encode(),
        b"x" * 70,  # wraps onto a second row
        b"\x7f" * 5,  # backspaces
        b"\x1b[D" * 3,  # left
        b"mid",  # typed inside the wrapped line
        b"\x1b[A",  # up
        b"Z",
        b"\r",  # enter
        b"new line",
        b"\x1b[H",  # home
        b"\x7f",  # joins two lines
        b"\x1b[1;2D\x1b[1;2D",  # shift+left twice: a selection
        b"q",  # replaces it
        b"\x1b[1;5F",  # ctrl+end
        # A pasted paragraph that wraps onto two rows at every width below.
        b"\x1b[200~\n" + " ".join(["reflow", "alpha", "beta", "gamma", "delta"] * 4).encode() + b"\x1b[201~",
        61,  # the terminal narrows to 61 columns: more rows
        95,  # widens again
        90,  # narrows a little: new line breaks, same number of rows
        bench.COLUMNS,  # back to where it started, again the same number of rows
    ]
    try:
        assert program.wait_for(bench._on_screen(subject.ready_text), 30.0) is not None
        program.settle(0.3)
        for step in steps:
            if isinstance(step, int):
                program.resize(step, bench.LINES)
                program.settle(0.3)
            elif step.startswith(b"\x1b") or step in (b"\r", b"\x7f"):
                program.send(step)
            else:
                for character in step.decode():
                    program.send(character.encode())
                    program.settle(0.02)
            program.settle(0.1)
            narrow = cells()
            program.send(b"\x12")  # ctrl+r: repaint the whole editor
            program.settle(0.1)
            assert cells() == narrow, f"screen differs from a full repaint after {step!r}"
        screen = program.text()
        assert "hello world café 世" in screen and "new line" in screen and "midxxx" in screen, screen
    finally:
        program.stop()
