"""Sidebar at 100,000 posts: mount time and `G` (jump to the end), against the targets.

    uv run python benchmarks/sidebar.py [N]

Targets (issue "The reader"): mount ≤ 100 ms, G ≤ 30 ms. Also builds the cached
database the other reader benchmarks use (``build_database``).
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from termnews.models import Entry
from termnews.store import Store

NOW = datetime(2024, 11, 6, 12, 0, tzinfo=UTC)
WORDS = "terminal news reader offline library search feed source article keyboard".split()  # noqa: SIM905


def build_database(path: Path, posts: int = 100_000, sources: int = 40) -> Path:
    """A database of ``posts`` posts (bulk SQL, no FTS: the sidebar does not use it)."""
    if path.exists():
        return path
    store = Store.open(path)
    rng = random.Random(1)
    for n in range(sources):
        store.add_source(f"https://s{n}.example/", f"Source {n}", "feed", f"https://s{n}.example/f")
    now = NOW.timestamp()
    rows = []
    for i in range(posts):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12))).capitalize()
        t = now - i * 60
        read = t if rng.random() < 0.7 else None
        url = f"https://s{i % sources}.example/{i}"
        rows.append((1 + i % sources, f"p{i}", url, title, t, t, read, now))
    with store.transaction() as tx:
        tx.executemany(
            "INSERT INTO posts (source_id, identity, url, title, published, sort_key, read_at,"
            " added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


def build_searchable_database(path: Path, posts: int = 4000, sources: int = 40) -> Path:
    """A database filled through ``Store.upsert_posts``, so the full-text index is filled too.

    Every 20th post has "Quokka" in its title: a search for "q" matches those and no other.
    """
    if path.exists():
        return path
    store = Store.open(path)
    rng = random.Random(1)
    per_source: dict[int, list[Entry]] = {}
    ids = [
        store.add_source(f"https://s{n}.example/", f"Source {n}", "feed").id for n in range(sources)
    ]
    for i in range(posts):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12))).capitalize()
        if i % 20 == 0:
            title = f"Quokka {title.lower()}"
        when = datetime.fromtimestamp(NOW.timestamp() - i * 60, UTC)
        entry = Entry(f"p{i}", f"https://s{i % sources}.example/{i}", title, published=when)
        per_source.setdefault(ids[i % sources], []).append(entry)
    for source_id, entries in per_source.items():
        store.upsert_posts(source_id, entries, when=NOW)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


def cached_database(posts: int = 100_000) -> Path:
    """The benchmark database, built once per machine in the temp directory."""
    return build_database(Path(tempfile.gettempdir()) / f"termnews-bench-{posts}.sqlite3", posts)


async def measure(path: Path) -> tuple[float, float, int]:
    from termnews.service import Service
    from termnews.tui.app import make_app
    from termnews.tui.screens.main import MainScreen

    store = Store.open(path)
    app = make_app(Service(store, offline=True), no_refresh=True, now=lambda: NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        post_list = screen.post_list
        # Mount: what on_mount does for the sidebar — read the ids, hand them over, paint.
        start = time.perf_counter()
        ids = store.post_ids(screen.filter)
        post_list.set_ids(ids, keep_selection=False)
        post_list.render_lines(post_list.region.reset_offset)
        mount = time.perf_counter() - start
        await pilot.pause()
        # G: the key's action (cursor to the end, scroll, read one page of rows) and a paint.
        # Pilot's press() is not timed: it adds its own waits for the app to go idle.
        start = time.perf_counter()
        screen.sidebar.action_bottom()  # what G runs in the focused list
        post_list.render_lines(post_list.region.reset_offset)
        jump = time.perf_counter() - start
        assert post_list.cursor == len(ids) - 1
    store.close()
    return mount, jump, len(ids)


def main() -> int:
    posts = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    path = cached_database(posts)
    mount, jump, count = asyncio.run(measure(path))
    print(f"sidebar: {count:,} posts")
    print(
        f"  mount (ids + first paint): {mount * 1000:6.1f} ms  target ≤ 100 ms  "
        f"ratio {mount / 0.100:.2f}"
    )
    print(
        f"  G (jump to end + paint):   {jump * 1000:6.1f} ms  target ≤ 30 ms   "
        f"ratio {jump / 0.030:.2f}"
    )
    return 0 if mount <= 0.100 and jump <= 0.030 else 1


if __name__ == "__main__":
    raise SystemExit(main())
