"""Snapshot tests of the sources pane (wide) and the source picker (narrow).

Regenerate with ``uv run pytest tests/tui/test_snapshots_sources.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from termnews.store import Store
from tests.tui.conftest import FakeService, seed_small
from tests.tui.helpers import app_for, settle


@pytest.fixture
def tagged_app(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = Store.open(tmp_path / "snap.sqlite3")
    ids = seed_small(store)
    store.update_source(ids["one"], tags=["Tech", "News"])
    store.update_source(ids["two"], tags=["News"])
    yield app_for(FakeService(store))
    store.close()


def test_sources_pane_at_200_columns(tagged_app, snap_compare):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("S", "j", "j", "j", "j", "j", "enter")  # Example One
        await settle(pilot)
        await pilot.press("enter")  # its first post: the counts drop by one
        await settle(pilot)

    assert snap_compare(tagged_app, terminal_size=(200, 50), run_before=run_before)


def test_narrow_source_picker(tagged_app, snap_compare):
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("S", "e")
        await settle(pilot)

    assert snap_compare(tagged_app, terminal_size=(80, 24), run_before=run_before)
