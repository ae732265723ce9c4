"""The sources pane of wide terminals: views, tags and sources, each with its unread count.

A ``SourceList`` of ``source_entries`` rows. Counts come from one grouped query
(``Store.unread_counts``) off the UI thread; reading a post changes the numbers
it touches without a query (``count_read``). Choosing a row posts ``Chosen``;
the panes hand its filter to the sidebar.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.binding import Binding

from termnews.store import PostFilter, UnreadCounts
from termnews.tui.source_entries import SourceEntry, build_entries, entry_key
from termnews.tui.widgets.source_list import SourceList

if TYPE_CHECKING:
    from termnews.store import Store


class SourcesPane(SourceList):
    """Every view, tag and source; the row of the sidebar's filter is under the cursor."""

    BINDINGS = [
        Binding("j,down", "cursor_down", show=False),
        Binding("k,up", "cursor_up", show=False),
        Binding("g,home", "first", show=False),
        Binding("G,end", "last", show=False),
        Binding("pagedown", "page_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("enter,l", "choose", "show", show=False),
    ]

    def __init__(self, store: Store, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Sources"
        self.store = store
        self._current = entry_key(PostFilter())

    def load_sources(self) -> None:
        """(Re)build the rows from the store's sources; the cursor stays on the filter's row."""
        self.set_entries(build_entries(self.store.sources()), select=self._current)

    def show_filter(self, flt: PostFilter) -> None:
        """Follow the sidebar's filter (chosen here, by `n`, or by the picker)."""
        self._current = entry_key(flt)
        self.move_to(self._current)

    async def load_counts(self, fresh: Callable[[], bool] = lambda: True) -> None:
        """Re-read every count (one grouped query) and the sources, in a thread.

        A refresh can bring a source's real title, a sync new sources and tags:
        the rows are rebuilt only when they differ.
        """
        if not self.display:  # narrow: the picker reads its own counts when opened
            self.counts = None
            return
        entries, counts = await asyncio.to_thread(self._read)
        if not fresh():  # a read mark went by: the sidebar counts again once it landed
            return
        self.set_counts(counts)
        if entries != self.entries:
            self.set_entries(entries, select=self._current)

    def _read(self) -> tuple[list[SourceEntry], UnreadCounts]:
        return build_entries(self.store.sources()), self.store.unread_counts()

    def count_read(self, change: int, source_id: int | None) -> None:
        """A post of ``source_id`` was read (-1) or marked unread (+1): its numbers follow."""
        if self.counts is None:
            return
        by_source = dict(self.counts.by_source)
        if source_id is not None:
            by_source[source_id] = max(0, by_source.get(source_id, 0) + change)
        unread = max(0, self.counts.unread + change)
        self.set_counts(UnreadCounts(by_source, unread, self.counts.saved))
