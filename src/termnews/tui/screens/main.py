"""The reader's one main screen: the sidebar of posts, the article pane, status and footer.

The screen coordinates: it owns the filter, runs the workers that call the
service and the store, and tells the widgets what to show. Key handling lives
in ``main_actions`` (one action per command of ``commands.py``).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from termnews.models import Post
from termnews.store import PostFilter, is_damaged_database
from termnews.text import clean_line
from termnews.tui.commands import bindings
from termnews.tui.format import count
from termnews.tui.screens.background import BackgroundWork
from termnews.tui.screens.main_actions import ReaderActions
from termnews.tui.screens.web_actions import WebActions
from termnews.tui.widgets.article_view import ArticleView
from termnews.tui.widgets.key_footer import KeyFooter
from termnews.tui.widgets.post_list import PostList
from termnews.tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from textual.timer import Timer

    from termnews.service import Service

NARROW = 100  # columns below which the sidebar slims down and the footer is compact
FIRST_PAGE = 200  # post ids read before the first frame
POSITION_SAVE_DELAY = 1.0  # seconds after scrolling stops before the position is stored

_FILTER_NAMES = {"all": "All", "unread": "Unread", "saved": "Saved"}

WELCOME = [  # one entry per paragraph: the pane wraps them at its width
    "termnews shows the recent posts of the sites you follow, and reads them as clean"
    " text — also offline.",
    "",
    Text.assemble(
        ("Add your first source: ", ""),
        ("press a", "bold"),
        " and type the URL of a feed or of any web site (termnews finds its feed, or reads"
        " its list of recent posts).",
    ),
    "",
    "From a shell:",
    Text("  termnews add https://example.com/", style="bold"),
    Text("  termnews import subscriptions.opml", style="bold"),
    "",
    "Try it on sample posts first: termnews --demo",
    "Press ? for every key, ctrl+p for every command.",
]


class MainScreen(ReaderActions, WebActions, BackgroundWork, Screen[None]):
    """Sidebar + article pane. Web text reaches the widgets only as Rich ``Text``."""

    BINDINGS = bindings()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A background job that failed is one line; a damaged database ends the reader."""
        if event.state != WorkerState.ERROR or event.worker.error is None:
            return
        error = event.worker.error
        if is_damaged_database(error):
            self.app.end_on_database_error(error)  # type: ignore[attr-defined]
        elif isinstance(error, sqlite3.OperationalError):
            self.notify(
                f"Database busy ({clean_line(str(error))}): another termnews is writing;"
                " try again in a moment.",
                severity="warning",
                markup=False,
            )
        else:
            message = clean_line(str(error)) or type(error).__name__
            self.notify(message, severity="error", markup=False)

    def write_in_background(
        self, write: Callable[..., Any], *args: Any, refresh: list[int] | None = None
    ) -> None:
        """Run a store write in a thread (it may wait for another process's lock).

        ``refresh`` names sidebar rows to re-read once the write is done.
        """

        async def run() -> None:
            await asyncio.to_thread(write, *args)
            if refresh:
                self.post_list.invalidate(refresh)

        self.run_worker(run(), group="writes", exit_on_error=False)

    def __init__(
        self,
        service: Service,
        *,
        now: Callable[[], datetime],
        no_refresh: bool = False,
        on_first_paint: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.service = service
        self.store = service.store
        self.now = now
        self.no_refresh = no_refresh
        self.on_first_paint = on_first_paint
        self.filter = PostFilter()
        self.unread_count: int | None = None
        self.source_titles: dict[int, str] = {}
        self.network_down = False  # set when a refresh found no network at all
        self.refresh_outcome = ""  # "3 new posts": the status after the downloads
        self._data_version: int | None = None
        self.ids_complete = True  # False while the list holds only its first page
        self._position_timer: Timer | None = None

    # -- layout --------------------------------------------------------------------

    def compose(self) -> Any:
        # Narrow or not is known now, so the first frame is laid out once.
        narrow = self.app.size.width < NARROW
        self.set_class(narrow, "-narrow")
        with Horizontal(id="panes"):
            # The search field is mounted on first use (``action_search``): not in frame one.
            with Vertical(id="sidebar"):
                yield PostList(self.store.rows_by_id, now=self.now, id="posts")
            yield ArticleView(reading_width=self.service.config.reading_width, id="article")
        yield StatusBar(offline=self.service.offline, id="status")
        yield KeyFooter(compact=narrow)

    @property
    def post_list(self) -> PostList:
        return self.query_one(PostList)

    @property
    def article(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    def on_resize(self, event: Any) -> None:
        narrow = event.size.width < NARROW
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            self.query_one(KeyFooter).compact = narrow
            self._update_header()

    def on_mount(self) -> None:
        self.source_titles = {s.id: clean_line(s.title) for s in self.store.sources()}
        # Cached posts first, at once: the first frame never waits for the network.
        # Only a screenful of ids before the first frame; every id (100,000 take ~25 ms)
        # and the unread count (a scan of every row) right after it, off the UI thread.
        ids = self.store.post_ids(self.filter, limit=FIRST_PAGE)
        self.ids_complete = len(ids) < FIRST_PAGE
        self.post_list.set_ids(ids, keep_selection=False)
        self.post_list.focus()
        self._update_header()
        self._show_placeholder()
        if self.on_first_paint is not None:
            self.call_after_refresh(self.on_first_paint)
        self.call_after_refresh(self.start_counts)
        if not self.no_refresh and not self.service.offline:
            self.run_worker(self._maybe_refresh_on_start(), group="refresh", exit_on_error=False)
        self.call_after_refresh(self.start_watching_writes)

    async def _maybe_refresh_on_start(self) -> None:
        if await asyncio.to_thread(self.service.due_for_refresh, self.now()):
            await self.refresh_sources(None)

    # -- the list ------------------------------------------------------------------

    def _update_header(self) -> None:
        """The sidebar title: "Recent posts (All · 1,204 · 37 unread)", or the source/search."""
        flt = self.filter
        total = count(len(self.post_list.ids)) if self.ids_complete else "…"
        if flt.query:
            title = f"Search “{clean_line(flt.query)}” ({total})"
        else:
            parts = [_FILTER_NAMES[flt.kind], total]
            if self.unread_count is not None and flt.kind == "all":
                parts.append(f"{count(self.unread_count)} unread")
            name = "Recent posts" if not self.has_class("-narrow") else ""
            if flt.source_id is not None:
                name = self.source_titles.get(flt.source_id) or "One source"
            title = f"{name} ({' · '.join(parts)})" if name else " · ".join(parts)
        self.query_one("#sidebar").border_title = Text(title)  # a str would be markup

    def start_counts(self) -> None:
        """After the first frame: every id of the list (when only a page was read), counts."""
        if self.on_first_paint is not None:  # the benchmark hook is quitting: no more work
            return
        if not self.ids_complete:
            self.run_worker(self.reload_posts(), group="list", exclusive=True, exit_on_error=False)
        else:
            self.run_worker(
                self._load_counts(), group="counts", exclusive=True, exit_on_error=False
            )

    async def _load_counts(self) -> None:
        """Unread totals for the header, off the UI thread (a count over 100k rows)."""
        counts = await asyncio.to_thread(self.store.counts, self.filter.source_id)
        self.unread_count = counts.unread
        self._update_header()

    async def reload_posts(self) -> None:
        """Re-read the ids for the current filter and merge them in without a jump."""
        flt = self.filter
        ids = await asyncio.to_thread(self.store.post_ids, flt)
        if flt != self.filter:
            return
        self.ids_complete = True
        self.post_list.set_ids(ids)
        self._update_header()
        self._show_placeholder()  # empty → "nothing here"; filled again → the hint
        await self._load_counts()

    def set_filter(self, flt: PostFilter) -> None:
        """Show other posts; the selected post stays selected when it is still listed."""
        self.filter = flt
        self._update_header()
        self.run_worker(self.reload_posts(), group="list", exclusive=True, exit_on_error=False)

    def _show_placeholder(self) -> None:
        """The article pane when no post is open: welcome, empty filter, or a hint."""
        if self.article.post is not None:
            return
        if not self.post_list.ids:
            if not self.store.sources() and not self.filter.query and self.filter.kind == "all":
                self.article.show_message("Welcome to termnews", WELCOME)
            else:
                self.article.show_message(
                    "Nothing here", ["No posts match this view.", "f: change the filter"]
                )
        else:
            self.article.show_message(
                "termnews",
                ["enter: read the selected post", "j/k: move   ?: every key   q: quit"],
            )

    def on_post_list_selected(self, message: PostList.Selected) -> None:
        self.open_post(message.post_id)
        self.article.focus()

    def on_article_view_progress(self, message: ArticleView.Progress) -> None:
        self.status.set(percent=message.percent)
        # Remember the position once scrolling stops, not only on leaving: a crash, a
        # closed terminal or another reader process still finds it.
        if self._position_timer is not None:
            self._position_timer.stop()
        self._position_timer = self.set_timer(POSITION_SAVE_DELAY, self.save_position)

    # -- the article ---------------------------------------------------------------

    def save_position(self) -> None:
        """Remember how far the open article was read (restored when it is reopened)."""
        article = self.article
        if article.post is not None and article.document is not None:
            # In a thread: another process holding the write lock must not freeze the UI.
            self.write_in_background(self.store.set_position, article.post.id, article.fraction)

    def open_post(self, post_id: int) -> None:
        """Show a post at once when its document is cached, else load it in a worker."""
        self.save_position()
        post = self.store.post(post_id)
        if post is None:
            self.notify("That post is gone from the cache.", severity="warning", markup=False)
            return
        self.workers.cancel_group(self, "article")
        if not post.is_read:
            self.write_in_background(self.store.set_read, [post.id], refresh=[post.id])
            if self.unread_count:
                self.unread_count -= 1
                self._update_header()
        document = self.store.document(post.id) if post.has_document else None
        if document is not None:
            self.article.show_document(post, document, post.position)
        else:
            self.article.show_loading(post)
            self.status.set(percent=None)
            self.run_worker(
                self._load_document(post), group="article", exclusive=True, exit_on_error=False
            )

    async def _load_document(self, post: Post) -> None:
        try:
            document = await self.service.load_document(post)
        except Exception as exc:  # load_document should not raise; never show a traceback
            if self.article.post_id == post.id:
                self.article.show_message(
                    clean_line(post.title) or "Article",
                    [f"Could not load the article: {clean_line(str(exc))}", "o: open in browser"],
                )
            return
        if self.article.post_id == post.id:
            self.article.show_document(post, document, post.position)
            self.post_list.invalidate([post.id])

    def current_post_id(self) -> int | None:
        """The post an action is about: the open article when focused, else the cursor's."""
        if self.article.has_focus and self.article.post_id is not None:
            return self.article.post_id
        return self.post_list.selected_id or self.article.post_id
