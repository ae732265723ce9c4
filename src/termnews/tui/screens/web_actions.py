"""The main screen's actions that reach the web: browser, links, sources, saving pages.

Each one checks ``needs_network`` first, so ``--offline`` answers in one line
instead of failing; a connection-level failure turns on the automatic offline
state (see ``background.py``). Dialogs are imported when first opened: they
are not needed for the first frame.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from termnews.text import clean_line
from termnews.urls import is_web_url

if TYPE_CHECKING:
    from termnews.models import Post
    from termnews.tui.screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object


class WebActions(_Base):
    """Mixin of the main screen's web actions (see ``commands.COMMANDS``)."""

    # -- the web ---------------------------------------------------------------------

    def _current_url(self) -> str | None:
        post_id = self.current_post_id()
        post = self.store.post(post_id) if post_id is not None else None
        return post.url if post else None

    def action_open_browser(self) -> None:
        url = self._current_url()
        if not url:
            self._no_address()
            return
        if not is_web_url(url):
            self.notify("Not opening: only http and https links go to the browser.", markup=False)
            return
        self.run_worker(self._open_browser(url), group="browser", exit_on_error=False)

    async def _open_browser(self, url: str) -> None:
        try:
            import webbrowser  # only when used: it is not needed for the first frame

            opened = await asyncio.to_thread(webbrowser.open, url)
        except Exception:
            opened = False
        if not opened:
            self.notify("No web browser could be started.", severity="warning", markup=False)

    def _no_address(self) -> None:
        if self.current_post_id() is not None:
            self.notify("This post has no web address.", markup=False)

    def action_copy_url(self) -> None:
        url = self._current_url()
        if not url:
            self._no_address()
        else:
            self.app.copy_to_clipboard(url)
            self.notify(f"Copied {clean_line(url)}", markup=False)

    def action_follow_link(self, number: int) -> None:
        document = self.article.document
        if document is None:
            self.notify("Open an article first: links are numbered in its text.", markup=False)
            return
        links = document.links()
        if not 1 <= number <= len(links):
            self.notify(f"This article has no link {number}.", markup=False)
            return
        url = links[number - 1]
        if not is_web_url(url):
            self.notify("Not following: only http and https links can be opened.", markup=False)
            return
        if not self.needs_network("following a link"):
            return
        self.notify(f"Opening link {number}…", markup=False)
        self.run_worker(self._follow(url), group="article", exclusive=True, exit_on_error=False)

    async def _follow(self, url: str) -> None:
        try:
            post = await self.service.open_url_as_post(url)
        except Exception as exc:
            self.network_error(exc)
            return
        self.network_ok()
        await self.reload_posts()
        self.open_post(post.id)  # last: it cancels the "article" group, this worker included

    # -- sources ---------------------------------------------------------------------

    def action_add_source(self) -> None:
        self._open_add_dialog("source")

    def action_save_page(self) -> None:
        self._open_add_dialog("page")

    def _open_add_dialog(self, mode: str) -> None:
        """The `a` / `P` dialog: follow a source, or save one page to the library."""
        from termnews.models import Post
        from termnews.tui.screens.add_source import AddSourceScreen

        if not self.needs_network("adding a source" if mode == "source" else "saving a page"):
            return

        def added(source: Any) -> None:
            if source is None:
                return
            if isinstance(source, Post):
                self.page_saved(source)
                return
            self.network_ok()
            self.notify(f"Added {clean_line(source.title)}", markup=False)
            self.source_titles[source.id] = clean_line(source.title)
            self.article.post = None if self.article.document is None else self.article.post
            self.run_worker(self.refresh_sources([source]), group="refresh", exit_on_error=False)

        self.app.push_screen(AddSourceScreen(self.service, mode=mode), added)

    def page_saved(self, post: Post) -> None:
        """A page saved from the dialog: say so and show it in the list."""
        self.network_ok()
        title = clean_line(post.title) or clean_line(post.url)
        self.notify(f"Saved “{title}” for offline reading.", markup=False)
        self.run_worker(
            self._show_saved(post.id), group="list", exclusive=True, exit_on_error=False
        )

    async def _show_saved(self, post_id: int) -> None:
        await self.reload_posts()
        self.post_list.move_to_id(post_id)

    def action_refresh(self) -> None:
        post_id = self.current_post_id()
        source_id = self.filter.source_id
        if post_id is not None:
            post = self.store.post(post_id)
            source_id = post.source_id if post else source_id
        source = self.store.source(source_id) if source_id is not None else None
        if source is None:
            self.notify("This post has no source to refresh; R refreshes all.", markup=False)
            return
        self._start_refresh([source])

    def action_refresh_all(self) -> None:
        self._start_refresh(None)

    def _start_refresh(self, sources: list[Any] | None) -> None:
        if not self.needs_network("refreshing"):
            return
        self.run_worker(
            self.refresh_sources(sources), group="refresh", exclusive=True, exit_on_error=False
        )
