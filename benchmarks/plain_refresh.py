"""The reference refresher of ``refresh.py``: what a plain Python script costs for the same work.

Standard-library HTTP in 16 threads with conditional requests, ``feedparser``
(imported only when a body arrives) and one SQLite transaction for all the
posts. No limits, no sanitising, no search index: a floor for termnews's
refresh in the same language, measured in the same run.

    python benchmarks/plain_refresh.py DATABASE URL-FILE [THREADS]
"""

from __future__ import annotations

import http.client
import sqlite3
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS feeds (url TEXT PRIMARY KEY, etag TEXT, modified TEXT)",
    "CREATE TABLE IF NOT EXISTS items (feed TEXT, guid TEXT, title TEXT, link TEXT,"
    " published TEXT, summary TEXT, PRIMARY KEY (feed, guid))",
)


def fetch(url: str, etag: str | None, modified: str | None) -> tuple[str, Any, bytes | None]:
    """One conditional GET: (url, response headers, body or None for 304)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port or 80, timeout=30)
    headers = {"User-Agent": "plain-refresh"}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    conn.request("GET", parts.path or "/", headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return url, response.headers, None if response.status == 304 else body


def parse(url: str, body: bytes) -> list[tuple[str, ...]]:
    """The feed's items as rows."""
    import feedparser

    feed = feedparser.parse(body)
    return [
        (url, e.get("id", e.get("link", "")), e.get("title", ""), e.get("link", ""),
         e.get("published", ""), e.get("summary", ""))
        for e in feed.entries
    ]  # fmt: skip


def main(database: str, url_file: str, threads: int = 16) -> int:
    """Refresh every URL of ``url_file`` into ``database``."""
    db = sqlite3.connect(database, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    for statement in SCHEMA:
        db.execute(statement)
    known = {row[0]: row[1:] for row in db.execute("SELECT url, etag, modified FROM feeds")}
    with open(url_file, encoding="utf-8") as fh:
        urls = [line.strip() for line in fh if line.strip()]

    def one(url: str) -> tuple[str, Any, list[tuple[str, ...]] | None]:
        etag, modified = known.get(url, (None, None))
        url, headers, body = fetch(url, etag, modified)
        return url, headers, None if body is None else parse(url, body)

    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(one, urls))
    changed = [(url, headers, rows) for url, headers, rows in results if rows is not None]
    if changed:
        db.execute("BEGIN")
        for url, headers, rows in changed:
            db.executemany("INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?, ?, ?)", rows)
            db.execute(
                "INSERT OR REPLACE INTO feeds VALUES (?, ?, ?)",
                (url, headers.get("ETag"), headers.get("Last-Modified")),
            )
        db.execute("COMMIT")
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], *(int(a) for a in sys.argv[3:4])))
