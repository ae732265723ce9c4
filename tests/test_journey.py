"""A subscriber's first day, through the real ``termnews`` command in a real pseudo-terminal.

32 sources of every dialect (feedless sites and two broken ones among them) from the
loopback world: import, launch, refresh, read, save, follow a link, search, quit,
then read the saved and a downloaded article again with no network at all.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from termnews.store import Store
from tests.server import LoopbackServer
from tests.terminal import Terminal, termnews_argv
from tests.world import World

pytestmark = pytest.mark.journey


def _posts_per_source(data_dir: Path) -> dict[str, int]:
    store = Store.open(data_dir / "termnews.sqlite3")
    try:
        counts = store.post_counts_by_source()
        return {s.title: counts.get(s.id, 0) for s in store.sources()}
    finally:
        store.close()


def _saved_titles(data_dir: Path) -> list[str]:
    store = Store.open(data_dir / "termnews.sqlite3")
    try:
        hits = store.search("report", saved_only=True, limit=50)
        return [hit.title for hit in hits]
    finally:
        store.close()


def _eventually(check, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("the store never showed it")
        time.sleep(0.1)


def test_a_subscribers_first_day(
    server: LoopbackServer, tmp_path: Path, isolated_dirs: Path
) -> None:
    world = World(server, 30)
    opml = tmp_path / "subscriptions.opml"
    opml.write_text(world.opml(), encoding="utf-8")
    env = dict(os.environ)
    imported = subprocess.run(
        termnews_argv("import", str(opml)), env=env, capture_output=True, text=True, timeout=120
    )
    assert imported.returncode == 0, imported.stderr
    first = world.sources[0]  # the newest post of all is this source's first report

    term = Terminal(termnews_argv(), env)
    try:
        # Start-up refreshes every source (none was ever fetched), then downloads articles.
        term.wait_for("150 new posts", timeout=90)
        counts = _posts_per_source(isolated_dirs)
        assert {t: n for t, n in counts.items() if not t.startswith("Broken")} == {
            s.title: 5 for s in world.sources
        }
        term.wait_for(lambda screen: "downloaded" in screen, timeout=90)
        # R refreshes them all again (every feed answers 304 now).
        term.type("R")
        term.wait_for("Up to date", timeout=90)
        assert "All · 150" in term.text()

        term.type("enter")  # the newest post
        term.wait_for(world.article_sentence(first, 0))
        term.type("s")
        _eventually(lambda: world.post_title(first, 0) in _saved_titles(isolated_dirs))

        term.type("1")  # the article's first link: the next source's first report
        term.wait_for(world.article_sentence(world.sources[1], 0))

        term.type("/", "Quarry")  # typed at once: nothing may be lost or run as a command
        term.wait_for("Search “Quarry”")
        term.type("escape")
        term.type("q")
        assert term.wait_exit() == 0
    finally:
        term.close()

    offline = Terminal(termnews_argv("--offline"), env)
    try:
        offline.wait_for("All · 150")
        offline.type("f")
        offline.type("f")  # all → unread → saved
        offline.wait_for("Saved · 1")
        offline.type("enter")
        offline.wait_for(world.article_sentence(first, 0))
        offline.wait_for(f"This is the end of the first {first.subject.lower()} story.")
        offline.type("tab", "f")  # back to the list; saved → all
        quarry = world.sources[2]
        offline.type("/", quarry.subject)
        offline.wait_for(f"Search “{quarry.subject}”")
        offline.type("enter", "enter")  # from the search box to the results, then open
        offline.wait_for(world.article_sentence(quarry, 0))  # downloaded by the prefetch
        offline.type("q")
        assert offline.wait_exit() == 0
    finally:
        offline.close()
