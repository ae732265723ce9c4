"""Background work: prune and prefetch after a refresh, the offline states, other writers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from termnews.models import Entry
from termnews.service import Service
from termnews.store import Store
from termnews.tui.screens.main import MainScreen
from tests.tui.conftest import NOW, FakeService, count_prunes
from tests.tui.helpers import app_for, main, notifications, reading, settle, sidebar_text


def status_text(app) -> str:  # type: ignore[no-untyped-def]
    return str(main(app).status.render())


async def test_refresh_prunes_then_prefetches_with_progress(service, store, ids):
    service.prefetch_gate = asyncio.Event()
    prunes = count_prunes(service)
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, 1)
        assert sidebar_text(app)[2].startswith(" ●  Bravo")  # no document yet
        await pilot.press("R")
        for _ in range(20):  # the prefetch waits on the gate after its first article
            await pilot.pause()
            if service.prefetched:
                break
        screen = main(app)
        assert len(prunes) == 1
        # 400 days old, but one of its source's newest posts: retention keeps those.
        assert store.post_by_url("https://two.example/f") is not None
        assert "Downloading articles 1/3" in status_text(app)
        # The prefetch runs in the background: the update's worker is still running.
        assert any(w.group == "refresh" and w.is_running for w in app.workers)
        await pilot.press("j")  # the UI is not blocked meanwhile
        assert screen.post_list.selected_id == ids["b"]
        service.prefetch_gate.set()
        await settle(pilot)
        assert service.prefetched == [ids["d"], ids["b"], ids["e"]]  # saved first
        assert sidebar_text(app)[2].startswith(" ●↓ Bravo")  # the row cache was refreshed
        assert "Up to date · 3 articles downloaded" in status_text(app)


async def test_prefetch_runs_after_start_up_refresh_and_adding(store, ids):
    store.conn.execute("UPDATE sources SET last_refresh = 0")
    service = FakeService(store)
    prunes = count_prunes(service)
    app = app_for(service, no_refresh=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert service.refreshed == [None]
        assert len(prunes) == 1 and len(service.prefetched) == 3


async def test_no_prefetch_when_offline(store, ids):
    service = FakeService(store, offline=True)
    prunes = count_prunes(service)
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await main(app).updates.run(None)  # what R would run, were it not refused offline
        await settle(pilot)
        assert prunes == [] and service.prefetched == []


async def test_network_failure_turns_on_offline_until_a_refresh_works(service, store, ids):
    service.network_error = "DNSError"
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        screen = main(app)
        assert screen.network_down
        assert "offline (network unreachable)" in status_text(app)
        assert "1 source" not in status_text(app)  # not blamed on the sources
        assert notifications(app)[-1] == (
            "Network unreachable (host not found: one.example): reading from the cache."
        )
        assert service.prefetched == []  # no downloads into a dead network
        await pilot.press("s")  # b has no document: saved, and said so
        await settle(pilot)
        assert store.post(ids["a"]).is_saved
        await pilot.press("R")  # still down: tried again, one line
        await settle(pilot)
        assert notifications(app)[-1] == "Still offline: the network is unreachable."
        service.network_error = None
        await pilot.press("R")
        await settle(pilot)
        assert not screen.network_down
        assert "offline" not in status_text(app)
        assert "Back online." in notifications(app)
        assert service.prefetched  # the downloads start again


async def test_one_broken_site_is_not_offline(service, store, ids):
    store.update_source(ids["two"], title="Broken")
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert not main(app).network_down
        assert "offline" not in status_text(app)


async def test_offline_network_actions_say_so_in_one_line(store, ids):
    service = FakeService(store, offline=True)
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert notifications(app)[-1] == "Offline: adding a source needs the network."
        assert app.screen is main(app)
        await pilot.press("R")
        assert notifications(app)[-1] == "Offline: refreshing needs the network."
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("1")
        assert notifications(app)[-1] == "Offline: following a link needs the network."
        await pilot.press("tab", "j")  # b, no document
        await pilot.press("s")
        await settle(pilot)
        assert store.post(ids["b"]).is_saved
        assert notifications(app)[-1] == (
            "Saved. Offline: its article downloads with the next refresh."
        )
        assert service.added == [] and service.refreshed == [] and service.opened_urls == []


async def test_another_process_writes_are_merged_in(service, store, ids, monkeypatch):
    monkeypatch.setattr(MainScreen, "POLL_SECONDS", 0.05)
    async with reading(service) as (pilot, screen):
        app = pilot.app
        await pilot.press("j", "j")
        assert screen.post_list.selected_id == ids["c"]
        other = Store.open(store.path)  # another process's connection to the same file
        try:
            other.upsert_posts(
                ids["one"],
                [Entry("new", "https://one.example/new", "Written by cron", published=NOW)],
            )
        finally:
            other.close()
        for _ in range(20):
            await pilot.pause(0.05)
            if len(screen.post_list.ids) == 7:
                break
        await settle(pilot)
        assert len(screen.post_list.ids) == 7
        assert screen.post_list.selected_id == ids["c"]  # the cursor stays on its post
        assert sidebar_text(app)[0].startswith(" ●  Written by cron")


ARTICLE = (Path(__file__).parents[1] / "data" / "service" / "article.html").read_bytes()


def closed_port() -> int:
    """A local port nothing listens on: connecting is refused at once."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _loopback_feed(server) -> str:  # type: ignore[no-untyped-def]
    """A feed of two posts an hour old (prefetch takes recent posts) and their pages."""
    from tests.server import Response

    when = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
    items = "".join(
        f"<item><title>Loopback story {n}</title><link>{server.url(f'/story/{n}')}</link>"
        f"<guid>story-{n}</guid><pubDate>{when}</pubDate></item>"
        for n in (1, 2)
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Loop</title>{items}'
    html = {"Content-Type": "text/html; charset=utf-8"}
    for n in (1, 2):
        server.route(f"/story/{n}", Response(ARTICLE, 200, html))
    rss = {"Content-Type": "application/rss+xml"}
    return server.route("/feed.rss", Response((feed + "</channel></rss>").encode(), 200, rss))


async def test_real_service_prefetches_then_goes_offline_when_refused(store, server):
    feed = _loopback_feed(server)
    store.add_source(server.url("/"), "Loopback", "feed", feed)
    app = app_for(Service(store))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        posts = [store.post(i) for i in main(app).post_list.ids]
        assert sorted(p.title for p in posts) == ["Loopback story 1", "Loopback story 2"]
        assert all(p.has_document for p in posts)
        assert [line[:4] for line in sidebar_text(app)[0:4:2]] == [" ●↓ ", " ●↓ "]
        assert "2 new posts · 2 articles downloaded" in status_text(app)
        source = store.sources()[0]
        store.update_source(source.id, feed_url=f"http://127.0.0.1:{closed_port()}/feed.rss")
        await pilot.press("R")
        await settle(pilot)
        assert main(app).network_down, notifications(app)
        assert "offline (network unreachable)" in status_text(app)
        assert "connection refused" in notifications(app)[-1]


async def test_a_dead_link_is_one_line_and_never_offline(service, store, ids):
    from termnews.net.errors import DNSError

    service.link_error = DNSError("host not found: nowhere.example")
    async with reading(service) as (pilot, screen):
        app = pilot.app
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert service.opened_urls == ["https://example.com/linked/"]
        assert notifications(app)[-1] == "Could not open the link: host not found: nowhere.example"
        assert not screen.network_down
        assert "offline" not in status_text(app)
        assert screen.article.post_id == ids["a"]  # still reading where we were
        await pilot.press("R")  # offline is judged from a refresh of the sources
        await settle(pilot)
        assert not screen.network_down and "Back online." not in notifications(app)


async def test_a_failed_job_is_one_line_but_a_bug_is_not_swallowed(service, ids, monkeypatch):
    import pytest

    from termnews.errors import ServiceError

    async def refused(post_id: int, saved: bool = True) -> None:
        raise ServiceError("no post 99")

    monkeypatch.setattr(service, "save_post", refused)
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert notifications(app)[-1] == "no post 99"

    async def broken(post_id: int, saved: bool = True) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(service, "save_post", broken)
    app = app_for(service)
    with pytest.raises(ZeroDivisionError):
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)


