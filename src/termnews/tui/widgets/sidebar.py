"""The sidebar: the post list, its filter and title, and the search box once `/` is pressed.

It owns the list's moving keys (the "list" and "panes" commands of
``commands.py``), so they work from the search box too (`↓` there moves the
cursor, as it always has), and it reads the rows it shows. The screen decides
when it reloads, in its workers.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Coroutine
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input

from termnews.models import Post
from termnews.store import FilterKind, PostFilter, StoreError
from termnews.text import clean_line
from termnews.tui.commands import SIDEBAR, bindings
from termnews.tui.messages import sidebar_title
from termnews.tui.widgets.post_list import PostList
from termnews.tui.widgets.search_box import SearchBox

if TYPE_CHECKING:
    from termnews.store import Store

FIRST_PAGE = 200  # post ids read before the first frame
_NEXT_FILTER: dict[FilterKind, FilterKind] = {"all": "unread", "unread": "saved", "saved": "all"}


class CountFollower(Protocol):
    """Another widget showing unread counts (the sources pane): it follows the sidebar's."""

    def load_counts(self, fresh: Callable[[], bool]) -> Coroutine[Any, Any, None]:
        """Count again; show the result only while ``fresh()`` (no read mark went by)."""
        ...

    def count_read(self, change: int, source_id: int | None) -> None: ...


