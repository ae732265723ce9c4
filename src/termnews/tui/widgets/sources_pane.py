"""The sources pane of wide terminals: views, tags and sources, each with its unread count.

An ``OptionList`` of ``source_entries`` rows. Counts come from one grouped query
(``Store.unread_counts``) off the UI thread; reading a post changes the few rows
it touches without a query (``count_read``). Choosing a row posts ``Chosen``;
the panes hand its filter to the sidebar.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from termnews.store import PostFilter, UnreadCounts
from termnews.tui.source_entries import SourceEntry, build_entries, entry_key, tag_counts

if TYPE_CHECKING:
    from termnews.store import Store


class SourcesPane(OptionList):
    """Every view, tag and source; the row of the sidebar's filter is highlighted."""

    BINDINGS = [
        Binding("j", "cursor_down", show=False),
        Binding("k", "cursor_up", show=False),
        Binding("g", "first", show=False),
        Binding("G", "last", show=False),
        Binding("l", "select", show=False),
    ]

    class Chosen(Message):
        """The user chose a row: show ``entry``'s posts."""

        def __init__(self, entry: SourceEntry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(self, store: Store, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Sources"
        self.store = store
        self.entries: list[SourceEntry] = []
        self.counts: UnreadCounts | None = None
        self._index: dict[str, int] = {}
        self._by_tag: dict[str, int] = {}
        self._current = entry_key(PostFilter())

    # -- rows ----------------------------------------------------------------------

    def load_sources(self) -> None:
        """(Re)build the rows from the store's sources, keeping the highlighted row."""
        self.entries = build_entries(self.store.sources())
        self._index = {e.key: n for n, e in enumerate(self.entries)}
        self._by_tag = tag_counts(self.entries, self.counts) if self.counts else {}
        self.set_options(Option(e.label(self.counts, self._by_tag), id=e.key) for e in self.entries)
        self._highlight_current()

    def show_filter(self, flt: PostFilter) -> None:
        """Highlight the row of the sidebar's filter (chosen here, by `n`, or by the picker)."""
        self._current = entry_key(flt)
        self._highlight_current()

    def _highlight_current(self) -> None:
        index = self._index.get(self._current)
        if index is not None and index != self.highlighted:
            self.highlighted = index

    # -- counts --------------------------------------------------------------------

    async def load_counts(self) -> None:
        """Re-read every count (one grouped query, in a thread); new sources get rows."""
        if not self.display:  # narrow: the picker reads its own counts when opened
            self.counts = None
            return
        counts = await asyncio.to_thread(self.store.unread_counts)
        known = {e.source_id for e in self.entries if e.kind == "source"}
        if not self.entries or set(counts.by_source) - known:
            self.counts = counts
            self.load_sources()
            return
        self._set_counts(counts)

    def count_read(self, change: int, source_id: int | None) -> None:
        """A post of ``source_id`` was read (-1) or marked unread (+1): its rows follow."""
        if self.counts is None:
            return
        by_source = dict(self.counts.by_source)
        if source_id is not None:
            by_source[source_id] = max(0, by_source.get(source_id, 0) + change)
        unread = max(0, self.counts.unread + change)
        self._set_counts(UnreadCounts(by_source, unread, self.counts.saved))

    def _set_counts(self, counts: UnreadCounts) -> None:
        """Redraw only the rows whose number changed."""
        old, old_tags = self.counts, self._by_tag
        self.counts, self._by_tag = counts, tag_counts(self.entries, counts)
        for index, entry in enumerate(self.entries):
            before = entry.unread(old, old_tags) if old is not None else None
            if before != entry.unread(counts, self._by_tag):
                self.replace_option_prompt_at_index(index, entry.label(counts, self._by_tag))

    # -- keys ----------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Chosen(self.entries[event.option_index]))
