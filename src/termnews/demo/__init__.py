"""Bundled sample posts for ``termnews --demo``, screenshots and tests: no network needed.

The articles are Markdown files shipped in ``articles/`` (original text about
using termnews), turned into Documents by a tiny reader when the demo database
is seeded. The articles' dates are written against ``DEMO_CLOCK``: screenshots
and tests seed them as they are (and freeze their clock there), while the live
``termnews --demo`` moves them so they fall the same hours and days before now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from termnews.demo.markdown import parse_article
from termnews.document import Document, Paragraph
from termnews.models import Entry
from termnews.store import Store

# The moment the bundled articles' dates were written against (the screenshots' clock).
DEMO_CLOCK = datetime(2024, 11, 7, 9, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class DemoSource:
    key: str
    url: str
    title: str
    feed_url: str


DEMO_SOURCES = (
    DemoSource(
        "guide", "https://guide.termnews.example/", "termnews Guide",
        "https://guide.termnews.example/feed.xml",
    ),
    DemoSource(
        "tips", "https://tips.example.org/", "Terminal Tips",
        "https://tips.example.org/atom.xml",
    ),
    DemoSource(
        "weekly", "https://offline.example.net/", "Offline Reader Weekly",
        "https://offline.example.net/rss",
    ),
)  # fmt: skip


def demo_articles() -> list[tuple[dict[str, str], Document]]:
    """Every bundled article: its front matter and its document, in file order."""
    folder = resources.files("termnews.demo") / "articles"
    found = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".md"):
            continue
        slug = item.name.removesuffix(".md").split("-", 1)[-1]
        text = item.read_text(encoding="utf-8")
        meta, _ = parse_article(text, "")
        source = _source(meta.get("source", "guide"))
        found.append(parse_article(text, f"{source.url}{slug}/"))
    return found


def _source(key: str) -> DemoSource:
    return next((s for s in DEMO_SOURCES if s.key == key), DEMO_SOURCES[0])


def _summary(document: Document) -> str:
    for block in document.blocks:
        if isinstance(block, Paragraph):
            return "".join(i.text for i in block.inlines)
    return ""


def seed_demo(store: Store, now: datetime | None = None) -> None:
    """Fill an empty store with the demo sources, posts and documents.

    Read and saved states vary (from each article's ``state``) so every marker shows.
    With ``now``, every date moves by ``now - DEMO_CLOCK``, so the newest post is
    hours old today rather than on the day the articles were written.
    """
    shift = (now - DEMO_CLOCK) if now is not None else None
    ids = {}
    for demo in DEMO_SOURCES:
        source = store.add_source(demo.url, demo.title, "feed", demo.feed_url)
        ids[demo.key] = source.id
        store.record_fetch_ok(source.id, etag=None, last_modified=None, when=now or DEMO_CLOCK)
    for meta, document in demo_articles():
        source_key = _source(meta.get("source", "guide")).key
        site = next(s.title for s in DEMO_SOURCES if s.key == source_key)
        published = document.published
        if published is not None and shift is not None:
            published += shift
        document = Document(
            url=document.url, title=document.title, byline=document.byline,
            published=published, site_name=site, blocks=document.blocks,
        )  # fmt: skip
        entry = Entry(
            identity=document.url,
            url=document.url,
            title=document.title,
            author=document.byline,
            published=document.published,
            summary=_summary(document),
        )
        store.upsert_posts(ids[source_key], [entry])
        post = store.post_by_url(document.url)
        assert post is not None
        store.put_document(post.id, document)
        state = meta.get("state", "unread")
        if state in ("read", "saved"):
            store.set_read([post.id])
        if state in ("saved", "saved-unread"):
            store.set_saved(post.id)
