"""The sources pane with 1,000 sources (in 60 tags) and 100,000 posts: mount and count updates.

    uv run python benchmarks/sources_pane.py [RUNS]

Each figure is a ratio against a reference measured in the same run, in the same
app: a plain ``OptionList`` of 1,000 two-word rows, mounted, laid out and painted
(both mounts wait for the layout the same way: ``pilot.pause``). The
pane's mount is what a wide start does (read the sources, build the rows, the
grouped unread query, paint); "read one post" is ``count_read`` (no query) and
a paint; "a refresh lands" is the full recount (``load_counts``: one grouped
query, then only the changed rows redrawn) after 1,000 new unread posts.
Targets: mount ≤ 1× the reference (no slower than the plainest list Textual has),
each update ≤ 0.25× it.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.geometry import Region
from textual.widgets import OptionList

sys.path.insert(0, str(Path(__file__).parent))
from sidebar import NOW, build_database  # noqa: E402

from termnews.store import Store  # noqa: E402
from termnews.tui.widgets.sources_pane import SourcesPane  # noqa: E402

SOURCES, POSTS, TAGS = 1_000, 100_000, 60


def pane_database() -> Path:
    """1,000 sources with one or two tags each and 100,000 posts, built once per machine."""
    path = Path(tempfile.gettempdir()) / f"termnews-bench-{SOURCES}-sources-{POSTS}.sqlite3"
    if path.exists():
        return path
    build_database(path, POSTS, SOURCES)
    store = Store.open(path)
    rng = random.Random(2)
    with store.transaction() as tx:
        for source_id in range(1, SOURCES + 1):
            tags = rng.sample([f"Folder {n}" for n in range(TAGS)], rng.randint(1, 2))
            tx.execute("UPDATE sources SET tags = ? WHERE id = ?", ("\n".join(tags), source_id))
    store.close()
    return path


class Bench(App[None]):
    """Both lists side by side at the pane's width, as in a 200-column reader."""

    CSS = "OptionList { width: 32; height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield Horizontal(id="row")


def paint(widget: OptionList | SourcesPane) -> None:
    widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))


async def timed(run: Callable[[], Awaitable[None]]) -> float:
    start = time.perf_counter()
    await run()
    return time.perf_counter() - start


async def measure(path: Path, runs: int) -> dict[str, float]:
    store = Store.open(path)
    app = Bench()
    figures: dict[str, list[float]] = {"reference": [], "mount": [], "read": [], "refresh": []}
    async with app.run_test(size=(200, 60)) as pilot:
        row = app.query_one("#row")
        for run in range(runs):
            reference = OptionList(*(f"Source {n}" for n in range(SOURCES)))

            async def mount_reference(widget: OptionList = reference) -> None:
                await row.mount(widget)
                await pilot.pause()  # laid out: the paint draws real rows
                paint(widget)

            figures["reference"].append(await timed(mount_reference))
            await reference.remove()
            pane = SourcesPane(store)

            async def mount_pane(widget: SourcesPane = pane) -> None:
                await row.mount(widget)
                widget.load_sources()
                await widget.load_counts()
                await pilot.pause()
                paint(widget)

            figures["mount"].append(await timed(mount_pane))
            await pilot.pause()

            async def read_one(widget: SourcesPane = pane, source_id: int = 1 + run) -> None:
                widget.count_read(-1, source_id)
                paint(widget)

            figures["read"].append(await timed(read_one))
            _new_unread_posts(store, run)

            async def refresh_lands(widget: SourcesPane = pane) -> None:
                await widget.load_counts()
                paint(widget)

            figures["refresh"].append(await timed(refresh_lands))
            assert pane.counts == store.unread_counts()
            await pane.remove()
    store.close()
    return {name: statistics.median(values) for name, values in figures.items()}


def _new_unread_posts(store: Store, run: int) -> None:
    """A refresh's worth of news: one new unread post in each of the 1,000 sources."""
    now = NOW.timestamp() + run + 1
    with store.transaction() as tx:
        tx.executemany(
            "INSERT INTO posts (source_id, identity, url, title, published, sort_key, added_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (s, f"new-{run}-{s}", f"https://s{s}.example/new-{run}", "New", now, now, now)
                for s in range(1, SOURCES + 1)
            ],
        )


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    source = pane_database()
    with tempfile.TemporaryDirectory() as tmp:  # the runs add posts: work on a copy
        path = Path(tmp) / "pane.sqlite3"
        path.write_bytes(source.read_bytes())
        f = asyncio.run(measure(path, runs))
    ref = f["reference"]
    print(f"sources pane: {SOURCES:,} sources in {TAGS} tags, {POSTS:,} posts (median of {runs})")
    print(f"  reference: OptionList of {SOURCES:,} plain rows, mount + paint: {ref * 1000:6.1f} ms")
    rows = [
        ("mount", "pane mount (sources, rows, counts, paint)", 1.0),
        ("read", "count update: a post read", 0.25),
        ("refresh", "count update: a refresh lands (recount)", 0.25),
    ]
    ok = True
    for key, words, target in rows:
        ratio = f[key] / ref
        ok = ok and ratio <= target
        print(f"  {words:<42} {f[key] * 1000:6.1f} ms  ratio {ratio:.2f}  target ≤ {target:g}×")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
