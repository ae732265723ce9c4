"""Type-ahead: keys typed right after `/`, `a`, `S` or ctrl+p land in what they open, in order."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Input

from tests.tui.helpers import app_for, main, notifications, reading, settle, type_at_once


async def _search_settled(pilot, screen, query: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(40):  # the search waits for a pause in typing
        await pilot.pause(0.05)
        if screen.filter.query == query and screen.ids_complete:
            break
    await settle(pilot)


async def test_slash_and_a_word_at_once_search_the_whole_word(service, ids):
    async with reading(service) as (pilot, screen):
        app = pilot.app
        # n, b and o are commands (next unread, page up, browser) when the list has focus.
        type_at_once(app, "/", *"Northbridge")
        await _search_settled(pilot, screen, "Northbridge")
        box = screen.query_one("#search", Input)
        assert box.value == "Northbridge"
        assert box.has_focus
        assert screen.filter.query == "Northbridge"
        assert screen.post_list.ids == []
        assert screen.article.post is None  # `n` opened nothing
        assert notifications(app) == []  # `o` tried no browser


async def test_a_second_search_types_ahead_too(service, ids):
    async with reading(service) as (pilot, screen):
        app = pilot.app
        type_at_once(app, "/", *"xyz", "escape")  # mounted, used and closed
        await settle(pilot)
        assert screen.post_list.has_focus and screen.filter.query is None
        type_at_once(app, "/", *"zebra")
        await _search_settled(pilot, screen, "zebra")
        assert screen.query_one("#search", Input).value == "zebra"
        assert screen.post_list.ids == [ids["e"]]


async def test_a_and_a_url_at_once_fill_the_add_dialog(service, store):
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        type_at_once(app, "a", *"news.example", "enter")
        await settle(pilot)
        assert service.added == ["https://news.example"]
        assert store.source_by_url("https://news.example") is not None


async def test_S_and_keys_at_once_drive_the_source_picker(service, ids):
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        type_at_once(app, "S", *"one", "enter")  # the picker filters as typed: Example One
        await settle(pilot)
        screen = main(app)
        assert app.screen is screen
        assert screen.filter.source_id == ids["one"]
        assert screen.post_list.ids == [ids["a"], ids["c"], ids["e"]]


async def test_ctrl_p_and_a_word_at_once_fill_the_palette(service):
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        type_at_once(app, "ctrl+p", *"filter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(Input).value == "filter"
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert main(app).filter.kind == "unread"


async def test_letters_in_the_search_box_are_text_not_commands(service, ids):
    async with reading(service) as (pilot, screen):
        app = pilot.app
        type_at_once(app, "/", *"a/S")  # a, / and S open things when the list has focus
        await _search_settled(pilot, screen, "a/S")
        assert app.screen is screen
        assert screen.query_one("#search", Input).value == "a/S"


async def test_keys_before_and_after_the_search_keep_their_order(service, ids):
    async with reading(service) as (pilot, screen):
        app = pilot.app
        await pilot.press("f", "f", "enter")  # the saved posts; the article has focus
        await settle(pilot)
        assert screen.filter.kind == "saved" and screen.article.has_focus
        # tab and f come before the / that overtook them once: f then searched "saved".
        type_at_once(app, "tab", "f", "/", *"zebra")
        await _search_settled(pilot, screen, "zebra")
        assert screen.filter.kind == "all"
        assert screen.post_list.ids == [ids["e"]]
        type_at_once(app, "enter", "enter")  # from the box to the list, then open
        await settle(pilot)
        assert screen.article.post_id == ids["e"]
