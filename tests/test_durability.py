"""Two processes at once, and refreshes killed with SIGKILL: nothing lost, nothing corrupt."""

from __future__ import annotations

import itertools
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from termnews.document import Document, Inline, Paragraph
from termnews.models import Entry
from termnews.store import PostFilter, Store
from tests.server import LoopbackServer, RequestInfo, Response

ARTICLE = (Path(__file__).parent / "data" / "service" / "article.html").read_bytes()


def growing_feed(server: LoopbackServer) -> str:
    """A feed that has ten more entries at every request, each linking to an article page."""
    counter = itertools.count()

    def answer(_: RequestInfo) -> Response:
        n = next(counter)
        items = "".join(
            f"<item><title>Story {i}</title><link>{server.base}/story/{i}</link>"
            f"<guid>story-{i}</guid><description>Body of story {i}</description></item>"
            for i in range(n * 10, n * 10 + 10)
        )
        body = f"<rss version='2.0'><channel><title>Growing</title>{items}</channel></rss>"
        return Response(body.encode(), 200, {"Content-Type": "application/rss+xml"})

    server.route("/growing.rss", answer)
    for i in range(400):
        server.route(f"/story/{i}", Response(ARTICLE, 200, {"Content-Type": "text/html"}))
    return server.url("/growing.rss")


def seeded_store(path: Path, feed_url: str) -> tuple[Store, list[int]]:
    """A store following the growing feed, with three saved posts and their documents."""
    store = Store.open(path)
    source = store.add_source(feed_url, "Growing", "feed", feed_url)
    store.upsert_posts(
        source.id, [Entry(f"kept-{i}", f"http://kept.test/{i}", f"Kept {i}") for i in range(3)]
    )
    saved = store.post_ids()
    for post_id in saved:
        store.set_saved(post_id)
        store.put_document(
            post_id,
            Document(
                url="http://kept.test/",
                title=f"Kept {post_id}",
                blocks=tuple(
                    Paragraph((Inline(f"Paragraph {k} of a saved article."),)) for k in range(50)
                ),
            ),
        )
    return store, saved


def _writes(db: Path) -> tuple[int, int]:
    """(posts, documents) as another connection sees them: changes show the child at work."""
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute(
            "SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM documents)"
        ).fetchone()
    finally:
        conn.close()


REFRESH_LOOP = textwrap.dedent("""
    import asyncio, sys
    from termnews.service import Service
    from termnews.store import Store

    async def main():
        service = Service(Store.open(sys.argv[1]))
        while True:
            await service.refresh()
            await service.prefetch()
            service.prune()

    asyncio.run(main())
""")


def test_sigkill_during_refresh_never_corrupts(tmp_path: Path, server: LoopbackServer) -> None:
    db = tmp_path / "t.sqlite3"
    store, saved = seeded_store(db, growing_feed(server))
    expected = {post_id: store.document(post_id) for post_id in saved}
    store.close()
    rng = random.Random(4)
    for _ in range(6):
        before = _writes(db)
        child = subprocess.Popen([sys.executable, "-c", REFRESH_LOOP, str(db)])
        deadline = time.monotonic() + 30
        while _writes(db) == before and time.monotonic() < deadline:
            time.sleep(0.02)  # wait until the child is writing, however slow its start
        time.sleep(rng.uniform(0.0, 0.8))  # then kill it somewhere in its work
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        check = Store.open(db)
        assert check.integrity_check() == ["ok"]
        for post_id, document in expected.items():
            post = check.post(post_id)
            assert post is not None and post.is_saved
            assert check.document(post_id) == document
        check.close()
    final = Store.open(db)
    assert final.counts().posts > 3  # the killed refreshes did get work done


def test_reader_and_cron_refresh_at_once(tmp_path: Path, server: LoopbackServer) -> None:
    reader, saved = seeded_store(tmp_path / "termnews.sqlite3", growing_feed(server))
    env = {**os.environ, "TERMNEWS_DATA_DIR": str(tmp_path)}
    cron = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from termnews.cli import main; import sys\n"
            "for _ in range(4):\n    code = main(['refresh'])\n    assert code == 0, code",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    reads = writes = 0
    seen = set()
    while cron.poll() is None:
        ids = reader.post_ids(PostFilter())
        seen.update(ids)
        reader.rows_by_id(ids[:60])
        reader.set_read(ids[:5])
        reader.set_position(saved[0], (reads % 10) / 10)
        reads += 1
        writes += 2
    out, err = cron.communicate()
    assert cron.returncode == 0, err
    assert "locked" not in err
    assert len(reader.post_ids()) >= 3 + 40  # the reader sees the cron's posts
    assert reads > 5
    assert reader.integrity_check() == ["ok"]
    assert reader.post(saved[0]).position == ((reads - 1) % 10) / 10  # our writes kept


def test_wal_mode_survives_reopen(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "t.sqlite3")
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.close()
    again = Store.open(tmp_path / "t.sqlite3")
    assert again.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
