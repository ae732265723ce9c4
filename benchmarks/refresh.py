"""Refresh many sources over loopback with injected latency; print wall time against the ideal.

Feeds are served by several loopback servers (127.0.0.2, 127.0.0.3, …) so the
per-host limit acts as it would on the web. The ideal is
``latency × ceil(N / concurrency)``: what a perfect client with the same
concurrency would take. Three rounds are timed:

* cold    — every feed new (parse + insert every entry),
* changed — every feed answers with one new entry (the everyday refresh),
* 304     — nothing changed, validators sent back (no parsing, no writes).

Then CPU time per 100-item feed (parse + store) is measured alone.

    uv run python benchmarks/refresh.py [--sources 200] [--latency 0.05] [--items 10]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from termnews.config import Config, NetworkConfig
from termnews.service import Service
from termnews.store import Store


def make_feed(name: str, items: int, generation: int) -> bytes:
    """An RSS 2.0 feed; each generation adds one newer entry on top."""
    base = datetime(2026, 11, 1, tzinfo=UTC)
    parts = [f"<rss version='2.0'><channel><title>{name}</title><link>http://x.test/</link>"]
    for i in range(items + generation):
        date = format_datetime(base + timedelta(minutes=i))
        parts.append(
            f"<item><title>{name} post {i}</title><link>http://x.test/{name}/{i}</link>"
            f"<guid>{name}-{i}</guid><pubDate>{date}</pubDate>"
            f"<description>&lt;p&gt;Paragraph {i} of {name}, with some words in it "
            f"to look like a real summary of a post.&lt;/p&gt;</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a listen backlog like a real server's, not the default 5


class FeedServer:
    """A loopback server that answers every path with a feed after ``latency`` seconds.

    ``generation`` is shared memory so the benchmark can change every feed at once.
    """

    def __init__(self, host: str, latency: float, items: int, generation: Any) -> None:
        owner = self
        self._generation = generation
        self._bodies: dict[tuple[str, int], bytes] = {}

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                time.sleep(latency)
                etag = f'"{self.path}-{owner.generation}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = owner.body(self.path.strip("/"), items)
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = _Server((host, 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def body(self, name: str, items: int) -> bytes:
        """The feed body, built once per generation: the server should cost next to nothing."""
        key = (name, self.generation)
        if key not in self._bodies:
            self._bodies[key] = make_feed(name, items, self.generation)
        return self._bodies[key]

    @property
    def generation(self) -> int:
        return int(self._generation.value)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"


def serve(hosts: int, latency: float, items: int, generation: Any, conn: Any) -> None:
    """Run the feed servers in their own process, so they never compete for our GIL."""
    servers = [FeedServer(f"127.0.0.{i + 2}", latency, items, generation) for i in range(hosts)]
    for i in range(256):  # pre-build generations 0 and 1 of every feed
        for generation_value in (0, 1):
            name = f"feed{i}"
            servers[i % hosts]._bodies[(name, generation_value)] = make_feed(
                name, items, generation_value
            )
    conn.send([server.base for server in servers])
    conn.recv()  # block until the benchmark is done


async def timed_refresh(service: Service) -> tuple[float, int, int]:
    start = time.perf_counter()
    summary = await service.refresh()
    return time.perf_counter() - start, summary.new_posts, len(summary.failed)


def cpu_per_feed(items: int) -> float:
    """CPU seconds to parse and store one feed of ``items`` entries (median of 20)."""
    from termnews.feeds.parse import parse_feed

    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "cpu.sqlite3")
        times = []
        for i in range(20):
            source = store.add_source(f"http://cpu.test/{i}", f"cpu {i}", "feed")
            body = make_feed(f"cpu{i}", items, 0)
            start = time.process_time()
            feed = parse_feed(body, f"http://cpu.test/{i}", "application/rss+xml")
            store.upsert_posts(source.id, feed.entries)
            times.append(time.process_time() - start)
        store.close()
    times.sort()
    return times[len(times) // 2]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--items", type=int, default=10, help="entries per feed")
    parser.add_argument("--hosts", type=int, default=8, help="loopback addresses to spread over")
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()

    generation = multiprocessing.Value("i", 0)
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.Process(
        target=serve, args=(args.hosts, args.latency, args.items, generation, child), daemon=True
    )
    process.start()
    bases: list[str] = parent.recv()
    config = Config(network=NetworkConfig(concurrency=args.concurrency))
    ideal = args.latency * math.ceil(args.sources / args.concurrency)
    print(
        f"{args.sources} sources over {args.hosts} loopback hosts, {args.latency * 1000:.0f} ms"
        f" latency, {args.items} items a feed, concurrency {args.concurrency}"
        f" (≤4 per host); ideal {ideal:.3f} s"
    )
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.sqlite3")
        for i in range(args.sources):
            url = f"{bases[i % args.hosts]}/feed{i}"
            store.add_source(url, f"feed {i}", "feed", url)
        service = Service(store, config)
        for label in ("cold", "changed", "304"):
            if label == "changed":
                with generation.get_lock():
                    generation.value += 1
            cpu0 = time.process_time()
            wall, new, failed = await timed_refresh(service)
            cpu = time.process_time() - cpu0
            print(
                f"{label:8s} wall {wall:6.3f} s = {wall / ideal:4.2f}× ideal;"
                f" cpu {cpu:5.2f} s; {new} new posts; {failed} failed"
            )
        await service.aclose()
        store.close()
    per_feed = cpu_per_feed(100)
    print(f"cpu per 100-item feed (parse + store): {per_feed * 1000:.1f} ms")
    parent.send("stop")
    process.join(timeout=5)


if __name__ == "__main__":
    asyncio.run(main())
