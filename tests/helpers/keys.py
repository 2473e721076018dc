"""Typing as it arrives over SSH: many keys at once."""

from __future__ import annotations

from textual import events
from textual.pilot import Pilot

from pminterview.tui.common import settle_keys


async def send_burst(pilot: Pilot, keys: list[str]) -> None:
    """Post every key before the app handles any of them: how a burst arrives over SSH (the
    driver reads them in one go). Then let the app work through them."""
    app = pilot.app
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))
    for _ in range(3):  # the app, the field, and the field that Tab moved to
        await pilot.pause()
        await settle_keys(app)
