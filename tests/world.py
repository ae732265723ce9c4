"""A loopback "world" of sources, as a subscriber really follows them: every feed dialect,
sites with a feed link, feedless sites, broken sources, and an article page for every post.

Used by the journey test (the real ``termnews`` in a pseudo-terminal), the crash soak
benchmark and by hand: ``python -m tests.world --sources 30`` serves it on 127.0.0.1
and prints an OPML file of it to import. Everything is generated and deterministic;
nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import html
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from tests.server import LoopbackServer, RequestInfo, Response

# One subject per source, so every source's posts can be found by a word of its own.
SUBJECTS = [
    "Northbridge", "Harbour", "Quarry", "Orchard", "Lighthouse", "Glacier", "Meadow",
    "Foundry", "Canal", "Observatory", "Vineyard", "Tramway", "Granary", "Reservoir",
    "Aqueduct", "Monastery", "Boatyard", "Sawmill", "Windmill", "Ferry", "Marshland",
    "Railyard", "Tannery", "Brewery", "Pottery", "Bakery", "Forge", "Ropewalk",
    "Dockyard", "Kiln", "Apiary", "Dairy",
]  # fmt: skip
DIALECTS = [
    "rss20", "atom10", "rss10", "jsonfeed11", "rss091", "atom03", "jsonfeed10",
    "rss20-cp1251", "site-with-feed", "feedless",
]  # fmt: skip
POSTS_PER_SOURCE = 5
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
DEAD_LINK = "http://127.0.0.1:9/gone"  # the discard port: nothing listens, connection refused
JSON = "application/feed+json"
WRITERS = ["Ada Lindqvist", "Tomas Reyes", "Mira Okafor", "Jonas Becker", "Lena Sato"]
FOLDERS = ["Local", "Science", "Culture"]  # OPML folders of the feeds: the reader's tags


@dataclass(frozen=True)
class WorldSource:
    """One followed URL of the world."""

    n: int
    subject: str
    dialect: str
    url: str
    title: str

    @property
    def is_page(self) -> bool:
        return self.dialect in ("site-with-feed", "feedless")


class World:
    """The world served by one loopback server; ``sources`` is what a subscriber follows."""

    def __init__(
        self, server: LoopbackServer, count: int = 30, broken: int = 2, noisy: bool = False
    ) -> None:
        self.server = server
        self.noisy = noisy  # article pages full of distinct attribute names, as real ones are
        self.sources: list[WorldSource] = []
        for n in range(count):
            subject = SUBJECTS[n % len(SUBJECTS)] + ("" if n < len(SUBJECTS) else str(n))
            dialect = DIALECTS[n % len(DIALECTS)]
            path = f"/s{n}/" if dialect in ("site-with-feed", "feedless") else f"/s{n}/feed"
            title = f"{subject} Gazette"
            self.sources.append(WorldSource(n, subject, dialect, server.url(path), title))
        for source in self.sources:  # pages link to other sources: all must exist first
            self._route_source(source)
        self.broken = [server.route(f"/broken{i}/feed", self._broken(i)) for i in range(broken)]

    # -- what a subscriber gets --------------------------------------------------------

    def opml(self) -> str:
        """Every source (and the broken ones) as an OPML file for ``termnews import``."""
        lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<opml version="2.0"><body>']
        for s in self.sources:
            if s.dialect == "feedless":  # a page termnews reads the recent posts of
                where = f'type="link" xmlUrl="{html.escape(s.url)}"'
            elif s.dialect == "site-with-feed":  # exported as its feed, with the page beside
                feed = self.server.url(f"/s{s.n}/atom.xml")
                where = f'type="rss" xmlUrl="{feed}" htmlUrl="{html.escape(s.url)}"'
            else:
                where = f'type="rss" xmlUrl="{html.escape(s.url)}"'
            folder = "Sites" if s.is_page else FOLDERS[s.n % len(FOLDERS)]
            lines.append(
                f'<outline text="{folder}"><outline text="{html.escape(s.title)}" {where}/>'
                "</outline>"
            )
        for i, url in enumerate(self.broken):
            lines.append(f'<outline text="Broken {i}" type="rss" xmlUrl="{url}"/>')
        lines.append("</body></opml>")
        return "\n".join(lines) + "\n"

    def post_title(self, source: WorldSource, k: int) -> str:
        return f"{source.subject} report {k}: the {ORDINALS[k]} story"

    def post_url(self, source: WorldSource, k: int) -> str:
        return self.server.url(f"/s{source.n}/posts/{k}.html")

    def article_sentence(self, source: WorldSource, k: int) -> str:
        """A sentence only the article page holds (not the feed): proves the page was read."""
        return f"Inside the {source.subject.lower()} archive, page {k} keeps its own record."

    # -- serving -------------------------------------------------------------------------

    def _route_source(self, s: WorldSource) -> None:
        for k in range(POSTS_PER_SOURCE):
            self.server.route(f"/s{s.n}/posts/{k}.html", self._page(article_page(self, s, k)))
        if s.dialect == "feedless":
            self.server.route(f"/s{s.n}/", self._page(feedless_page(self, s)))
            return
        if s.dialect == "site-with-feed":
            self.server.route(f"/s{s.n}/", self._page(site_page(self, s)))
            self.server.route(f"/s{s.n}/atom.xml", _static(atom10(self, s), "application/atom+xml"))
            return
        body, kind = feed_body(self, s)
        self.server.route(f"/s{s.n}/feed", _static(body, kind))

    @staticmethod
    def _page(text: str) -> Response:
        return Response(text.encode("utf-8"), 200, {"Content-Type": "text/html; charset=utf-8"})

    @staticmethod
    def _broken(i: int) -> Response:
        return Response(b"no", 500 if i % 2 else 404, {"Content-Type": "text/plain"})


ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"]


def _static(body: bytes, content_type: str) -> object:
    """A feed answering conditional requests with 304, as a well-behaved server does."""
    etag = f'"{abs(hash(body)) & 0xFFFFFFFF:x}"'

    def answer(info: RequestInfo) -> Response:
        if info.headers.get("if-none-match") == etag:
            return Response(b"", 304, {"ETag": etag})
        return Response(body, 200, {"Content-Type": content_type, "ETag": etag})

    return answer


def _when(source: WorldSource, k: int) -> datetime:
    return NOW - timedelta(hours=source.n * 3 + k * 7 + 1)


def _items(world: World, s: WorldSource) -> list[tuple[str, str, datetime, str]]:
    return [
        (world.post_title(s, k), world.post_url(s, k), _when(s, k), f"A summary of report {k}.")
        for k in range(POSTS_PER_SOURCE)
    ]


def feed_body(world: World, s: WorldSource) -> tuple[bytes, str]:
    """The feed of ``s`` in its dialect, as bytes with its content type."""
    esc = html.escape
    items = _items(world, s)
    if s.dialect in ("rss20", "rss20-cp1251", "rss091"):
        version = "0.91" if s.dialect == "rss091" else "2.0"
        encoding = "windows-1251" if s.dialect == "rss20-cp1251" else "utf-8"
        title = s.title + (" — Новости" if encoding != "utf-8" else "")
        entries = "".join(
            f"<item><title>{esc(t)}</title><link>{esc(u)}</link>"
            + ("" if version == "0.91" else f"<guid>{esc(u)}</guid>")
            + f"<pubDate>{format_datetime(d)}</pubDate><description>{esc(x)}</description></item>"
            for t, u, d, x in items
        )
        text = (
            f'<?xml version="1.0" encoding="{encoding}"?><rss version="{version}"><channel>'
            f"<title>{esc(title)}</title><link>{esc(s.url)}</link>{entries}</channel></rss>"
        )
        return text.encode(encoding), "application/rss+xml"
    if s.dialect == "rss10":
        entries = "".join(
            f'<item rdf:about="{esc(u)}"><title>{esc(t)}</title><link>{esc(u)}</link>'
            f"<dc:date>{d.isoformat()}</dc:date><description>{esc(x)}</description></item>"
            for t, u, d, x in items
        )
        text = (
            '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
            ' xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<channel rdf:about="{esc(s.url)}"><title>{esc(s.title)}</title>'
            f"<link>{esc(s.url)}</link></channel>{entries}</rdf:RDF>"
        )
        return text.encode(), "application/rdf+xml"
    if s.dialect == "atom10":
        return atom10(world, s), "application/atom+xml"
    if s.dialect == "atom03":
        entries = "".join(
            f'<entry><title>{esc(t)}</title><link rel="alternate" type="text/html"'
            f' href="{esc(u)}"/><id>{esc(u)}</id><issued>{d.isoformat()}</issued>'
            f"<modified>{d.isoformat()}</modified><summary>{esc(x)}</summary></entry>"
            for t, u, d, x in items
        )
        text = (
            '<?xml version="1.0"?><feed version="0.3" xmlns="http://purl.org/atom/ns#">'
            f"<title>{esc(s.title)}</title><modified>{NOW.isoformat()}</modified>{entries}</feed>"
        )
        return text.encode(), "application/atom+xml"
    version = "1.1" if s.dialect == "jsonfeed11" else "1"
    feed = {
        "version": f"https://jsonfeed.org/version/{version}",
        "title": s.title,
        "items": [
            {"id": u, "url": u, "title": t, "date_published": d.isoformat(), "summary": x}
            for t, u, d, x in items
        ],
    }
    return json.dumps(feed).encode(), JSON


def atom10(world: World, s: WorldSource) -> bytes:
    esc = html.escape
    entries = "".join(
        f'<entry><title>{esc(t)}</title><link href="{esc(u)}"/><id>{esc(u)}</id>'
        f"<updated>{d.isoformat()}</updated><summary>{esc(x)}</summary>"
        f"<author><name>{WRITERS[s.n % len(WRITERS)]}</name></author></entry>"
        for t, u, d, x in _items(world, s)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{esc(s.title)}</title><id>{esc(s.url)}</id>"
        f"<updated>{NOW.isoformat()}</updated>{entries}</feed>"
    ).encode()


def site_page(world: World, s: WorldSource) -> str:
    return (
        f"<!doctype html><html><head><title>{html.escape(s.title)}</title>"
        f'<link rel="alternate" type="application/atom+xml" href="/s{s.n}/atom.xml"></head>'
        f"<body><h1>{html.escape(s.title)}</h1><p>Welcome.</p></body></html>"
    )


def feedless_page(world: World, s: WorldSource) -> str:
    """A news front page with no feed: a nav, a list of recent posts, a footer."""
    teasers = "".join(
        f'<article class="post"><h2><a href="/s{s.n}/posts/{k}.html">'
        f"{html.escape(world.post_title(s, k))}</a></h2>"
        f'<time datetime="{_when(s, k).isoformat()}">{_when(s, k):%d %B %Y}</time>'
        f"<p>A summary of report {k}.</p></article>"
        for k in range(POSTS_PER_SOURCE)
    )
    return (
        f"<!doctype html><html><head><title>{html.escape(s.title)}</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/about">About</a> <a href="/tag/news">News</a></nav>'
        f"<main><h1>{html.escape(s.title)}</h1><section><h2>Recent posts</h2>{teasers}</section>"
        '</main><footer><a href="/contact">Contact</a></footer></body></html>'
    )


def article_page(world: World, s: WorldSource, k: int) -> str:
    """An article: a headline, a byline, paragraphs, a subheading, a list, a quote, a link on
    and a dead link."""
    other = world.sources[(s.n + 1) % len(world.sources)]
    paragraphs = [
        world.article_sentence(s, k)
        + f" The {s.subject.lower()} committee met on a cold morning to go through the books.",
        "Residents had waited a long time for the answers, and most of them came to listen.",
        "The chair read the figures aloud, one line at a time, and nobody interrupted her.",
        "<h2>What was decided</h2>",
        f"<ul><li>The {s.subject.lower()} accounts are published every month.</li>"
        "<li>A second meeting is held in spring.</li><li>Questions go to the clerk.</li></ul>",
        f"<blockquote>“We keep the {s.subject.lower()} open for everyone,” the chair said."
        "</blockquote>",
        f'More in <a href="{world.post_url(other, 0)}">the next report</a>, and the'
        f' <a href="{DEAD_LINK}">old archive</a> that is no longer online.',
        "By noon the room had emptied, and the notes were typed up for the next edition.",
        f"This is the end of the {ORDINALS[k]} {s.subject.lower()} story.",
    ]
    if world.noisy:  # every page its own attribute names: they fill lxml's dictionaries
        body = "".join(
            f'<p class="p{s.n}-{k}-{i}" '
            + " ".join(f'data-w{s.n}x{k}x{i}x{a}="{a}"' for a in range(30))
            + f">{p}</p>"
            if not p.startswith("<")
            else p
            for i, p in enumerate(paragraphs)
        )
    else:
        body = "".join(p if p.startswith("<") else f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{html.escape(world.post_title(s, k))}</title>"
        f'<meta property="og:title" content="{html.escape(world.post_title(s, k))}"></head>'
        f'<body><nav><a href="/">Home</a></nav><article><h1>{html.escape(world.post_title(s, k))}'
        f'</h1><p class="byline">By {WRITERS[s.n % len(WRITERS)]}</p>{body}</article>'
        '<aside><h3>Related</h3><a href="/x">Elsewhere</a></aside></body></html>'
    )


_LIVE_TEXT = "The wire carries the news as it happens, one short bulletin after another."


def live_feed(server: LoopbackServer, every: float) -> Callable[[RequestInfo], Response]:
    """An RSS feed that publishes a post every ``every`` seconds from now on (by hand: a
    reader left open sees its schedule refresh it and the new posts arrive)."""
    started = time.time()

    def answer(info: RequestInfo) -> Response:
        published = int((time.time() - started) // every) + 1
        for n in range(1, published + 1):
            text = f"<html><body><article><h1>Live bulletin {n}</h1><p>{_LIVE_TEXT}</p>"
            server.route(f"/live/{n}.html", World._page(f"{text}</article></body></html>"))
        items = "".join(
            f"<item><title>Live bulletin {n}</title><link>{server.url(f'/live/{n}.html')}</link>"
            f"<guid>live-{n}</guid><pubDate>"
            f"{format_datetime(datetime.fromtimestamp(started + (n - 1) * every, UTC))}"
            f"</pubDate><description>Bulletin {n} of the live wire.</description></item>"
            for n in range(published, max(0, published - 20), -1)
        )
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Live Wire</title>{items}'
        return Response(f"{body}</channel></rss>".encode(), 200, {"Content-Type": "text/xml"})

    return answer


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the loopback world until interrupted.")
    parser.add_argument("--sources", type=int, default=30)
    parser.add_argument("--opml", default="world.opml", help="write the OPML file here")
    parser.add_argument("--live", type=float, metavar="SECONDS",
                        help="add a feed that publishes a post every SECONDS")  # fmt: skip
    args = parser.parse_args()
    server = LoopbackServer().start()
    world = World(server, args.sources)
    opml = world.opml()
    if args.live:
        url = server.route("/live/feed", live_feed(server, args.live))
        live = f'<outline text="Live Wire" type="rss" xmlUrl="{url}"/>'
        opml = opml.replace("</body>", f"{live}</body>")
    with open(args.opml, "w", encoding="utf-8") as fh:
        fh.write(opml)
    print(f"serving {len(world.sources)} sources at {server.base}; OPML in {args.opml}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
