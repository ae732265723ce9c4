"""The search field above the post list: every key asks to search, at once.

The query is an FTS5 lookup of well under a millisecond and the sidebar shows
its first page before the next key is read, so there is no debounce to wait
for: results follow the last key, not a timer. The search runs in the key's own
turn (the value's watcher), not a message later: the box and the list then
change in one layout and one paint, not two.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.widgets import Input

if TYPE_CHECKING:
    from textual.widget import Widget

Search = Callable[[str | None], None]


class SearchBox(Input):
    """An ``Input`` that calls ``search`` for each change (the sidebar runs the query).

    ``search`` gets the query, or None when the box is empty (show every post).
    Enter moves the focus to ``then`` (the list) at once, so keys typed after it
    go there (``typeahead``).
    """

    TYPE_AHEAD_KEYS = frozenset({"enter"})

    def __init__(self, then: Widget, search: Search, *, id: str | None = None) -> None:
        super().__init__(placeholder="Search cached posts…", id=id)
        self.then = then
        self._search = search
        self._emptied = False

    async def action_submit(self) -> None:
        self.screen.set_focus(self.then)
        await super().action_submit()

    def watch_value(self, value: str) -> None:
        if self._emptied:  # the value emptied by closing: the sidebar has shown every post
            self._emptied = False
            return
        self._search(value.strip() or None)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()  # searched already, in watch_value

    def clear_closed(self) -> None:
        """Empty the box as it closes; the change that follows searches nothing."""
        if self.value:
            self._emptied = True
            self.value = ""
