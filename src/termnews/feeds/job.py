"""What a parser worker process runs: lean, so a spawned worker is ready in ~0.1 s.

A spawned worker imports this module to find its function; everything a
refresh's main process needs (asyncio, httpx, the pool's bookkeeping in
``workers``) stays out of it. ``warm_up`` then imports the parsers, before the
first body reaches the worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from termnews.models import Entry

__all__ = ["entries_from_body", "import_parser", "warm_up"]


def entries_from_body(
    reads_page: bool, content: bytes, content_type: str | None, url: str
) -> list[Entry]:
    """Parse a body: a feed, or (``reads_page``) a feedless site's recent posts."""
    if reads_page:
        from termnews.feeds.discover import recent_posts
        from termnews.feeds.parse import FeedError
        from termnews.net.decode import decode_body

        entries = recent_posts(decode_body(content, content_type), url)
        if not entries:
            raise FeedError("no recent posts found on the page")
        return entries
    from termnews.feeds.parse import parse_feed

    return parse_feed(content, url, content_type).entries


def import_parser() -> None:
    """What a body's parse imports first (lxml, the fast RSS path, the entry rules)."""
    import termnews.feeds.parse  # noqa: F401


def warm_up() -> None:
    """Import the feed parser (and feedparser, set up) before the first body arrives."""
    from termnews.feeds.feedparser_setup import feedparser

    import_parser()
    feedparser()
