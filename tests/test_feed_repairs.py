"""Feeds as the web really serves them (issue 11, points 1–7): ids, sniffing, encodings,
JSON Feed's plain text and dates, and what feedparser's loose parser would get wrong."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from termnews.dates import parse_date
from termnews.feeds.parse import looks_like_feed, parse_feed

FEED_URL = "http://example.org/feed"


def rss(items: str, *, head: str = "", prolog: str = "") -> bytes:
    return (
        f"{prolog}<rss version='2.0'{head}><channel><title>t</title>"
        f"<link>http://example.org/</link>{items}</channel></rss>"
    ).encode()


def only(content: bytes, content_type: str | None = None):
    (entry,) = parse_feed(content, FEED_URL, content_type).entries
    return entry


# --- 1: ids are opaque -------------------------------------------------------------------


def test_non_url_guid_stays_opaque_and_gives_no_link() -> None:
    entry = only(rss("<item><title>T</title><guid>12345</guid></item>"))
    assert (entry.identity, entry.url) == ("12345", "")


def test_guid_marked_permalink_but_not_a_url_is_no_link() -> None:
    entry = only(rss("<item><title>T</title><guid isPermaLink='true'>abc-2</guid></item>"))
    assert (entry.identity, entry.url) == ("abc-2", "")


def test_post_url_comes_from_link_and_absolute_permalink_guid() -> None:
    linked = only(rss("<item><title>T</title><guid>7</guid><link>/posts/7</link></item>"))
    assert (linked.identity, linked.url) == ("7", "http://example.org/posts/7")
    permalink = only(rss("<item><title>T</title><guid>https://example.org/p/8</guid></item>"))
    assert permalink.identity == permalink.url == "https://example.org/p/8"


def test_atom_ids_are_not_resolved_against_the_feed_url() -> None:
    feed = (
        b"<feed xmlns='http://www.w3.org/2005/Atom'><title>a</title>"
        b"<entry><title>Seven</title><id>post-7</id><link href='/posts/7'/></entry>"
        b"<entry><title>Eight</title><id>post-8</id></entry></feed>"
    )
    seven, eight = parse_feed(feed, FEED_URL).entries
    assert (seven.identity, seven.url) == ("post-7", "http://example.org/posts/7")
    assert (eight.identity, eight.url) == ("post-8", "")


def test_same_feed_at_another_address_keeps_every_identity() -> None:
    feed = rss("<item><title>A</title><guid>1</guid></item><item><title>B</title></item>")
    here = [e.identity for e in parse_feed(feed, "http://example.org/feed").entries]
    there = [e.identity for e in parse_feed(feed, "https://new.example.net/rss").entries]
    assert here == there


def test_relative_atom_id_resolves_against_the_documents_own_base() -> None:
    feed = (
        b"<feed xmlns='http://www.w3.org/2005/Atom' xml:base='http://example.com/test/'>"
        b"<entry><title>x</title><id>relative/link</id></entry></feed>"
    )
    assert only(feed).identity == "http://example.com/test/relative/link"


# --- 2, 3: the sniff reads past byte windows ------------------------------------------------


def json_feed(items: int = 3, **extra: object) -> bytes:
    body = {
        "items": [{"id": f"i{n}", "content_text": "x" * 4000} for n in range(items)],
        "title": "Sorted keys",
        "version": "https://jsonfeed.org/version/1.1",
        **extra,
    }
    return json.dumps(body, sort_keys=True).encode()


@pytest.mark.parametrize("content_type", ["application/feed+json", "application/json", None])
def test_json_feed_with_version_after_8k_is_a_feed(content_type: str | None) -> None:
    content = json_feed()
    assert content.index(b'"version"') > 8192
    assert looks_like_feed(content, content_type)
    assert len(parse_feed(content, FEED_URL, content_type).entries) == 3


def test_json_that_is_not_a_feed_is_not_sniffed_as_one() -> None:
    assert not looks_like_feed(b'{"data": [1, 2, 3]}', "application/json")


@pytest.mark.parametrize(
    ("prolog", "content_type"),
    [
        ("<?xml version='1.0'?><!-- " + "x" * 2300 + " -->\n", "application/xml"),
        ("<?xml version='1.0'?><?xml-stylesheet href='a.xsl'?><!--a--><!--b-->", "text/xml"),
        (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"'
            ' "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n',
            "application/rss+xml",
        ),
        ("<!DOCTYPE rss [<!ENTITY n '<html>'>]>", None),
    ],
)
def test_xml_feed_after_a_long_prolog_is_a_feed(prolog: str, content_type: str | None) -> None:
    content = rss("<item><title>One</title><guid>1</guid></item>", prolog=prolog)
    assert looks_like_feed(content, content_type)
    assert only(content, content_type).title == "One"


def test_html_after_a_long_comment_is_still_a_page() -> None:
    page = b"<!-- " + b"x" * 3000 + b" --><html><head><title>p</title></head></html>"
    assert not looks_like_feed(page, "application/xml")


# --- 4: JSON Feed text is plain text --------------------------------------------------------


def test_json_feed_titles_and_summaries_are_plain_text() -> None:
    content = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Notes on <pre> & <code>",
            "items": [
                {
                    "id": "1",
                    "title": "The <title> element, and why 1 < 2 > 0",
                    "summary": "a<b and c>d",
                }
            ],
        }
    ).encode()
    feed = parse_feed(content, FEED_URL, "application/feed+json")
    assert feed.title == "Notes on <pre> & <code>"
    (entry,) = feed.entries
    assert entry.title == "The <title> element, and why 1 < 2 > 0"
    assert entry.summary == "<p>a&lt;b and c&gt;d</p>"  # escaped: never live HTML


# --- 5: UTF-16/32 without a byte-order mark ---------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_unicode_feeds_without_a_bom(codec: str) -> None:
    text = (
        f"<?xml version='1.0' encoding='{codec[:6]}'?><rss version='2.0'><channel>"
        "<title>Unicode</title><item><title>Grüße aus Köln — 東京</title><guid>g</guid>"
        "<pubDate>Sat, 02 May 2026 10:00:00 GMT</pubDate></item></channel></rss>"
    )
    content = text.encode(codec)
    assert looks_like_feed(content, None)
    feed = parse_feed(content, FEED_URL)
    assert feed.title == "Unicode"
    (entry,) = feed.entries
    assert entry.title == "Grüße aus Köln — 東京"
    assert entry.published == datetime(2026, 5, 2, 10, tzinfo=UTC)


# --- 6: lenient dates, never invented ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2006-01-02 15:04:05Z", datetime(2006, 1, 2, 15, 4, 5)),
        ("2006-01-02T15:04Z", datetime(2006, 1, 2, 15, 4)),
        ("2006-01-02t15:04:05z", datetime(2006, 1, 2, 15, 4, 5)),
        ("2016-12-31T23:59:60Z", datetime(2016, 12, 31, 23, 59, 59)),
        ("Sun, 07 Feb 2010 19:04:00 GMT", datetime(2010, 2, 7, 19, 4)),
        ("Mon, 02 Jan 2006 15:04:05 -0700", datetime(2006, 1, 2, 22, 4, 5)),
        ("Mon,02 January 2006 15:04:05 MST", datetime(2006, 1, 2, 22, 4, 5)),
        ("Mon, 02 Jan 2006 15:04:05 CEST", datetime(2006, 1, 2, 13, 4, 5)),
        ("Tue, 03 Nov 2026 09:00:00 AEDT", datetime(2026, 11, 2, 22, 0)),
        ("Mon, 02 Jan 2006 15:04:05 PT", datetime(2006, 1, 2, 23, 4, 5)),
    ],
)
def test_lenient_dates(text: str, expected: datetime) -> None:
    assert parse_date(text) == expected.replace(tzinfo=UTC)


@pytest.mark.parametrize("text", ["soon", "2006-13-45T99:99Z", "Mon, 02 Foo 2006", "", "  "])
def test_dates_that_say_nothing_stay_none(text: str) -> None:
    assert parse_date(text) is None


def test_an_unknown_zone_name_is_refused_when_strict() -> None:
    # Strict callers (feeds) fall back to feedparser's reading instead of assuming UTC.
    assert parse_date("Mon, 02 Jan 2006 15:04:05 XYZ", loose=False) is None
    assert parse_date("Mon, 02 Jan 2006 15:04:05 XYZ") == datetime(2006, 1, 2, 15, 4, 5, tzinfo=UTC)
    assert parse_date("November 6, 2026", loose=False) is None  # day-only readings are loose


def test_json_feed_dates_are_read_leniently() -> None:
    items = [
        {"id": "a", "date_published": "2006-01-02 15:04:05Z"},
        {"id": "b", "date_published": "Sun, 07 Feb 2010 19:04:00 GMT"},
        {"id": "c", "date_modified": "2016-12-31T23:59:60Z"},
        {"id": "d", "date_published": "last Tuesday"},
    ]
    content = json.dumps({"version": "https://jsonfeed.org/version/1", "items": items})
    dates = [e.published for e in parse_feed(content.encode(), FEED_URL).entries]
    assert dates == [
        datetime(2006, 1, 2, 15, 4, 5, tzinfo=UTC),
        datetime(2010, 2, 7, 19, 4, tzinfo=UTC),
        datetime(2016, 12, 31, 23, 59, 59, tzinfo=UTC),
        None,
    ]


# --- 7: what the loose parser would do --------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "link"),
    [
        ("Q&A: fish & chips", "http://example.org/qa"),
        ("Languages", "http://example.org/a?x=1&lang=en"),  # not 〈=
        ("Copies", "http://example.org/a?page=1&copy=2;mode=x"),  # not ©=
    ],
)
def test_bare_ampersands_stay_as_written(title: str, link: str) -> None:
    entry = only(rss(f"<item><title>{title}</title><link>{link}</link><guid>1</guid></item>"))
    assert (entry.title, entry.url) == (title, link)


def test_ampersands_in_cdata_and_references_are_untouched() -> None:
    entry = only(
        rss(
            "<item><title>A &amp; B &#38; C &#x26; D</title><guid>1</guid>"
            "<description><![CDATA[<p>x & y</p>]]></description></item>"
        )
    )
    assert entry.title == "A & B & C & D"
    assert "x &amp; y" in entry.summary or "x & y" in entry.summary


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Mon,02 January 2006 15:04:05 MST", datetime(2006, 1, 2, 22, 4, 5, tzinfo=UTC)),
        ("Mon, 02 Jan 2006 15:04:05 CEST", datetime(2006, 1, 2, 13, 4, 5, tzinfo=UTC)),
        ("2006-01-02T15:04:05+01:00", datetime(2006, 1, 2, 14, 4, 5, tzinfo=UTC)),
    ],
)
def test_feed_dates_feedparser_misreads(written: str, expected: datetime) -> None:
    entry = only(rss(f"<item><title>d</title><guid>1</guid><pubDate>{written}</pubDate></item>"))
    assert entry.published == expected


def test_link_text_wins_over_a_uri_attribute() -> None:
    entry = only(
        rss(
            "<item><title>Test Item</title>"
            "<link uri='at://did:plc:abc/app.bsky.feed.post/3l'>http://example.com/item</link>"
            "</item>"
        )
    )
    assert entry.url == "http://example.com/item"


def test_undeclared_prefixes_and_padded_namespaces_are_not_malformed() -> None:
    # A new feed with no items yet: the loose parser finds nothing and the feed was refused.
    undeclared = rss("<atom:link href='http://example.org/feed' rel='self'/>")
    assert parse_feed(undeclared, FEED_URL).title == "t"
    padded = rss(
        "<itunes:author>A</itunes:author>",
        head=" xmlns:itunes=' http://www.itunes.com/dtds/podcast-1.0.dtd '",
    )
    assert parse_feed(padded, FEED_URL).title == "t"
    kept = rss("<item><title>Kept</title><guid>1</guid><media:thumbnail url='x'/></item>")
    assert only(kept).title == "Kept"


def test_skipped_counts_survive_the_worker_processes() -> None:
    import pickle

    from termnews.feeds.workers import entries_from_body

    body = rss("<item><title>A</title><guid>1</guid></item><item><category>c</category></item>")
    entries = pickle.loads(pickle.dumps(entries_from_body(False, body, None, FEED_URL)))
    assert [e.title for e in entries] == ["A"]
    assert entries.skipped_note() == "1 item skipped (no title, text, date or link)"
