"""Save and exit cleanly when the terminal goes away.

Textual does not handle SIGHUP: when an SSH connection drops, the process receives SIGHUP and
dies with whatever was typed since the last save. `install_exit_signals` routes SIGHUP, SIGTERM
and an external SIGINT (inside the app, ctrl+c is a key, not a signal) to one handler that saves
synchronously first and only then asks the app to exit.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Mapping

from rich.text import Text
from textual.app import App

#: The signals that mean "the session is over": the line dropped, the host is shutting down,
#: or someone ran `kill`.
EXIT_SIGNALS = (signal.SIGHUP, signal.SIGTERM, signal.SIGINT)


def install_exit_signals(
    app: App, save: Callable[[], object], said: Mapping[int, str] | None = None
) -> Callable[[], None]:
    """Make SIGHUP, SIGTERM and SIGINT save (synchronously) and exit the app.

    Call from `App.on_mount`, where the event loop is running. The exit code is 128 plus the
    signal number, as a shell would report it. A save that fails does not stop the exit; its
    one-line reason is printed after the terminal is restored. `said` maps a signal to the
    line printed after a successful save (for example why another session sent it).

    Returns a function that removes the handlers (call it from `on_unmount`). Where handlers
    cannot be installed (not the main thread, no Unix signals) nothing is installed.
    """
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return lambda: None

    def handle(signum: int) -> None:
        message = (said or {}).get(signum)
        try:
            save()
        except Exception as err:  # noqa: BLE001 - the exit must happen whatever went wrong
            message = f"pminterview: could not save on {signal.Signals(signum).name}: {err}"
        # As Text, so that brackets in a file name are not read as markup.
        app.exit(return_code=128 + signum, message=Text(message) if message else None)

    installed: list[int] = []
    for signum in EXIT_SIGNALS:
        try:
            loop.add_signal_handler(signum, handle, signum)
        except (ValueError, RuntimeError, NotImplementedError):
            continue  # not the main thread, or a platform without Unix signals
        installed.append(signum)

    def remove() -> None:
        for signum in installed:
            try:
                loop.remove_signal_handler(signum)
            except (ValueError, RuntimeError):
                pass  # the loop is already closed; its handlers went with it
        installed.clear()

    return remove
