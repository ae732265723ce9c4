"""The search field above the post list: it waits for a pause in typing, then asks to search."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.timer import Timer
    from textual.widget import Widget

SEARCH_DELAY = 0.15  # seconds of no typing before the query runs: one query, not one per key


class SearchBox(Input):
    """An ``Input`` that posts ``Search`` once typing pauses (the screen runs the query).

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
        self._timer: Timer | None = None

    async def action_submit(self) -> None:
        self.screen.set_focus(self.then)
        await super().action_submit()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.cancel()
        query = event.value.strip() or None
        self._timer = self.set_timer(SEARCH_DELAY, lambda: self.post_message(self.Search(query)))

    def cancel(self) -> None:
        """Forget a search that has not run yet."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
