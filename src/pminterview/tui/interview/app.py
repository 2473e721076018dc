"""The responder's interview as a Textual app.

Start-up is in two steps so the first question is on screen fast (see
`pminterview.tui.interview.session`): `run()` opens a preview session, read without pydantic
or the models; after the first paint a worker thread validates the files and takes the lock,
then loads the lint rules. Saving starts once the session is ready; a file that does not
validate ends the app with its one-line error and exit code 2, nothing written.
"""

from __future__ import annotations

import gc
import signal
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import App
from textual.binding import Binding
from textual.widget import AwaitMount

from pminterview.errors import PmError
from pminterview.guide import Guide
from pminterview.tui.common import COMMON_CSS_PATH, Autosave, install_exit_signals, settle_keys
from pminterview.tui.interview.hints import find_hints, hints_enabled_by_default
from pminterview.tui.interview.messages import AccountSaved, AnswerEdited
from pminterview.tui.interview.screens import InterviewScreen
from pminterview.tui.interview.session import Clock, InterviewSession, utc_now

if TYPE_CHECKING:
    from pminterview.workspace import Workspace

#: Printed after a SIGHUP. A dropped connection and a take-over by another session both
#: send it, and the process cannot tell which, so the line names both (in 80 columns).
HUNG_UP = "pminterview: saved and closed (terminal hung up, or another session took over)"


