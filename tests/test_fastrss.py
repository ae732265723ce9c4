"""The plain-RSS fast path (``feeds.fastrss``) gives the entries feedparser gives, or steps aside.

Each feed is parsed twice, with the fast path and with it switched off, and the
two results must be equal; documents the fast path does not read must reach
feedparser.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

import termnews.feeds.parse as parse_module
from termnews.feeds.fastrss import read_plain_rss
from termnews.feeds.parse import FeedError, ParsedFeed, parse_feed

URL = "https://example.org/blog/feed.xml"
DATA = Path(__file__).parent / "data" / "feeds"

ITEMS = [
    "<title>Plain</title><link>https://example.org/a</link><guid>id-1</guid>"
    "<pubDate>Mon, 02 Jan 2006 15:04:05 GMT</pubDate><description>Text only</description>",
    "<title>Rel</title><link>/posts/2?a=1&amp;b=2</link><guid isPermaLink='false'>2</guid>",
    "<guid>https://example.org/permalink/3</guid><description>&lt;p&gt;no title&lt;/p&gt;"
    "</description>",
    "<guid isPermaLink='true'>/relative/4</guid><title>guid only, relative</title>",
    "<link></link><title>Empty link</title><guid>5</guid>",
    "<title>Tom &amp;amp; Jerry &lt;b&gt;bold&lt;/b&gt;</title><link>https://example.org/6</link>",
    "<title>Q&amp;A &amp;copy; 2026</title><link>https://example.org/7</link>",
    "<title>caf\u00c3\u00a9 (UTF-8 read as latin-1)</title><link>https://example.org/8</link>",
    "<title>\u201cquotes\u201d \u0080 cp1252</title><link>https://example.org/9</link>",
    "<description><![CDATA[<p>Hi <script>alert(1)</script><a href='../x' onclick='y'>"
    "link</a><img src='i.png'></p>]]></description><link>https://example.org/10</link>",
    "<pubDate>2006-01-02T15:04:05+02:00</pubDate><title>ISO date</title><guid>11</guid>",
    "<pubDate>Mon, 02 Jan 2006 15:04:05 CEST</pubDate><title>zone</title><guid>12</guid>",
    "<pubDate>not a date</pubDate><title>bad date</title><guid>13</guid>",
    "<title>  spaced  </title><link>  https://example.org/14  </link>"
    "<category>c</category><comments>/c/14</comments>"
    "<enclosure url='https://example.org/a.mp3' length='1' type='audio/mpeg'/>",
    "<link>javascript:alert(1)</link><title>bad link</title><guid>https://example.org/15</guid>",
    "<description>text with a\n\nbreak</description>",
    "<title></title><description></description>",
    "<title>c</title><guid>20</guid><content:encoded><![CDATA[<p>Full <a href='/r'>text</a>"
    "<script>x()</script></p>]]></content:encoded>",
    "<content:encoded>&lt;p&gt;both&lt;/p&gt;</content:encoded><description>short</description>"
    "<guid>21</guid>",
    "<description>short first</description><content:encoded>&lt;p&gt;long&lt;/p&gt;"
    "</content:encoded><guid>22</guid>",
    "<content:encoded>plain text content</content:encoded><guid>23</guid>",
    "<dc:creator>Jane Doe</dc:creator><title>by</title><guid>24</guid>",
    "<author>jane@example.org (Jane Doe)</author><title>by mail</title><guid>25</guid>",
    "<author>jane@example.org</author><title>mail only</title><guid>26</guid>",
    "<dc:creator>  </dc:creator><title>blank author</title><guid>27</guid>",
    "<dc:creator>Jane &lt;jane@example.org&gt;</dc:creator><guid>28</guid>",
    "<guid>https://example.org/dup</guid><title>first</title>",
    "<guid>https://example.org/dup</guid><title>repeat</title>",
]


def rss(items: list[str], channel: str = "<title>Blog</title><link>/</link>") -> bytes:
    body = "".join(f"<item>{item}</item>" for item in items)
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'"
        " xmlns:content='http://purl.org/rss/1.0/modules/content/'"
        " xmlns:dc='http://purl.org/dc/elements/1.1/' xmlns:atom='http://www.w3.org/2005/Atom'>"
        f"<channel>{channel}"
        f"<description>d</description><ttl>60</ttl>{body}</channel></rss>"
    ).encode()


def slow(content: bytes, monkeypatch: pytest.MonkeyPatch) -> ParsedFeed:
    """The feed as feedparser reads it (the fast path switched off)."""
    with monkeypatch.context() as m:
        m.setattr(parse_module, "read_plain_rss", lambda text, url: None)
        return parse_feed(content, URL)


def assert_same(content: bytes, monkeypatch: pytest.MonkeyPatch) -> ParsedFeed:
    assert read_plain_rss(content.decode(), URL) is not None, "the fast path should read it"
    fast = parse_feed(content, URL)
    reference = slow(content, monkeypatch)
    assert (fast.title, fast.link) == (reference.title, reference.link)
    assert list(fast.entries) == list(reference.entries)
    assert fast.entries.skipped == reference.entries.skipped
    return fast


@pytest.mark.parametrize("item", ITEMS)
def test_each_kind_of_item_reads_as_feedparser_reads_it(
    item: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert_same(rss([item]), monkeypatch)


def test_a_whole_feed_reads_as_feedparser_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = assert_same(rss(ITEMS), monkeypatch)
    assert parsed.entries.skipped  # the repeated id and the empty item
    assert "<script" not in "".join(e.summary for e in parsed.entries)


@pytest.mark.parametrize(
    "channel",
    [
        "",
        "<title>&lt;i&gt;HTML&lt;/i&gt; title</title><link>https://example.org/home</link>",
        "<link>relative/home</link>",
        "<skipHours><hour>1</hour></skipHours><title>t</title>",
        "<atom:link rel='self' href='https://example.org/feed' type='application/rss+xml'/>"
        "<title>t</title>",
    ],
)
def test_channel_title_and_link(channel: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same(rss([ITEMS[0]], channel), monkeypatch)


def test_the_bundled_rss_2_feed(monkeypatch: pytest.MonkeyPatch) -> None:
    content = (DATA / "rss20.xml").read_bytes()
    if read_plain_rss(content.decode(), URL) is not None:
        assert_same(content, monkeypatch)
    else:  # it uses more than the core elements: feedparser reads it, as before
        assert parse_feed(content, URL).entries == slow(content, monkeypatch).entries


@pytest.mark.parametrize(
    "document",
    [
        "<rss version='2.0'><channel><item><dc:creator xmlns:dc='http://purl.org/dc/elements/"
        "1.1/'>A</dc:creator><author>a@b.c (A)</author></item></channel></rss>",
        "<rss version='2.0'><channel><item><dc:date xmlns:dc='http://purl.org/dc/elements/"
        "1.1/'>2006-01-02</dc:date></item></channel></rss>",
        "<rss version='2.0' xmlns:atom='http://www.w3.org/2005/Atom'><channel>"
        "<atom:link rel='alternate' href='https://x/'/></channel></rss>",
        "<rss version='2.0'><channel xml:base='https://other/'><item><link>x</link></item>"
        "</channel></rss>",
        "<!DOCTYPE rss [<!ENTITY e 'x'>]><rss version='2.0'><channel><title>&e;</title>"
        "</channel></rss>",
        "<rss version='2.0'><channel><title>&nbsp;</title></channel></rss>",  # not XML
        "<rss version='2.0'><channel><item><title>a</title><title>b</title></item></channel></rss>",
        "<rss version='2.0'><channel><item><enclosure url='u'><x/></enclosure></item>"
        "</channel></rss>",
        "<rss version='0.91'><channel><item><title>a</title></item></channel></rss>",
        "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'/>",
        "<feed xmlns='http://www.w3.org/2005/Atom'><title>t</title></feed>",
        "<rss version='2.0'><channel><image><title>i</title></image></channel></rss>",
        "<rss version='2.0'><channel><item><title>a <b>b</b></title></item></channel></rss>",
    ],
)
def test_anything_else_is_left_to_feedparser(document: str) -> None:
    assert read_plain_rss(document, URL) is None
    with contextlib.suppress(FeedError):  # feedparser's verdict, whichever it is
        parse_feed(document.encode(), URL)


def _generated_items(seed: int, count: int) -> list[str]:
    """Items whose HTML fields are plain markup (skipping feedparser's passes) or not."""
    import random
    from xml.sax.saxutils import escape

    from tests.test_plainmarkup import markup

    rng = random.Random(seed)
    dates = ["Mon, 02 Jan 2006 15:04:05 GMT", "2006-01-02T15:04:05Z", "02 Jan 2006", "soon", ""]
    items = []
    for n in range(count):
        fields = [f"<guid>g{n}</guid>", f"<pubDate>{rng.choice(dates)}</pubDate>"]
        if rng.random() < 0.7:
            fields.append(f"<description>{escape(markup(rng))}</description>")
        if rng.random() < 0.3:
            fields.append(f"<content:encoded><![CDATA[{markup(rng)}]]></content:encoded>")
        if rng.random() < 0.5:
            fields.append(f"<title>{escape(markup(rng))}</title>")
        items.append("".join(fields))
    return items


@pytest.mark.parametrize("seed", range(4))
def test_generated_markup_reads_as_feedparser_reads_it(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Summaries the fast path keeps as written (``plainmarkup``), and the rest, come out
    as feedparser's own passes leave them, and each date as feedparser's readers read it."""
    read = 0
    for item in _generated_items(seed, 60):
        content = rss([item])
        if read_plain_rss(content.decode(), URL) is None:  # e.g. "]]>" inside the CDATA
            continue
        assert_same(content, monkeypatch)
        read += 1
    assert read > 40


def test_feedparsers_values_as_the_fast_path_has_them() -> None:
    """The fast path reads plain feeds without importing feedparser: its copies of
    feedparser's values and URL join are feedparser's."""
    import random

    from termnews.feeds import fastrss
    from termnews.feeds.feedparser_setup import feedparser

    feedparser()
    from feedparser import mixin, urls

    parser = mixin._FeedParserMixin
    assert parser.can_contain_relative_uris == fastrss._MARKUP_ELEMENTS
    assert parser.can_contain_dangerous_markup == fastrss._MARKUP_ELEMENTS
    assert set(parser.html_types) == fastrss._HTML_TYPES
    assert all(0x80 <= key <= 0x9F for key in mixin._cp1252)
    assert (urls.make_safe_absolute_uri("", URL) or urls.make_safe_absolute_uri(URL)) == URL
    assert (urls.make_safe_absolute_uri("", "") or urls.make_safe_absolute_uri("")) == ""
    rng = random.Random(15)
    pieces = ["http:", "https:", "//", "///", "ftp://", "x.test", "/a", "../b", "?q=1", "#f"]
    pieces += ["[::1]", "[bad", " ", "%20", "javascript:", "é", "a:b", ":", "."]
    for _ in range(3000):
        uri = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        assert fastrss._urljoin(URL, uri) == urls._urljoin(URL, uri), uri
    for text in ["a &amp; b", "x</b>", "&#39;", "plain", "1 < 2 > 0", "&nbsp;"]:
        if not fastrss._MAY_BE_HTML.search(text):
            assert not parser.looks_like_html(text), text


def test_a_plain_feed_is_read_without_importing_feedparser() -> None:
    """A plain RSS 2.0 body of plain summaries and dates never imports feedparser; a
    summary with an attribute does (its sanitizer runs)."""
    import subprocess
    import sys

    plain = rss([ITEMS[0], "<description>&lt;p&gt;a &amp;amp; b&lt;/p&gt;</description>"])
    marked = rss(["<description>&lt;p class='x'&gt;a&lt;/p&gt;</description><guid>1</guid>"])
    code = (
        "import sys\n"
        "from termnews.feeds.parse import parse_feed\n"
        f"assert len(parse_feed({plain!r}, {URL!r}).entries) == 2\n"
        "print('feedparser' in sys.modules)\n"
        f"parse_feed({marked!r}, {URL!r})\n"
        "print('feedparser' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.split() == ["False", "True"], done.stderr
