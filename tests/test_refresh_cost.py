"""What a refresh costs, as behaviour: processes started and reaped, commits batched, connections.

Speed itself lives in ``benchmarks/refresh.py``; these check the causes: an
all-304 refresh starts no worker process, workers are reaped when a refresh
ends, a batch write is all or nothing, a 304's connection is reused.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from termnews.config import Config, NetworkConfig
from termnews.feeds.workers import POOL_ENTRIES, POOL_THRESHOLD
from termnews.models import Entry
from termnews.net.client import Fetcher
from termnews.service import Service
from termnews.service.refresh import RefreshWriter, _Write
from termnews.store import Store
from tests.server import LoopbackServer, Response

FAST = Config(network=NetworkConfig(timeout=5, connect_timeout=2))
FEEDS = POOL_THRESHOLD + 2  # a refresh big enough for worker processes


def feed(n: int) -> bytes:
    return (
        f"<?xml version='1.0'?><rss version='2.0'><channel><title>f{n}</title>"
        f"<item><title>Post {n}</title><link>https://example.org/{n}</link>"
        f"<guid>g{n}</guid></item></channel></rss>"
    ).encode()


def children() -> dict[int, tuple[str, str]]:
    """This process's children: pid → (state, command line); a zombie has no command line."""
    found = {}
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == me:
            found[int(entry)] = (fields[0], cmdline.replace(b"\0", b" ").decode(errors="replace"))
    return found


def workers(before: dict[int, tuple[str, str]]) -> list[int]:
    """Children born since ``before`` that are parser workers or multiprocessing's resource
    tracker, or dead and unreaped."""
    return [
        pid
        for pid, (state, cmdline) in children().items()
        if pid not in before
        and ("spawn_main" in cmdline or "resource_tracker" in cmdline or state == "Z")
    ]


pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


@pytest.fixture
async def service(tmp_path: Path, server: LoopbackServer) -> AsyncIterator[Service]:
    svc = Service(Store.open(tmp_path / "t.sqlite3"), FAST)
    svc._parser.workers = 1  # the pool runs even on a one-core machine
    svc._parser.pool_entries = 0  # and for these small feeds
    for n in range(FEEDS):
        url = server.route(
            f"/f{n}.rss",
            lambda info, n=n: (
                Response(b"", 304, {"ETag": '"v1"'})
                if info.headers.get("if-none-match") == '"v1"'
                else Response(feed(n), 200, {"Content-Type": "application/rss+xml", "ETag": '"v1"'})
            ),
        )
        svc.store.add_source(url, f"f{n}", "feed", url)
    yield svc
    await svc.aclose()
    svc.store.close()


async def test_a_refresh_of_304s_starts_no_worker_process(service: Service) -> None:
    first = await asyncio.wait_for(service.refresh(), timeout=60)
    assert first.new_posts == FEEDS
    await service.aclose()
    again = Service(service.store, FAST)  # a new process's refresh: `termnews refresh` again
    again._parser.workers, again._parser.pool_entries = 1, 0
    before = children()
    seen: list[list[int]] = []
    try:
        summary = await asyncio.wait_for(
            again.refresh(progress=lambda _p: seen.append(workers(before))), timeout=60
        )
    finally:
        await again.aclose()
    assert summary.not_modified == FEEDS
    assert len(seen) == FEEDS and not any(seen)  # no worker at any point of the refresh


async def test_workers_parse_a_cold_refresh_and_are_reaped_when_it_ends(
    service: Service,
) -> None:
    before = children()
    seen: list[list[int]] = []
    summary = await asyncio.wait_for(
        service.refresh(progress=lambda _p: seen.append(workers(before))), timeout=60
    )
    assert summary.new_posts == FEEDS and not summary.failed
    assert any(seen)  # the bodies were parsed by a worker process
    assert not workers(before)  # gone (joined, so not defunct) once refresh() returns
    assert not service._parser.pooled


