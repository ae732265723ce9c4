"""The reader's waits (issue 15): quit, open a long article, a search step — each with a reference.

    uv run python benchmarks/reader_speed.py [--rounds 5]

- quit: `q` to the process gone, the real ``termnews`` in a pty (4,000 posts), against
  a minimal Textual app quitting on `q` the usual way, in interleaved rounds.
- open: a cached 10,000-word article to its first paint, against a 100-word one;
  and the same article, and a 50,000-word one, reopened at a saved place (60 %):
  to a first paint that shows the text at that place.
- search: one key in the search box to its hits painted (4,000 posts, the full-text
  index filled, a query that matches), in a pty, against a minimal Textual app
  repainting a line on a key in the same pty.

Each row prints both medians, the ratio and the 50 ms target.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import select
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from article import big_document  # noqa: E402
from sidebar import build_database, build_searchable_database  # noqa: E402
from tests.terminal import Terminal, termnews_argv  # noqa: E402

TARGET = 0.050
MINIMAL = """
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    BINDINGS = [("q", "quit", "Quit")]
    def compose(self):
        yield Static("ready")
Minimal().run()
"""


def _quit_once(argv: list[str], env: dict[str, str], ready: str) -> float:
    term = Terminal(argv, env, columns=120, rows=40)
    try:
        term.wait_for(ready)
        term.pump(0.3)  # let start-up's after-paint work finish
        start = time.perf_counter()
        os.write(term.master, b"q")
        while term.process.poll() is None:
            term.pump(0.001)
        return time.perf_counter() - start
    finally:
        term.close()


def quit_row(rounds: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        build_database(data / "termnews.sqlite3", 4000)
        env = dict(os.environ, TERMNEWS_DATA_DIR=str(data), TERMNEWS_CONFIG_DIR=f"{tmp}/c")
        ours, minimal = [], []
        for _ in range(rounds):
            ours.append(_quit_once(termnews_argv("--offline"), env, "All ·"))
            minimal.append(_quit_once([sys.executable, "-c", MINIMAL], env, "ready"))
    return statistics.median(ours), statistics.median(minimal)


async def _open(store, post_id: int, position: float | None = None) -> float:  # type: ignore[no-untyped-def]
    from termnews.service import Service
    from termnews.tui.app import make_app

    app = make_app(Service(store, offline=True), no_refresh=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        painted = asyncio.Event()
        start = time.perf_counter()
        screen.open_post(post_id, position)  # type: ignore[attr-defined]
        screen.call_after_refresh(painted.set)
        await painted.wait()
        took = time.perf_counter() - start
        if position is not None:  # the paint timed is the one at the saved place
            place = screen.article.fraction  # type: ignore[attr-defined]
            assert abs(place - position) < 0.01, f"painted at {place:.3f}, not {position}"
        return took


def open_rows(rounds: int) -> list[tuple[float, float]]:
    """Opening from the top, and reopening partly read ones at 60 %, against 100 words."""
    from termnews.models import Entry
    from termnews.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "a.sqlite3")
        source = store.add_source("https://example.com/", "Example", "feed")
        ids = []
        for name, words in (("big", 10_000), ("small", 100), ("huge", 50_000)):
            url = f"https://example.com/{name}"
            store.upsert_posts(source.id, [Entry(name, url, name)])
            post = store.post_by_url(url)
            assert post is not None
            store.put_document(post.id, big_document(words))
            ids.append(post.id)
        big, small, reopened, huge = [], [], [], []
        for _ in range(rounds):
            big.append(asyncio.run(_open(store, ids[0])))
            small.append(asyncio.run(_open(store, ids[1])))
            reopened.append(asyncio.run(_open(store, ids[0], 0.6)))
            huge.append(asyncio.run(_open(store, ids[2], 0.6)))
        store.close()
    ref = statistics.median(small)
    return [(statistics.median(runs), ref) for runs in (big, reopened, huge)]


KEY_ECHO = """
from textual.app import App
from textual.widgets import Static
class Echo(App):
    def compose(self):
        yield Static("ready", id="line")
    def on_key(self, event):
        self.query_one("#line", Static).update(f"pressed {event.character}")
Echo().run()
"""


def _hits_shown(screen: str) -> bool:
    """The list shows the hits: a screenful of "Quokka" rows (the full list has 1 in 20)."""
    return screen.count("Quokka") >= 10


def _key_to_screen(term: Terminal, key: str, test: Callable[[str], bool]) -> float:
    """Seconds from writing ``key`` to the program's output since then passing ``test``.

    The bytes are tested as they arrive (the rows a paint writes carry their text);
    the emulator reads them only after the clock stops, so its own parsing, slower
    for a full repaint than for one line, is not counted.
    """
    start = time.perf_counter()
    os.write(term.master, key.encode())
    written = b""
    while not test(written.decode("utf-8", "replace")):
        if term.process.poll() is not None:
            raise AssertionError(f"the program exited; the screen was:\n{term.text()}")
        ready, _, _ = select.select([term.master], [], [], 1.0)
        if ready:
            written += os.read(term.master, 65536)
    took = time.perf_counter() - start
    term.stream.feed(written)
    return took


def search_row(rounds: int) -> tuple[float, float]:
    """`q` typed in the search box to the first "Quokka" hit on screen, real termnews in a pty.

    The database is filled through the store's insert path, so the full-text index is
    full and the query matches (200 of 4,000 posts, 1 in 20 rows of the unfiltered list).
    The reference is a minimal Textual app repainting a line on a key, in the same pty.
    """
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        build_searchable_database(data / "termnews.sqlite3", 4000)
        env = dict(os.environ, TERMNEWS_DATA_DIR=str(data), TERMNEWS_CONFIG_DIR=f"{tmp}/c")
        ours, echo = [], []
        term = Terminal(termnews_argv("--offline"), env, columns=120, rows=40)
        floor = Terminal([sys.executable, "-c", KEY_ECHO], env, columns=120, rows=40)
        try:
            term.wait_for("All ·")
            floor.wait_for("ready")
            term.pump(0.5)
            for n in range(rounds + 1):  # the first round warms the caches
                term.type("/")
                term.wait_for("Search cached posts")
                took = _key_to_screen(term, "q", _hits_shown)
                term.type("escape")
                term.wait_for(lambda screen: not _hits_shown(screen))
                key = "xy"[n % 2]
                step = _key_to_screen(floor, key, lambda screen, k=key: f"pressed {k}" in screen)
                if n:
                    ours.append(took)
                    echo.append(step)
        finally:
            term.close()
            floor.close()
    return statistics.median(ours), statistics.median(echo)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    opened, reopened, huge = open_rows(rounds)
    rows = [
        ("quit (q → gone, 4k posts)", "minimal Textual app", quit_row(rounds)),
        ("open 10,000 words → paint", "100 words", opened),
        ("reopen it at 60 % → paint", "100 words", reopened),
        ("reopen 50,000 at 60 % → paint", "100 words", huge),
        ("search key → hits (4k)", "key → paint, minimal", search_row(rounds)),
    ]
    print(f"reader waits, medians of {rounds}; target ≤ {TARGET * 1000:.0f} ms")
    ok = True
    for name, reference, (ours, ref) in rows:
        ok = ok and ours <= TARGET
        print(
            f"  {name:30} {ours * 1000:7.1f} ms   {reference:20} {ref * 1000:7.1f} ms"
            f"   ratio {ours / ref:5.2f}×"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
