"""The sidebar marks posts their feed did not date (issue 11, point 10)."""

from __future__ import annotations

from termnews.models import Entry
from tests.tui.conftest import NOW
from tests.tui.helpers import app_for, settle, sidebar_text


async def test_undated_post_says_undated_instead_of_an_age(service, ids):
    store = service.store
    store.upsert_posts(ids["one"], [Entry("u", "https://one.example/u", "Undated note")], NOW)
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        lines = sidebar_text(app)
        index = next(i for i, line in enumerate(lines) if "Undated note" in line)
        assert lines[index + 1].strip() == "Example One · undated"
        alpha = next(i for i, line in enumerate(lines) if "Alpha: the first story" in line)
        assert lines[alpha + 1].strip() == "Example One · 1h"  # dated posts keep their age
