"""Markup ``plainmarkup`` calls plain really is left alone by feedparser's HTML passes.

The fast path skips ``resolve_relative_uris`` and ``_sanitize_html`` for such
text; here feedparser runs both on thousands of generated strings (and on every
safe tag), and whatever the recogniser accepts must come back unchanged.
"""

from __future__ import annotations

import random

import pytest

from termnews.feeds.feedparser_setup import feedparser
from termnews.feeds.plainmarkup import SAFE_TAGS, PlainMarkup, safe_tags

feedparser()
from feedparser import sanitizer, urls  # noqa: E402

BASE = "https://example.org/blog/feed.xml"
PLAIN = PlainMarkup(frozenset(SAFE_TAGS))  # as the fast path uses it

TEXT = ["a", "word ", " ", "\n", "\r\n", "\t", "é", "\u00a0", "“q”", "&amp;", "&lt;", "&gt;"]
TEXT += ["&quot;", "&apos;", "1.5", "don't", '"x"', "=", "/", "#", ";", "?"]
TAGS = ["p", "b", "em", "li", "ul", "pre", "td", "blockquote", "h2", "span", "code"]
ODD_PIECES = ["&", "<", ">", "&copy;", "&#39;", "&#x41;", "&#34;", "&nbsp;", "&bogus;", "<br>"]
ODD_PIECES += ["<br/>", "<br />", "<P>", "<p >", "< p>", "<p class='x'>", "<script>"]
ODD_PIECES += ["</script>", "<style>", "<!-- c -->", "<![CDATA[x]]>", "<?pi?>", "<!x>"]
ODD_PIECES += ["<a href='/x'>", "</a>", "<img src='i.png'>", "<svg>", "</svg>", "<math>"]
ODD_PIECES += ["<blink>", "</blink>", "</b>", "<i>", "<p/>", "&amp", "&lt", "<>", "</>"]


def markup(rng: random.Random, depth: int = 0) -> str:
    """Nested safe markup, sometimes with one odd piece somewhere."""
    parts = []
    for _ in range(rng.randint(0, 4)):
        if depth < 3 and rng.random() < 0.4:
            tag = rng.choice(TAGS)
            parts.append(f"<{tag}>{markup(rng, depth + 1)}</{tag}>")
        else:
            parts.append(rng.choice(TEXT))
    text = "".join(parts)
    if depth == 0 and rng.random() < 0.4:
        at = rng.randint(0, len(text))
        text = text[:at] + rng.choice(ODD_PIECES) + text[at:]
    return text.strip()


def passes(text: str) -> tuple[str, str]:
    """What feedparser's two passes make of ``text`` (as the fast path calls them)."""
    resolved = urls.resolve_relative_uris(text, BASE, "utf-8", "text/html")
    return resolved, sanitizer._sanitize_html(resolved, "utf-8", "text/html")


def assert_untouched(text: str) -> None:
    resolved, sanitized = passes(text)
    assert resolved == text, repr(text)
    assert sanitized == text.replace("\r\n", "\n"), repr(text)


@pytest.mark.parametrize("tag", sorted(PLAIN._tags))
def test_every_safe_tag_passes_through(tag: str) -> None:
    text = f"<{tag}>x &amp; <{tag}>y</{tag}></{tag}> z"
    assert PLAIN.is_plain(text)
    assert_untouched(text)


def test_every_safe_tag_is_safe_with_the_installed_feedparser() -> None:
    """Kept by its sanitizer, with an end tag, and no handler of its own in either class."""
    assert safe_tags((urls.RelativeURIResolver, sanitizer._HTMLSanitizer)) == set(SAFE_TAGS)


def test_generated_markup_the_recogniser_accepts_is_left_unchanged() -> None:
    rng = random.Random(15)
    accepted = rejected = 0
    for _ in range(4000):
        text = markup(rng)
        if PLAIN.is_plain(text):
            accepted += 1
            assert_untouched(text)
        else:
            rejected += 1
    assert accepted > 1500 and rejected > 1000  # both sides were exercised


@pytest.mark.parametrize(
    "text",
    [
        "<b><i>x</b></i>",  # sgmllib closes <i> at </b>
        "<p>unclosed",
        "stray</p>",
        "a <br> b",
        "x &copy; y",
        "<p>a</p><!-- c -->",
        "<a href='/x'>l</a>",
        "<P>upper</P>",
        "1 < 2",
        "<script>x</script>",
    ],
)
def test_markup_the_passes_may_change_is_not_plain(text: str) -> None:
    assert not PLAIN.is_plain(text)


def test_plain_text_and_safe_markup_are_plain() -> None:
    assert PLAIN.is_plain("")
    assert PLAIN.is_plain("Text only, “quoted”")
    assert PLAIN.is_plain("<p>Paragraph 1 of f0, with some words &amp; more.</p>")