async def test_workers_still_starting_when_a_refresh_ends_are_ended_and_reaped() -> None:
    """A refresh over before its workers are ready does not wait for their warm-up."""
    from termnews.feeds.workers import Parser
    from termnews.models import Source
    from termnews.net.client import FetchResult

    before = children()
    parser = Parser(workers=1)
    parser.pool_entries = 0
    parser.start(FEEDS)
    source = Source(1, "https://example.org/f", "f", "feed", "https://example.org/f")
    body = FetchResult(url=source.fetch_url, status=200, content=feed(1), content_type="text/xml")
    assert len(await parser.entries(source, body)) == 1  # parsed here; the pool starts
    assert parser.pooled and workers(before)
    await parser.finish()
    assert not parser.pooled and not workers(before)


async def test_a_big_refresh_of_short_feeds_parses_in_threads(service: Service) -> None:
    """Workers pay for their start-up only when the entries to come, extrapolated, are many."""
    service._parser.pool_entries = POOL_ENTRIES
    before = children()
    seen: list[list[int]] = []
    summary = await asyncio.wait_for(
        service.refresh(progress=lambda _p: seen.append(workers(before))), timeout=60
    )
    assert summary.new_posts == FEEDS
    assert len(seen) == FEEDS and not any(seen)


async def test_every_source_of_a_batched_refresh_is_recorded(service: Service) -> None:
    await asyncio.wait_for(service.refresh(), timeout=60)
    sources = service.store.sources()
    assert all(s.etag == '"v1"' and s.last_refresh is not None for s in sources)
    assert len(service.store.post_rows()) == FEEDS


def entries(*names: str) -> list[Entry]:
    return [Entry(identity=n, url=f"https://example.org/{n}", title=n) for n in names]


def test_a_batch_write_is_all_or_nothing(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "t.sqlite3")
    a = store.add_source("https://a.example/feed", "A", "feed")
    with pytest.raises(sqlite3.IntegrityError):  # no source 999: its posts cannot be stored
        store.upsert_batch([(a.id, entries("one", "two")), (999, entries("three"))])
    assert store.post_rows() == []  # and neither are A's
    assert store.upsert_batch([(a.id, entries("one", "two")), (a.id, entries("two"))]) == [2, 0]
    assert len(store.post_rows()) == 2
    store.close()


async def test_one_bad_write_does_not_sink_the_rest_of_its_batch(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "t.sqlite3")
    a = store.add_source("https://a.example/feed", "A", "feed")
    b = store.add_source("https://b.example/feed", "B", "feed")
    writer = RefreshWriter(store, store.clock().replace(year=2000))
    outcomes = await asyncio.gather(
        writer.write(_Write(a.id, entries("a1", "a2"), '"ea"')),
        writer.write(_Write(999, entries("x"))),
        writer.write(_Write(b.id)),  # a 304
        return_exceptions=True,
    )
    assert outcomes[0] == 2 and outcomes[2] == 0
    assert isinstance(outcomes[1], sqlite3.IntegrityError)
    assert store.source(a.id).etag == '"ea"'
    assert store.source(b.id).last_refresh is not None
    assert len(store.post_rows()) == 2
    store.close()


async def test_a_304_leaves_its_connection_open_for_the_next_request(
    server: LoopbackServer,
) -> None:
    server.route("/same.rss", Response(b"", 304, {"ETag": '"v"'}))
    async with Fetcher(timeout=5) as fetcher:
        for _ in range(3):
            result = await fetcher.get(server.url("/same.rss"), etag='"v"')
            assert result.not_modified
    assert len({r.client_port for r in server.hits("/same.rss")}) == 1


async def test_plain_http_loads_no_certificates(server: LoopbackServer) -> None:
    """The CA bundle waits for the first https URL: an http refresh never parses it."""
    async with Fetcher(timeout=5) as fetcher:
        await fetcher.get(server.url("/service/news.rss"))
        assert fetcher._tls is not None  # still waiting: nothing loaded
        assert fetcher._tls.cert_store_stats()["x509_ca"] == 0


