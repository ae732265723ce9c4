"""Write the README screenshots: SVG always, PNG when rsvg-convert exists.

    uv run python scripts/screenshots.py [OUT_DIR]

Most shots show the loopback world of ``tests/world.py`` (30 sources of every kind,
refreshed for real over 127.0.0.1, articles downloaded); the help screen shows the
demo. The clock is frozen so relative ages ("2h", "Nov 6") never change between runs.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.server import LoopbackServer  # noqa: E402
from tests.world import NOW as WORLD_NOW  # noqa: E402
from tests.world import World  # noqa: E402

from termnews.config import Config  # noqa: E402
from termnews.demo import DEMO_CLOCK, seed_demo  # noqa: E402
from termnews.service import Service  # noqa: E402
from termnews.store import Store  # noqa: E402
from termnews.tui.app import make_app  # noqa: E402

WORLD_CLOCK = WORLD_NOW + timedelta(hours=2)  # a morning after the world's last posts

Steps = Callable[[object], Awaitable[None]]


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _article(pilot) -> None:  # type: ignore[no-untyped-def]
    await _settle(pilot)
    await pilot.press("j", "j", "enter")
    await _settle(pilot)


async def _links(pilot) -> None:  # type: ignore[no-untyped-def]
    await _article(pilot)
    await pilot.press("L")
    await _settle(pilot)


async def _help(pilot) -> None:  # type: ignore[no-untyped-def]
    await _settle(pilot)
    await pilot.press("question_mark")
    await _settle(pilot)


async def _search(pilot) -> None:  # type: ignore[no-untyped-def]
    await _settle(pilot)
    await pilot.press("slash", *"harbour")
    await pilot.pause(0.4)
    await _settle(pilot)
    await pilot.press("enter", "enter")
    await _settle(pilot)


@dataclass(frozen=True)
class Shot:
    """One screenshot: the data it shows, the terminal size, the keys, the theme."""

    name: str
    size: tuple[int, int]
    steps: Steps
    data: str = "world"  # "world" (the loopback sources) or "demo" (the bundled guide)
    theme: str | None = None


SHOTS = [
    Shot("main", (120, 40), _article),
    Shot("main-80x24", (80, 24), _article),
    Shot("sources", (200, 60), _article),
    Shot("search", (120, 40), _search),
    Shot("links", (120, 40), _links),
    Shot("light", (120, 40), _article, theme="textual-light"),
    Shot("help", (120, 40), _help, data="demo"),
]


async def world_database(folder: Path) -> Path:
    """Import the loopback world's OPML and refresh it for real: posts and articles cached."""
    server = LoopbackServer().start()
    try:
        world = World(server, 30, broken=2)
        database = folder / "world.sqlite3"
        store = Store.open(database, clock=lambda: WORLD_CLOCK)
        service = Service(store, Config())
        service.import_opml(world.opml().encode())
        await service.update()
        store.close()
    finally:
        server.stop()
    return database


async def shoot(out: Path) -> list[Path]:
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        world = await world_database(Path(tmp))
        for shot in SHOTS:
            database = Path(tmp) / f"{shot.name}.sqlite3"
            if shot.data == "world":
                shutil.copy(world, database)
                now = WORLD_CLOCK
            else:
                now = DEMO_CLOCK
            store = Store.open(database, clock=lambda now=now: now)  # type: ignore[misc]
            if shot.data == "demo":
                seed_demo(store)
            app = make_app(Service(store, Config()), no_refresh=True, now=lambda now=now: now)
            if shot.theme:
                app.theme = shot.theme
            async with app.run_test(size=shot.size) as pilot:
                await shot.steps(pilot)
                svg = out / f"{shot.name}.svg"
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
