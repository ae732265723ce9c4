"""A refresh's 304s are written together: with the next batch of posts, or at its end."""

from __future__ import annotations

import asyncio
from pathlib import Path

from termnews.config import Config, NetworkConfig
from termnews.models import Entry
from termnews.service import Service
from termnews.service.refresh import RefreshWriter, _Write
from termnews.store import Store
from tests.server import LoopbackServer, RequestInfo, Response

FAST = Config(network=NetworkConfig(timeout=5, connect_timeout=2))


def entries(*names: str) -> list[Entry]:
    return [Entry(identity=n, url=f"https://example.org/{n}", title=n) for n in names]


async def test_a_304_waits_for_the_next_batch_or_the_flush(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "t.sqlite3")
    a, b, c = (store.add_source(f"https://{n}.example/feed", n, "feed") for n in "abc")
    writer = RefreshWriter(store, store.clock().replace(year=2000))
    when = store.clock()
    writer.unchanged(a.id, when)
    assert store.source(a.id).last_refresh is None  # nobody waited for it
    assert await writer.write(_Write(b.id, entries("b1"), '"eb"')) == 1
    assert store.source(a.id).last_refresh == when  # went with b's batch
    writer.unchanged(c.id, when)
    await writer.flush()
    assert store.source(c.id).last_refresh == when
    store.close()


async def test_every_304_of_a_refresh_is_recorded_by_its_end(
    tmp_path: Path, server: LoopbackServer
) -> None:
    service = Service(Store.open(tmp_path / "t.sqlite3"), FAST)
    store = service.store
    for n in range(12):
        url = server.route(f"/f{n}.rss", Response(b"", 304, {"ETag": '"v1"'}))
        source = store.add_source(url, f"f{n}", "feed", url)
        store.record_fetch_error(source.id, "HTTP 500")  # the last refresh failed
    try:
        summary = await asyncio.wait_for(service.refresh(), timeout=60)
    finally:
        await service.aclose()
    assert summary.not_modified == 12
    sources = store.sources()
    assert all(s.last_refresh is not None and s.last_error is None for s in sources)
    store.close()


PARSER_AHEAD = """
import asyncio, sys, time
from termnews.config import Config, NetworkConfig
from termnews.service import Service
from termnews.store import Store

async def main(database, url):
    service = Service(Store.open(database), Config(network=NetworkConfig(timeout=60)))
    service.store.add_source(url, "slow", "feed", url)  # never fetched: no validators
    refresh = asyncio.create_task(service.refresh())
    deadline = time.monotonic() + 20  # a bound on a busy machine, not a speed
    while "termnews.feeds.parse" not in sys.modules and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    print("imported while waiting:", "termnews.feeds.parse" in sys.modules, flush=True)
    summary = await refresh
    print("new posts:", summary.new_posts)
    await service.aclose()

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def test_a_refresh_that_will_get_bodies_imports_the_parser_while_it_waits(
    tmp_path: Path, server: LoopbackServer
) -> None:
    """A source without validators answers with a body: the parser is imported while
    its request is in flight (the server answers only once the child has said)."""
    import subprocess
    import sys
    import threading

    body = (
        b"<rss version='2.0'><channel><item><title>t</title><guid>g</guid></item></channel></rss>"
    )
    answer = threading.Event()

    def slow(info: RequestInfo) -> Response:
        answer.wait(60)
        return Response(body, 200, {"Content-Type": "application/rss+xml"})

    url = server.route("/slow.rss", slow)
    child = subprocess.Popen(
        [sys.executable, "-c", PARSER_AHEAD, str(tmp_path / "t.sqlite3"), url],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        first = child.stdout.readline().strip()
        answer.set()
        rest, errors = child.communicate(timeout=120)
    finally:
        answer.set()
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, errors
    assert [first, *rest.splitlines()] == ["imported while waiting: True", "new posts: 1"]
