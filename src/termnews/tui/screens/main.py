"""The reader's one main screen: the sidebar of posts, the article pane, status and footer.

The screen coordinates: it composes the widgets, routes their messages, runs the
workers that call the service (``jobs`` holds what those do) and keeps the
commands that span the panes. Keys that belong to one pane are that pane's
(``commands.py`` gives each command a scope); dialogs return values and the
screen does the work.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.events import Resize
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from termnews.errors import TermnewsError
from termnews.models import Post
from termnews.store import PostFilter
from termnews.text import clean_line
from termnews.tui import jobs, preimport
from termnews.tui.commands import bindings
from termnews.tui.format import count
from termnews.tui.links import Links
from termnews.tui.reading_on import ReadingOn
from termnews.tui.updates import Updates
from termnews.tui.widgets.article_view import ArticleView
from termnews.tui.widgets.key_footer import KeyFooter
from termnews.tui.widgets.panes import Panes
from termnews.tui.widgets.post_list import PostList
from termnews.tui.widgets.sidebar import Sidebar
from termnews.tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from textual.timer import Timer

    from termnews.service import Service
    from termnews.tui.screens.add_source import AddRequest, Mode

NARROW = 100  # columns below which the sidebar slims down and the footer is compact
POSITION_SAVE_DELAY = 1.0  # seconds after scrolling stops before the position is stored

_NEEDS_NETWORK = {"source": "adding a source", "page": "saving a page"}


class MainScreen(Screen[None]):
    """Sidebar + article pane. Web text reaches the widgets only as Rich ``Text``."""

    BINDINGS = bindings()
    POLL_SECONDS = 5.0  # how often to look for another process's commits (microseconds each)
    SCHEDULE_SECONDS = 15.0  # how often to ask the schedule which sources are due (a query)

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
        self.store = service.store  # for reading rows; changes go through the service
        self.now = now
        self.no_refresh = no_refresh
        self.on_first_paint = on_first_paint
        self._position_timer: Timer | None = None
        self.links = Links(self)  # following links, back, browser, clipboard

    def compose(self) -> ComposeResult:
        # Narrow or not is known now, so the first frame is laid out once.
        narrow = self.app.size.width < NARROW
        self.set_class(narrow, "-narrow")
        article = ArticleView(reading_width=self.service.config.reading_width, id="article")
        yield Panes(Sidebar(self.store, now=self.now, id="sidebar"), article, id="panes")
        yield StatusBar(offline=self.service.offline, id="status")
        yield KeyFooter(compact=narrow)

    @property
    def panes(self) -> Panes:
        return self.query_one(Panes)

    @property
    def sidebar(self) -> Sidebar:
        return self.panes.sidebar

    @property
    def post_list(self) -> PostList:
        return self.sidebar.post_list

    @property
    def article(self) -> ArticleView:
        return self.panes.article

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    @property
    def filter(self) -> PostFilter:
        """Which posts the sidebar shows."""
        return self.sidebar.filter

    @property
    def ids_complete(self) -> bool:
        return self.sidebar.ids_complete

    @property
    def network_down(self) -> bool:
        """True when the last refresh reached no host: "offline (network unreachable)"."""
        return self.updates.network.down

    def on_resize(self, event: Resize) -> None:
        narrow = event.size.width < NARROW
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            self.query_one(KeyFooter).compact = self.sidebar.narrow = narrow
            self.sidebar.update_title()

    def on_mount(self) -> None:
        # Cached posts first, at once: the first frame never waits for the network.
        self.sidebar.narrow = self.has_class("-narrow")
        self.sidebar.show_first_page()
        self.set_focus(self.post_list)  # now, so the first frame's footer has the list's keys
        self.panes.show_placeholder()
        self.updates = Updates(
            self.service,
            self.status,
            self.notify,
            merge=lambda: self._work("list", self.reload_posts),
            rows_changed=self.post_list.invalidate,
        )
        self.reading_on = ReadingOn(
            self.sidebar, self.status, open_post=self.open_post,
            open_id=lambda: self.article.post_id, notify=self.notify,
        )  # fmt: skip
        if self.on_first_paint is not None:
            self.call_after_refresh(self.on_first_paint)
        self.call_after_refresh(self.start_counts)
        if not self.no_refresh and not self.service.offline:
            self._work("refresh", self.updates.run_if_due, self.now())
            self.set_interval(self.SCHEDULE_SECONDS, self.refresh_due, name="schedule")
        self.call_after_refresh(self.sidebar.poll_store, self.POLL_SECONDS)
        self.set_timer(preimport.DELAY, preimport.start)

    # -- workers and what they say -------------------------------------------------

    def _work(self, group: str, job: jobs.Job, *args: object, exclusive: bool = True) -> None:
        """Run ``job(*args)`` in the background; a failure is handled by
        ``on_worker_state_changed``. The coroutine is made when the worker starts: one
        replaced before it started (exclusive) leaves no coroutine never awaited."""
        work = partial(job, *args)
        self.run_worker(work, group=group, exclusive=exclusive, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        error = event.worker.error
        if event.state == WorkerState.ERROR and isinstance(error, Exception):
            self.app.job_failed(error)  # type: ignore[attr-defined]

    def notify(self, message: str, **kwargs: Any) -> None:
        """Every notification of the reader is literal text: web text is data."""
        super().notify(message, markup=False, **kwargs)

    def write_in_background(
        self, write: Callable[..., object], *args: object, refresh: list[int] | None = None
    ) -> None:
        """A store write in a thread (it may wait for another process's lock).

        ``refresh`` names sidebar rows to re-read once the write is done.
        """

        async def run() -> None:
            await asyncio.to_thread(write, *args)
            if refresh:
                self.post_list.invalidate(refresh)

        self._work("writes", run, exclusive=False)

    # -- the list ------------------------------------------------------------------

    def start_counts(self) -> None:
        """After the first frame: every id of the list (when only a page was read), counts."""
        if self.on_first_paint is not None:  # the benchmark hook is quitting: no more work
            return
        if not self.ids_complete:
            self._work("list", self.reload_posts)
        else:
            self._work("counts", self.sidebar.load_counts)

    async def reload_posts(self) -> None:
        """Re-read the sidebar's posts; the article pane's placeholder follows."""
        if await self.sidebar.reload():
            self.panes.show_placeholder()  # empty → "nothing here"; filled again → the hint

    def on_post_list_selected(self, message: PostList.Selected) -> None:
        self.links.history.clear()  # a post picked from the list starts a new trail
        self.open_post(message.post_id)
        self.article.focus()

    def on_sidebar_filter_changed(self) -> None:
        self._work("list", self.reload_posts)

    # -- the article ---------------------------------------------------------------

    def on_article_view_progress(self, message: ArticleView.Progress) -> None:
        self.status.percent = message.percent
        # Remember the position once scrolling stops, not only on leaving: a crash, a
        # closed terminal or another reader process still finds it.
        if self._position_timer is not None:
            self._position_timer.stop()
        self._position_timer = self.set_timer(POSITION_SAVE_DELAY, self.save_position)

    def save_position(self) -> None:
        """Remember how far the open article was read (restored when it is reopened)."""
        if (position := self.article.position) is not None:
            self.write_in_background(self.store.set_position, *position)

    def open_post(self, post_id: int, position: float | None = None) -> None:
        """Show a post at once when its document is cached, else load it in a worker.

        It opens where it was left, or at ``position`` (back from a followed link).
        """
        self.save_position()
        opened = self.service.open_post(post_id)
        if opened is None:
            self.notify("That post is gone from the cache.", severity="warning")
            return
        post, document = opened
        document = document or self.service.feed_text_document(post)  # offline: at once
        if position is None and post.position >= 1:  # read to the end: it reopens at the top
            position = 0.0
        post = post if position is None else replace(post, position=position)
        self.workers.cancel_group(self, "article")
        if not post.is_read:
            self._work("writes", self.sidebar.mark_read, post, exclusive=False)
        if document is not None:
            self.article.show_document(post, document, post.position)
        else:
            self.article.show_loading(post)
            self.status.percent = None
            self._work("article", self._load_document, post)

    async def _load_document(self, post: Post) -> None:
        try:
            document = await self.service.load_document(post)
        except TermnewsError as exc:  # a failed fetch comes back as the feed's text
            if self.article.post_id == post.id:
                self.article.show_failure(post, str(exc))
            return
        if self.article.post_id == post.id:
            self.article.show_document(post, document, post.position)
            self.post_list.invalidate([post.id])

    def _current_post(self) -> Post | None:
        post_id = self.panes.current_post_id()
        return self.store.post(post_id) if post_id is not None else None

    # -- post state, filters and dialogs -------------------------------------------

    def action_goto_unread(self, step: int) -> None:
        """`n` / `p`: open the next (``step`` 1) or previous (-1) unread post of the list."""
        self._work("unread", self.reading_on.goto, step)

    def on_panes_read_on(self) -> None:
        self.action_goto_unread(1)

    def action_quit(self) -> None:
        self.app.quit_reader(self.article.position)  # type: ignore[attr-defined]

    def action_toggle_saved(self) -> None:
        if (post_id := self.panes.current_post_id()) is not None:
            self._work("save", self._toggle_saved, post_id, exclusive=False)

    async def _toggle_saved(self, post_id: int) -> None:
        words = await jobs.toggle_saved(self.service, post_id, network_down=self.network_down)
        self.post_list.invalidate([post_id])
        if words:
            self.notify(words)

    def action_toggle_read(self) -> None:
        if (post := self._current_post()) is not None:
            self._work("writes", self.sidebar.mark_read, post, not post.is_read, exclusive=False)

    async def action_mark_all_read(self) -> None:
        """`A`: every post of the list; a list longer than the screen asks first."""
        from termnews.tui.marking import mark_all_read

        ids = list(self.post_list.ids)  # the posts asked about, whatever merges in meanwhile

        def mark() -> None:
            self._work("mark", self._mark_all_read, ids, exclusive=False)

        if ids:
            await mark_all_read(self.app, self.post_list, mark)

    async def _mark_all_read(self, ids: list[int]) -> None:
        if ids:
            await asyncio.to_thread(self.store.set_read, ids)
            self.post_list.invalidate()
            self.notify(f"Marked {count(len(ids))} posts read.")
            await self.sidebar.load_counts()

    def action_help(self) -> None:
        from termnews.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(getattr(self.app, "keymap", {})))

    async def action_add(self, mode: Mode, url: str = "", error: str = "") -> None:
        """The `a` / `P` dialog; what it asks for is done by ``_add``, in a worker."""
        from termnews.tui.screens.add_source import AddSourceScreen
        from termnews.tui.typeahead import push_and_focus

        def asked(request: AddRequest | None) -> None:
            if request is not None:
                self._work("add", self._add, request)

        if self.needs_network(_NEEDS_NETWORK[mode]):
            dialog = AddSourceScreen(mode=mode, url=url, error=error)
            await push_and_focus(self.app, dialog, asked)

    async def _add(self, request: AddRequest) -> None:
        """Follow the source or save the page; a failure opens the dialog again, saying why."""
        self.status.activity = f"Looking at {clean_line(request.url)}…"
        try:
            result = await jobs.add(self.service, request)
        except TermnewsError as exc:
            error = clean_line(str(exc)) or type(exc).__name__
            await self.action_add(request.mode, request.url, error)
            return
        finally:
            self.status.activity = self.updates.outcome
        self.notify(jobs.added_words(result))
        if isinstance(result, Post):
            await self.reload_posts()
            self.post_list.move_to_id(result.id)
        else:
            self.sidebar.read_source_titles()
            self._work("refresh", self.updates.run, [result], exclusive=False)

    # -- the web -------------------------------------------------------------------

    def needs_network(self, what: str) -> bool:
        """False, after saying so in one line, when ``--offline`` forbids the network."""
        if self.service.offline:
            self.notify(f"Offline: {what} needs the network.")
        return not self.service.offline

    def action_open_browser(self) -> None:
        self.links.browse_post()

    def action_copy_url(self) -> None:
        self.links.copy_post()

    def action_follow_link(self, number: int) -> None:
        self.links.follow_number(number)

    async def action_pick_link(self) -> None:
        await self.links.pick()

    def action_back(self) -> None:
        self.links.back()

    # -- refresh, and other processes' writes -------------------------------------

    def action_refresh(self) -> None:
        source = jobs.source_to_refresh(self.store, self._current_post(), self.filter.source_id)
        if source is None:
            self.notify("This post has no source to refresh; R refreshes all.")
        elif self.needs_network("refreshing"):
            self._work("refresh", self.updates.run, [source])

    def action_refresh_all(self) -> None:
        if self.needs_network("refreshing"):
            self._work("refresh", self.updates.run, None)

    def refresh_due(self) -> None:
        """While the reader is open, refresh the sources whose schedule says so."""
        if not any(w.group == "refresh" and not w.is_finished for w in self.workers):
            self._work("refresh", self.updates.run_due)

    def on_sidebar_store_changed(self) -> None:
        """Another process wrote: merge its posts in, without moving the cursor.

        Our own worker threads use other connections, so their commits count too;
        while our refresh runs it merges at the end anyway, so skip until then.
        """
        if not any(w.group == "refresh" and not w.is_finished for w in self.workers):
            self._work("list", self.reload_posts)
