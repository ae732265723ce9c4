"""Feed bytes → posts: RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 via feedparser, JSON Feed 1.x by hand.

Everything a feed says is untrusted: titles and authors become safe single
lines, links must be http(s) and are made absolute, dates become aware UTC
datetimes. Any input either parses or raises :class:`FeedError` — nothing else.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from termnews.dates import from_struct_time, parse_date
from termnews.errors import TermnewsError
from termnews.models import Entry
from termnews.net.decode import decode_body
from termnews.net.errors import InvalidURL
from termnews.text import clean_line, html_to_line, strip_unsafe, truncate
from termnews.urls import resolve_url, validate_url

__all__ = ["FeedError", "ParsedFeed", "looks_like_feed", "parse_feed"]

_FEED_MIMES = ("rss+xml", "atom+xml", "rdf+xml", "feed+json")
_FEED_ROOT = re.compile(rb"<(?:[a-z0-9]+:)?(?:rss|feed|rdf)[\s>/]")
_HTML_ROOT = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]")
_JSONFEED_VERSION = "jsonfeed.org/version/1"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_UNTITLED_LENGTH = 80
_UTF8_XML = "application/xml; charset=utf-8"


class FeedError(TermnewsError):
    """The content is not a feed termnews can read; ``str()`` is one line for the user."""


@dataclass(slots=True)
class ParsedFeed:
    """A feed's own title, the site it belongs to, and its entries in document order."""

    title: str
    link: str
    entries: list[Entry] = field(default_factory=list)


def looks_like_feed(content: bytes, content_type: str | None) -> bool:
    """A cheap sniff of the first bytes: is this a feed (True) or a web page / other (False)?

    The bytes decide over the Content-Type, which is often wrong both ways
    (feeds served as text/html, pages as application/xml).
    """
    head = content[:2048].replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").lower()
    if head.startswith((b"{", b"[")):
        return _JSONFEED_VERSION.encode() in content[:8192].replace(b"\\/", b"/")
    if not head.startswith(b"<"):
        return False
    if _FEED_ROOT.search(head):
        return not _HTML_ROOT.search(head[: head.find(b"<rss") if b"<rss" in head else 512])
    mime = (content_type or "").split(";")[0].strip().lower()
    return mime.endswith(_FEED_MIMES) and not _HTML_ROOT.search(head)


