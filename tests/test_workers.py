"""Feed parsing in worker processes works from inside the reader (Textual replaces stdio)."""

from __future__ import annotations

from textual.app import App

from termnews.feeds.workers import POOL_THRESHOLD, Parser, entries_from_body
from termnews.models import Source
from termnews.net.client import FetchResult

FEED = (
    b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title>"
    b"<item><title>One</title><link>https://example.org/1</link></item></channel></rss>"
)


def fetched() -> FetchResult:
    return FetchResult(
        url="https://example.org/feed",
        status=200,
        content=FEED,
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
            parser.pool_bytes = 0  # the first body starts the pool
            try:
                parser.start(POOL_THRESHOLD)
                assert not parser.pooled, "workers start with the first body, not before"
                got.extend(await parser.entries(source, fetched()))
                assert parser.pooled, "the pool should run for a big refresh"
            except Exception as exc:  # the assertion below shows what went wrong
                got.append(exc)
            finally:
                parser.close()
            self.exit()

    async with Reader().run_test() as pilot:
        await pilot.pause()
    assert [getattr(e, "title", e) for e in got] == ["One"]


def test_entries_from_body_reads_a_feed():
    entries = entries_from_body(False, FEED, "application/rss+xml", "https://example.org/feed")
    assert [e.url for e in entries] == ["https://example.org/1"]
