"""Feed parsing: every dialect, links, identities, dates, sanitising, and only FeedError on junk."""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from termnews.feeds.parse import FeedError, ParsedFeed, looks_like_feed, parse_feed
from termnews.net.client import Fetcher
from termnews.text import is_printable_safe

FEEDS = Path(__file__).parent / "data" / "feeds"
FEED_URL = "https://feeds.example.com/sub/feed"


def load(name: str, content_type: str | None = None) -> ParsedFeed:
    return parse_feed((FEEDS / name).read_bytes(), FEED_URL, content_type)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- dialects ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title", "link", "first_url", "first_title", "count"),
    [
        (
            "rss091.xml",
            "Harbour Gazette",
            "https://gazette.example.com/",
            "https://gazette.example.com/2026/ferry-timetable",
            "Ferry timetable changes for winter",
            2,
        ),
        (
            "rss092.xml",
            "Valley Radio",
            "https://radio.example.org/",
            "https://radio.example.org/shows/concert",
            "Evening concert recording",
            2,
        ),
        (
            "rss10.xml",
            "Science Notes",
            "https://science.example.net/",
            "https://science.example.net/notes/comets",
            "Two comets pass within a week",
            2,
        ),
        (
            "rss20.xml",
            "The Daily & Weekly",
            "https://daily.example.com/",
            "https://daily.example.com/news/bridge?utm=rss",
            "Council approves new bridge & tunnel",
            6,
        ),
        (
            "atom03.xml",
            "Old Atom Blog",
            "https://oldatom.example.com/",
            "https://oldatom.example.com/2026/11/still",
            "Still using Atom 0.3",
            1,
        ),
        (
            "atom10.xml",
            "Ops <Notes>",
            "https://blog.example.org/",
            "https://blog.example.org/posts/2026/postgres-upgrade",
            "Postgres upgrade & lessons",
            3,
        ),
        (
            "jsonfeed10.json",
            "Tiny JSON Blog",
            "https://tiny.example.com/",
            "https://feeds.example.com/2026/11/second",
            "Second &amp; <i>last</i> post",  # JSON Feed titles are plain text
            2,
        ),
        (
            "jsonfeed11.json",
            "Podcast Notes",
            "https://pod.example.net/",
            "https://pod.example.net/ep/12",
            "Episode 12",
            3,
        ),
    ],
)
def test_every_dialect(name, title, link, first_url, first_title, count) -> None:
    content_type = "application/feed+json" if name.endswith(".json") else "application/xml"
    feed = load(name, content_type)
    assert feed.title == title
    assert feed.link == link
    assert len(feed.entries) == count
    assert feed.entries[0].url == first_url
    assert feed.entries[0].title == first_title


def test_json_feed_detected_without_content_type() -> None:
    assert load("jsonfeed11.json", None).title == "Podcast Notes"
    assert load("jsonfeed10.json", "application/json").title == "Tiny JSON Blog"


def test_str_input_is_accepted() -> None:
    text = (FEEDS / "atom10.xml").read_text(encoding="utf-8")
    assert parse_feed(text, FEED_URL).entries[0].author == "Riya Patel"


# --- RSS 2.0 details ----------------------------------------------------------------------


def test_rss20_entries_in_document_order_with_identities() -> None:
    entries = load("rss20.xml").entries
    assert [e.identity for e in entries] == [
        "daily-1001",
        "https://daily.example.com/news/market",
        "https://daily.example.com/news/weather",
        "daily-js",
        entries[4].identity,  # neither guid nor link: a hash of its text
        "https://daily.example.com/notes/42",
    ]
    assert entries[4].identity.startswith("sha256:") and entries[4].url == ""


def test_duplicate_guid_keeps_the_first_entry() -> None:
    first = load("rss20.xml").entries[0]
    assert first.url == "https://daily.example.com/news/bridge?utm=rss"
    assert "updated" not in first.title


def test_relative_link_resolves_against_the_feed_url() -> None:
    market = load("rss20.xml").entries[1]
    assert market.url == "https://feeds.example.com/news/market"


def test_html_titles_become_plain_text() -> None:
    entries = load("rss20.xml").entries
    assert entries[0].title == "Council approves new bridge & tunnel"
    atom = load("atom10.xml").entries
    assert atom[1].title == "Caching everything"
    assert atom[2].title == "Plain <tags> stay as text"  # type="text": literal angle brackets


