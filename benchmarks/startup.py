"""Process start to the first screen showing posts, with 100,000 posts cached.

    uv run python benchmarks/startup.py [--size 200x60]

Compared, in the same run, with a minimal Textual app showing one line (target
≤ 1.3×). Both run headless in a subprocess and exit right after their first
paint; termnews uses the benchmark-only ``TERMNEWS_EXIT_AFTER_FIRST_PAINT`` hook.

Both run with bytecode caches, as an installed program does: the caches go to a
temporary ``PYTHONPYCACHEPREFIX`` (warmed by one untimed run of each), and a
``PYTHONDONTWRITEBYTECODE`` in the environment is dropped. Without caches every
run compiles Textual and termnews from source, which measures the compiler, not
start-up (``--no-bytecode`` shows that figure too). Wall time is the target;
CPU time (user + system of the child) is printed beside it because it is far
less disturbed by other work on the machine. ``--size`` sets the headless
terminal of both (``COLUMNS``/``LINES``); from 160 columns termnews starts with
its sources pane.
"""

from __future__ import annotations

import os
import resource
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


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def main(runs: int = 15, bytecode: bool = True, size: str | None = None) -> int:
    database = cached_database(100_000)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        shutil.copy(database, data / "termnews.sqlite3")
        env = dict(os.environ, TEXTUAL_DRIVER=HEADLESS, TERMNEWS_CONFIG_DIR=str(Path(tmp) / "c"))
        env["TERMNEWS_EXIT_AFTER_FIRST_PAINT"] = "1"
        if size is not None:
            env["COLUMNS"], env["LINES"] = size.split("x")
        if bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        else:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        python = sys.executable
        timed([python, "-c", MINIMAL], env)  # warm the file (and bytecode) cache for both
        timed([python, "-c", TERMNEWS, str(data)], env)
        minimal, termnews = [], []
        for _ in range(runs):  # interleaved, so drift hits both alike
            minimal.append(timed([python, "-c", MINIMAL], env))
            termnews.append(timed([python, "-c", TERMNEWS, str(data)], env))
    m = statistics.median(w for w, _ in minimal)
    t = statistics.median(w for w, _ in termnews)
    mc = statistics.median(c for _, c in minimal)
    tc = statistics.median(c for _, c in termnews)
    caches = "with bytecode caches" if bytecode else "compiling from source every run"
    at = f", {size}" if size else ""
    print(f"startup to first paint (median of {runs}, headless{at}, {caches})")
    print(f"  minimal Textual app, one line: {m * 1000:6.0f} ms wall {mc * 1000:6.0f} ms CPU")
    print(f"  termnews, 100,000 posts:       {t * 1000:6.0f} ms wall {tc * 1000:6.0f} ms CPU")
    print(f"  ratio {t / m:.2f}× wall, {tc / mc:.2f}× CPU  target ≤ 1.3×")
    return 0 if t / m <= 1.3 else 1


if __name__ == "__main__":
    args = sys.argv[1:]
    wanted = args[args.index("--size") + 1] if "--size" in args else None
    raise SystemExit(main(bytecode="--no-bytecode" not in args, size=wanted))
