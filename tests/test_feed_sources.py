"""Sources as the web serves them (issue 11, points 1, 9, 10): a feed that moves, items
with neither guid nor link, undated posts — through the service, the loopback server and
a real SQLite file; and what `add` and `list` print about skipped items."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from termnews.config import Config, NetworkConfig
from termnews.service import Service
from termnews.store import Store
from termnews.store.posts import UNDATED_STEP, feed_order_keys
from tests.server import LoopbackServer, Response
from tests.test_cli import run

FAST = Config(network=NetworkConfig(timeout=5, connect_timeout=2))
NOW = datetime(2026, 11, 6, 12, 0, tzinfo=UTC)
RSS = "application/rss+xml"


class Clock:
    """A settable clock for the store: tests move time instead of sleeping."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def service(tmp_path: Path, clock: Clock) -> AsyncIterator[Service]:
    svc = Service(Store.open(tmp_path / "t.sqlite3", clock), FAST)
    yield svc
    await svc.aclose()
    svc.store.close()


def rss(*items: str) -> bytes:
    return (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Moving</title>"
        f"<link>http://example.org/</link>{''.join(items)}</channel></rss>"
    ).encode()


def item(title: str, extra: str = "", when: datetime | None = None) -> str:
    date = f"<pubDate>{format_datetime(when)}</pubDate>" if when else ""
    return f"<item><title>{title}</title>{extra}{date}</item>"


MOVING_FEED = rss(
    item("Opaque", "<guid>12345</guid>"),
    item("Marked opaque", "<guid isPermaLink='false'>abc-2</guid><link>/posts/2</link>"),
    item("Only text", "<description>No guid, no link.</description>"),
)


# --- 1: a feed that moves ------------------------------------------------------------------


def identities(service: Service) -> dict[str, tuple[str, str]]:
    posts = [service.store.post(r.id) for r in service.store.post_rows()]
    return {p.title: (p.identity, p.url) for p in posts if p is not None}


async def test_permanent_redirect_updates_the_feed_url_and_no_post_identity(
    service: Service, server: LoopbackServer
) -> None:
    old = server.route("/old.rss", Response(MOVING_FEED, headers={"Content-Type": RSS}))
    source = await service.add_source(old)
    before = identities(service)
    assert before["Opaque"] == ("12345", "")
    assert before["Marked opaque"] == ("abc-2", server.url("/posts/2"))
    assert before["Only text"][0].startswith("sha256:")
    service.store.set_read(service.store.post_ids())

    new = server.route("/new.rss", Response(MOVING_FEED, headers={"Content-Type": RSS}))
    server.route("/old.rss", Response(b"", 301, {"Location": "/new.rss"}))
    result = await service.refresh_source(service.store.source(source.id))
    assert result.error is None and result.new_posts == 0
    moved = service.store.source(source.id)
    assert moved.feed_url == new and moved.url == old
    assert service.store.counts(source.id).unread == 0  # nothing came back as new
    assert {t: i for t, (i, _) in identities(service).items()} == {
        t: i for t, (i, _) in before.items()
    }
    server.route("/old.rss", Response(b"gone", 410))  # the next refresh asks the new address
    assert (await service.refresh_source(moved)).error is None


async def test_temporary_redirect_keeps_the_feed_url(
    service: Service, server: LoopbackServer
) -> None:
    feed = server.route("/feed.rss", Response(b"", 302, {"Location": "/mirror.rss"}))
    server.route("/mirror.rss", Response(MOVING_FEED, headers={"Content-Type": RSS}))
    source = await service.add_source(feed)
    assert source.feed_url == feed
    await service.refresh_source(source)
    assert service.store.source(source.id).feed_url == feed


async def test_adding_a_moved_feed_stores_where_it_moved(
    service: Service, server: LoopbackServer
) -> None:
    server.route("/a.rss", Response(b"", 301, {"Location": "/b.rss"}))
    server.route("/b.rss", Response(b"", 308, {"Location": "/c.rss"}))
    server.route("/c.rss", Response(b"", 302, {"Location": "/d.rss"}))
    server.route("/d.rss", Response(MOVING_FEED, headers={"Content-Type": RSS}))
    source = await service.add_source(server.url("/a.rss"))
    assert source.feed_url == server.url("/c.rss")  # the permanent part of the chain


# --- 9: items with neither guid nor link ----------------------------------------------------


async def test_items_without_guid_or_link_are_stored_once(
    service: Service, server: LoopbackServer
) -> None:
    body = rss(
        item("First note", "<description>one</description>"),
        item("Second note", "<description>two</description>"),
        "<item><category>empty</category></item>",
    )
    url = server.route("/notes.rss", Response(body, headers={"Content-Type": RSS}))
    source = await service.add_source(url)
    assert service.store.counts(source.id).posts == 2
    stored = service.store.source(source.id)
    assert stored.fetch_note == "1 item skipped (no title, text, date or link)"
    result = await service.refresh_source(stored)
    assert result.new_posts == 0 and result.note == stored.fetch_note