def test_escape_sequences_and_bidi_are_stripped_from_titles_and_authors() -> None:
    weather = load("rss20.xml").entries[2]
    assert weather.title == "Weather: red alert for wind"
    guest = load("jsonfeed11.json").entries[0]
    assert guest.author == "Guest Star"
    for entry in load("rss20.xml").entries + load("jsonfeed11.json").entries:
        assert is_printable_safe(entry.title) and is_printable_safe(entry.author)


def test_authors() -> None:
    entries = load("rss20.xml").entries
    assert entries[0].author == "Jane Doe"
    assert entries[1].author == "Business Desk"
    assert load("rss10.xml").entries[0].author == "Ana Lima"
    assert load("jsonfeed10.json").entries[0].author == "Kim Lee"  # feed-level author
    assert load("jsonfeed11.json").entries[1].author == "Host One, Host Two"


def test_content_and_summary_are_kept_as_html() -> None:
    bridge = load("rss20.xml").entries[0]
    assert "<strong>7 to 2</strong>" in bridge.content
    # Relative links in content resolve against the feed's own URL (no xml:base here).
    assert 'href="https://feeds.example.com/news/bridge-plans"' in bridge.content
    assert "<script" not in bridge.content
    assert bridge.summary == "<p>The council voted 7 to 2.</p>"
    first = load("jsonfeed10.json").entries[1]
    assert first.content == "<p>Line one.</p><p>Line &lt;two&gt;.</p>"  # content_text escaped


def test_unsafe_and_missing_links() -> None:
    entries = {e.identity: e for e in load("rss20.xml").entries}
    assert entries["daily-js"].url == ""
    micro = entries["https://daily.example.com/notes/42"]
    assert micro.title == "A micro-post with no title, identified by its link."
    bad = load("jsonfeed11.json").entries[2]
    assert (bad.identity, bad.url) == ("ep-10", "")


# --- xml:base, dates, charsets -----------------------------------------------------------


def test_xml_base_resolves_links_and_content() -> None:
    first, second, _ = load("atom10.xml").entries
    assert first.url == "https://blog.example.org/posts/2026/postgres-upgrade"
    assert 'href="https://blog.example.org/posts/diagrams/db.png"' in first.content
    assert second.url == "https://blog.example.org/posts/2026/caching"


def test_dates_are_aware_utc() -> None:
    assert load("rss20.xml").entries[0].published == utc(2026, 11, 4, 8, 0)
    assert load("rss20.xml").entries[1].published == utc(2026, 11, 3, 18, 45)
    assert load("rss10.xml").entries[0].published == utc(2026, 11, 4, 0, 30)
    assert load("atom03.xml").entries[0].published == utc(2026, 11, 2, 12, 0)
    assert load("atom10.xml").entries[0].published == utc(2026, 11, 5, 9, 30)  # published wins
    assert load("atom10.xml").entries[1].published == utc(2026, 11, 4, 8, 0)  # else updated
    assert load("jsonfeed10.json").entries[0].published == utc(2026, 11, 5, 20, 0)
    assert load("jsonfeed11.json").entries[0].published == utc(2026, 11, 4, 11, 0)
    assert load("jsonfeed11.json").entries[1].published == utc(2026, 10, 28, 20, 0)  # naive
    for name in ("rss20.xml", "atom10.xml", "jsonfeed11.json", "rss10.xml"):
        for entry in load(name).entries:
            assert entry.published is None or entry.published.utcoffset().total_seconds() == 0


def test_missing_and_bad_dates_are_none() -> None:
    assert load("rss20.xml").entries[2].published is None  # "not a date at all"
    assert load("rss091.xml").entries[0].published is None


@pytest.mark.parametrize(
    "content_type",
    [None, "application/xml", "text/xml", "application/rss+xml; charset=windows-1251"],
)
def test_windows_1251_feed(content_type) -> None:
    feed = load("windows1251.xml", content_type)
    assert feed.title == "Новости Сибири"
    assert feed.entries[0].title == "В Новосибирске открылся новый мост"
    assert feed.entries[0].summary == "Движение по мосту откроют в пятницу."
    assert feed.entries[0].published == utc(2026, 11, 5, 5, 0)


def test_windows_1251_without_any_declaration_is_detected() -> None:
    raw = (FEEDS / "windows1251.xml").read_bytes().replace(b' encoding="windows-1251"', b"")
    assert parse_feed(raw, FEED_URL).entries[1].title == "Погода: снег и мороз"


def test_bogus_charset_and_invalid_utf8_still_parse() -> None:
    raw = (FEEDS / "rss092.xml").read_bytes().replace(b"Morning", b"Morn\xff\xfeing")
    feed = parse_feed(raw, FEED_URL, "application/rss+xml; charset=x-no-such-thing")
    assert feed.entries[1].title.startswith("Morn")


