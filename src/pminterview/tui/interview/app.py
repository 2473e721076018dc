"""The responder's interview as a Textual app."""

from __future__ import annotations

from textual import on
from textual.app import App
from textual.binding import Binding

from pminterview.errors import PmError
from pminterview.guide import Guide
from pminterview.tui.common import COMMON_CSS_PATH, Autosave, HelpScreen, install_exit_signals, settle_keys
from pminterview.tui.interview.hints import find_hints, hints_enabled_by_default
from pminterview.tui.interview.messages import AccountSaved, AnswerEdited
from pminterview.tui.interview.review import ReviewScreen
from pminterview.tui.interview.screens import InterviewScreen
from pminterview.tui.interview.session import Clock, InterviewSession, utc_now
from pminterview.workspace import Workspace


class InterviewApp(App[None]):
    """One person's interview: questions, review, submit. Saves as they type."""

    CSS_PATH = [COMMON_CSS_PATH, "interview.tcss"]
    ENABLE_COMMAND_PALETTE = False  # its ctrl+p is "previous question" here
    BINDINGS = [
        Binding("f1", "help", "Help", id="help", priority=True),
        # Not a priority binding: while typing, "?" is part of the answer.
        Binding("question_mark", "help", "Help", id="help-question-mark", show=False),
        Binding("ctrl+q", "quit", "Save and quit", id="quit", priority=True),
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

    async def on_mount(self) -> None:
        self.autosave = Autosave(self, self.save_or_report)
        self._remove_signal_handlers = install_exit_signals(self, self.save_account)
        await self.push_screen(InterviewScreen(self.session, self.hints_on))
        if self.session.start_question() is None:
            await self.push_screen(ReviewScreen(self.session, self.hints_on), self.interview_screen._back_from_review)
        if self.hints_on:
            # Load the lint rules once the first question is on screen, so the first hint
            # is not late; in a thread, so typing is not held up meanwhile.
            self.call_after_refresh(self._warm_up_lint)

    def _warm_up_lint(self) -> None:
        self.run_worker(_warm_up_lint, thread=True, group="warm-up", exit_on_error=False)

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
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen.for_screen(self.screen))

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


def _warm_up_lint() -> None:
    find_hints("warming up the rules")


def run(workspace: Workspace, participant: str, guide: Guide, clock: Clock = utc_now) -> int:
    """Open the participant's account and run the interview; returns the exit code.

    A damaged account file raises PmError before the screen opens; nothing is written.
    """
    session = InterviewSession.open(workspace, participant, guide, clock)
    try:
        app = InterviewApp(session)
        app.run()
    finally:
        session.close()
    return app.return_code or 0