def parse_feed(content: bytes | str, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a feed downloaded from ``url``; raise :class:`FeedError` if it is not one.

    Relative links resolve against ``xml:base`` or ``url``. Entries keep document
    order; an identity seen twice keeps its first entry.
    """
    try:
        return _parse(content, url, content_type)
    except FeedError:
        raise
    except RecursionError:
        raise FeedError("not a feed (nested too deeply)") from None
    except Exception as exc:  # feedparser and the JSON walk must not leak odd errors
        raise FeedError(f"feed could not be read ({type(exc).__name__})") from None


def _parse(content: bytes | str, url: str, content_type: str | None) -> ParsedFeed:
    if isinstance(content, str):
        text = content
        content_type = _with_utf8(content_type)
    else:
        if not content.strip():
            raise FeedError("not a feed (empty response)")
        text = decode_body(content, content_type)
    text = text.lstrip("\ufeff \t\r\n")
    if not text:
        raise FeedError("not a feed (empty response)")
    mime = (content_type or "").split(";")[0].strip().lower()
    if text.startswith("{") or (mime.endswith("json") and text.startswith("[")):
        return _parse_json_feed(text, url)
    if mime.endswith("json"):
        raise FeedError("not a feed (JSON without a JSON Feed version)")
    if "\x00" in text[:1024] or not text.startswith("<"):
        raise FeedError("not a feed (binary or plain data)")
    return _parse_xml_feed(text, url)


def _with_utf8(content_type: str | None) -> str:
    mime = (content_type or "application/xml").split(";")[0].strip()
    return f"{mime}; charset=utf-8"


# --- RSS and Atom ---------------------------------------------------------------------


def _parse_xml_feed(text: str, url: str) -> ParsedFeed:
    import feedparser

    # Decoded once by our own rules (HTTP charset, BOM, prolog, detection), so
    # feedparser is told the bytes are UTF-8; it rewrites the prolog to match.
    parsed = feedparser.parse(
        text.encode("utf-8"),
        response_headers={
            "content-type": "application/xml; charset=utf-8",
            "content-location": url,
        },
        resolve_relative_uris=True,
        sanitize_html=True,
    )
    entries = parsed.get("entries") or []
    if not parsed.get("version") and not entries:
        head = text[:1024].lower()
        if "<html" in head or "<!doctype html" in head:
            raise FeedError("not a feed (an HTML page)")
        raise FeedError("not a feed")
    if not entries and parsed.get("bozo"):
        raise FeedError(f"feed is malformed: {_short(parsed.get('bozo_exception'))}")
    feed = parsed.get("feed") or {}
    site = resolve_url(feed.get("link"), url) or _origin(url)
    posts = [_xml_entry(entry, url) for entry in entries]
    title = _title(feed) or urlsplit(site).hostname or ""
    return ParsedFeed(title=title, link=site, entries=_unique(posts))


def _xml_entry(entry: Any, url: str) -> Entry | None:
    link = resolve_url(entry.get("link"), url)
    if not link:
        for alt in entry.get("links") or []:
            if alt.get("rel", "alternate") == "alternate":
                link = resolve_url(alt.get("href"), url)
                if link:
                    break
    guid = clean_line(entry.get("id") or "")
    if not link and guid.startswith(("http://", "https://")):
        link = resolve_url(guid, url)
    contents = entry.get("content") or []
    content = next((c.get("value", "") for c in contents if c.get("type") in _HTML_TYPES), "")
    if not content and contents:
        content = _text_to_html(contents[0].get("value", ""))
    summary = entry.get("summary") or ""
    if (entry.get("summary_detail") or {}).get("type") == "text/plain":
        summary = _text_to_html(summary)
    detail = entry.get("author_detail") or {}
    author = clean_line(detail.get("name") or entry.get("author") or "")
    # dict.get: FeedParserDict.get maps missing keys onto others, with a DeprecationWarning.
    published = from_struct_time(
        dict.get(entry, "published_parsed")
        or dict.get(entry, "updated_parsed")
        or dict.get(entry, "created_parsed")
    )
    return _entry(guid, link, _title(entry), author, published, content, summary)


def _title(node: Any) -> str:
    title = node.get("title") or ""
    kind = (node.get("title_detail") or {}).get("type", "text/html")
    return html_to_line(title) if kind in _HTML_TYPES else clean_line(title)


def _short(exc: Any) -> str:
    text = " ".join(str(exc or "unknown problem").split()).replace("<unknown>:", "line ")
    return truncate(text, 100)


# --- JSON Feed ------------------------------------------------------------------------


def _parse_json_feed(text: str, url: str) -> ParsedFeed:
    try:
        data = json.loads(text)
    except ValueError:
        raise FeedError("not a feed (invalid JSON)") from None
    if not isinstance(data, dict) or _JSONFEED_VERSION not in str(data.get("version", "")):
        raise FeedError("not a feed (JSON without a JSON Feed version)")
    items = data.get("items")
    if not isinstance(items, list):
        raise FeedError("JSON Feed has no items list")
    feed_author = _json_author(data)
    posts = [_json_entry(item, url, feed_author) for item in items if isinstance(item, dict)]
    site = resolve_url(_str(data.get("home_page_url")), url) or _origin(url)
    title = html_to_line(_str(data.get("title"))) or urlsplit(site).hostname or ""
    return ParsedFeed(title=title, link=site, entries=_unique(posts))


def _json_entry(item: dict[str, Any], url: str, feed_author: str) -> Entry | None:
    link = resolve_url(_str(item.get("url")), url) or resolve_url(
        _str(item.get("external_url")), url
    )
    guid = clean_line(_str(item.get("id")))
    if not link and guid.startswith(("http://", "https://")):
        link = resolve_url(guid, url)
    content = _str(item.get("content_html")) or _text_to_html(_str(item.get("content_text")))
    published = parse_date(item.get("date_published")) or parse_date(item.get("date_modified"))
    author = _json_author(item) or feed_author
    title = html_to_line(_str(item.get("title")))
    return _entry(guid, link, title, author, published, content, _str(item.get("summary")))


def _json_author(node: dict[str, Any]) -> str:
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


# --- shared -------------------------------------------------------------------------------


def _entry(
    guid: str,
    link: str,
    title: str,
    author: str,
    published: datetime | None,
    content: str,
    summary: str,
) -> Entry | None:
    """An Entry, or None when there is nothing to identify it by."""
    identity = guid or link
    if not identity:
        return None
    if not title:
        # Untitled items (micro-posts) are named by the start of their text.
        title = truncate(html_to_line(summary or content), _UNTITLED_LENGTH)
    return Entry(
        identity=identity,
        url=link,
        title=title,
        author=author,
        published=published,
        content=strip_unsafe(content),
        summary=strip_unsafe(summary),
    )


def _unique(entries: list[Entry | None]) -> list[Entry]:
    seen: set[str] = set()
    unique = []
    for entry in entries:
        if entry is not None and entry.identity not in seen:
            seen.add(entry.identity)
            unique.append(entry)
    return unique


def _origin(url: str) -> str:
    try:
        parts = urlsplit(validate_url(url))
    except (InvalidURL, ValueError):
        return ""
    return f"{parts.scheme}://{parts.netloc}/"


def _text_to_html(text: str) -> str:
    """Plain text as HTML paragraphs, so the extractor and renderer see one format."""
    if not text or not text.strip():
        return ""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