class Sidebar(Vertical):
    """A ``PostList`` under a title ("Recent posts (All · 1,204 · 37 unread)").

    The search box is mounted on first use, not in the first frame.
    """

    BINDINGS = bindings(SIDEBAR)

    class StoreChanged(Message):
        """Another connection committed (a cron ``termnews refresh``): rows may be new."""

    class FilterChanged(Message):
        """The filter changed: the screen reloads the list (``reload``) in a worker."""

    class Searched(Message):
        """A search whose every hit is listed already: no reload, only the article pane follows."""

    def __init__(self, store: Store, *, now: Callable[[], datetime], id: str | None = None):
        super().__init__(id=id)
        self.store = store
        self.post_list = PostList(store.rows_by_id, now=now, id="posts")
        self.filter = PostFilter()
        self.unread_count: int | None = None
        self.ids_complete = True  # False while the list holds only its first page
        self.source_titles: dict[int, str] = {}
        self.narrow = False
        self.followers: list[CountFollower] = []
        self._writing = 0  # read marks being written (``mark_read``)
        self._marks = 0  # read marks started, ever: a count taken across one may miss it
        self._recount = False  # a count was skipped or dropped: take it once they landed
        self._data_version: int | None = None

    def compose(self) -> ComposeResult:
        yield self.post_list

    # -- the rows ------------------------------------------------------------------

    def show_first_page(self) -> None:
        """A screenful of ids before the first frame; ``reload`` reads the rest after it."""
        self.read_source_titles()
        ids = self.store.post_ids(self.filter, limit=FIRST_PAGE)
        self.ids_complete = len(ids) < FIRST_PAGE
        self.post_list.set_ids(ids, keep_selection=False)
        self.update_title()

    def read_source_titles(self) -> None:
        self.source_titles = {s.id: clean_line(s.title) for s in self.store.sources()}

    async def reload(self) -> bool:
        """Re-read the ids for the filter and merge them in without a jump, then the counts.

        False when the filter changed meanwhile (a newer reload shows that one).
        """
        flt = self.filter
        ids = await asyncio.to_thread(self.store.post_ids, flt)
        if flt != self.filter:
            return False
        self.ids_complete = True
        self.post_list.set_ids(ids)
        self.update_title()
        await self.load_counts()
        return True

    async def load_counts(self) -> None:
        """Unread totals for the title and the followers, off the UI thread (100k rows).

        A count taken while the reader's own read marks are written could miss them
        and undo what ``count_read`` showed: it is taken again once they have landed.
        """
        if self._writing:
            self._recount = True
            return
        marks = self._marks

        def fresh() -> bool:
            self._recount = self._recount or self._marks != marks
            return self._marks == marks

        flt = self.filter
        unread = await asyncio.to_thread(self.store.unread_count, flt)
        if flt == self.filter and fresh():
            self.unread_count = unread
            self.update_title()
        for follower in self.followers:
            await follower.load_counts(fresh)

    async def mark_read(self, post: Post, read: bool = True) -> None:
        """Mark a post read or unread (in a thread); every count follows at once."""
        self._marks += 1
        self._writing += 1
        self.count_read(-1 if read else +1, post.source_id)
        try:
            await asyncio.to_thread(self.store.set_read, [post.id], read)
        finally:
            self._writing -= 1
        self.post_list.invalidate([post.id])
        if self._recount and not self._writing:
            self._recount = False
            await self.load_counts()

    def count_read(self, change: int, source_id: int | None = None) -> None:
        """A post (of ``source_id``) was marked read (-1) or unread (+1): the counts follow."""
        if self.unread_count is not None:
            self.unread_count = max(0, self.unread_count + change)
            self.update_title()
        for follower in self.followers:
            follower.count_read(change, source_id)

    async def unread_after(self, step: int, skip: int | None) -> int | None:
        """The index of the next (``step`` +1) or previous (-1) unread post from the cursor."""
        unread = set(
            await asyncio.to_thread(self.store.post_ids, replace(self.filter, kind="unread"))
        )
        unread.discard(skip or -1)
        ids, index = self.post_list.ids, self.post_list.cursor + step
        while 0 <= index < len(ids):
            if ids[index] in unread:
                return index
            index += step
        return None

    def update_title(self) -> None:
        total = len(self.post_list.ids) if self.ids_complete else None
        source = self.source_titles.get(self.filter.source_id or -1) or self.filter.tag
        title = sidebar_title(
            self.filter, total, self.unread_count, narrow=self.narrow, source_title=source
        )
        self.border_title = Text(title)  # a str would be markup

    def poll_store(self, seconds: float) -> None:
        """Look at the store's data version every ``seconds`` (a PRAGMA: microseconds)."""
        self._data_version = self._read_data_version()
        self.set_interval(seconds, self._look_at_store, name="data-version")

    def _read_data_version(self) -> int | None:
        try:
            return self.store.data_version()
        except (StoreError, sqlite3.OperationalError):  # busy: look again next time
            return None

    def _look_at_store(self) -> None:
        version = self._read_data_version()
        if version is not None and version != self._data_version:
            self._data_version = version
            self.post_message(self.StoreChanged())

    # -- the filter --------------------------------------------------------------

    def set_filter(self, flt: PostFilter) -> None:
        """Show other posts; the selected post stays selected when it is still listed."""
        if flt != self.filter:
            if (flt.source_id, flt.tag) != (self.filter.source_id, self.filter.tag):
                self.unread_count = None  # another source's: known once counted
            self.filter = flt
            self.post_list.one_source = flt.source_id is not None
            self.update_title()
            changed = self.FilterChanged()
            # From the sidebar, whoever called: Textual stops a message at its sender,
            # and the screen (above the panes) must see it.
            changed.set_sender(self)
            self.post_message(changed)

    def cycle_filter(self) -> None:
        """All → unread → saved → all."""
        self.set_filter(replace(self.filter, kind=_NEXT_FILTER[self.filter.kind]))

    async def pick_source(self) -> None:
        """The `S` picker of narrow terminals: a view, a tag or a source, filtered by typing."""
        # Dialogs are imported when first opened: the first frame does not need them.
        from termnews.tui.screens.source_picker import SourcePickerScreen
        from termnews.tui.source_entries import SourceEntry, build_entries, entry_key
        from termnews.tui.typeahead import push_and_focus

        if not (sources := self.store.sources()):
            self.notify("No sources yet: press a to add one.", markup=False)
            return
        self.read_source_titles()

        def chosen(entry: SourceEntry | None) -> None:
            if entry is not None:
                self.set_filter(entry.apply(self.filter))

        counts = self.store.unread_counts()
        picker = SourcePickerScreen(build_entries(sources), counts, entry_key(self.filter))
        await push_and_focus(self.app, picker, chosen)

    # -- search --------------------------------------------------------------------

    @property
    def search_box(self) -> SearchBox | None:
        """The search box, once it exists."""
        found = self.query(SearchBox)
        return found.first() if found else None

    async def open_search(self) -> SearchBox:
        """Show the search box (mounting it the first time) and focus it at once.

        The focus is set before this returns, not after a refresh, so keys typed
        right after `/` land in the box (``TermnewsApp`` waits for this).
        """
        box = self.search_box
        if box is None:
            box = SearchBox(self.post_list, self.search, id="search")
            await self.mount(box, before=0)
        box.remove_class("-hidden")
        self.display = True
        self.screen.set_focus(box)
        return box

    def close_search(self) -> bool:
        """Hide and empty the search box, showing every post again; False when it was hidden."""
        box = self.search_box
        if box is None or box.has_class("-hidden"):
            return False
        box.clear_closed()
        box.add_class("-hidden")
        self.screen.set_focus(self.post_list)
        self.set_filter(replace(self.filter, query=None))
        return True

    def search(self, query: str | None, flt: PostFilter | None = None) -> None:
        """Show the first page of hits now, in this key's turn; the screen reads the rest.

        The FTS lookup takes well under a millisecond, so it runs here rather
        than in a worker: the results are on screen before the next key is read.
        ``flt`` is the scope (the current filter when None).
        """
        flt = replace(flt or self.filter, query=query)
        if flt == self.filter:
            return
        self.filter = flt
        self.post_list.one_source = flt.source_id is not None  # widened: names shown again
        try:
            ids = self.store.post_ids(flt, limit=FIRST_PAGE)
        except (StoreError, sqlite3.OperationalError):  # busy: the worker's reload says so
            ids = None
        if ids is not None:
            self.ids_complete = len(ids) < FIRST_PAGE
            self.post_list.set_ids(ids, keep_rows=True)  # a search: the rows are unchanged
        self.update_title()
        self.post_message(self.Searched() if self.ids_complete else self.FilterChanged())

    def widen_search(self) -> None:
        """Search every post, not only this source's (or this view's): one key, ctrl+g."""
        if self.filter.query:
            self.search(self.filter.query, PostFilter())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is self.search_box:
            event.stop()  # the box has moved the focus to the list already

    # -- keys ----------------------------------------------------------------------

    def action_down(self) -> None:
        self.post_list.cursor_down()

    def action_up(self) -> None:
        self.post_list.cursor_up()

    def action_top(self) -> None:
        self.post_list.first()

    def action_bottom(self) -> None:
        self.post_list.last()
