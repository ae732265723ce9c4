"""Orchestration: add and remove sources, refresh them concurrently, open and save posts.

The service is what the CLI and the reader call, so policy is written once: what
a refresh does after it (prune, prefetch), when a source is due, where a post's
document comes from. It owns the one ``Fetcher`` (created on first network use,
so start-up never pays for httpx), runs parsing, extraction and SQLite work off
the event loop with ``asyncio.to_thread``, and turns every failure into a
``TermnewsError`` with a one-line message. Time comes from the store's clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from termnews.config import Config
from termnews.errors import OfflineError, ServiceError, StoreError, TermnewsError, UsageError
from termnews.feeds.workers import Parser
from termnews.models import Post, Source
from termnews.service.classify import Classified, classify
from termnews.service.reading import run_all, store_page
from termnews.service.refresh import RefreshWriter, keep_newest, refresh_source
from termnews.service.results import (
    ImportResult,
    PrefetchProgress,
    PrefetchSummary,
    RefreshProgress,
    RefreshSummary,
    SourceResult,
    SyncProgress,
    SyncSummary,
    UpdateEvent,
    UpdateSummary,
)
from termnews.service.schedule import next_refreshes
from termnews.service.sources import find_source, import_opml
from termnews.store import Store
from termnews.text import clean_line

if TYPE_CHECKING:
    from termnews.document import Document
    from termnews.net.client import Fetcher


class Service:
    """The operations of termnews over one store; one instance per process."""

    def __init__(self, store: Store, config: Config | None = None, *, offline: bool = False):
        self.store = store
        self.config = config or Config()
        self.offline = offline
        self._fetcher: Fetcher | None = None
        self._parser = Parser()

    def now(self) -> datetime:
        """The store's clock (tests set it; the real one otherwise)."""
        return self.store.clock()

    @property
    def fetcher(self) -> Fetcher:
        """The one shared HTTP client, created on first use."""
        if self.offline:
            raise OfflineError("offline: this needs the network")
        if self._fetcher is None:
            from termnews.net.client import Fetcher

            self._fetcher = Fetcher(self.config.network)
        return self._fetcher

    async def aclose(self) -> None:
        """Close the HTTP client and stop parser workers (reaped, in a thread)."""
        await asyncio.to_thread(self._parser.close)
        if self._fetcher is not None:
            await self._fetcher.aclose()
            self._fetcher = None

    # -- sources -------------------------------------------------------------------

    def find_source(self, ref: str) -> Source | None:
        """A source by numeric ID, URL or feed URL."""
        return find_source(self.store, ref)

    async def add_source(
        self, url: str, title: str | None = None, tags: Sequence[str] = ()
    ) -> Source:
        """Follow a URL: a feed, or a site (feed autodiscovered, else its recent posts)."""
        from termnews.urls import validate_url

        url = validate_url(url.strip())
        if self.find_source(url):
            raise ServiceError(f"already following {url}")
        found = await self.classify(url)
        if found.feed_url and found.feed_url != url and self.store.source_by_url(found.feed_url):
            raise ServiceError(f"already following its feed {found.feed_url}")
        try:
            source = await asyncio.to_thread(
                self.store.add_source,
                url,
                clean_line(title) or found.title or url,
                found.kind,
                found.feed_url,
                tags,
            )
            entries = keep_newest(found.entries, self.config.max_posts_per_source)
            await asyncio.to_thread(self.store.upsert_posts, source.id, entries)
            await asyncio.to_thread(
                self.store.record_fetch_ok,
                source.id,
                etag=found.etag,
                last_modified=found.last_modified,
                note=found.note,
            )
        except StoreError as exc:
            raise ServiceError(str(exc)) from None
        return source

    async def classify(self, url: str) -> Classified:
        """Fetch ``url`` and work out whether it is a feed or a site, with its first posts."""
        return await classify(self.fetcher, url)

    def remove_source(self, ref: str) -> Source:
        """Stop following a source; its saved posts stay in the library."""
        source = self.find_source(ref)
        if source is None:
            raise UsageError(f"no source {ref!r} (see `termnews list`)")
        self.store.remove_source(source.id)
        return source

    def import_opml(self, data: bytes) -> ImportResult:
        """Add every feed of an OPML file (no network: the next refresh fetches them)."""
        return import_opml(self.store, data)

    def export_opml(self) -> str:
        """The followed sources as OPML 2.0 (tags become folders)."""
        from termnews.formats.opml import export_opml

        return export_opml(self.store.sources())

    # -- refresh -------------------------------------------------------------------

    async def update(
        self,
        sources: Sequence[Source] | None = None,
        progress: Callable[[UpdateEvent], None] | None = None,
    ) -> UpdateSummary:
        """Refresh, then prune, then download articles for offline reading.

        What the CLI's ``refresh`` and the reader's refresh both do. ``progress``
        hears each source, then the refresh's summary (new posts can be shown),
        then each article downloaded. When no source could reach its host, the
        network is down: nothing is pruned or downloaded. With a sync account the
        sync runs first and its sources are left to the server (``service.sync``).
        """
        if self.config.sync is not None and not self.offline:
            from termnews.service.sync import sync_then_refresh

            return await sync_then_refresh(
                self.store, self.config, sources, progress, self.refresh_prune_prefetch
            )
        return await self.refresh_prune_prefetch(sources, progress)

    async def refresh_prune_prefetch(
        self,
        sources: Sequence[Source] | None = None,
        progress: Callable[[UpdateEvent], None] | None = None,
    ) -> UpdateSummary:
        """``update`` without the sync: refresh, prune, download articles."""
        summary = await self.refresh(sources, progress)
        if progress is not None:
            progress(summary)
        if summary.network_unreachable:
            return UpdateSummary(summary)
        try:
            pruned = await asyncio.to_thread(self.prune)
        except (StoreError, sqlite3.OperationalError):
            pruned = 0  # another process holds the lock: prune next time
        if self.config.prefetch == "off" and not self.store.counts().saved:
            return UpdateSummary(summary, pruned)

        def prefetched(done: int, total: int) -> None:
            if progress is not None:
                progress(PrefetchProgress(done, total))

        return UpdateSummary(summary, pruned, await self.prefetch(prefetched))

    async def sync(self, progress: Callable[[UpdateEvent], None] | None = None) -> SyncSummary:
        """Sync with the ``[sync]`` account now (``termnews sync``); raises SyncError."""
        from termnews.service.sync import sync_account

        if self.config.sync is None:
            raise UsageError("no [sync] section in config.toml (see the README, Sync)")
        if self.offline:
            raise OfflineError("offline: syncing needs the network")
        return await sync_account(self.store, self.config, progress)

    async def refresh(
        self,
        sources: Sequence[Source] | None = None,
        progress: Callable[[RefreshProgress], None] | None = None,
    ) -> RefreshSummary:
        """Refresh sources concurrently (the fetcher bounds total and per-host requests).

        One failing source never stops the others; each result says what happened.
        Sources of a sync account are left out: the server refreshes them.
        """
        todo = list(sources) if sources is not None else self.store.sources()
        if self.config.sync is not None and (synced := self.store.synced_sources()):
            todo = [s for s in todo if s.id not in synced]
        if not todo:
            return RefreshSummary([])
        if self.offline:
            raise OfflineError("offline: refreshing needs the network")
        results: list[SourceResult] = []
        writer = RefreshWriter(self.store, self.now() - timedelta(days=self.config.retention_days))

        async def one(source: Source) -> None:
            result = await self.refresh_source(source, writer)
            results.append(result)
            if progress is not None:
                progress(
                    RefreshProgress(len(results), len(todo), source, result.error, result.new_posts)
                )

        async with self._parser.refreshing(todo):  # workers only for bodies; stopped after
            await run_all(one(s) for s in todo)  # their writes in group commits
        await writer.flush()  # the 304s
        order = {s.id: i for i, s in enumerate(todo)}
        results.sort(key=lambda r: order[r.source.id])
        return RefreshSummary(results)

    async def refresh_source(self, source: Source, to: RefreshWriter | None = None) -> SourceResult:
        """Fetch one source (conditionally) and store its new posts; never raises."""
        return await refresh_source(
            self.store,
            self.fetcher,
            self._parser,
            source,
            now=self.now(),
            retention_days=self.config.retention_days,
            max_posts=self.config.max_posts_per_source,
            writer=to,  # the group commit to write to (else the source writes alone)
        )

    def due_for_refresh(self, now: datetime | None = None) -> bool:
        """True when the last refresh is older than the configured interval."""
        last = self.store.last_refresh()
        if last is None:  # never refreshed: due if there is anything to fetch or sync
            return bool(self.store.sources()) or self.config.sync is not None
        now = now or self.now()
        return now - last >= timedelta(minutes=self.config.refresh_interval_minutes)

    def next_refreshes(self, sources: Sequence[Source] | None = None) -> dict[int, datetime | None]:
        """When each source is due next (None: at once), by ``service.schedule``."""
        base = timedelta(minutes=self.config.refresh_interval_minutes)
        todo = self.store.sources() if sources is None else sources
        return next_refreshes(todo, self.store.publish_history(), base)

    def due_sources(self) -> list[Source]:
        """The sources whose next refresh has come (``refresh --due`` from cron, the reader)."""
        sources = self.store.sources()
        due = self.next_refreshes(sources)
        return [s for s in sources if (when := due[s.id]) is None or when <= self.now()]

    def prune(self) -> int:
        """Drop unsaved posts past the retention (days, and count per source)."""
        cutoff = self.now() - timedelta(days=self.config.retention_days)
        return self.store.prune(older_than=cutoff, max_per_source=self.config.max_posts_per_source)

    # -- posts and documents -------------------------------------------------------

    def open_post(self, post_id: int) -> tuple[Post, Document | None] | None:
        """A post and, when it is cached, its document (with the post's metadata filled in).

        Synchronous and quick (two indexed reads), so the reader can show a cached
        article in the same frame; None when the post is gone. A missing document
        is ``load_document``'s job, in the background.
        """
        from termnews.service.reading import with_post_metadata

        post = self.store.post(post_id)
        if post is None:
            return None
        document = self.store.document(post.id) if post.has_document else None
        return post, (with_post_metadata(post, document) if document is not None else None)

    def feed_text_document(self, post: Post) -> Document | None:
        """The feed's own text, when that is all there is to read: the post links no
        page, or the reader is offline and the page was never downloaded. Quick (a
        fragment's conversion), so the reader shows it in the frame that opens it."""
        from termnews.service.reading import fallback_document, with_post_metadata

        if not post.url:  # a feed item with neither guid nor link: it has no page
            return with_post_metadata(post, fallback_document(post, "the feed links no page"))
        if self.offline:
            reason = "offline, and this article was not downloaded"
            return with_post_metadata(post, fallback_document(post, reason))
        return None

    async def load_document(self, post: Post) -> Document:
        """The readable document of a post: cached, or fetched and extracted once.

        Network and extraction failures never raise: the feed's own content is
        returned with a one-line note saying why.
        """
        from termnews.service.reading import fallback_document, fetch_document, with_post_metadata

        cached = await asyncio.to_thread(self.store.document, post.id)
        if cached is not None:
            return with_post_metadata(post, cached)
        if (feed_text := await asyncio.to_thread(self.feed_text_document, post)) is not None:
            return feed_text
        try:
            document = await fetch_document(self.fetcher, post.url, post)
        except TermnewsError as exc:
            document = await asyncio.to_thread(fallback_document, post, exc)
            return with_post_metadata(post, document)
        with contextlib.suppress(sqlite3.Error, StoreError):  # showing it matters more
            await asyncio.to_thread(self.store.put_document, post.id, document)
        return with_post_metadata(post, document)

    async def prefetch(self, progress: Callable[[int, int], None] | None = None) -> PrefetchSummary:
        """Download the documents of recent posts so they read offline (config ``prefetch``).

        Saved posts still missing their page are always retried first. Failures
        are recorded on the post and retried after a few hours; they never raise.
        """
        from termnews.service.reading import prefetch_documents

        if self.offline:
            return PrefetchSummary()
        mode = self.config.prefetch
        since = self.now() - timedelta(days=self.config.prefetch_days)
        if mode == "off":
            since = datetime.max.replace(tzinfo=UTC)  # only saved posts qualify
        posts = await asyncio.to_thread(
            self.store.posts_needing_documents, since, unread_only=mode == "unread"
        )
        fetched, failed = await prefetch_documents(self.store, self.fetcher, posts, progress)
        return PrefetchSummary(fetched, failed)

    async def read_url(self, url: str) -> Document:
        """A page's document (``termnews read``): a stored post's cached one, else fetched."""
        from termnews.service.reading import cached_document, fetch_document
        from termnews.urls import validate_url

        url = validate_url(url.strip())
        cached = await asyncio.to_thread(cached_document, self.store, url)
        if cached is not None:
            return cached  # so a saved or downloaded article reads offline
        if self.offline:
            raise OfflineError("offline, and this page is not in the cache")
        return await fetch_document(self.fetcher, url, None)

    async def save_post(self, post_id: int, saved: bool = True) -> None:
        """Save (keeping its document for offline reading) or unsave a post."""
        post = await asyncio.to_thread(self.store.post, post_id)
        if post is None:
            raise ServiceError(f"no post {post_id}")
        if saved and not post.has_document and not self.offline:
            await self.load_document(post)
        await asyncio.to_thread(self.store.set_saved, post_id, saved)

    async def open_url_as_post(self, url: str) -> Post:
        """A page by URL as a post of the library (following a link from an article)."""
        from termnews.urls import validate_url

        url = validate_url(url.strip())
        existing = await asyncio.to_thread(self.store.post_by_url, url)
        if existing is not None:
            return existing
        document = await self.read_url(url)
        return await asyncio.to_thread(store_page, self.store, url, document)

    async def save_url(self, url: str) -> Post:
        """Store any page's document in the saved library (``termnews save URL``)."""
        post = await self.open_url_as_post(url)
        await self.save_post(post.id)  # downloads the page if the post has none yet
        saved = await asyncio.to_thread(self.store.post, post.id)
        return saved or post


__all__ = [
    "Classified",
    "ImportResult",
    "PrefetchProgress",
    "PrefetchSummary",
    "RefreshProgress",
    "RefreshSummary",
    "Service",
    "SourceResult",
    "SyncProgress",
    "SyncSummary",
    "UpdateEvent",
    "UpdateSummary",
]
