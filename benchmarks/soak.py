"""Soak: the reader's queries in one process while another refreshes and prefetches in a loop.

Three processes: a loopback server (20 feeds that grow at every request, and
their article pages), a refresher (``Service.refresh`` + ``prefetch`` +
``prune`` in a loop, as a cron job would), and this one acting as the reader
(sidebar ids and rows, search, opening documents, marking read, saving the
reading position). Prints operations done, errors (target 0) and the slowest
read.

    uv run python benchmarks/soak.py [--seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import multiprocessing
import tempfile
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from termnews.store import PostFilter, Store

FEEDS = 20
ARTICLE = (
    "<html><head><title>Story</title></head><body><article><h1>Story</h1>"
    + "".join(
        f"<p>Paragraph {i} of a story about harbours, ferries and storms.</p>" for i in range(30)
    )
    + "</article></body></html>"
).encode()


def serve(conn: Any) -> None:
    """Feeds that gain five entries per request, and an article page for every entry."""
    counters = {i: itertools.count() for i in range(FEEDS)}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            if self.path.startswith("/feed"):
                feed = int(self.path[5:])
                with lock:
                    n = next(counters[feed])
                host = f"http://127.0.0.1:{self.server.server_address[1]}"
                items = "".join(
                    f"<item><title>Feed {feed} story {i}</title>"
                    f"<link>{host}/story/{feed}/{i}</link><guid>{feed}-{i}</guid>"
                    f"<description>Harbour news {i}</description></item>"
                    for i in range(n * 5, n * 5 + 5)
                )
                body = f"<rss version='2.0'><channel><title>Feed {feed}</title>{items}"
                body = (body + "</channel></rss>").encode()
                kind = "application/rss+xml"
            else:
                body, kind = ARTICLE, "text/html"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128

    httpd = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    conn.send(httpd.server_address[1])
    conn.recv()


def refresher(db: str, stop: Any, results: Any) -> None:
    """Refresh, prefetch and prune in a loop until told to stop; report counts."""
    from termnews.service import Service

    async def loop() -> tuple[int, int, list[str]]:
        service = Service(Store.open(db))
        rounds = errors = 0
        messages: list[str] = []
        while not stop.is_set():
            try:
                summary = await service.refresh()
                await service.prefetch()
                service.prune()
                errors += len(summary.failed)
                messages += [r.error or "" for r in summary.failed][:3]
                rounds += 1
            except Exception:  # noqa: BLE001 - counted and reported, the soak goes on
                errors += 1
                messages.append(traceback.format_exc(limit=2))
        await service.aclose()
        return rounds, errors, messages

    results.put(asyncio.run(loop()))


def reader(store: Store, seconds: float) -> tuple[int, int, float, list[str]]:
    """The reader's queries, as fast as they come; returns ops, errors, slowest read, messages."""
    ops = errors = 0
    slowest = 0.0
    messages: list[str] = []
    deadline = time.monotonic() + seconds
    filters = itertools.cycle([PostFilter(), PostFilter("unread"), PostFilter("saved")])
    while time.monotonic() < deadline:
        try:
            start = time.perf_counter()
            ids = store.post_ids(next(filters))
            store.rows_by_id(ids[:60])
            store.search("harbour")
            if ids:
                store.document(ids[0])
            slowest = max(slowest, time.perf_counter() - start)
            if ids:
                store.set_read(ids[:2])
                store.set_position(ids[0], 0.5)
                if ops % 50 == 0:
                    store.set_saved(ids[-1])
            ops += 1
        except Exception as exc:  # noqa: BLE001 - counted and reported
            errors += 1
            messages.append(repr(exc))
        time.sleep(0.01)
    return ops, errors, slowest, messages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    server = context.Process(target=serve, args=(child,), daemon=True)
    server.start()
    port = parent.recv()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "soak.sqlite3")
        store = Store.open(db)
        for i in range(FEEDS):
            url = f"http://127.0.0.1:{port}/feed{i}"
            store.add_source(url, f"Feed {i}", "feed", url)
        stop, results = context.Event(), context.Queue()
        worker = context.Process(target=refresher, args=(db, stop, results))
        worker.start()
        ops, errors, slowest, messages = reader(store, args.seconds)
        stop.set()
        rounds, refresh_errors, refresh_messages = results.get(timeout=120)
        worker.join(timeout=30)
        counts = store.counts()
        integrity = store.integrity_check()
    parent.send("stop")
    print(
        f"soak {args.seconds:.0f} s: reader {ops} rounds of queries, {errors} errors,"
        f" slowest read {slowest * 1000:.1f} ms"
    )
    print(f"refresher: {rounds} refresh+prefetch rounds, {refresh_errors} errors")
    print(f"final: {counts.posts} posts, {counts.documents} documents, integrity {integrity[0]}")
    for message in (messages + refresh_messages)[:5]:
        print("error:", message.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
