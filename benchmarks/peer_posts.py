"""The posts peer.py's open and search rows need, served once on a loopback server.

Three small feeds beside the refresh's fill: ``/longread`` (one item whose feed
content is a 10,000-word article), ``/longsaved`` (the same article, whose page
is served too, so termnews downloads it the way it stores any article) and
``/quarry`` (the search: 5 posts titled "Quince …" — the hits of "quin" — and 20
titled "Quill …", which the prefix "qui" also matches). The quarry is dated
before the fill, so none of it is on the first screen of an unfiltered list;
the long reads are the newest posts, first in termnews's list.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.server import LoopbackServer, Response  # noqa: E402

LEAD = "Wombats burrow beneath the heath"  # the article's first words: on screen = opened
HITS, DECOYS = 5, 20
HIT, DECOY = "Quince", "Quill"  # title words: "quin" matches the hits, "qui" both
LONG_TITLE = "A long read about the heath"
SAVED_TITLE = "A long read, downloaded"
_WORDS = (
    "the a of and to in on at with from over under near after before every each some many "
    "river valley forest field garden village road bridge hill stone water light wind rain "
    "morning evening winter summer season year people walkers farmers children animals birds "
    "walk watch carry build find keep open close follow return gather listen remember "
    "calm slow bright narrow wide old new small large green grey warm cold long short"
)
_VOCABULARY = _WORDS.split()


def article_paragraphs(words: int = 10_000) -> list[str]:
    """About ``words`` words in paragraphs of 100, the first opening with ``LEAD``."""
    rng = random.Random(15)
    paragraphs = []
    count = 0
    while count < words:
        body = " ".join(rng.choice(_VOCABULARY) for _ in range(100))
        paragraphs.append(body.capitalize() + ".")
        count += 100
    paragraphs[0] = f"{LEAD} at dusk, " + paragraphs[0][0].lower() + paragraphs[0][1:]
    return paragraphs


def article_html() -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in article_paragraphs())


def article_text() -> str:
    """The article as plain text (the minimal app's floor paints this)."""
    return "\n\n".join(article_paragraphs())


def _item(title: str, link: str, when: datetime, summary: str, content: str = "") -> str:
    encoded = f"<content:encoded>{xml_escape(content)}</content:encoded>" if content else ""
    return (
        f"<item><title>{xml_escape(title)}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>{format_datetime(when)}</pubDate>"
        f"<description>{xml_escape(summary)}</description>{encoded}</item>"
    )


def _feed(title: str, items: list[str]) -> bytes:
    return (
        "<rss version='2.0' xmlns:content='http://purl.org/rss/1.0/modules/content/'>"
        f"<channel><title>{title}</title><link>http://x.test/</link>{''.join(items)}"
        "</channel></rss>"
    ).encode()


def _page(title: str, html: str) -> bytes:
    return (
        f"<!doctype html><html><head><title>{escape(title)}</title></head><body>"
        f"<header><a href='/'>Home</a></header><article><h1>{escape(title)}</h1>{html}"
        "</article><footer>About · Contact</footer></body></html>"
    ).encode()


class PeerPosts:
    """The loopback server of the three feeds and the downloaded page."""

    def __init__(self) -> None:
        self.server = LoopbackServer(root=Path("/nonexistent")).start()  # routes only
        newest = datetime(2026, 11, 30, tzinfo=UTC)
        html = article_html()
        long_link = self.server.url("/longread/page")
        self.saved_page = self.server.url("/longsaved/page")
        summary = "A walk across the heath, in a hundred paragraphs."
        feeds = {
            "/longread": _feed("Long reads", [_item(LONG_TITLE, long_link, newest, summary, html)]),
            "/longsaved": _feed(
                "Downloads",
                [_item(SAVED_TITLE, self.saved_page, newest - timedelta(hours=1), summary, html)],
            ),
            "/quarry": _feed("Quarry", self._quarry()),
        }
        for path, body in feeds.items():
            self.server.route(path, Response(body, headers={"Content-Type": "application/rss+xml"}))
        page = Response(_page(SAVED_TITLE, html), headers={"Content-Type": "text/html"})
        self.server.route("/longsaved/page", page)
        self.urls = [self.server.url(path) for path in feeds]

    def _quarry(self) -> list[str]:
        old = datetime(2026, 10, 15, tzinfo=UTC)
        items = []
        for i in range(HITS + DECOYS):
            word = HIT if i % 5 == 0 else DECOY
            title = f"{word} notes, part {i}"
            link = self.server.url(f"/quarry/{i}")
            items.append(_item(title, link, old + timedelta(minutes=i), "A short note."))
        return items

    def stop(self) -> None:
        self.server.stop()
