"""Moving around: the list, the panes, opening posts, reading position."""

from __future__ import annotations

from tests.tui.helpers import app_for, main, reading, settle, sidebar_text, title_of


async def test_startup_shows_cached_posts_newest_first(service, ids):
    async with reading(service) as (pilot, screen):
        app = pilot.app
        assert screen.post_list.ids[:2] == [ids["a"], ids["b"]]
        assert screen.post_list.selected_id == ids["a"]
        assert title_of(screen.query_one("#sidebar")) == "Recent posts (All · 6 · 4 unread)"
        lines = sidebar_text(app)
        assert lines[0].startswith(" ●↓ Alpha: the first story")
        assert lines[1].strip() == "Example One · 1h"
        assert "Nov 6" not in lines[1]
        assert lines[6].startswith(" ●★ Delta saves everything")
        assert lines[9].strip() == "Example One · Oct 28"
        assert lines[11].strip() == "Second Site · Oct 2023"
        assert screen.post_list.has_focus


async def test_j_k_arrows_g_G_move_the_cursor(service, ids):
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pl = main(app).post_list
        await pilot.press("j")
        assert pl.selected_id == ids["b"]
        await pilot.press("down", "down")
        assert pl.selected_id == ids["d"]
        await pilot.press("k")
        assert pl.selected_id == ids["c"]
        await pilot.press("up")
        assert pl.selected_id == ids["b"]
        await pilot.press("G")
        assert pl.selected_id == ids["f"]
        await pilot.press("g")
        assert pl.selected_id == ids["a"]
        await pilot.press("end")
        assert pl.selected_id == ids["f"]
        await pilot.press("home")
        assert pl.selected_id == ids["a"]
        await pilot.press("k")  # clamped at the top
        assert pl.selected_id == ids["a"]


async def test_enter_opens_marks_read_and_focuses_article(service, store, ids):
    async with reading(service) as (pilot, screen):
        await pilot.press("enter")
        await settle(pilot)
        assert screen.article.post_id == ids["a"]
        assert screen.article.has_focus
        assert store.post(ids["a"]).is_read
        assert title_of(screen.query_one("#sidebar")).endswith("3 unread)")
        # j/k now scroll the article, the cursor stays
        await pilot.press("j", "j", "down")
        assert screen.article.scroll_y == 3
        await pilot.press("k")
        assert screen.article.scroll_y == 2
        assert screen.post_list.selected_id == ids["a"]
        await pilot.press("G")
        assert screen.article.scroll_y == screen.article.max_scroll_y
        assert screen.status.percent == 100
        await pilot.press("g")
        assert screen.article.scroll_y == 0


async def test_l_opens_too_and_tab_switches_panes(service, ids):
    async with reading(service) as (pilot, screen):
        await pilot.press("j", "l")
        await settle(pilot)
        assert screen.article.post_id == ids["b"]
        await pilot.press("tab")
        assert screen.post_list.has_focus
        await pilot.press("tab")
        assert screen.article.has_focus
        await pilot.press("shift+tab")
        assert screen.post_list.has_focus
        await pilot.press("tab", "escape")
        assert screen.post_list.has_focus


async def test_space_b_pgdn_pgup_page_the_article_from_either_pane(service, ids):
    async with reading(service) as (pilot, screen):
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("space")
        first = screen.article.scroll_y
        assert first > 10
        await pilot.press("pagedown")
        assert screen.article.scroll_y > first
        await pilot.press("b")
        assert screen.article.scroll_y == first
        await pilot.press("tab", "pageup")  # from the sidebar
        assert screen.article.scroll_y == 0
        assert screen.post_list.has_focus


async def test_uncached_post_shows_loading_then_document(service, store, ids):
    import asyncio

    service.load_gate = asyncio.Event()
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main(app)
        await pilot.press("j", "enter")
        await pilot.pause()
        assert screen.article.has_class("-loading")
        assert screen.article.post_id == ids["b"]
        assert screen.article.document is None
        service.load_gate.set()
        await settle(pilot)
        assert not screen.article.has_class("-loading")
        assert screen.article.document is not None
        assert store.post(ids["b"]).has_document


