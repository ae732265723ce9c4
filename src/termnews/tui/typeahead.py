"""Type-ahead: keys typed right after `/`, `a`, `P` or `S` land in what those keys open.

Textual runs a key's (non-priority) binding only after the key has travelled
through the focused widget, by which time the next keys are already on their
way to that same widget: `/Northbridge` searched "orthbridge" or ran `n`, `b`,
`o` as commands. ``TermnewsApp`` therefore runs a command that opens a text
field or a dialog as soon as its key arrives, and reads the next key only once
the new field has focus.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from textual.widgets import Input, TextArea

from termnews.tui.commands import opens_input

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode
    from textual.screen import Screen

ScreenResult = TypeVar("ScreenResult")

_MOUNT_WAIT = 0.005  # seconds between looks at a dialog being mounted
_MOUNT_LOOKS = 400  # at most two seconds: then the keys go wherever focus is


def input_opener(app: App[Any], key: str) -> tuple[str, DOMNode] | None:
    """The (action, node) that ``key`` would run now, when it opens a text field or dialog.

    None when a text field has focus (it takes the key as text) or when the key's
    first binding, in Textual's own order, is anything else.
    """
    if isinstance(app.focused, (Input, TextArea)):
        return None
    for node, bindings in app.screen._modal_binding_chain:
        for binding in bindings.key_to_bindings.get(key, ()):
            if binding.priority or not opens_input(binding.action):
                return None
            return binding.action, node
    return None


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
