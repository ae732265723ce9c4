"""Working out what a URL is when it is added: a feed, a site with a feed, or a feedless site."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from termnews.errors import TermnewsError
from termnews.models import Entry, SourceKind
from termnews.text import html_to_line

if TYPE_CHECKING:
    from termnews.net.client import Fetcher, FetchResult

FEED_ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
FEED_LINKS_TRIED = 3  # advertised feeds tried before reading the page's own posts


@dataclass(frozen=True, slots=True)
class Classified:
    """What a URL turned out to be when it was added."""

    kind: SourceKind
    title: str
    feed_url: str | None
    entries: list[Entry]
    etag: str | None = None  # validators of the fetch that gave the entries
    last_modified: str | None = None
    note: str | None = None  # what the feed's parse left out ("2 items skipped (…)")


async def classify(fetcher: Fetcher, url: str) -> Classified:
    """Fetch ``url`` and work out whether it is a feed or a site, with its first posts."""
    from termnews.feeds.discover import find_feed_links, recent_posts
    from termnews.feeds.parse import FeedError, looks_like_feed, parse_feed

    result = await fetcher.get(url, accept=FEED_ACCEPT)
    if looks_like_feed(result.content, result.content_type):
        feed = await asyncio.to_thread(parse_feed, result.content, result.url, result.content_type)
        return Classified(
            "feed",
            feed.title,
            stored_url(url, result),
            feed.entries,
            result.etag,
            result.last_modified,
            feed.entries.skipped_note() or None,
        )
    # Decoding and parsing a page are CPU work: off the event loop (the reader's UI).
    html = await asyncio.to_thread(lambda: result.text)
    links = await asyncio.to_thread(find_feed_links, html, result.url)
    failures: list[str] = []
    for link in links[:FEED_LINKS_TRIED]:
        try:
            got = await fetcher.get(link.url, accept=FEED_ACCEPT)
            feed = await asyncio.to_thread(parse_feed, got.content, got.url, got.content_type)
        except TermnewsError as exc:
            failures.append(f"{link.url}: {exc}")
            continue
        title = feed.title or page_title(html)
        return Classified(
            "site",
            title,
            stored_url(link.url, got),
            feed.entries,
            got.etag,
            got.last_modified,
            feed.entries.skipped_note() or None,
        )
    entries = await asyncio.to_thread(recent_posts, html, result.url)
    if not entries and failures:
        raise FeedError(
            f"no recent posts on the page, and its feed could not be read ({failures[0]})"
        )
    if not entries:
        raise FeedError(f"no feed and no recent posts found at {result.url}")
    title = page_title(html) or result.url
    return Classified("site", title, None, entries, result.etag, result.last_modified)


def stored_url(requested: str, result: FetchResult) -> str:
    """The address to keep for a fetched feed: where permanent redirects led, else the one
    asked for (a temporary redirect's target is not the feed's address)."""
    return result.moved_to or requested


def page_title(html: str) -> str:
    """The <title> of a page, cheaply (used to name a site source)."""
    match = _TITLE.search(html[:200_000])
    return html_to_line(match.group(1)) if match else ""
