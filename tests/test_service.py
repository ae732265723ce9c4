"""The service against a real loopback HTTP server and a real SQLite file."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from termnews.config import Config, NetworkConfig
from termnews.errors import OfflineError, ServiceError, TermnewsError
from termnews.service import RefreshProgress, Service
from termnews.store import PostFilter, Store
from tests.server import LoopbackServer, Response

DATA = Path(__file__).parent / "data" / "service"
FAST = Config(network=NetworkConfig(timeout=1.5, connect_timeout=1.0))


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[Service]:
    svc = Service(Store.open(tmp_path / "t.sqlite3"), FAST)
    yield svc
    await svc.aclose()
    svc.store.close()


async def test_add_feed(service: Service, server: LoopbackServer) -> None:
    source = await service.add_source(server.url("/service/news.rss"))
    assert source.kind == "feed"
    assert source.title == "Example News"
    rows = service.store.post_rows()
    assert [r.title for r in rows] == [
        "Tips for becoming a good boxer",
        "7 expert tips for making your hens happy",
    ]
    post = service.store.post(rows[0].id)
    assert post.url == server.url("/posts/boxer")  # relative link resolved against the feed


async def test_add_site_follows_autodiscovered_feed(
    service: Service, server: LoopbackServer
) -> None:
    source = await service.add_source(server.url("/service/site-with-feed.html"))
    assert source.kind == "site"
    assert source.feed_url == server.url("/service/blog.atom")
    assert {r.title for r in service.store.post_rows()} == {
        "Planting garlic in November",
        "Mulch, explained",
    }


async def test_add_feedless_site_reads_recent_posts(
    service: Service, server: LoopbackServer
) -> None:
    source = await service.add_source(server.url("/service/site-without-feed.html"))
    assert source.kind == "site" and source.feed_url is None
    assert source.title == "Harbour Times"
    titles = [r.title for r in service.store.post_rows()]
    assert titles == [
        "Ferry service returns after storm",
        "Harbour lights restored for winter",
        "Fish market reopens with new stalls",
    ]
    # A refresh re-reads the page and adds nothing twice.
    summary = await service.refresh()
    assert not summary.failed and service.store.counts().posts == 3


async def test_duplicate_source_refused(service: Service, server: LoopbackServer) -> None:
    url = server.url("/service/news.rss")
    await service.add_source(url)
    with pytest.raises(ServiceError, match="already following"):
        await service.add_source(url)


@pytest.mark.parametrize(
    "url", ["ftp://example.test/feed", "not a url", "file:///etc/passwd", "javascript:alert(1)", ""]
)
async def test_bad_urls_are_one_line_errors(service: Service, url: str) -> None:
    with pytest.raises(TermnewsError) as info:
        await service.add_source(url)
    assert "\n" not in str(info.value) and str(info.value)


async def test_add_dead_server_is_one_line(service: Service) -> None:
    with pytest.raises(TermnewsError) as info:
        await service.add_source("http://127.0.0.1:9/feed")
    assert "\n" not in str(info.value)
    assert service.store.sources() == []


async def test_second_refresh_is_conditional_and_writes_no_posts(
    service: Service, server: LoopbackServer
) -> None:
    url = server.url("/service/news.rss")
    source = await service.add_source(url)
    first = await service.refresh()
    # Adding stored the validators already: the first refresh is conditional too.
    assert first.results[0].not_modified and not first.failed
    stored = service.store.source(source.id)
    assert stored.etag and stored.last_modified
    before = service.store.conn.execute("SELECT * FROM posts ORDER BY id").fetchall()
    second = await service.refresh()
    assert second.results[0].not_modified
    last = server.hits("/service/news.rss")[-1]
    assert last.headers.get("if-none-match") == stored.etag
    assert last.headers.get("if-modified-since") == stored.last_modified
    assert service.store.conn.execute("SELECT * FROM posts ORDER BY id").fetchall() == before


async def test_refresh_with_failures_keeps_healthy_sources(
    service: Service, server: LoopbackServer
) -> None:
    good = await service.add_source(server.url("/service/news.rss"))
    server.route("/loop", Response(b"", 302, {"Location": "/loop"}))
    server.route("/500", Response(b"oops", 500))
    server.route("/slow", Response(b"<rss/>", 200, delay=3.0))
    server.route(
        "/html", Response(b"<html><body>hi</body></html>", 200, {"Content-Type": "text/html"})
    )
    bad = {}
    for path in ("/loop", "/500", "/slow", "/html", "/missing.rss"):
        bad[path] = service.store.add_source(server.url(path), path, "feed", server.url(path))
    service.store.set_read(service.store.post_ids())
    events: list[RefreshProgress] = []
    summary = await asyncio.wait_for(service.refresh(progress=events.append), timeout=10)
    assert len(events) == 6 and events[-1].done == 6 and events[-1].total == 6
    failed = {r.source.title: r.error for r in summary.failed}
    assert set(failed) == set(bad)
    assert "redirect" in failed["/loop"]
    assert "500" in failed["/500"]
    assert "timed out" in failed["/slow"] or "timeout" in failed["/slow"].lower()
    assert "404" in failed["/missing.rss"]
    for message in failed.values():
        assert "\n" not in message
    assert service.store.source(bad["/500"].id).last_error == failed["/500"]
    assert service.store.counts(good.id).posts == 2
    assert service.store.counts().unread == 0  # read state untouched by the refresh


async def test_retry_after_is_honoured_on_next_refresh(
    service: Service, server: LoopbackServer
) -> None:
    server.route("/busy", Response(b"slow down", 429, {"Retry-After": "3600"}))
    src = service.store.add_source(server.url("/busy"), "Busy", "feed", server.url("/busy"))
    first = await service.refresh()
    assert "429" in first.failed[0].error
    assert service.store.source(src.id).retry_after is not None
    second = await service.refresh()
    assert "wait" in second.failed[0].error
    assert len(server.hits("/busy")) == 1


async def test_remove_source(service: Service, server: LoopbackServer) -> None:
    source = await service.add_source(server.url("/service/news.rss"))
    assert service.remove_source(str(source.id)).id == source.id
    assert service.store.sources() == []
    with pytest.raises(ServiceError):
        service.remove_source("42")


async def test_opml_import_export_round_trip(service: Service, tmp_path: Path) -> None:
    result = service.import_opml((DATA / "subs.opml").read_bytes())
    assert [(s.url, s.title, s.tags) for s in result.added] == [
        ("http://example.test/news.rss", "Example News", ("Tech",)),
        ("http://deep.test/feed", "Deep", ("Tech", "Nested")),
        ("http://loose.test/rss", "Loose feed", ()),
    ]
    assert (result.known, result.skipped) == (0, 1)  # the file:// outline
    text = service.export_opml()
    other = Service(Store.open(tmp_path / "other.sqlite3"))
    again = other.import_opml(text.encode())
    assert sorted((s.url, s.title, s.tags) for s in again.added) == sorted(
        (s.url, s.title, s.tags) for s in result.added
    )
    repeat = service.import_opml(text.encode())
    assert (repeat.added, repeat.known) == ([], 3)


async def test_feedless_site_round_trips_through_opml(
    service: Service, server: LoopbackServer, tmp_path: Path
) -> None:
    await service.add_source(server.url("/service/site-without-feed.html"))
    other = Service(Store.open(tmp_path / "other.sqlite3"))
    [site] = other.import_opml(service.export_opml().encode()).added
    assert site.kind == "site" and site.feed_url is None


async def test_load_document_fetches_once_then_caches(
    service: Service, server: LoopbackServer
) -> None:
    await service.add_source(server.url("/service/news.rss"))
    post_id = service.store.post_ids()[0]
    post = service.store.post(post_id)
    server.route(
        "/posts/boxer",
        Response(
            (DATA / "article.html").read_bytes(), 200, {"Content-Type": "text/html; charset=utf-8"}
        ),
    )
    document = await service.load_document(post)
    assert "footwork drills" in " ".join(
        i.text for b in document.blocks for i in getattr(b, "inlines", ())
    )
    stored = service.store.document(post_id)
    assert stored is not None and stored.blocks == document.blocks
    # What the reader shows carries the post's metadata where the page had none.
    assert document.published == post.published and document.site_name == post.source_title
    again = await service.load_document(service.store.post(post_id))
    assert again == document
    assert len(server.hits("/posts/boxer")) == 1


async def test_load_document_falls_back_to_feed_content(
    service: Service, server: LoopbackServer
) -> None:
    await service.add_source(server.url("/service/news.rss"))
    post = service.store.post(service.store.post_ids()[0])  # /posts/boxer → 404 here
    document = await service.load_document(post)
    assert document.note and "404" in document.note
    assert service.store.document(post.id) is None  # a fallback is not cached


async def test_save_fetches_document_first(service: Service, server: LoopbackServer) -> None:
    await service.add_source(server.url("/service/news.rss"))
    post_id = service.store.post_ids()[0]
    server.route(
        "/posts/boxer",
        Response((DATA / "article.html").read_bytes(), 200, {"Content-Type": "text/html"}),
    )
    await service.save_post(post_id)
    assert service.store.post(post_id).is_saved
    assert service.store.document(post_id) is not None
    assert service.store.post_ids(PostFilter("saved")) == [post_id]


async def test_offline_service_refuses_network(tmp_path: Path) -> None:
    svc = Service(Store.open(tmp_path / "t.sqlite3"), offline=True)
    svc.store.add_source("http://a.test/feed", "A", "feed")
    with pytest.raises(OfflineError):
        await svc.refresh()
    with pytest.raises(OfflineError):
        await svc.add_source("http://a.test/other")


async def test_big_refresh_parses_in_worker_processes(
    service: Service, server: LoopbackServer
) -> None:
    body = (DATA / "news.rss").read_bytes()
    for i in range(9):
        server.route(
            f"/many{i}.rss",
            Response(
                body.replace(b"boxer-1", f"b{i}".encode()),
                200,
                {"Content-Type": "application/rss+xml"},
            ),
        )
        service.store.add_source(
            server.url(f"/many{i}.rss"), f"many {i}", "feed", server.url(f"/many{i}.rss")
        )
    server.route(
        "/page.rss",
        Response(b"<html><body>no feed</body></html>", 200, {"Content-Type": "text/html"}),
    )
    service.store.add_source(server.url("/page.rss"), "page", "feed", server.url("/page.rss"))
    service._parser.pool_entries = 0  # small feeds: start the pool anyway
    pooled: list[bool] = []
    refresh = service.refresh(progress=lambda _p: pooled.append(service._parser.pooled))
    summary = await asyncio.wait_for(refresh, timeout=60)
    assert any(pooled)  # the pool really ran
    assert not service._parser.pooled  # and stopped with the refresh
    assert summary.new_posts == 9 * 2  # the duplicate GUID collapses in each feed
    assert [r.source.title for r in summary.failed] == ["page"]
    assert "not a feed" in summary.failed[0].error
