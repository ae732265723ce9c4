"""Snapshot tests: the main views at fixed sizes with a frozen clock and tiny fixed data.

Regenerate with ``uv run pytest tests/tui/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from termnews.store import Store
from tests.tui.conftest import FakeService, seed_small
from tests.tui.helpers import app_for, main


@pytest.fixture
def snap_app(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path / "snap.sqlite3")
    seed_small(store)
    yield app_for(FakeService(store))
    store.close()


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_main_with_article(snap_app, snap_compare):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)

    assert snap_compare(snap_app, terminal_size=(120, 40), run_before=run_before)


def test_main_narrow(snap_app, snap_compare):
    assert snap_compare(snap_app, terminal_size=(80, 24), run_before=_settle)


def test_help_screen(snap_app, snap_compare):
    assert snap_compare(snap_app, terminal_size=(100, 40), press=["question_mark"])


def test_search_results(snap_app, snap_compare):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settle(pilot)
        await pilot.press("slash", *"zebra")
        screen = main(pilot.app)
        for _ in range(50):  # as-you-type search is debounced: wait until it has run
            await pilot.pause(0.1)
            if screen.filter.query == "zebra" and screen.ids_complete:
                break
        await _settle(pilot)

    assert snap_compare(snap_app, terminal_size=(120, 30), run_before=run_before)


def test_welcome(tmp_path: Path, snap_compare):
    store = Store.open(tmp_path / "empty.sqlite3")
    try:
        assert snap_compare(app_for(FakeService(store)), terminal_size=(100, 30))
    finally:
        store.close()


def test_link_picker(tmp_path: Path, snap_compare):
    """`L` over an article with more links than the number keys reach, filtered to "1"."""
    from termnews.document import Document, Inline, Paragraph

    store = Store.open(tmp_path / "snap.sqlite3")
    ids = seed_small(store)
    names = ["the harbour board", "tide tables", "the old pier", "a letter", "the ferry times"]
    blocks = tuple(
        Paragraph(
            (
                Inline(f"Paragraph {n}: see "),
                Inline(names[n % len(names)], href=f"https://news.example/story/{n}"),
                Inline("."),
            )
        )
        for n in range(1, 15)
    )
    url = "https://one.example/a"
    store.put_document(ids["a"], Document(url=url, title="Alpha: the first story", blocks=blocks))

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settle(pilot)
        await pilot.press("enter")
        await _settle(pilot)
        await pilot.press("L")
        await _settle(pilot)
        await pilot.press("1")
        await _settle(pilot)

    try:
        assert snap_compare(
            app_for(FakeService(store)), terminal_size=(120, 40), run_before=run_before
        )
    finally:
        store.close()
