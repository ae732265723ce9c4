"""Feed, page and site parsing of random or truncated bytes raises only termnews's own errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from termnews.errors import TermnewsError
from termnews.extract.article import extract_document, readable_text
from termnews.feeds.discover import find_feed_links, recent_posts
from termnews.feeds.parse import parse_feed

DATA = Path(__file__).parent / "data"
SAMPLES = sorted(p for p in (DATA / "feeds").glob("*") if p.is_file()) + [
    DATA / "service" / "news.rss",
    DATA / "service" / "article.html",
    DATA / "service" / "site-without-feed.html",
]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def only_our_errors(call, *args) -> None:  # noqa: ANN001
    try:
        call(*args)
    except TermnewsError as exc:
        assert str(exc) and "\n" not in str(exc)


@FUZZ
@given(
    st.binary(max_size=4000),
    st.sampled_from([None, "application/rss+xml", "application/feed+json", "text/html"]),
)
def test_random_bytes_as_feed(data: bytes, content_type: str | None) -> None:
    only_our_errors(parse_feed, data, "http://fuzz.test/feed", content_type)


@FUZZ
@given(st.sampled_from(SAMPLES), st.floats(0.0, 1.0), st.binary(max_size=16))
def test_truncated_and_spliced_samples(path: Path, cut: float, junk: bytes) -> None:
    data = path.read_bytes()
    data = data[: int(len(data) * cut)] + junk
    only_our_errors(parse_feed, data, "http://fuzz.test/feed", None)
    text = data.decode("utf-8", "replace")
    only_our_errors(extract_document, text, "http://fuzz.test/page")
    assert isinstance(readable_text(text, "http://fuzz.test/page"), str)
    find_feed_links(text, "http://fuzz.test/")
    recent_posts(text, "http://fuzz.test/")


@FUZZ
@given(st.text(max_size=3000))
def test_random_text_as_page(text: str) -> None:
    only_our_errors(extract_document, text, "http://fuzz.test/page")
    find_feed_links(text, "http://fuzz.test/")
    recent_posts(text, "http://fuzz.test/")


@pytest.mark.parametrize("depth", [500, 5000])
def test_deeply_nested_markup(depth: int) -> None:
    page = "<div>" * depth + "<p>deep text here</p>" + "</div>" * depth
    only_our_errors(extract_document, page, "http://fuzz.test/page")
    feed = "<rss><channel>" + "<x>" * depth + "</x>" * depth + "</channel></rss>"
    only_our_errors(parse_feed, feed.encode(), "http://fuzz.test/feed", None)
