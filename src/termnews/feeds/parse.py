"""Feed bytes → posts: RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 via feedparser, JSON Feed by hand.

Everything a feed says is untrusted: titles and authors become safe single
lines, links must be http(s) and are made absolute, dates become aware UTC
datetimes. Ids are opaque strings, never resolved as URLs. Any input either
parses or raises :class:`FeedError` — nothing else.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

from termnews.dates import from_struct_time, parse_date
from termnews.feeds.entries import (
    Entries,
    FeedError,
    Fields,
    ParsedFeed,
    is_web_id,
    make_entry,
    origin,
    text_to_html,
    unique,
)
from termnews.feeds.fastrss import read_plain_rss
from termnews.feeds.feedparser_setup import feedparser
from termnews.feeds.jsonfeed import parse_json_feed
from termnews.feeds.repair import repair_feed_text
from termnews.feeds.sniff import looks_like_feed, root_base, xml_codec
from termnews.models import Entry
from termnews.net.decode import decode_body
from termnews.text import clean_line, html_to_line, truncate
from termnews.urls import resolve_url

__all__ = ["Entries", "FeedError", "ParsedFeed", "looks_like_feed", "parse_feed"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_DATE_KEYS = ("published", "updated", "created")


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
    elif not content.strip():
        raise FeedError("not a feed (empty response)")
    elif codec := xml_codec(content):  # UTF-16/32 or EBCDIC XML without a BOM
        text = content.decode(codec, "replace")
    else:
        text = decode_body(content, content_type)
    text = text.lstrip("\ufeff \t\r\n")
    if not text:
        raise FeedError("not a feed (empty response)")
    mime = (content_type or "").split(";")[0].strip().lower()
    if text.startswith("{") or (mime.endswith("json") and text.startswith("[")):
        return parse_json_feed(text, url)
    if mime.endswith("json"):
        raise FeedError("not a feed (JSON without a JSON Feed version)")
    if "\x00" in text[:1024] or not text.startswith("<"):
        raise FeedError("not a feed (binary or plain data)")
    return _parse_xml_feed(text, url)


# --- RSS and Atom ---------------------------------------------------------------------


def _parse_xml_feed(text: str, url: str) -> ParsedFeed:
    # Decoded once by our own rules (HTTP charset, BOM, prolog, detection), so
    # feedparser is told the bytes are UTF-8; it rewrites the prolog to match.
    # Plain RSS 2.0 takes the fast path, with the same result (``fastrss``).
    repaired = repair_feed_text(text)
    parsed = read_plain_rss(repaired, url) or feedparser().parse(
        repaired.encode("utf-8"),
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
    site = resolve_url(feed.get("link"), url) or origin(url)
    id_base = root_base(text) if str(parsed.get("version", "")).startswith("atom") else ""
    posts = [_xml_entry(entry, url, id_base) for entry in entries]
    title = _title(feed) or urlsplit(site).hostname or ""
    return ParsedFeed(title=title, link=site, entries=unique(posts))


def _xml_entry(entry: Any, url: str, id_base: str) -> Entry | None:
    raw_id = entry.get("id") or ""
    guid = clean_line(raw_id)
    if guid and id_base and ":" not in guid:
        guid = urljoin(id_base, guid)  # an Atom id relative to the document's own xml:base
    # feedparser copies a permalink guid into "link" when there is no <link>: only an
    # absolute http(s) guid may serve as the post's URL (below).
    copied = bool(entry.get("guidislink")) and entry.get("link") == raw_id
    link = "" if copied else resolve_url(entry.get("link"), url)
    if not link:
        for alt in entry.get("links") or []:
            if alt.get("rel", "alternate") == "alternate":
                link = resolve_url(alt.get("href"), url)
                if link:
                    break
    if not link and is_web_id(guid):
        link = resolve_url(guid, url)
    contents = entry.get("content") or []
    content = next((c.get("value", "") for c in contents if c.get("type") in _HTML_TYPES), "")
    if not content and contents:
        content = text_to_html(contents[0].get("value", ""))
    summary = entry.get("summary") or ""
    if (entry.get("summary_detail") or {}).get("type") == "text/plain":
        summary = text_to_html(summary)
    detail = entry.get("author_detail") or {}
    published, date_text = _published(entry)
    return make_entry(
        Fields(
            guid=guid,
            link=link,
            title=_title(entry),
            author=clean_line(detail.get("name") or entry.get("author") or ""),
            published=published,
            content=content,
            summary=summary,
            date_text=date_text,
        )
    )


def _published(entry: Any) -> tuple[Any, str]:
    """The entry's date and its text as written.

    Our own reading of the text comes first when it is exact (feedparser reads an
    unknown zone such as ``CEST`` as UTC, and cannot read ``Mon,02 January 2006``);
    then feedparser's many formats; then a day-only reading.
    """
    for key in _DATE_KEYS:
        # dict.get: FeedParserDict.get maps missing keys onto others, with a warning.
        raw = dict.get(entry, key)
        text = raw if isinstance(raw, str) else ""
        when = (
            parse_date(text, loose=False)
            or from_struct_time(_struct_time(entry, key, text))
            or parse_date(text)
        )
        if when is not None:
            return when, text
        if text:
            return None, text
    return None, ""


def _struct_time(entry: Any, key: str, text: str) -> Any:
    """feedparser's reading of a date: its own (``published_parsed``), or, for the fast
    path, which leaves that to be asked for, its date parsers' now."""
    parsed_key = f"{key}_parsed"
    if dict.__contains__(entry, parsed_key) or not text:
        return dict.get(entry, parsed_key)
    return feedparser().datetimes._parse_date(text)


def _title(node: Any) -> str:
    title = node.get("title") or ""
    kind = (node.get("title_detail") or {}).get("type", "text/html")
    return html_to_line(title) if kind in _HTML_TYPES else clean_line(title)


def _short(exc: Any) -> str:
    text = " ".join(str(exc or "unknown problem").split()).replace("<unknown>:", "line ")
    return truncate(text, 100)
