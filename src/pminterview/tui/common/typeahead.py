"""Keep keys in the order they were typed when a shortcut changes focus or the screen.

Textual runs a priority binding (ctrl+n, F3, ctrl+q) as soon as the app reads the key, while
the characters typed just before it may still wait in the focused field's own queue. Over a
slow SSH link keys arrive in bursts ("SRE" and ctrl+n in one packet), so without care the
shortcut acts first: "next question" would commit the answer before its last letters
arrived, and those letters would be lost with the old field.

`settle_keys` waits until the focused widget has handled everything already sent to it. The
app reads no further keys meanwhile (it is inside the binding), so what comes after the
shortcut goes to wherever the shortcut moved focus.
"""

from __future__ import annotations

import asyncio

from textual.app import App

#: A widget that is closing never runs the callback; do not wait for it forever.
SETTLE_TIMEOUT = 0.5


async def settle_keys(app: App) -> None:
    """Return once the focused widget has processed the keys queued for it."""
    focused = app.focused
    if focused is None:
        return
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def mark_done() -> None:
        if not done.done():
            done.set_result(None)

    if not focused.call_later(mark_done):
        return
    try:
        await asyncio.wait_for(done, SETTLE_TIMEOUT)
    except TimeoutError:
        pass
