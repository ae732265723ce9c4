"""Post state, filters, search, the web keys, refresh and quitting."""

from __future__ import annotations

from textual.command import CommandPalette

from termnews.config import Config
from termnews.tui.screens.help import HelpScreen
from tests.tui.conftest import FakeService
from tests.tui.helpers import app_for, main, notifications, reading, settle, sidebar_text, title_of


async def test_s_saves_and_unsaves_via_the_service(service, store, ids):
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "s")  # b has no document: save fetches it first
        await settle(pilot)
        post = store.post(ids["b"])
        assert post.is_saved and post.has_document
        assert sidebar_text(app)[2].startswith(" ●★ Bravo")
        await pilot.press("s")
        await settle(pilot)
        assert not store.post(ids["b"]).is_saved
        assert "Removed from saved posts." in notifications(app)


async def test_m_toggles_read_and_A_marks_all_read(service, store, ids):
    async with reading(service) as (pilot, screen):
        app = pilot.app
        await pilot.press("m")
        await settle(pilot)  # the write runs in a worker thread
        assert store.post(ids["a"]).is_read
        assert sidebar_text(app)[0].startswith("  ↓ Alpha")
        assert title_of(screen.query_one("#sidebar")).endswith("3 unread)")
        await pilot.press("m")
        await settle(pilot)
        assert not store.post(ids["a"]).is_read
        await pilot.press("A")
        await settle(pilot)
        assert store.counts().unread == 0
        assert title_of(screen.query_one("#sidebar")).endswith("0 unread)")


async def test_f_cycles_filters_keeping_the_selection(service, ids):
    async with reading(service) as (pilot, screen):
        await pilot.press("j", "j", "j")  # d: unread and saved
        await pilot.press("f")
        await settle(pilot)
        assert screen.post_list.ids == [ids["a"], ids["b"], ids["d"], ids["e"]]
        assert screen.post_list.selected_id == ids["d"]
        assert title_of(screen.query_one("#sidebar")) == "Recent posts (Unread · 4)"
        await pilot.press("f")
        await settle(pilot)
        assert screen.post_list.ids == [ids["d"]]
        assert title_of(screen.query_one("#sidebar")) == "Recent posts (Saved · 1)"
        await pilot.press("f")
        await settle(pilot)
        assert len(screen.post_list.ids) == 6
        assert screen.post_list.selected_id == ids["d"]


async def test_source_picker_filters_by_source(service, ids):
    async with reading(service) as (pilot, screen):
        await pilot.press("S")
        await pilot.pause()
        await pilot.press(*"ONE", "enter")  # filtered as typed, any case: Example One
        await settle(pilot)
        assert screen.filter.source_id == ids["one"]
        assert screen.post_list.ids == [ids["a"], ids["c"], ids["e"]]
        assert title_of(screen.query_one("#sidebar")).startswith("Example One (All · 3")
        await pilot.press("S")
        await pilot.pause()
        await pilot.press("escape")
        assert screen.filter.source_id == ids["one"]
        await pilot.press("S")
        await pilot.pause()
        await pilot.press(*"al", "enter")  # "All"
        await settle(pilot)
        assert screen.filter.source_id is None
        assert len(screen.post_list.ids) == 6


async def test_search_shows_results_and_escape_clears(service, ids):
    async with reading(service) as (pilot, screen):
        await pilot.press("slash")
        await pilot.press(*"zebra")
        await pilot.pause()  # no timer to wait for: the hits follow the last key
        assert screen.post_list.ids == [ids["e"]]
        assert title_of(screen.query_one("#sidebar")) == "Search “zebra” in all sources (1)"
        await pilot.press("enter")
        assert screen.post_list.has_focus
        await pilot.press("escape")
        await settle(pilot)
        assert len(screen.post_list.ids) == 6
        assert screen.post_list.selected_id == ids["e"]
        assert screen.filter.query is None


