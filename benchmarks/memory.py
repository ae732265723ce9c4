"""Peak memory of the reader with 100,000 posts cached (target ≤ 150 MB).

    uv run python benchmarks/memory.py

Runs in a subprocess: start the app headless, jump to the end (G), page the
sidebar, open a post, and report ``ru_maxrss``; a minimal Textual app is
measured the same way for the ratio.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from sidebar import cached_database  # noqa: E402

READER = """
import asyncio, resource, sys
from termnews.service import Service
from termnews.store import Store
from termnews.tui.app import make_app

async def main():
    store = Store.open(sys.argv[1])
    app = make_app(Service(store, offline=True), no_refresh=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("G", "g", "j", "j", "enter")
        for _ in range(50):
            app.screen.post_list.page_down()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.screen.post_list.ids) == 100_000
    store.close()

asyncio.run(main())
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

MINIMAL = """
import asyncio, resource
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    def compose(self):
        yield Static("one line")
async def main():
    async with Minimal().run_test(size=(120, 40)) as pilot:
        await pilot.pause()
asyncio.run(main())
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_mb(code: str, *args: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip().splitlines()[-1]) / 1024  # ru_maxrss is in KiB on Linux


def main() -> int:
    database = cached_database(100_000)
    reader = peak_mb(READER, str(database))
    minimal = peak_mb(MINIMAL)
    print("peak memory (ru_maxrss)")
    print(f"  minimal Textual app:       {minimal:6.1f} MB")
    print(
        f"  termnews, 100,000 posts:   {reader:6.1f} MB  target ≤ 150 MB  "
        f"ratio to target {reader / 150:.2f}"
    )
    return 0 if reader <= 150 else 1


if __name__ == "__main__":
    raise SystemExit(main())
