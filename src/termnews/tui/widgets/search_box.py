"""The search field above the post list: every key asks to search, at once.

The query is an FTS5 lookup of well under a millisecond and the sidebar shows
its first page before the next key is read, so there is no debounce to wait
for: results follow the last key, not a timer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.widget import Widget


class SearchBox(Input):
    """An ``Input`` that posts ``Search`` for each change (the sidebar runs the query).

    Enter moves the focus to ``then`` (the list) at once, so keys typed after it
    go there (``typeahead``).
    """

    TYPE_AHEAD_KEYS = frozenset({"enter"})

    class Search(Message):
        """Search the cache for ``query`` (None: the box is empty, show every post)."""

        def __init__(self, query: str | None) -> None:
            super().__init__()
            self.query = query

    def __init__(self, then: Widget, *, id: str | None = None) -> None:
        super().__init__(placeholder="Search cached posts…", id=id)
        self.then = then
        self._emptied = False

    async def action_submit(self) -> None:
        self.screen.set_focus(self.then)
        await super().action_submit()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._emptied:  # the value emptied by closing: the sidebar has shown every post
            self._emptied = False
            return
        self.post_message(self.Search(event.value.strip() or None))

    def clear_closed(self) -> None:
        """Empty the box as it closes; the change that follows searches nothing."""
        if self.value:
            self._emptied = True
            self.value = ""