async def test_fetched_feed_parses(server) -> None:
    async with Fetcher(timeout=5) as fetcher:
        result = await fetcher.get(server.url("/feeds/windows1251.xml"))
    feed = parse_feed(result.content, result.url, result.content_type)
    assert feed.entries[1].title == "Погода: снег и мороз"


# --- not feeds ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "content_type", "message"),
    [
        (b"", "application/rss+xml", "empty"),
        (b"   \n", None, "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "image/png", "not a feed"),
        (b"just some words", "text/plain", "not a feed"),
        (b'{"hello": "world"}', "application/json", "JSON"),
        (b"<?xml version='1.0'?><note><to>x</to></note>", "application/xml", "not a feed"),
    ],
)
def test_not_feeds_raise_feed_error(content, content_type, message) -> None:
    with pytest.raises(FeedError, match=message):
        parse_feed(content, FEED_URL, content_type)


def test_html_page_is_not_a_feed() -> None:
    with pytest.raises(FeedError, match="HTML page"):
        load("not_a_feed.html", "text/html; charset=utf-8")


def test_truncated_feed() -> None:
    raw = (FEEDS / "rss20.xml").read_bytes()
    with pytest.raises(FeedError, match="malformed"):
        parse_feed(raw[:300], FEED_URL)
    # Cut after some items: what was read is kept.
    assert len(parse_feed(raw[:1500], FEED_URL).entries) >= 1


def test_empty_but_valid_feed_has_no_entries() -> None:
    feed = parse_feed(b"<rss version='2.0'><channel><title>Quiet</title></channel></rss>", FEED_URL)
    assert (feed.title, feed.entries, feed.link) == ("Quiet", [], "https://feeds.example.com/")


def test_feed_error_messages_are_one_line() -> None:
    for content in (b"", os.urandom(500), b"<rss><channel><item><title>x", b"{" * 50000):
        try:
            parse_feed(content, FEED_URL)
        except FeedError as exc:
            assert "\n" not in str(exc) and len(str(exc)) < 200


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_random_bytes_only_ever_raise_feed_error(data: bytes) -> None:
    with contextlib.suppress(FeedError):
        parse_feed(data, FEED_URL)


@settings(max_examples=100, deadline=None)
@given(cut=st.integers(min_value=0, max_value=3000), junk=st.binary(max_size=20))
def test_mangled_feeds_only_ever_raise_feed_error(cut: int, junk: bytes) -> None:
    raw = (FEEDS / "atom10.xml").read_bytes()
    for content_type in ("application/atom+xml", None):
        with contextlib.suppress(FeedError):
            parse_feed(raw[:cut] + junk + raw[cut + len(junk) :], FEED_URL, content_type)


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=20,
    )
)
def test_odd_json_feeds_only_ever_raise_feed_error(value) -> None:
    import json

    for doc in (
        {"version": "https://jsonfeed.org/version/1.1", "items": [value], "title": value},
        {"version": "https://jsonfeed.org/version/1", "items": [{"id": value, "url": value}]},
        {"version": "https://jsonfeed.org/version/1", "items": value, "authors": value},
    ):
        with contextlib.suppress(FeedError):
            parse_feed(json.dumps(doc).encode(), FEED_URL, "application/feed+json")


# --- sniffing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["rss091.xml", "rss092.xml", "rss10.xml", "rss20.xml", "atom03.xml", "atom10.xml",
     "jsonfeed10.json", "jsonfeed11.json", "windows1251.xml"],
)  # fmt: skip
def test_looks_like_feed_for_every_dialect(name: str) -> None:
    raw = (FEEDS / name).read_bytes()
    assert looks_like_feed(raw, None)
    assert looks_like_feed(raw, "text/html")  # bytes win over a wrong Content-Type


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        ((FEEDS / "not_a_feed.html").read_bytes(), "text/html"),
        ((FEEDS / "not_a_feed.html").read_bytes(), "application/rss+xml"),
        (b'{"hello": 1}', "application/json"),
        (b"", None),
        (b"\x89PNG\r\n", "image/png"),
        (b"<html><head><link rel=alternate type=application/rss+xml href=/feed></head>", None),
    ],
)
def test_looks_like_feed_rejects_pages(content: bytes, content_type: str | None) -> None:
    assert not looks_like_feed(content, content_type)


def test_looks_like_feed_utf16() -> None:
    raw = (FEEDS / "rss092.xml").read_text().replace('<?xml version="1.0"?>', "")
    assert looks_like_feed(b"\xff\xfe" + raw.encode("utf-16-le"), None)
