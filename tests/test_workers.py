"""Feed parsing in worker processes: when a pool pays, who parses while it starts, and that
it works from inside the reader (Textual replaces stdio)."""

from __future__ import annotations

import pytest
from textual.app import App

from termnews.feeds.workers import POOL_ENTRIES, POOL_THRESHOLD, Parser, entries_from_body
from termnews.models import Source
from termnews.net.client import FetchResult

FEED = (
    b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
    b"<item><title>One</title><link>https://example.org/1</link></item></channel></rss>"
)


def fetched(content: bytes = FEED) -> FetchResult:
    return FetchResult(
        url="https://example.org/feed",
        status=200,
        content=content,
        content_type="application/rss+xml",
        etag=None,
        last_modified=None,
    )


async def test_pool_starts_and_parses_under_textual():
    """Textual's captured stderr has no file descriptor; multiprocessing asked it for one."""
    source = Source(1, "https://example.org/feed", "t", "feed", "https://example.org/feed")
    got: list[object] = []

    class Reader(App[None]):
        async def on_mount(self) -> None:
            parser = Parser(workers=1)
            parser.pool_entries = 0  # the first body starts the pool
            try:
                parser.start(POOL_THRESHOLD)
                assert not parser.pooled, "workers start with the first body, not before"
                got.extend(await parser.entries(source, fetched()))
                assert parser.pooled, "the pool should run for a big refresh"
                assert parser.in_workers == 0, "the first body parses while the pool starts"
                await parser.wait_ready()
                got.extend(await parser.entries(source, fetched()))
                assert parser.in_workers == 1, "a ready worker takes the next body"
            except Exception as exc:  # the assertion below shows what went wrong
                got.append(exc)
            finally:
                parser.close()
            self.exit()

    async with Reader().run_test() as pilot:
        await pilot.pause()
    assert [getattr(e, "title", e) for e in got] == ["One", "One"]


def test_entries_from_body_reads_a_feed():
    entries = entries_from_body(False, FEED, "application/rss+xml", "https://example.org/feed")
    assert [e.url for e in entries] == ["https://example.org/1"]


def feed_of(items: int) -> bytes:
    """An RSS feed of ``items`` posts of a summary each (~270 bytes an item)."""
    posts = "".join(
        f"<item><title>Post {i}</title><link>https://example.org/{i}</link><guid>g{i}</guid>"
        f"<description>&lt;p&gt;Paragraph {i}, with some words in it to look like a real "
        f"summary of a post.&lt;/p&gt;</description></item>"
        for i in range(items)
    )
    return f"<rss version='2.0'><channel><title>t</title>{posts}</channel></rss>".encode()


SOURCE = Source(1, "https://example.org/feed", "t", "feed", "https://example.org/feed")


@pytest.mark.parametrize(
    ("sources", "items", "workers"),
    [
        (50, 1, 0),  # 50 feeds of a post: less parsing than a worker costs to start
        (5, 20, 0),  # too few sources for any pool
        (50, 20, 0),  # a cold 50 of 20 items: done before a worker would be ready
        (300, 20, 1),  # 6,000 items: one worker, the second core
        (200, 500, 2),  # 100,000 items: every worker there is
    ],
)
async def test_a_pool_starts_for_the_parsing_to_come(sources: int, items: int, workers: int):
    """The decision: the bodies still to come, extrapolated from the first, against what a
    worker costs to start; a worker more only for far more work."""
    parser = Parser(workers=2)
    parser.start(sources)
    try:
        body = feed_of(items)
        entries = await parser.entries(SOURCE, fetched(body))
        assert len(entries) == items
        assert parser.in_workers == 0  # the first body never waits for a worker
        assert parser._size == workers and parser.pooled == (workers > 0)
        if workers:
            await parser.wait_ready()
            assert parser.ready()
            assert len(await parser.entries(SOURCE, fetched(body))) == items
            assert parser.in_workers == 1
    finally:
        await parser.finish()
    assert not parser.pooled


def test_the_threshold_is_past_a_cold_200_feeds_of_20_items():
    """POOL_ENTRIES: 200 feeds of 20 posts parse in a thread, 300 start a worker."""
    assert 199 * 20 < POOL_ENTRIES < 299 * 20


def test_the_workers_job_imports_nothing_heavy():
    """A spawned worker imports ``job`` to find its function: no asyncio, httpx, feedparser
    (the warm-up imports the parsers; the pool's bookkeeping stays in ``workers``)."""
    import subprocess
    import sys

    code = (
        "import sys, termnews.feeds.job\n"
        "heavy = ('asyncio', 'httpx', 'feedparser', 'lxml', 'sqlite3', 'termnews.feeds.workers')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr
