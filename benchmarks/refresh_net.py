"""Fetch N feeds from a loopback server through one Fetcher and print the time per concurrency.

Re-measures the ARCHITECTURE.md claim that ~16 concurrent requests is the sweet
spot for httpx: ``uv run python benchmarks/refresh_net.py [N]``.

Caveat: the in-process test server (http.server, backlog 5, separate header and
body writes) dominates at high concurrency — SYN retries past the backlog and
delayed-ACK stalls — so read the figures as an upper bound on client overhead.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.server import LoopbackServer, Response  # noqa: E402

from termnews.feeds import parse_feed  # noqa: E402
from termnews.net import Fetcher  # noqa: E402

DELAY = 0.05  # simulated server latency per request


async def run(urls: list[str], concurrency: int) -> tuple[float, float]:
    """Seconds to fetch all URLs, and seconds to parse them all afterwards."""
    start = time.perf_counter()
    async with Fetcher(concurrency=concurrency, per_host=concurrency, timeout=30) as fetcher:
        results = await asyncio.gather(*(fetcher.get(u) for u in urls))
    fetched = time.perf_counter()
    for result in results:
        parse_feed(result.content, result.url, result.content_type)
    return fetched - start, time.perf_counter() - fetched


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    body = (Path(__file__).resolve().parents[1] / "tests/data/feeds/rss20.xml").read_bytes()
    server = LoopbackServer().start()
    server.route(
        "/feed", Response(body, headers={"Content-Type": "application/rss+xml"}, delay=DELAY)
    )
    urls = [server.url(f"/feed?n={i}") for i in range(count)]
    try:
        for concurrency in (4, 10, 16, 20, 50):
            elapsed, parsing = asyncio.run(run(urls, concurrency))
            ideal = count / concurrency * DELAY
            print(
                f"{count} feeds, concurrency {concurrency:>2}: {elapsed:5.2f} s "
                f"({elapsed / ideal:4.2f}x ideal), then parsing {parsing:4.2f} s"
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
