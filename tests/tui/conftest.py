"""Fixtures for the reader's tests: a tiny fixed store, a fake-network service, a frozen clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from termnews.config import Config
from termnews.document import Document, Heading, Inline, Paragraph
from termnews.models import Entry, Post, Source
from termnews.service import RefreshProgress, RefreshSummary, Service, SourceResult
from termnews.store import Store

NOW = datetime(2024, 11, 6, 12, 0, tzinfo=UTC)
HOSTILE = "\x1b]0;pwned\x07Evil \x1b[2J[bold]x[/bold] [link=file:///etc/passwd]y[/link]"


def frozen_now() -> datetime:
    return NOW


def count_prunes(service: Service) -> list[int]:
    """Spy on the real ``Service.prune``: the list gets what each call pruned."""
    real = service.prune
    calls: list[int] = []

    def prune() -> int:
        calls.append(real())
        return calls[-1]

    service.prune = prune  # type: ignore[method-assign]
    return calls


def long_document(url: str, title: str, paragraphs: int = 60) -> Document:
    """A document long enough to scroll, with two numbered links."""
    blocks: list[Any] = [Heading(2, (Inline("Part one"),))]
    blocks.append(
        Paragraph(
            (
                Inline("See "),
                Inline("the source", href="https://example.com/linked/"),
                Inline(" and "),
                Inline("a local file", href="file:///etc/passwd"),
                Inline("."),
            )
        )
    )
    for n in range(paragraphs):
        blocks.append(Paragraph((Inline(f"Paragraph {n} of the story. " * 6),)))
    return Document(url=url, title=title, byline="Ann Author", blocks=tuple(blocks))


class FakeService(Service):
    """The real service over a real store, with the network replaced by canned answers.

    ``update``, ``open_post`` and pruning are the real ones: only what would reach
    the network (refresh, prefetch, loading and following pages, adding) is canned.
    """

    def __init__(self, store: Store, config: Config | None = None, offline: bool = False):
        super().__init__(store, config, offline=offline)
        self.refreshed: list[list[int] | None] = []
        self.added: list[str] = []
        self.opened_urls: list[str] = []
        self.load_gate: asyncio.Event | None = None
        self.add_error: str | None = None
        self.network_error: str | None = None  # e.g. "DNSError": every refresh fails so
        self.prefetched: list[int] = []
        self.prefetch_gate: asyncio.Event | None = None  # awaited after the first download
        self.loaded: list[int] = []  # posts whose page load ran to the end
        self.link_error: Exception | None = None  # raised by following a link

    async def add_source(self, url: str, title: str | None = None, tags: Sequence[str] = ()):
        from termnews.errors import ServiceError

        self.added.append(url)
        if self.add_error:
            raise ServiceError(self.add_error)
        source = self.store.add_source(url, title or "Added source", "feed", url + "feed")
        self.store.upsert_posts(
            source.id,
            [Entry("added-1", url + "p1", "Fresh from the added source", published=NOW)],
        )
        return source

    async def refresh(
        self,
        sources: Sequence[Source] | None = None,
        progress: Callable[[RefreshProgress], None] | None = None,
    ) -> RefreshSummary:
        from termnews.errors import OfflineError

        if self.offline:  # as the real refresh: no request is even tried
            raise OfflineError("offline: refreshing needs the network")
        todo = list(sources) if sources is not None else self.store.sources()
        self.refreshed.append([s.id for s in sources] if sources is not None else None)
        results = []
        for n, source in enumerate(todo, 1):
            failed = "HTTP 500" if source.title == "Broken" else None
            kind = "HTTPStatusError" if failed else None
            if self.network_error:
                failed, kind = "host not found: one.example", self.network_error
            if progress:
                progress(RefreshProgress(n, len(todo), source, failed, 0))
            down = self.network_error is not None
            results.append(SourceResult(source, 0, failed, error_kind=kind, unreachable=down))
        return RefreshSummary(results)

    async def prefetch(self, progress: Callable[[int, int], None] | None = None) -> Any:
        """Store a canned document for each recent post without one, reporting progress."""
        from termnews.service import PrefetchSummary

        posts = self.store.posts_needing_documents(NOW - timedelta(days=30))
        for n, post in enumerate(posts, 1):
            self.store.put_document(post.id, long_document(post.url, post.title, 3))
            self.prefetched.append(post.id)
            if progress:
                progress(n, len(posts))
            if n == 1 and self.prefetch_gate is not None:
                await self.prefetch_gate.wait()
        return PrefetchSummary(len(posts), 0)

    async def load_document(self, post: Post) -> Document:
        from termnews.service.reading import with_post_metadata

        cached = self.store.document(post.id)
        if cached is not None:
            return with_post_metadata(post, cached)
        if self.load_gate is not None:
            await self.load_gate.wait()
        document = long_document(post.url, post.title, 10)
        self.store.put_document(post.id, document)
        self.loaded.append(post.id)
        return with_post_metadata(post, document)

    async def open_url_as_post(self, url: str) -> Post:
        self.opened_urls.append(url)
        if self.link_error is not None:
            raise self.link_error
        self.store.upsert_posts(None, [Entry(url, url, "Linked page", published=NOW)])
        post = self.store.post_by_url(url)
        assert post is not None
        self.store.put_document(post.id, long_document(url, "Linked page", 5))
        return post


def seed_small(store: Store) -> dict[str, int]:
    """Two sources and six posts with fixed dates; post "a" has a cached long document."""
    one = store.add_source("https://one.example/", "Example One", "feed", "https://one.example/f")
    two = store.add_source("https://two.example/", "Second Site", "feed", "https://two.example/f")
    store.record_fetch_ok(one.id, etag=None, last_modified=None, when=NOW)
    store.record_fetch_ok(two.id, etag=None, last_modified=None, when=NOW)
    specs = [
        ("a", one.id, "Alpha: the first story", 1),
        ("b", two.id, "Bravo and the long title that will not fit in a narrow sidebar", 3),
        ("c", one.id, "Charlie reads offline", 26),
        ("d", two.id, "Delta saves everything", 50),
        ("e", one.id, "Echo of a search term zebra", 24 * 9),
        ("f", two.id, "Foxtrot from last year", 24 * 400),
    ]
    ids: dict[str, int] = {}
    for key, source_id, title, hours in specs:
        url = f"https://{'one' if source_id == one.id else 'two'}.example/{key}"
        store.upsert_posts(
            source_id,
            [
                Entry(
                    key,
                    url,
                    title,
                    author="Writer",
                    published=NOW - timedelta(hours=hours),
                    summary=f"Summary of {title}.",
                )
            ],  # fmt: skip
        )
        post = store.post_by_url(url)
        assert post is not None
        ids[key] = post.id
    store.put_document(ids["a"], long_document("https://one.example/a", "Alpha: the first story"))
    store.put_document(ids["c"], long_document("https://one.example/c", "Charlie reads offline", 3))
    store.set_read([ids["c"], ids["f"]])
    store.set_saved(ids["d"])
    ids["one"], ids["two"] = one.id, two.id
    return ids


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "tui.sqlite3", clock=frozen_now)
    yield s
    s.close()


@pytest.fixture
def ids(store: Store) -> dict[str, int]:
    return seed_small(store)


@pytest.fixture
def service(store: Store, ids: dict[str, int]) -> FakeService:
    return FakeService(store)
