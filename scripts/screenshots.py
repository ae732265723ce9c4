"""Write the README screenshots from the demo data: SVG always, PNG when rsvg-convert exists.

    uv run python scripts/screenshots.py [OUT_DIR]

The clock is frozen so relative ages ("2h", "Nov 6") never change between runs.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from termnews.demo import DEMO_CLOCK, seed_demo
from termnews.service import Service
from termnews.store import Store
from termnews.tui.app import make_app

NOW = DEMO_CLOCK  # frozen: the demo's dates as written, so ages never change

Steps = Callable[[object], Awaitable[None]]


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _article(pilot) -> None:  # type: ignore[no-untyped-def]
    await _settle(pilot)
    await pilot.press("j", "j", "enter")
    await _settle(pilot)


async def _help(pilot) -> None:  # type: ignore[no-untyped-def]
    await _settle(pilot)
    await pilot.press("question_mark")
    await _settle(pilot)


async def _search(pilot) -> None:  # type: ignore[no-untyped-def]
    await _settle(pilot)
    await pilot.press("slash", *"offline")
    await pilot.pause(0.4)
    await _settle(pilot)
    await pilot.press("enter", "enter")
    await _settle(pilot)


SHOTS: list[tuple[str, tuple[int, int], Steps]] = [
    ("main", (120, 40), _article),
    ("help", (120, 40), _help),
    ("search", (120, 40), _search),
    ("main-80x24", (80, 24), _article),
]


async def shoot(out: Path) -> list[Path]:
    written = []
    for name, size, steps in SHOTS:
        with tempfile.TemporaryDirectory() as tmp:
            store = Store.open(Path(tmp) / "demo.sqlite3", clock=lambda: NOW)
            seed_demo(store)
            app = make_app(Service(store, offline=True), no_refresh=True, now=lambda: NOW)
            async with app.run_test(size=size) as pilot:
                await steps(pilot)
                svg = out / f"{name}.svg"
                app.save_screenshot(filename=svg.name, path=str(out))
                written.append(svg)
            store.close()
    return written


def _to_png(converter: str, svg: Path) -> None:
    """Convert with rsvg-convert, asking it to keep whitespace: by default rsvg drops
    leading (no-break) spaces in <text> and would shift the sidebar's columns."""
    text = re.sub(r"<svg ", '<svg xml:space="preserve" ', svg.read_text(encoding="utf-8"), count=1)
    with tempfile.NamedTemporaryFile("w", suffix=".svg", encoding="utf-8", delete=False) as fh:
        fh.write(text)
    try:
        png = svg.with_suffix(".png")
        subprocess.run([converter, "-w", "1600", fh.name, "-o", str(png)], check=True)
    finally:
        Path(fh.name).unlink()


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent.parent / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    svgs = asyncio.run(shoot(out))
    converter = shutil.which("rsvg-convert")
    for svg in svgs:
        if converter:
            _to_png(converter, svg)
        print(svg)
    if not converter:
        print("rsvg-convert not found: SVG only (apt-get install librsvg2-bin)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