def test_add_and_list_say_what_was_skipped(tmp_path: Path, server: LoopbackServer) -> None:
    body = rss(
        item("Kept", "<guid>k</guid>"),
        "<item><category>empty</category></item>",
        item("Twice", "<guid>k</guid>"),
    )
    url = server.route("/skips.rss", Response(body, headers={"Content-Type": RSS}))
    added = run("add", url, data_dir=tmp_path / "d")
    assert added.returncode == 0, added.stderr
    assert "1 post; 2 items skipped (no title, text, date or link; a repeated id)" in added.stdout
    listing = run("list", data_dir=tmp_path / "d")
    assert "last fetch: 2 items skipped (no title, text, date or link; a repeated id)" in (
        listing.stdout
    )


# --- 10: undated posts ------------------------------------------------------------------------


async def test_undated_feed_keeps_its_order_without_flooding_the_top(
    service: Service, server: LoopbackServer, clock: Clock
) -> None:
    dated = rss(
        item("Dated: an hour ago", "<guid>d1</guid>", NOW - timedelta(minutes=90)),
        item("Dated: yesterday", "<guid>d2</guid>", NOW - timedelta(days=1)),
    )
    server.route("/dated.rss", Response(dated, headers={"Content-Type": RSS}))
    await service.add_source(server.url("/dated.rss"))
    undated = [item(f"Undated {n}", f"<guid>u{n}</guid>") for n in range(4)]
    url = server.route("/undated.rss", Response(rss(*undated), headers={"Content-Type": RSS}))
    await service.add_source(url)

    rows = service.store.post_rows()
    assert [r.title for r in rows] == [
        "Undated 0",
        "Undated 1",
        "Dated: an hour ago",
        "Undated 2",
        "Undated 3",
        "Dated: yesterday",
    ]
    assert [r.undated for r in rows] == [True, True, False, True, True, False]
    assert rows[0].published == NOW.timestamp()

    # Later, two new undated posts appear above the known ones: the feed's order holds,
    # and what was dated at first sight is never dated again.
    clock.now = NOW + timedelta(minutes=10)
    fresh = [item("Newer A", "<guid>na</guid>"), item("Newer B", "<guid>nb</guid>")]
    server.route("/undated.rss", Response(rss(*fresh, *undated), headers={"Content-Type": RSS}))
    source = service.store.source_by_url(url)
    assert (await service.refresh_source(source)).new_posts == 2
    mine = [r for r in service.store.post_rows() if r.undated]
    assert [r.title for r in mine] == ["Newer A", "Newer B"] + [f"Undated {n}" for n in range(4)]
    assert [r.published for r in mine[2:]] == [r.published for r in rows if r.undated]


def test_feed_order_keys_between_neighbours() -> None:
    t = 1_000_000.0
    assert feed_order_keys([None, None], t) == [t, t - UNDATED_STEP]
    assert feed_order_keys([t - 10, None, t - 40], t) == [t - 10, t - 25, t - 40]
    assert feed_order_keys([t - 10, None], t) == [t - 10, t - 10 - UNDATED_STEP]
    top = feed_order_keys([None, None, t - 90], t)
    assert top[0] == t and t > top[1] > t - 90
    future = feed_order_keys([None, t + 50], t)  # a post dated in the future stays below
    assert future[0] > t + 50
    unordered = feed_order_keys([t - 50, None, t - 10], t)
    assert t - 50 > unordered[1] > t - 51


def test_a_version_3_database_gains_the_fetch_note(tmp_path: Path) -> None:
    from tests.test_migrations import build

    build(tmp_path / "v3.sqlite3", 3)
    store = Store.open(tmp_path / "v3.sqlite3")
    (source,) = store.sources()
    assert source.fetch_note is None and source.etag == '"abc"'
    store.record_fetch_ok(source.id, etag=None, last_modified=None, note="1 item skipped (x)")
    assert store.source(source.id).fetch_note == "1 item skipped (x)"
    assert store.conn.execute("SELECT count(*) FROM pruned").fetchone()[0] == 1
    store.close()


async def test_posts_without_a_link_are_not_prefetched(
    service: Service, server: LoopbackServer
) -> None:
    body = rss(item("No page", "<guid>np</guid><description>Text only.</description>"))
    url = server.route("/nolink.rss", Response(body, headers={"Content-Type": RSS}))
    await service.add_source(url)
    assert service.store.post_rows()[0].title == "No page"
    assert service.store.posts_needing_documents(NOW - timedelta(days=1)) == []


async def test_a_post_without_a_link_reads_as_the_feeds_text(
    service: Service, server: LoopbackServer
) -> None:
    body = rss(item("No page", "<guid>np</guid><description>Text only, here.</description>"))
    await service.add_source(server.route("/np.rss", Response(body, headers={"Content-Type": RSS})))
    post = service.store.post(service.store.post_rows()[0].id)
    requests = len(server.requests)
    document = await service.load_document(post)
    assert document.note is not None and "the feed links no page" in document.note
    assert "Text only, here." in str(document.to_dict())
    assert len(server.requests) == requests  # nothing was fetched
