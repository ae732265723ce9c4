"""Refresh a 10-source world into a fresh data dir, many times over, and count the crashes.

Each round imports the sources and runs the real ``termnews refresh`` (feeds of every
dialect, a site with a feed, a feedless site, and a prefetch of every article in
threads) in a new process with a new database. A crash in C (a shared lxml parser,
a SQLite connection used from two threads) shows as a process killed by a signal.
The figure to quote is the number of crashes; it must be 0.

    uv run python benchmarks/crash_soak.py [--rounds 50]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.server import LoopbackServer  # noqa: E402
from tests.terminal import termnews_argv  # noqa: E402
from tests.world import World  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--sources", type=int, default=10)
    args = parser.parse_args()
    server = LoopbackServer().start()
    world = World(server, args.sources, broken=0, noisy=True)
    crashes: list[str] = []
    failures = 0
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="termnews-soak-") as tmp:
            opml = Path(tmp) / "world.opml"
            opml.write_text(world.opml(), encoding="utf-8")
            for n in range(args.rounds):
                env = {**os.environ, "TERMNEWS_DATA_DIR": f"{tmp}/data{n}",
                       "TERMNEWS_CONFIG_DIR": f"{tmp}/config"}  # fmt: skip
                subprocess.run(termnews_argv("import", str(opml)), env=env, check=True,
                               capture_output=True)  # fmt: skip
                run = subprocess.run(termnews_argv("refresh"), env=env, capture_output=True,
                                     text=True, timeout=300)  # fmt: skip
                if run.returncode < 0 or run.returncode in (134, 139):
                    code = -run.returncode if run.returncode < 0 else run.returncode - 128
                    crashes.append(f"round {n}: {signal.Signals(code).name} {run.stderr[-200:]}")
                elif run.returncode != 0:
                    failures += 1
                print(f"\rround {n + 1}/{args.rounds}: {len(crashes)} crashes", end="", flush=True)
    finally:
        server.stop()
    print()
    for line in crashes:
        print(line)
    seconds = time.monotonic() - started
    print(
        f"{args.rounds} refreshes of {args.sources} sources into fresh data dirs in"
        f" {seconds:.0f} s: {len(crashes)} crashes, {failures} other failures"
    )
    return 1 if crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
