"""What a real subscription list did to termnews (issue 9): dates out of range, closed pipes,
huge feeds, a full disk, the umask of exports."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from termnews.config import Config, NetworkConfig
from termnews.dates import parse_date
from termnews.errors import DiskFull
from termnews.models import Entry
from termnews.service import Service
from termnews.store import Store
from tests.server import LoopbackServer, Response
from tests.terminal import termnews_argv

FAST = NetworkConfig(timeout=2.0, connect_timeout=1.0)


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[Service]:
    svc = Service(Store.open(tmp_path / "t.sqlite3"), Config(network=FAST))
    yield svc
    await svc.aclose()
    svc.store.close()


def html(body: str) -> Response:
    return Response(body.encode(), 200, {"Content-Type": "text/html; charset=utf-8"})


# -- 3. dates that cannot be represented -------------------------------------------------


@pytest.mark.parametrize(
    "text", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00", "10000-01-01", "0000-01-01"]
)
def test_unrepresentable_dates_are_none(text: str) -> None:
    assert parse_date(text) is None


def test_representable_edges_still_parse() -> None:
    assert parse_date("9999-12-31T23:59:59+00:00") == datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert parse_date("2026-11-06T10:00:00+01:00") == datetime(2026, 11, 6, 9, tzinfo=UTC)


async def test_feedless_site_with_a_date_past_the_calendar(
    service: Service, server: LoopbackServer
) -> None:
    url = server.route(
        "/far/",
        html(
            "<html><head><title>Far</title></head><body><main><h2>Recent posts</h2>"
            '<article><h3><a href="/far/one">The first post of the future</a></h3>'
            '<time datetime="9999-12-31T23:59:59-01:00">someday</time></article>'
            '<article><h3><a href="/far/two">A second post, dated sanely</a></h3>'
            '<time datetime="2026-11-06T10:00:00Z">6 Nov</time></article></main></body></html>'
        ),
    )
    source = await service.add_source(url)
    posts = [service.store.post(i) for i in service.store.post_ids()]
    assert {p.title: p.published for p in posts if p} == {
        "The first post of the future": None,
        "A second post, dated sanely": datetime(2026, 11, 6, 10, tzinfo=UTC),
    }
    summary = await service.refresh([source])
    assert not summary.failed


async def test_json_feed_item_dated_year_one_keeps_the_feed(
    service: Service, server: LoopbackServer
) -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Old times",
        "items": [
            {"id": "1", "url": server.url("/old/1"), "title": "Year one",
             "date_published": "0001-01-01T00:00:00+01:00"},
            {"id": "2", "url": server.url("/old/2"), "title": "This year",
             "date_published": "2026-11-06T10:00:00Z"},
        ],
    }  # fmt: skip
    url = server.route(
        "/old.json", Response(json.dumps(feed).encode(), 200, {"Content-Type": "application/json"})
    )
    await service.add_source(url)
    posts = [service.store.post(i) for i in service.store.post_ids()]
    assert {p.title: p.published for p in posts if p} == {
        "Year one": None,
        "This year": datetime(2026, 11, 6, 10, tzinfo=UTC),
    }


# -- 4. a closed pipe ends a command quietly ----------------------------------------------


def _seed_many(data_dir: Path, sources: int, posts: int) -> None:
    store = Store.open(data_dir / "termnews.sqlite3")
    try:
        for n in range(sources):
            store.add_source(f"https://s{n}.example/feed", f"Source {n}", "feed")
        entries = [Entry(f"p{k}", f"https://s0.example/{k}", f"the post {k}") for k in range(posts)]
        store.upsert_posts(1, entries)
    finally:
        store.close()


@pytest.mark.parametrize(
    "command", [["list"], ["doctor"], ["search", "the", "--limit", "500"]], ids=" ".join
)
def test_closed_pipe_is_quiet(command: list[str], isolated_dirs: Path) -> None:
    _seed_many(isolated_dirs, sources=400, posts=600)
    line = " ".join(f"'{part}'" for part in [*termnews_argv(*command)])
    result = subprocess.run(
        ["sh", "-c", f'{line} | head -1 >/dev/null; echo "status=${{PIPESTATUS:-}}"'],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )
    assert result.stderr == ""


# -- 8. a huge feed stays within max_posts_per_source ------------------------------------


async def test_huge_feed_keeps_only_the_newest_posts(
    tmp_path: Path, server: LoopbackServer
) -> None:
    items = "".join(
        f"<item><title>Item {n}</title><link>{server.url(f'/big/{n}')}</link>"
        f"<guid>big-{n}</guid><pubDate>Fri, 06 Nov 2026 {n // 60 % 24:02d}:{n % 60:02d}:00"
        " GMT</pubDate></item>"
        for n in range(500)
    )
    feed = f"<rss version='2.0'><channel><title>Big</title>{items}</channel></rss>".encode()
    url = server.route("/big.rss", Response(feed, 200, {"Content-Type": "application/rss+xml"}))
    config = Config(network=FAST, max_posts_per_source=50)
    clock = lambda: datetime(2026, 11, 6, 12, tzinfo=UTC)  # noqa: E731  (the feed's day)
    svc = Service(Store.open(tmp_path / "big.sqlite3", clock), config)
    try:
        source = await svc.add_source(url)
        assert svc.store.counts(source.id).posts == 50
        newest = svc.store.post(svc.store.post_ids()[0])
        assert newest is not None and newest.title == "Item 499"  # 08:19, the latest time
        for _ in range(2):
            before = len(server.requests)
            await svc.update([source])
            assert svc.store.counts(source.id).posts == 50
            downloads = [r for r in server.requests[before:] if r.path.startswith("/big/")]
            assert 0 < len(downloads) <= 20  # one source's share of one refresh's downloads
        tombstones = svc.store.conn.execute("SELECT count(*) FROM pruned").fetchone()[0]
        assert tombstones <= 50 + 100
    finally:
        await svc.aclose()
        svc.store.close()


def test_tombstones_are_bounded_per_source(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "t.sqlite3")
    source = store.add_source("https://a.example/feed", "A", "feed")
    old = datetime(2020, 1, 1, tzinfo=UTC)
    for batch in range(4):
        entries = [Entry(f"e{batch}-{n}", f"https://a.example/{batch}/{n}", "x", published=old)
                   for n in range(100)]  # fmt: skip
        store.upsert_posts(source.id, entries)
        store.prune(older_than=datetime(2025, 1, 1, tzinfo=UTC), max_per_source=10)
    assert store.conn.execute("SELECT count(*) FROM pruned").fetchone()[0] <= 10 + 100
    store.close()


# -- 9. a full disk is named, not counted as failed downloads ---------------------------


class TinyDisk(Store):
    """A store whose connections may grow the file by only a few pages (SQLITE_FULL)."""

    max_pages: int | None = None

    def _connect(self) -> sqlite3.Connection:
        conn = super()._connect()
        if self.max_pages is not None:
            conn.execute(f"PRAGMA max_page_count = {self.max_pages}")
        return conn


async def test_full_disk_during_prefetch_is_one_error(
    tmp_path: Path, server: LoopbackServer
) -> None:
    page = "<html><body><article><h1>T</h1>" + "<p>Words of the article. " * 400 + "</article>"
    for n in range(5):
        server.route(f"/full/{n}", html(page))
    store = TinyDisk.open(tmp_path / "full.sqlite3")
    source = store.add_source("https://full.example/feed", "Full", "feed")
    store.upsert_posts(
        source.id,
        [Entry(f"f{n}", server.url(f"/full/{n}"), f"Post {n}", published=datetime.now(UTC))
         for n in range(5)],
    )  # fmt: skip
    store.max_pages = int(store.conn.execute("PRAGMA page_count").fetchone()[0]) + 1
    svc = Service(store, Config(network=FAST))
    try:
        with pytest.raises(DiskFull, match="disk is full"):
            await svc.prefetch()
    finally:
        await svc.aclose()
        store.close()


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tiny file system needs root")
def test_full_disk_refresh_exits_1_with_one_line(tmp_path: Path, server: LoopbackServer) -> None:
    mount = tmp_path / "tiny"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        page = "<html><body><article><h1>T</h1>" + "<p>Words of it. " * 3000 + "</article>"
        items = ""
        for n in range(30):
            items += f"<item><title>P{n}</title><link>{server.url(f'/d/{n}')}</link></item>"
            server.route(f"/d/{n}", html(page))
        feed = f"<rss version='2.0'><channel><title>D</title>{items}</channel></rss>".encode()
        url = server.route("/d.rss", Response(feed, 200, {"Content-Type": "application/rss+xml"}))
        env = {**os.environ, "TERMNEWS_DATA_DIR": str(mount / "data")}
        added = subprocess.run(termnews_argv("add", url), env=env, capture_output=True, text=True)
        assert added.returncode == 0, added.stderr
        filler = mount / "filler"
        free = os.statvfs(mount).f_bavail * os.statvfs(mount).f_frsize
        filler.write_bytes(b"\0" * max(0, free - 64 * 1024))
        result = subprocess.run(termnews_argv("refresh"), env=env, capture_output=True, text=True)
        assert result.returncode == 1
        lines = [line for line in result.stderr.splitlines() if line.startswith("termnews:")]
        assert lines == [f"termnews: {mount / 'data' / 'termnews.sqlite3'}: the disk is full;"
                         " nothing more can be stored"]  # fmt: skip
    finally:
        subprocess.run(["umount", "-l", str(mount)])


# -- 10. exports honour the umask -------------------------------------------------------


def test_exported_files_honour_the_umask(tmp_path: Path) -> None:
    from termnews.document import Document, Inline, Paragraph
    from termnews.formats.export import export_saved

    store = Store.open(tmp_path / "t.sqlite3")
    store.upsert_posts(None, [Entry("https://a.example/1", "https://a.example/1", "Kept")])
    post_id = store.post_ids()[0]
    store.put_document(
        post_id,
        Document(url="https://a.example/1", title="Kept", blocks=(Paragraph((Inline("x"),)),)),
    )
    store.set_saved(post_id)
    old = os.umask(0o022)
    try:
        paths = export_saved(store, tmp_path / "out", "markdown")
    finally:
        os.umask(old)
    store.close()
    assert paths and all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in paths)
