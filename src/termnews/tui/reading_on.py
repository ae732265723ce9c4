"""Reading on: `n` / `p` and space at an article's end open the next unread post.

At the end of a source (or tag) `n` goes on to the next source (tag) with unread
posts, in the sources pane's order, and says so in the status line. A screen
controller, like ``updates.py``: the screen calls ``goto`` in a worker.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from termnews.tui.format import count
from termnews.tui.source_entries import build_entries, next_with_unread, tag_counts

if TYPE_CHECKING:
    from termnews.tui.widgets.sidebar import Sidebar
    from termnews.tui.widgets.status_bar import StatusBar


SAY_SECONDS = 8.0  # how long "Next: …" stays in the status line


class ReadingOn:
    """Finds the next unread post, crossing to the next source or tag when this one is done."""

    def __init__(
        self,
        sidebar: Sidebar,
        status: StatusBar,
        *,
        open_post: Callable[[int], None],
        open_id: Callable[[], int | None],
        notify: Callable[[str], None],
    ) -> None:
        self.sidebar = sidebar
        self.status = status
        self.open_post = open_post
        self.open_id = open_id  # the post in the article pane: it is not "next"
        self._said: tuple[str, str] | None = None  # the words shown by ``say``, and before them
        self.notify = notify

    async def goto(self, step: int) -> None:
        """Open the next (``step`` 1) or previous (-1) unread post; then the next source."""
        index = await self.sidebar.unread_after(step, skip=self.open_id())
        if index is not None:
            self._open(index)
        elif step < 0:
            self.notify("No unread posts above.")
        elif not await self.next_source():
            self.notify("No more unread posts.")

    async def next_source(self) -> bool:
        """Show the next source (or tag) with unread posts and open its first; False if none."""
        store = self.sidebar.store
        if self.sidebar.filter.query:  # a search's hits end where they end
            return False
        entries = build_entries(await asyncio.to_thread(store.sources))
        counts = await asyncio.to_thread(store.unread_counts)
        entry = next_with_unread(entries, self.sidebar.filter, counts)
        if entry is None:
            return False
        flt = entry.apply(self.sidebar.filter)
        if flt.kind == "saved":  # its unread posts may all be unsaved
            flt = replace(flt, kind="all")
        self.sidebar.set_filter(flt)
        if not await self.sidebar.reload():
            return True  # the user chose another filter meanwhile
        unread = set(await asyncio.to_thread(store.post_ids, replace(flt, kind="unread")))
        ids = self.sidebar.post_list.ids
        first = next((n for n, post_id in enumerate(ids) if post_id in unread), None)
        left = entry.unread(counts, tag_counts(entries, counts))
        self.say(f"Next: {entry.title}, {count(left)} unread")
        if first is not None:
            self._open(first)
        return True

    def _open(self, index: int) -> None:
        post_list = self.sidebar.post_list
        post_list.move_cursor(index)
        self.open_post(post_list.ids[index])

    def say(self, words: str) -> None:
        """Put ``words`` in the status line for a while, then what was there before.

        Said again while the last words still show, the line goes back to what was
        there before the first: the words of a moment are never restored.
        """
        before = self.status.activity
        if self._said is not None and before == self._said[0]:
            before = self._said[1]
        self._said = (words, before)
        self.status.activity = words

        def restore() -> None:
            if self.status.activity == words:  # nothing newer has been said meanwhile
                self.status.activity = before

        self.status.set_timer(SAY_SECONDS, restore)
