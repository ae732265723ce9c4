"""JSON Feed 1.0/1.1 → entries, by hand (it is plain JSON).

By the spec, titles and summaries are plain text: they are shown as written
(``1 < 2`` stays), never read as HTML; only ``content_html`` is HTML.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from termnews.dates import parse_date
from termnews.feeds.entries import (
    FeedError,
    Fields,
    ParsedFeed,
    is_web_id,
    make_entry,
    origin,
    text_to_html,
    unique,
)
from termnews.feeds.sniff import is_json_feed_object
from termnews.models import Entry
from termnews.text import clean_line
from termnews.urls import resolve_url


def parse_json_feed(text: str, url: str) -> ParsedFeed:
    """A JSON Feed's title, site and entries; :class:`FeedError` when it is not one."""
    try:
        data = json.loads(text)
    except ValueError:
        raise FeedError("not a feed (invalid JSON)") from None
    if not is_json_feed_object(data):
        raise FeedError("not a feed (JSON without a JSON Feed version)")
    items = data.get("items")
    if not isinstance(items, list):
        raise FeedError("JSON Feed has no items list")
    feed_author = _author(data)
    posts = [_entry(item, url, feed_author) for item in items if isinstance(item, dict)]
    site = resolve_url(_str(data.get("home_page_url")), url) or origin(url)
    title = clean_line(_str(data.get("title"))) or urlsplit(site).hostname or ""
    return ParsedFeed(title=title, link=site, entries=unique(posts))


def _entry(item: dict[str, Any], url: str, feed_author: str) -> Entry | None:
    link = resolve_url(_str(item.get("url")), url) or resolve_url(
        _str(item.get("external_url")), url
    )
    guid = clean_line(_str(item.get("id")))
    if not link and is_web_id(guid):
        link = resolve_url(guid, url)
    content = _str(item.get("content_html")) or text_to_html(_str(item.get("content_text")))
    dates = (_str(item.get("date_published")), _str(item.get("date_modified")))
    return make_entry(
        Fields(
            guid=guid,
            link=link,
            title=clean_line(_str(item.get("title"))),
            author=_author(item) or feed_author,
            published=parse_date(dates[0]) or parse_date(dates[1]),
            content=content,
            summary=text_to_html(_str(item.get("summary"))),
            date_text=dates[0] or dates[1],
        )
    )


def _author(node: dict[str, Any]) -> str:
    authors = node.get("authors")
    if not isinstance(authors, list) or not authors:
        authors = [node.get("author")]  # JSON Feed 1.0
    names = [clean_line(_str(a.get("name"))) for a in authors if isinstance(a, dict)]
    return ", ".join(n for n in names if n)


def _str(value: Any) -> str:
    """JSON values are untrusted in type too: numbers become strings, the rest empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""