async def test_open_reader_refreshes_the_sources_that_are_due(service, store, ids):
    """The schedule's timer refreshes only what is due: the source last seen 13 h ago."""
    store.record_fetch_ok(ids["two"], etag=None, last_modified=None, when=NOW - timedelta(hours=13))
    async with reading(service, no_refresh=False) as (pilot, screen):
        assert service.refreshed == []  # start-up: the last refresh (one's) is recent
        screen.refresh_due()  # what the timer runs every SCHEDULE_SECONDS
        await settle(pilot)
        assert service.refreshed == [[ids["two"]]]
        # (The fake network records no refresh time: do what a real refresh would.)
        store.record_fetch_ok(ids["two"], etag=None, last_modified=None, when=NOW)
        screen.refresh_due()
        await settle(pilot)
        assert service.refreshed == [[ids["two"]]]  # refreshed now: nothing is due any more


async def test_offline_a_post_without_its_article_opens_with_the_feed_text_at_once(store, ids):
    """No loading frame first: the feed's summary is the document, in the frame that opens it."""
    async with reading(FakeService(store, offline=True)) as (pilot, screen):
        screen.open_post(ids["b"])
        article = screen.article
        assert article.post_id == ids["b"] and not article.has_class("-loading")
        assert article.document is not None
        assert "Showing the feed's summary: offline" in (article.document.note or "")
        await settle(pilot)
        assert article.document is not None and article.post_id == ids["b"]