async def test_a_pool_a_host_and_no_more_pools_than_the_bound() -> None:
    """Each host has its own small pool; past the bound the pools idle longest close."""
    import httpx

    from termnews.net.transport import PerHostTransport

    servers = [LoopbackServer(host=f"127.0.0.{i}").start() for i in range(2, 6)]
    try:
        for srv in servers:
            srv.route("/f", Response(b"ok" * 1000, 200, {"Content-Type": "text/plain"}))
        transport = PerHostTransport(2)
        async with httpx.AsyncClient(transport=transport) as client:
            for _ in range(2):
                bodies = await asyncio.gather(*(client.get(s.url("/f")) for s in servers))
                assert [b.content for b in bodies] == [b"ok" * 1000] * 4
                assert len(transport._pools) <= len(servers)
            await client.get(servers[0].url("/f"))
            assert len(transport._pools) <= 2  # nothing in flight: the bound holds again
    finally:
        for srv in servers:
            srv.stop()


async def test_connections_come_from_asyncio_streams(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pools connect through ``net.stream`` (not anyio), once a connection, reused."""
    from termnews.net import stream

    connects: list[tuple[str, int]] = []
    real = stream.AsyncioBackend.connect_tcp

    async def counted(self: stream.AsyncioBackend, host: str, port: int, **kw: object) -> object:
        connects.append((host, port))
        return await real(self, host, port, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(stream.AsyncioBackend, "connect_tcp", counted)
    async with Fetcher(timeout=5) as fetcher:
        first = await fetcher.get(server.url("/service/news.rss"))
        again = await fetcher.get(server.url("/service/news.rss"), etag=first.etag)
    assert first.content and first.status == 200
    assert again.not_modified or again.content == first.content
    assert connects == [("127.0.0.1", server.port)]  # one connection, kept alive


def test_parsing_a_feed_imports_no_encoding_guesser() -> None:
    """feedparser is handed UTF-8 only: its chardet import is skipped (and chardet still
    imports for anyone else)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from termnews.feeds.parse import parse_feed\n"
        'rss = b\'<rss version="2.0"><channel><item><title>t</title><author>a</author>'
        "<foo>x</foo></item></channel></rss>'\n"  # <foo>: not the fast path, feedparser's
        "assert parse_feed(rss, 'https://example.org/').entries[0].title == 't'\n"
        "assert 'feedparser' in sys.modules and 'chardet' not in sys.modules\n"
        "assert sys.modules['feedparser.encodings'].chardet is None\n"
        "import importlib.util\n"
        "if importlib.util.find_spec('chardet'):\n    import chardet\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr


# What a `termnews refresh` of feeds that all answer 304 has no use for.
NOT_FOR_304S = ("feedparser", "lxml.etree", "termnews.feeds.parse", "statistics", "chardet")


def test_a_refresh_of_304s_imports_no_parser(tmp_path: Path, server: LoopbackServer) -> None:
    """The command as a process: the second refresh (every feed unchanged) never imports
    a parser, nor what only parsing or scheduling statistics need."""
    import subprocess
    import sys

    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text('prefetch = "off"\n')
    store = Store.open(tmp_path / "data" / "termnews.sqlite3")
    for n in range(3):
        url = server.route(
            f"/p{n}.rss",
            lambda info, n=n: (
                Response(b"", 304, {"ETag": '"v1"'})
                if info.headers.get("if-none-match") == '"v1"'
                else Response(feed(n), 200, {"Content-Type": "application/rss+xml", "ETag": '"v1"'})
            ),
        )
        store.add_source(url, f"p{n}", "feed", url)
    store.close()
    code = (
        "import sys\n"
        "from termnews.cli.main import main\n"
        "code = main(['--data-dir', sys.argv[1], 'refresh'])\n"
        f"print(code, sorted(m for m in {NOT_FOR_304S!r} if m in sys.modules))\n"
    )
    env = {**os.environ, "TERMNEWS_CONFIG_DIR": str(tmp_path / "config")}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / "data")],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        for _ in range(2)
    ]
    # (the first parses plain feeds: lxml's fast path, and no feedparser, see test_fastrss)
    assert runs[0].stdout.strip().splitlines()[-1].startswith("0 ['lxml.etree'"), runs[0].stderr
    assert runs[1].stdout.strip().splitlines()[-1] == "0 []", runs[1].stderr
    assert "3 unchanged" in runs[1].stdout
