"""Run something shortly after the last of a burst of changes, never on the keystroke path."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer


class Debouncer:
    """Call `callback` once, `delay` seconds after the most recent `poke()`.

    A keystroke only records the time; at most one one-shot timer is pending, and when it
    fires early (more keys arrived) it re-arms for the remainder. So a burst of typing costs
    one timer, not one per key, and nothing runs or repaints while the person is idle.
    """

    def __init__(self, owner: MessagePump, delay: float, callback: Callable[[], object]) -> None:
        self._owner = owner
        self.delay = delay
        self._callback = callback
        self._last = 0.0
        self._timer: Timer | None = None

    @property
    def pending(self) -> bool:
        """True while a call is scheduled and has not happened yet."""
        return self._timer is not None

    def poke(self) -> None:
        """Note a change; the callback runs `delay` seconds after the last one."""
        self._last = time.monotonic()
        if self._timer is None:
            self._timer = self._owner.set_timer(self.delay, self._fire)

    def flush(self) -> None:
        """Run a pending call now (before a screen change, quit or signal)."""
        if self._timer is not None:
            self.cancel()
            self._callback()

    def cancel(self) -> None:
        """Drop a pending call without running it."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _fire(self) -> None:
        self._timer = None
        remaining = self._last + self.delay - time.monotonic()
        if remaining > 0.02:
            self._timer = self._owner.set_timer(remaining, self._fire)
            return
        self._callback()


class Autosave(Debouncer):
    """A `Debouncer` for saving: 0.8 s after the last keystroke, so a save lands within
    about a second of the person stopping, and call `flush()` on every screen change, quit
    and exit signal."""

    def __init__(self, owner: MessagePump, save: Callable[[], object], delay: float = 0.8) -> None:
        super().__init__(owner, delay, save)
