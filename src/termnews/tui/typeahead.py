"""Type-ahead: keys typed right after `/`, `a`, `P` or `S` land in what those keys open.

Textual runs a key's (non-priority) binding only after the key has travelled
through the focused widget, by which time the next keys are already on their
way to that same widget: `/Northbridge` searched "orthbridge" or ran `n`, `b`,
`o` as commands. ``TermnewsApp`` therefore holds the keys that follow a key
whose command opens a text field or a dialog, lets that key take its usual way
(so keys typed before it still come first), and sends the held keys on once
its command has run and the new field has focus.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events

from termnews.tui.commands import opens_input

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

ScreenResult = TypeVar("ScreenResult")

HOLD_LIMIT = 2.0  # seconds: held keys go on even if the opener never came back
_MOUNT_WAIT = 0.005  # seconds between looks at a dialog being mounted
_MOUNT_LOOKS = 400  # at most two seconds: then the keys go wherever focus is


def opens_something(app: App[Any], key: events.Key) -> bool:
    """True when ``key`` would now open a text field or a dialog, or move focus to the next.

    A text field takes keys as text, except those it names in ``TYPE_AHEAD_KEYS``
    (enter in the search box goes to the list). Otherwise the key's first binding,
    in Textual's own order, decides.
    """
    focused = app.focused
    if focused is not None:
        if key.key in getattr(focused, "TYPE_AHEAD_KEYS", ()):
            return True
        if focused.check_consume_key(key.key, key.character):
            return False
    for _node, bindings in app.screen._modal_binding_chain:
        for binding in bindings.key_to_bindings.get(key.key, ()):
            return not binding.priority and opens_input(binding.action)
    return False


class HeldKeys:
    """The keys typed after an opener, waiting until it has opened its field or dialog."""

    def __init__(self) -> None:
        self.opener: events.Key | None = None
        self.keys: list[events.Key] = []

    def start(self, opener: events.Key) -> None:
        """Hold the keys that come after ``opener``."""
        self.opener, self.keys = opener, []

    def hold(self, key: events.Key) -> bool:
        """Keep ``key`` for later while an opener is on its way; False when none is."""
        if self.opener is None:
            return False
        self.keys.append(key)
        return True

    def finish(self) -> list[events.Key]:
        """Stop holding; the keys held, in the order they were typed."""
        keys, self.opener, self.keys = self.keys, None, []
        return keys


async def push_and_focus(
    app: App[Any],
    screen: Screen[ScreenResult],
    callback: Callable[[ScreenResult | None], None] | None = None,
) -> None:
    """Push a dialog and return once its ``AUTO_FOCUS`` widget has focus (type-ahead goes there)."""
    app.push_screen(screen, callback)
    for _ in range(_MOUNT_LOOKS):
        if screen.is_mounted:
            break
        await asyncio.sleep(_MOUNT_WAIT)
    if screen.AUTO_FOCUS:
        for widget in screen.query(screen.AUTO_FOCUS):
            if widget.focusable:
                screen.set_focus(widget)
                return