async def test_moving_on_cancels_the_old_load(service, store, ids):
    import asyncio

    service.load_gate = asyncio.Event()
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = main(app)
        await pilot.press("j", "enter")  # b: slow load
        await pilot.pause()
        await pilot.press("tab", "k", "enter")  # a: cached
        await pilot.pause()
        service.load_gate.set()
        await settle(pilot)
        assert screen.article.post_id == ids["a"]
        # The old load was cancelled, not left to finish behind the new article.
        assert service.loaded == []
        assert not store.post(ids["b"]).has_document


async def test_reading_position_is_saved_and_restored(service, store, ids):
    async with reading(service) as (pilot, screen):
        await pilot.press("enter", "space", "space")
        await settle(pilot)
        fraction = screen.article.fraction
        assert 0.1 < fraction < 1
        await pilot.press("tab", "j", "enter")  # open another post: position saved
        await settle(pilot)
        assert abs(store.post(ids["a"]).position - fraction) < 0.01
        await pilot.press("tab", "k", "enter")
        await settle(pilot)
        assert screen.article.post_id == ids["a"]
        assert abs(screen.article.fraction - fraction) < 0.02


async def test_next_and_previous_unread(service, store, ids):
    async with reading(service) as (pilot, screen):
        app = pilot.app
        await pilot.press("n")  # from a (unread, under the cursor) to the next unread: b
        await settle(pilot)
        assert screen.article.post_id == ids["b"]
        await pilot.press("n")  # c is read: d
        await settle(pilot)
        assert screen.article.post_id == ids["d"]
        assert screen.post_list.selected_id == ids["d"]
        await pilot.press("p")  # b is read now: a
        await settle(pilot)
        assert screen.article.post_id == ids["a"]
        await pilot.press("p")
        await settle(pilot)
        assert "No unread posts above." in [str(n.message) for n in app._notifications]


async def test_backslash_hides_the_sidebar(service):
    async with reading(service, size=(80, 24)) as (pilot, screen):
        assert screen.has_class("-narrow")
        await pilot.press("backslash")
        assert not screen.query_one("#sidebar").display
        assert screen.article.has_focus
        await pilot.press("backslash")
        assert screen.query_one("#sidebar").display
        assert screen.post_list.has_focus


async def test_reading_position_is_saved_once_scrolling_stops(service, store, ids, monkeypatch):
    from termnews.tui.screens import main as main_module

    monkeypatch.setattr(main_module, "POSITION_SAVE_DELAY", 0.2)
    async with reading(service) as (pilot, screen):
        await pilot.press("enter", "space")
        await pilot.pause()
        assert store.post(ids["a"]).position == 0  # not on every scroll step
        await pilot.press("space")
        await pilot.pause(0.4)  # scrolling stopped: stored without leaving the article
        fraction = screen.article.fraction
        assert 0.1 < fraction < 1
        assert abs(store.post(ids["a"]).position - fraction) < 0.01
        assert screen.article.post_id == ids["a"]


def test_demo_dates_follow_the_clock_they_are_seeded_with(tmp_path):
    from datetime import timedelta

    from termnews.demo import DEMO_CLOCK, seed_demo
    from termnews.store import Store
    from tests.tui.conftest import NOW

    frozen, live = Store.open(tmp_path / "f.sqlite3"), Store.open(tmp_path / "l.sqlite3")
    try:
        seed_demo(frozen)
        later = NOW + timedelta(days=400, hours=3)
        seed_demo(live, now=later)
        old = {p.url: p.published for p in map(frozen.post, frozen.post_ids())}
        new = {p.url: p.published for p in map(live.post, live.post_ids())}
        assert old.keys() == new.keys()
        assert all(new[url] - old[url] == later - DEMO_CLOCK for url in old)
        assert max(old.values()) < DEMO_CLOCK  # hours before the clock, as written
        assert later - timedelta(days=2) < max(new.values()) < later
        assert live.document(live.post_ids()[0]).published == max(new.values())
    finally:
        frozen.close()
        live.close()
