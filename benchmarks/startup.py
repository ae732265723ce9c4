"""Process start to the first screen showing posts, with 100,000 posts cached.

    uv run python benchmarks/startup.py

Compared, in the same run, with a minimal Textual app showing one line (target
≤ 1.3×). Both run headless in a subprocess and exit right after their first
paint; termnews uses the benchmark-only ``TERMNEWS_EXIT_AFTER_FIRST_PAINT`` hook.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from sidebar import cached_database  # noqa: E402

MINIMAL = """
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    def compose(self):
        yield Static("one line")
    def on_mount(self):
        self.call_after_refresh(self.exit)
Minimal().run()
"""

TERMNEWS = """
import sys
from pathlib import Path
from termnews.tui.app import run_app
sys.exit(run_app(Path(sys.argv[1]), demo=False, offline=False, no_refresh=True))
"""

HEADLESS = "textual.drivers.headless_driver:HeadlessDriver"


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(runs: int = 7) -> int:
    database = cached_database(100_000)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        shutil.copy(database, data / "termnews.sqlite3")
        env = dict(os.environ, TEXTUAL_DRIVER=HEADLESS, TERMNEWS_CONFIG_DIR=str(Path(tmp) / "c"))
        env["TERMNEWS_EXIT_AFTER_FIRST_PAINT"] = "1"
        python = sys.executable
        timed([python, "-c", MINIMAL], env)  # warm the file cache for both
        timed([python, "-c", TERMNEWS, str(data)], env)
        minimal, termnews = [], []
        for _ in range(runs):  # interleaved, so drift hits both alike
            minimal.append(timed([python, "-c", MINIMAL], env))
            termnews.append(timed([python, "-c", TERMNEWS, str(data)], env))
    m, t = statistics.median(minimal), statistics.median(termnews)
    print(f"startup to first paint (median of {runs}, headless)")
    print(f"  minimal Textual app, one line: {m * 1000:6.0f} ms")
    print(f"  termnews, 100,000 posts:       {t * 1000:6.0f} ms")
    print(f"  ratio {t / m:.2f}×  target ≤ 1.3×")
    return 0 if t / m <= 1.3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
