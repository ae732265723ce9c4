"""Orchestration: add and remove sources, refresh them concurrently, open and save posts.

The service is what the CLI and the reader call. It owns the one ``Fetcher``
(created on first network use, so start-up never pays for httpx), runs parsing,
extraction and SQLite work off the event loop with ``asyncio.to_thread``, and
turns every failure into a ``TermnewsError`` with a one-line message.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from termnews.config import Config
from termnews.errors import OfflineError, ServiceError, TermnewsError, UsageError
from termnews.models import Entry, Post, Source, SourceKind
from termnews.parsing import Parser
from termnews.store import Store, StoreError
from termnews.text import clean_line

if TYPE_CHECKING:
    from termnews.document import Document
    from termnews.net import Fetcher

FEED_ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)
PREFETCH_CONCURRENCY = 8


@dataclass(frozen=True, slots=True)
class RefreshProgress:
    """Reported after each source finishes: how far the refresh is."""

    done: int
    total: int
    source: Source
    error: str | None
    new_posts: int


@dataclass(frozen=True, slots=True)
class SourceResult:
    """The outcome of refreshing one source."""

    source: Source
    new_posts: int = 0
    error: str | None = None
    not_modified: bool = False
    error_kind: str | None = None  # the error's class name ("ConnectError"), for the UI


@dataclass(frozen=True, slots=True)
class RefreshSummary:
    """The outcome of a whole refresh."""

    results: list[SourceResult] = field(default_factory=list)

    @property
    def new_posts(self) -> int:
        return sum(r.new_posts for r in self.results)

    @property
    def failed(self) -> list[SourceResult]:
        return [r for r in self.results if r.error]

    @property
    def not_modified(self) -> int:
        return sum(1 for r in self.results if r.not_modified)


@dataclass(frozen=True, slots=True)
class PrefetchSummary:
    """How many article pages a prefetch stored, and how many failed (retried later)."""

    fetched: int = 0
    failed: int = 0


@dataclass(slots=True)
class ImportResult:
    """What an OPML import did: sources added, already followed, skipped as unusable."""

    added: list[Source] = field(default_factory=list)
    known: int = 0
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class Classified:
    """What a URL turned out to be when it was added."""

    kind: SourceKind
    title: str
    feed_url: str | None
    entries: list[Entry]
    etag: str | None = None  # validators of the fetch that gave the entries
    last_modified: str | None = None


class Service:
    """The operations of termnews over one store; one instance per process."""

    def __init__(self, store: Store, config: Config | None = None, *, offline: bool = False):
        self.store = store
        self.config = config or Config()
        self.offline = offline
        self._fetcher: Fetcher | None = None
        self._parser = Parser()

    @property
    def fetcher(self) -> Fetcher:
        """The one shared HTTP client, created on first use."""
        if self.offline:
            raise OfflineError("offline: this needs the network")
        if self._fetcher is None:
            from termnews.net import Fetcher

            self._fetcher = Fetcher(self.config.network)
        return self._fetcher

    async def aclose(self) -> None:
        """Close the HTTP client and stop parser workers."""
        self._parser.close()
        if self._fetcher is not None:
            await self._fetcher.aclose()
            self._fetcher = None

    # -- sources -------------------------------------------------------------------

    def find_source(self, ref: str) -> Source | None:
        """A source by numeric ID, URL or feed URL."""
        ref = ref.strip()
        if ref.isdigit():
            return self.store.source(int(ref))
        return self.store.source_by_url(ref) or self.store.source_by_url(ref.rstrip("/"))

    async def add_source(
        self, url: str, title: str | None = None, tags: Sequence[str] = ()
    ) -> Source:
        """Follow a URL: a feed, or a site (feed autodiscovered, else its recent posts)."""
        from termnews.net import validate_url

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
            await asyncio.to_thread(self.store.upsert_posts, source.id, found.entries)
            await asyncio.to_thread(
                self.store.record_fetch_ok,
                source.id,
                etag=found.etag,
                last_modified=found.last_modified,
            )
        except StoreError as exc:
            raise ServiceError(str(exc)) from None
        return source

    async def classify(self, url: str) -> Classified:
        """Fetch ``url`` and work out whether it is a feed or a site, with its first posts."""
        from termnews.discover import find_feed_links, recent_posts
        from termnews.feeds import FeedError, looks_like_feed, parse_feed

        result = await self.fetcher.get(url, accept=FEED_ACCEPT)
        if looks_like_feed(result.content, result.content_type):
            feed = await asyncio.to_thread(
                parse_feed, result.content, result.url, result.content_type
            )
            return Classified(
                "feed", feed.title, result.url, feed.entries, result.etag, result.last_modified
            )
        # Decoding and parsing a page are CPU work: off the event loop (the reader's UI).
        html = await asyncio.to_thread(lambda: result.text)
        links = await asyncio.to_thread(find_feed_links, html, result.url)
        failures: list[str] = []
        for link in links[:3]:
            try:
                got = await self.fetcher.get(link.url, accept=FEED_ACCEPT)
                feed = await asyncio.to_thread(parse_feed, got.content, got.url, got.content_type)
            except TermnewsError as exc:
                failures.append(f"{link.url}: {exc}")
                continue
            title = feed.title or _page_title(html)
            return Classified("site", title, got.url, feed.entries, got.etag, got.last_modified)
        entries = await asyncio.to_thread(recent_posts, html, result.url)
        if not entries and failures:
            raise FeedError(
                f"no recent posts on the page, and its feed could not be read ({failures[0]})"
            )
        if not entries:
            raise FeedError(f"no feed and no recent posts found at {result.url}")
        title = _page_title(html) or result.url
        return Classified("site", title, None, entries, result.etag, result.last_modified)

    def remove_source(self, ref: str) -> Source:
        """Stop following a source; its saved posts stay in the library."""
        source = self.find_source(ref)
        if source is None:
            raise UsageError(f"no source {ref!r} (see `termnews list`)")
        self.store.remove_source(source.id)
        return source

    def import_opml(self, data: bytes) -> ImportResult:
        """Add every feed of an OPML file (no network: the next refresh fetches them).

        Folder names become tags; outlines whose URL is not http(s) are skipped
        and counted.
        """
        from termnews.net import validate_url
        from termnews.opml import parse_opml

        result = ImportResult()
        for outline in parse_opml(data):
            try:
                url = validate_url(outline.url)
            except TermnewsError:
                result.skipped += 1
                continue
            if self.find_source(url):
                result.known += 1
                continue
            kind: SourceKind = "site" if outline.is_page else "feed"
            feed_url = None if outline.is_page else url
            result.added.append(
                self.store.add_source(url, outline.title or url, kind, feed_url, outline.tags)
            )
        return result

    def export_opml(self) -> str:
        """The followed sources as OPML 2.0 (tags become folders)."""
        from termnews.opml import export_opml

        return export_opml(self.store.sources())

    # -- refresh -------------------------------------------------------------------

    async def refresh(
        self,
        sources: Sequence[Source] | None = None,
        progress: Callable[[RefreshProgress], None] | None = None,
    ) -> RefreshSummary:
        """Refresh sources concurrently (the fetcher bounds total and per-host requests).

        One failing source never stops the others; each result says what happened.
        """
        todo = list(sources) if sources is not None else self.store.sources()
        if not todo:
            return RefreshSummary([])
        if self.offline:
            raise OfflineError("offline: refreshing needs the network")
        self._parser.start(len(todo))
        results: list[SourceResult] = []

        async def one(source: Source) -> None:
            result = await self.refresh_source(source)
            results.append(result)
            if progress is not None:
                progress(
                    RefreshProgress(len(results), len(todo), source, result.error, result.new_posts)
                )

        await asyncio.gather(*(one(s) for s in todo))
        order = {s.id: i for i, s in enumerate(todo)}
        results.sort(key=lambda r: order[r.source.id])
        return RefreshSummary(results)

    async def refresh_source(self, source: Source) -> SourceResult:
        """Fetch one source (conditionally) and store its new posts; never raises."""
        now = datetime.now(UTC)
        if source.retry_after and source.retry_after > now:
            wait = source.retry_after.astimezone().strftime("%H:%M")
            return SourceResult(source, error=f"server asked to wait; retrying after {wait}")
        try:
            result = await self.fetcher.get(
                source.fetch_url,
                etag=source.etag,
                last_modified=source.last_modified,
                accept=FEED_ACCEPT,
            )
            if result.not_modified:
                await asyncio.to_thread(self.store.record_not_modified, source.id)
                return SourceResult(source, not_modified=True)
            entries = await self._parser.entries(source, result)
            cutoff = now - timedelta(days=self.config.retention_days)
            new = await asyncio.to_thread(self.store.upsert_posts, source.id, entries, None, cutoff)
            await asyncio.to_thread(
                self.store.record_fetch_ok,
                source.id,
                etag=result.etag,
                last_modified=result.last_modified,
            )
            return SourceResult(source, new_posts=new)
        except TermnewsError as exc:
            message = str(exc) or exc.__class__.__name__
            retry = _retry_after(exc, now)
            with contextlib.suppress(sqlite3.Error):  # removed meanwhile, or a busy database
                await asyncio.to_thread(
                    self.store.record_fetch_error, source.id, message, retry_after=retry
                )
            return SourceResult(source, error=message, error_kind=type(exc).__name__)
        except (StoreError, sqlite3.Error) as exc:
            return SourceResult(source, error=f"database error: {exc}")

    def due_for_refresh(self, now: datetime | None = None) -> bool:
        """True when the last refresh is older than the configured interval."""
        last = self.store.last_refresh()
        if last is None:
            return bool(self.store.sources())
        now = now or datetime.now(UTC)
        return now - last >= timedelta(minutes=self.config.refresh_interval_minutes)

    # -- posts and documents -------------------------------------------------------

    async def load_document(self, post: Post) -> Document:
        """The readable document of a post: cached, or fetched and extracted once.

        Network and extraction failures never raise: the feed's own content is
        returned with a one-line note saying why.
        """
        from termnews.reading import fallback_document, fetch_document

        cached = await asyncio.to_thread(self.store.document, post.id)
        if cached is not None:
            return cached
        if self.offline:
            reason = "offline, and this article was not downloaded"
            return await asyncio.to_thread(fallback_document, post, reason)
        try:
            document = await fetch_document(self.fetcher, post.url, post)
        except TermnewsError as exc:
            return await asyncio.to_thread(fallback_document, post, exc)
        with contextlib.suppress(sqlite3.Error):  # showing it matters more than caching it
            await asyncio.to_thread(self.store.put_document, post.id, document)
        return document

    async def prefetch(self, progress: Callable[[int, int], None] | None = None) -> PrefetchSummary:
        """Download the documents of recent posts so they read offline (config ``prefetch``).

        Saved posts still missing their page are always retried first. Runs at most
        ``PREFETCH_CONCURRENCY`` pages at once (the fetcher also limits per host),
        leaving room for what the user opens meanwhile. Failures are recorded on
        the post and retried after a few hours; they never raise.
        """
        from termnews.reading import fetch_document

        if self.offline:
            return PrefetchSummary()
        mode = self.config.prefetch
        since = datetime.now(UTC) - timedelta(days=self.config.prefetch_days)
        if mode == "off":
            since = datetime.max.replace(tzinfo=UTC)  # only saved posts qualify
        posts = await asyncio.to_thread(
            self.store.posts_needing_documents, since, unread_only=mode == "unread"
        )
        gate = asyncio.Semaphore(PREFETCH_CONCURRENCY)
        done = fetched = failed = 0

        async def one(post: Post) -> None:
            nonlocal done, fetched, failed
            async with gate:
                try:
                    document = await fetch_document(self.fetcher, post.url, post)
                    await asyncio.to_thread(self.store.put_document, post.id, document)
                    fetched += 1
                except TermnewsError as exc:
                    with contextlib.suppress(sqlite3.Error):
                        await asyncio.to_thread(self.store.record_document_error, post.id, str(exc))
                    failed += 1
                except sqlite3.Error:
                    failed += 1  # the post went away meanwhile (pruned or removed elsewhere)
            done += 1
            if progress is not None:
                progress(done, len(posts))

        await asyncio.gather(*(one(p) for p in posts))
        return PrefetchSummary(fetched, failed)

    def prune(self) -> int:
        """Drop unsaved posts past the retention (days, and count per source)."""
        cutoff = datetime.now(UTC) - timedelta(days=self.config.retention_days)
        return self.store.prune(older_than=cutoff, max_per_source=self.config.max_posts_per_source)

    async def read_url(self, url: str) -> Document:
        """Fetch and extract any page (``termnews read``); raises TermnewsError on failure."""
        from termnews.net import validate_url
        from termnews.reading import fetch_document

        return await fetch_document(self.fetcher, validate_url(url.strip()), None)

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
        from termnews.net import validate_url

        url = validate_url(url.strip())
        existing = await asyncio.to_thread(self.store.post_by_url, url)
        if existing is not None:
            return existing
        document = await self.read_url(url)
        entry = Entry(
            identity=url,
            url=url,
            title=document.title or url,
            author=document.byline,
            published=document.published,
        )
        await asyncio.to_thread(self.store.upsert_posts, None, [entry])
        post = await asyncio.to_thread(self.store.post_by_url, url)
        assert post is not None
        await asyncio.to_thread(self.store.put_document, post.id, document)
        return post

    async def save_url(self, url: str) -> Post:
        """Store any page's document in the saved library (``termnews save URL``)."""
        post = await self.open_url_as_post(url)
        await self.save_post(post.id)  # downloads the page if the post has none yet
        saved = await asyncio.to_thread(self.store.post, post.id)
        return saved or post


def _retry_after(exc: Exception, now: datetime) -> datetime | None:
    seconds = getattr(exc, "retry_after", None)
    if isinstance(seconds, int | float) and seconds > 0:
        return now + timedelta(seconds=min(seconds, 7 * 24 * 3600))
    return None


def _page_title(html: str) -> str:
    """The <title> of a page, cheaply (used to name a site source)."""
    import re

    match = re.search(r"<title[^>]*>(.*?)</title>", html[:200_000], re.I | re.S)
    from termnews.text import html_to_line

    return html_to_line(match.group(1)) if match else ""
