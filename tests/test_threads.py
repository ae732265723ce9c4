"""No C crash when many threads read pages at once (lxml parsers are per thread)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
RUNS = 3  # on the code that shared parsers, 5 runs of 6 crashed in a trial


def test_parallel_extraction_never_crashes_in_c():
    for _ in range(RUNS):
        child = subprocess.run(
            [sys.executable, "-m", "tests.stress.extract_threads", "10", "16"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if child.returncode < 0:
            name = signal.Signals(-child.returncode).name
            raise AssertionError(f"the child died of {name}: {child.stderr[-500:]}")
        assert child.returncode == 0, child.stderr[-2000:]
        assert child.stdout.startswith("ok: 160 pages")