class InterviewApp(App[None]):
    """One person's interview: questions, review, submit. Saves as they type."""

    CSS_PATH = [COMMON_CSS_PATH, "interview.tcss"]
    ENABLE_COMMAND_PALETTE = False  # its ctrl+p is "previous question" here
    BINDINGS = [
        Binding("f1", "help", "Help", id="help", priority=True),
        # Not a priority binding: while typing, "?" is part of the answer.
        Binding("question_mark", "help", "Help", id="help-question-mark", show=False),
        Binding("ctrl+q", "quit", "Save and quit", id="quit", priority=True),
        # The same key where nothing is saved (read-only): the key line must not promise a save.
        Binding("ctrl+q", "close", "Quit", id="quit-read-only", priority=True),
    ]

    def __init__(self, session: InterviewSession, hints_on: bool | None = None) -> None:
        super().__init__()
        self.session = session
        self.hints_on = hints_enabled_by_default() if hints_on is None else hints_on
        self.title = session.incident.title
        self._quit_armed = False
        self._remove_signal_handlers = lambda: None
        #: Why the last save failed; None once a save succeeds again.
        self.save_error: str | None = None
        #: Why the account or incident could not be opened; the app exits with it.
        self.open_error: PmError | None = None

    def get_default_screen(self) -> InterviewScreen:
        # The interview screen is the bottom of the stack, not pushed over Textual's empty
        # default screen: one screen less to compose and lay out before the first paint.
        return InterviewScreen(self.session, self.hints_on)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not self.screen.is_mounted:
            # Typed while the app starts: wait until the screen has focused the answer field.
            # Handled sooner, the key would go to the screen with nothing focused and be lost.
            # (Waiting in on_mount instead would hold back the first paint.)
            await AwaitMount(self.screen, [self.screen])
        await super().on_event(event)

    async def on_mount(self) -> None:
        self.autosave = Autosave(self, self.save_or_report)
        self._remove_signal_handlers = install_exit_signals(
            self, self.save_account, said={signal.SIGHUP: HUNG_UP}
        )
        if self.session.ready:
            await self._review_when_done()
        # The rest waits until the first question is on screen: validating the files, the
        # lock, and the lint rules (so the first hint is not late), in a thread, so that
        # typing is not held up meanwhile.
        self.call_after_refresh(self._open_in_background)

    def _open_in_background(self) -> None:
        if not gc.isenabled():
            # Start-up is over (`pminterview.tui.run_interview` paused the collector): what
            # it allocated lives as long as the app, so it is frozen out of later
            # collections, which then stay short while the person types.
            gc.freeze()
            gc.enable()
        self.run_worker(self._finish_opening, thread=True, group="opening", exit_on_error=False)

    def _finish_opening(self) -> None:
        """In a worker thread: validate and lock (if the preview has not), then warm up the lint."""
        was_ready = self.session.ready
        try:
            self.session.finish_opening()
        except PmError as err:
            self._call_from_thread(self._failed_to_open, err)
            return
        if not was_ready:
            self._call_from_thread(self._opened)
        if self.hints_on:
            find_hints("warming up the rules")

    def _call_from_thread(self, callback, *args) -> None:
        try:
            self.call_from_thread(callback, *args)
        except RuntimeError:
            pass  # the app is closing

    async def _opened(self) -> None:
        """The session is ready: redraw what the preview could not know, and save what was typed."""
        if not self.is_running:
            return
        await self.interview_screen.session_opened()
        await self._review_when_done()
        if self.session.editable:
            self.autosave.poke()  # anything typed before now; nothing is written if nothing was

    async def _review_when_done(self) -> None:
        """Open on the review page when everything is answered or the account is submitted."""
        from pminterview.tui.interview.review import ReviewScreen  # not needed for the first screen

        if self.session.start_question() is None and not isinstance(self.screen, ReviewScreen):
            await self.push_screen(ReviewScreen(self.session, self.hints_on), self.interview_screen._back_from_review)

    def _failed_to_open(self, err: PmError) -> None:
        # Shown by `run()` once the terminal is restored, as any other start-up error.
        if self.open_error is None:
            self.open_error = err
            self.exit(return_code=2)

    def on_unmount(self) -> None:
        self._remove_signal_handlers()

    @property
    def interview_screen(self) -> InterviewScreen:
        for screen in self.screen_stack:
            if isinstance(screen, InterviewScreen):
                return screen
        raise LookupError("the interview screen is not open")

    # --- saving --------------------------------------------------------------------------

    @on(AnswerEdited)
    def _answer_edited(self) -> None:
        self._quit_armed = False
        if self.session.editable:
            self.autosave.poke()

    def save_account(self) -> bool:
        """Copy what is on screen into the account and write it if anything changed.

        Synchronous, so a signal handler can call it; raises PmError or OSError when the
        file cannot be written.
        """
        self.autosave.cancel()
        if not self.session.ready:
            try:
                self.session.finish_opening()  # waits for the worker, or does its work
            except PmError as err:
                self._failed_to_open(err)
                return False
        try:
            screen = self.interview_screen
        except LookupError:
            return False
        screen.commit()
        return self.session.save()

    def save_or_report(self) -> bool:
        """Save now; when the file cannot be written, say so on screen instead of failing.

        What was typed stays in memory and the next save tries again.
        """
        try:
            self.save_account()
        except (PmError, OSError) as err:
            self._report_save_error(err)
            return False
        if self.save_error is not None:
            self.save_error = None
            self._tell_screens(AccountSaved())
        return True

    def _report_save_error(self, err: Exception) -> None:
        self.save_error = str(err)
        self.notify(f"Not saved: {err}", severity="error", timeout=10)
        self._tell_screens(AccountSaved(error=str(err)))

    def _tell_screens(self, message: AccountSaved) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, InterviewScreen):
                screen.post_message(message)

    # --- actions -------------------------------------------------------------------------

    def action_help(self) -> None:
        """Show the keys available here; pressed again, close them."""
        from pminterview.tui.common.help import HelpScreen  # not needed for the first screen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        # The purpose and privacy statement first: the screen shows it whole only once.
        self.push_screen(HelpScreen.for_screen(self.screen, intro=self.session.guide.purpose.strip()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("quit", "close"):
            return (action == "close") == self.session.read_only
        return True

    def action_close(self) -> None:
        """Quit; this session is read-only, so there is nothing of its own to save."""
        self.exit(return_code=0)

    async def action_quit(self) -> None:
        """Save and quit. If saving fails, a second press quits without saving."""
        await settle_keys(self)  # the last letters typed before ctrl+q belong in the file
        try:
            self.save_account()
        except (PmError, OSError) as err:
            if not self._quit_armed:
                self._quit_armed = True
                self._report_save_error(err)
                self.notify("Press Ctrl+Q again to quit without saving.", severity="warning", timeout=10)
                return
        self.exit(return_code=0)


def run(workspace: Workspace, participant: str, guide: Guide, clock: Clock = utc_now) -> int:
    """Open the participant's account and run the interview; returns the exit code.

    A damaged account or incident file raises PmError (the caller prints its one line and
    exits with 2): before the screen opens when the file is not even TOML, otherwise as soon
    as the first screen's check finds it. Nothing is written in either case.
    """
    session = InterviewSession.preview(workspace, participant, guide, clock)
    try:
        app = InterviewApp(session)
        app.run()
    finally:
        session.close()
    if app.open_error is not None:
        raise app.open_error
    return app.return_code or 0
