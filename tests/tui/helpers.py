"""Helpers for pilot tests: start the app, read what the sidebar draws."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from textual.pilot import Pilot

from termnews.tui.app import TermnewsApp, make_app
from termnews.tui.screens.main import MainScreen
from tests.tui.conftest import frozen_now


def app_for(service, **kwargs) -> TermnewsApp:  # type: ignore[no-untyped-def]
    return make_app(service, no_refresh=kwargs.pop("no_refresh", True), now=frozen_now)


def main(app: TermnewsApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen), screen
    return screen


@contextlib.asynccontextmanager
async def reading(
    service: Any, size: tuple[int, int] = (120, 40), **kwargs: Any
) -> AsyncIterator[tuple[Pilot[int], MainScreen]]:
    """The reader over ``service`` in a terminal of ``size``, settled: its pilot and screen."""
    app = app_for(service, **kwargs)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield pilot, main(app)


def sidebar_text(app: TermnewsApp) -> list[str]:
    """The text lines the post list draws right now."""
    post_list = main(app).post_list
    return [
        post_list.render_line(y).text for y in range(post_list.scrollable_content_region.height)
    ]


def notifications(app: TermnewsApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def settle(pilot, times: int = 3) -> None:  # type: ignore[no-untyped-def]
    """Let workers and messages finish."""
    for _ in range(times):
        await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def widget_text(widget) -> str:  # type: ignore[no-untyped-def]
    """Every line a widget renders, as plain text (control characters would show here)."""
    from textual.geometry import Region

    region = Region(0, 0, widget.outer_size.width, widget.outer_size.height)
    return "\n".join(strip.text for strip in widget.render_lines(region))


def title_of(widget) -> str:  # type: ignore[no-untyped-def]
    """A border title as the plain text shown (the property returns escaped markup)."""
    return widget._border_title.plain if widget._border_title is not None else ""


def type_at_once(app: TermnewsApp, *keys: str) -> None:
    """Queue key presses as one read from a terminal delivers them: all before any is handled.

    ``pilot.press`` waits for the app between keys, so it never shows type-ahead races.
    """
    import unicodedata

    from textual import events
    from textual.keys import _character_to_key, _get_unicode_name_from_key

    for typed in keys:
        key = _character_to_key(typed) if len(typed) == 1 and not typed.isalnum() else typed
        char: str | None = typed if len(typed) == 1 else None
        if char is None:
            try:
                char = unicodedata.lookup(_get_unicode_name_from_key(key))
            except KeyError:
                char = None
        event = events.Key(key, char)
        event.set_sender(app)
        app.post_message(event)
