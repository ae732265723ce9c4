"""The feed's-text path is imported after the first frame, in a thread, not on the first open."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from termnews.store import Store

CHILD = """
import asyncio, sys, time
from termnews.service import Service
from termnews.store import Store
from termnews.tui.app import make_app

MODULE = "termnews.extract.fallback"

async def main():
    app = make_app(Service(Store.open(sys.argv[1]), offline=True), no_refresh=True)
    before = MODULE in sys.modules
    async with app.run_test(size=(100, 30)) as pilot:
        deadline = time.monotonic() + 30  # a bound on a busy machine, not a speed
        while MODULE not in sys.modules and time.monotonic() < deadline:
            await pilot.pause(0.05)
    print(before, MODULE in sys.modules)

asyncio.run(main())
"""


def test_the_feed_text_path_is_imported_once_the_reader_is_up(tmp_path: Path) -> None:
    database = tmp_path / "t.sqlite3"
    Store.open(database).close()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(database)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]  # not at start-up; by itself afterwards
