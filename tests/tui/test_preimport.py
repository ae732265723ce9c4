"""What the first article needs is imported in a thread after the first frame, not by the open."""

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

MODULES = ("termnews.extract.fallback", "termnews.tui.widgets.article_layout")

def imported():
    return [m in sys.modules for m in MODULES]

async def main():
    app = make_app(Service(Store.open(sys.argv[1]), offline=True), no_refresh=True)
    before = imported()
    async with app.run_test(size=(100, 30)) as pilot:
        deadline = time.monotonic() + 30  # a bound on a busy machine, not a speed
        while not all(imported()) and time.monotonic() < deadline:
            await pilot.pause(0.05)
    print(*before, *imported())

asyncio.run(main())
"""


def test_the_first_article_s_modules_are_imported_once_the_reader_is_up(tmp_path: Path) -> None:
    database = tmp_path / "t.sqlite3"
    Store.open(database).close()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(database)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False", "True", "True"]  # not at start-up; then