async def test_o_opens_http_only(service, store, ids, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert opened == ["https://one.example/a"]
        store.conn.execute("UPDATE posts SET url = 'file:///etc/passwd' WHERE id = ?", (ids["a"],))
        await pilot.press("o")
        await settle(pilot)
        assert opened == ["https://one.example/a"]
        assert any("only http and https" in n for n in notifications(app))


async def test_y_copies_the_url(service):
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        assert app.clipboard == "https://one.example/a"


async def test_number_keys_follow_links(service, ids):
    async with reading(service) as (pilot, screen):
        app = pilot.app
        await pilot.press("1")
        assert "Open an article first" in notifications(app)[-1]
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("2")  # a file: link is refused
        assert "only http and https" in notifications(app)[-1]
        await pilot.press("9")
        assert "no link 9" in notifications(app)[-1]
        await pilot.press("1")
        await settle(pilot)
        assert service.opened_urls == ["https://example.com/linked/"]
        assert screen.article.post.title == "Linked page"
        assert len(screen.post_list.ids) == 7


async def test_r_refreshes_this_source_R_all(service, ids):
    async with reading(service) as (pilot, screen):
        await pilot.press("j", "r")
        await settle(pilot)
        assert service.refreshed == [[ids["two"]]]
        await pilot.press("R")
        await settle(pilot)
        assert service.refreshed[-1] is None
        assert screen.status.activity == "Up to date"


async def test_refresh_failures_show_in_status_and_one_line(service, store, ids):
    store.update_source(ids["two"], title="Broken")
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert main(app).status.errors == 1
        assert "Broken: HTTP 500" in notifications(app)


async def test_offline_refresh_is_refused_in_one_line(store, ids):
    app = app_for(FakeService(store, offline=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        assert notifications(app) == ["Offline: refreshing needs the network."]
        assert "offline" in str(main(app).status.render())


async def test_startup_refresh_only_when_due(store, ids):
    service = FakeService(store)
    app = app_for(service, no_refresh=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert service.refreshed == []  # the fixture refreshed at NOW, the app's clock
    store.conn.execute("UPDATE sources SET last_refresh = 0")
    service = FakeService(store)
    app = app_for(service, no_refresh=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert service.refreshed == [None]
    service = FakeService(store)
    app = app_for(service, no_refresh=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert service.refreshed == []


async def test_help_palette_and_quit(service):
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"filter")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert main(app).filter.kind == "unread"
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_keys_are_remappable_from_config(store, ids):
    service = FakeService(store, Config(keys={"save": "x", "down": "ctrl+n"}))
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        assert main(app).post_list.selected_id == ids["b"]
        await pilot.press("x")
        await settle(pilot)
        assert store.post(ids["b"]).is_saved
        await pilot.press("question_mark")
        await pilot.pause()
        text = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "ctrl+n" in text


async def test_help_scrolls_with_the_article_keys(service):
    app = app_for(service)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        body = app.screen.query_one("#help-body")
        await pilot.press("G")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y > 0
        await pilot.press("g")
        await pilot.pause()
        assert body.scroll_y == 0
        await pilot.press("space")
        await pilot.pause()
        assert body.scroll_y > 0


async def test_the_palette_runs_a_pane_command_on_the_pane(service, ids):
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"bottom")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert main(app).post_list.selected_id == ids["f"]  # the sidebar's own `G`


async def test_A_on_a_list_longer_than_the_screen_asks_first(store, ids):
    from termnews.models import Entry
    from termnews.tui.screens.confirm import ConfirmScreen
    from tests.tui.conftest import NOW
    from tests.tui.helpers import type_at_once

    store.upsert_posts(
        ids["one"], [Entry(f"more-{n}", f"https://one.example/more/{n}", f"More {n}", published=NOW)
                     for n in range(30)],
    )  # fmt: skip
    app = app_for(FakeService(store))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        unread = store.counts().unread
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one("#confirm-question").render())
        assert "Mark all 36 posts of this list read?" in question
        await pilot.press("n")
        await settle(pilot)
        assert store.counts().unread == unread  # no: nothing changed
        assert not isinstance(app.screen, ConfirmScreen)
        type_at_once(app, "A", "y")  # typed ahead: the y still answers the dialog
        await settle(pilot)
        assert store.counts().unread == 0
        assert notifications(app)[-1] == "Marked 36 posts read."
        assert title_of(main(app).query_one("#sidebar")).endswith("0 unread)")


async def test_y_says_copied(service):
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        assert notifications(app)[-1] == "Copied https://one.example/a"
