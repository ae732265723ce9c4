"""Feed autodiscovery and the recent posts of feedless sites, on realistic pages."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termnews.feeds.discover import FeedLink, find_feed_links, recent_posts

SITES = Path(__file__).parent / "data" / "sites"


def page(name: str) -> str:
    return (SITES / name).read_text(encoding="utf-8")


# --- autodiscovery -------------------------------------------------------------------------


def test_feed_links_ranked_main_feed_first() -> None:
    links = find_feed_links(page("news_with_feed.html"), "https://www.riverside.example/news/")
    assert links == [
        FeedLink("https://www.riverside.example/feed/", "Riverside Post", "rss"),
        FeedLink("https://www.riverside.example/feed/atom/", "Riverside Post (Atom)", "atom"),
        FeedLink("https://www.riverside.example/feed.json", "Riverside Post (JSON)", "json"),
        FeedLink(
            "https://www.riverside.example/comments/feed/", "Riverside Post » Comments Feed", "rss"
        ),
        FeedLink("https://wire.partner.example/rss", "Partner wire", "rss"),
    ]


def test_atom_before_json_when_otherwise_equal() -> None:
    html = """<head>
      <link rel="alternate" type="application/feed+json" href="/feed.json">
      <link rel="alternate" type="application/json" href="/other.json">
      <link rel="alternate" type="application/atom+xml; charset=utf-8" href="/atom.xml">
    </head>"""
    links = find_feed_links(html, "https://blog.example/")
    assert [f.url for f in links] == [
        "https://blog.example/atom.xml",
        "https://blog.example/feed.json",
        "https://blog.example/other.json",
    ]


def test_relative_feed_links_resolve_against_the_page() -> None:
    html = '<link rel="Alternate Feed" type="APPLICATION/RSS+XML" href="../rss.xml">'
    (link,) = find_feed_links(html, "https://site.example/blog/post/")
    assert link.url == "https://site.example/blog/rss.xml"
    assert link.kind == "rss"


def test_feed_links_on_a_page_without_any() -> None:
    assert find_feed_links(page("feedless_news.html"), "https://courier.example/") == []
    assert find_feed_links("", "https://x.example/") == []
    assert find_feed_links("<!-- only a comment -->", "https://x.example/") == []


def test_unsafe_feed_links_are_dropped() -> None:
    html = """<link rel="alternate" type="application/rss+xml" href="file:///etc/passwd">
              <link rel="alternate" type="application/rss+xml" href="data:text/xml,<rss/>">"""
    assert find_feed_links(html, "https://x.example/") == []


# --- recent posts ----------------------------------------------------------------------------


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_feedless_news_site_gives_exactly_its_article_links() -> None:
    posts = recent_posts(page("feedless_news.html"), "https://courier.example/")
    got = [(p.url, p.title, p.published) for p in posts]
    assert got == [
        (
            "https://courier.example/news/2026/11/06/bridge-reopens",
            "Old mill bridge reopens after two-year repair",
            utc(2026, 11, 6, 12, 30),
        ),
        (
            "https://courier.example/sport/2026/11/05/cup-final-tickets?ref=home",
            "Cup final tickets sell out in an hour",
            utc(2026, 11, 5),
        ),
        (
            "https://courier.example/business/2026/11/04/bakery-expands",
            "Family bakery opens a second shop on Main Street",
            utc(2026, 11, 4),  # from the text of <time> without datetime=
        ),
        (
            "https://courier.example/news/2026/11/03/school-roof",
            "School roof fixed before the rains",
            None,
        ),
        (
            "https://courier.example/news/2026/11/02/library-hours",
            "Library extends weekend opening hours",
            utc(2026, 11, 2, 16, 0),
        ),
        (
            "https://courier.example/news/2026/11/01/farmers-market",
            "Farmers market moves indoors for winter",
            None,
        ),
    ]
    assert all(p.identity == p.url and "#" not in p.url for p in posts)


def test_teaser_text_becomes_the_summary() -> None:
    lead = recent_posts(page("feedless_news.html"), "https://courier.example/")[0]
    assert lead.summary == (
        "<p>Drivers can use the crossing again from Monday morning,"
        " the county said on Thursday.</p>"
    )


def test_plain_blog_latest_list() -> None:
    posts = recent_posts(page("plain_blog.html"), "https://jo.example.net/")
    assert [(p.url, p.title, p.published) for p in posts] == [
        (
            "https://jo.example.net/posts/raspberry-pi-greenhouse.html",
            "A Raspberry Pi in the greenhouse",
            utc(2026, 10, 30),
        ),
        (
            "https://jo.example.net/posts/tomatoes-2026.html",
            "Tomato varieties that worked this year",
            utc(2026, 9, 12),
        ),
        ("https://jo.example.net/posts/compost.html", "Compost, part two", utc(2026, 8, 1)),
    ]


def test_base_href_is_honoured() -> None:
    posts = recent_posts(page("news_with_feed.html"), "https://www.riverside.example/news/")
    assert [p.url for p in posts] == ["https://www.riverside.example/2026/11/05/flood-barrier"]


@pytest.mark.parametrize(
    "link",
    [
        '<a href="/tag/roads">Roads and transport news</a>',
        '<a href="/category/local">Local news stories</a>',
        '<a href="/author/jane-doe">Jane Doe, reporter</a>',
        '<a href="/page/2">Older posts on this blog</a>',
        '<a href="/blog?page=2">Older posts on this blog</a>',
        '<a href="/p/1" rel="next">Next post in the series</a>',
        '<a href="#section">Jump to the section below</a>',
        '<a href="mailto:desk@site.example">Mail the news desk</a>',
        '<a href="javascript:share()">Share this article now</a>',
        '<a href="https://elsewhere.example/2026/story">Story on another site</a>',
        '<a href="/2026/story">Read more</a>',
        '<a href="/">Back to the home page</a>',
    ],
)
def test_non_article_links_in_headings_are_left_out(link: str) -> None:
    html = f"<html><body><h2>{link}</h2></body></html>"
    assert recent_posts(html, "https://site.example/") == []


def test_www_and_subdomains_count_as_the_same_site() -> None:
    html = """<h2><a href="https://news.site.example/2026/a">A story on the news host</a></h2>
              <h2><a href="https://www.site.example/2026/b">A story on the www host</a></h2>"""
    posts = recent_posts(html, "https://site.example/")
    assert [p.url for p in posts] == [
        "https://news.site.example/2026/a",
        "https://www.site.example/2026/b",
    ]


def test_titles_are_sanitised() -> None:
    html = '<h2><a href="/x/1">Evil \x1b[2J title \u202eoverride</a></h2>'
    (post,) = recent_posts(html, "https://site.example/")
    assert post.title == "Evil title override"


def test_empty_and_junk_pages() -> None:
    assert recent_posts("", "https://x.example/") == []
    assert recent_posts("\x00\x01", "https://x.example/") == []
    assert recent_posts("<html><body><p>Nothing here</p></body></html>", "https://x.example/") == []


def test_large_page_gives_every_teaser() -> None:
    teaser = (
        '<article><h2><a href="/news/{i}/story-{i}">Story number {i} of the day</a></h2>'
        '<time datetime="2026-11-01T10:00:00Z">1 Nov</time><p>Some teaser text here.</p></article>'
    )
    html = "<html><body>" + "".join(teaser.format(i=i) for i in range(2000)) + "</body></html>"
    posts = recent_posts(html, "https://big.example/")  # its speed: benchmarks, not tests
    assert len(posts) == 2000
    assert posts[0].url == "https://big.example/news/0/story-0"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"' ahrefitmlsyx2#:-.\n")), max_size=300))
def test_random_markup_never_raises(html: str) -> None:
    recent_posts(html, "https://x.example/")
    find_feed_links(html, "https://x.example/")


def test_every_recent_posts_list_is_read_once_in_page_order() -> None:
    # A blog theme: the main loop shows 6 posts, the "Recent Posts" widget (wrapped in
    # <nav>, as blog engines do) lists 10, a footer widget one more; tags and menus stay out.
    posts = recent_posts(page("recent_posts_widget.html"), "https://harbourblog.example/")
    titles = [p.title for p in posts]
    assert titles == [
        "Harbour lights return for the winter",
        "Ferry timetable changes from Monday",
        "A new bakery opens on Quay Street",
        "Lifeboat crew training night",
        "Market day report: apples and pears",
        "Tide tables for November",
        "Halloween on the pier",
        "School half-term ideas",
        "Storm damage update",
        "Council meeting notes",
        "A story only the footer lists",
    ]
    assert posts[0].published == datetime(2026, 11, 6, 9, tzinfo=UTC)
    assert len({p.identity for p in posts}) == len(posts)
