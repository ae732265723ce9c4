"""The add-source dialog, the welcome view, and hostile text everywhere it can show."""

from __future__ import annotations

from textual.widgets import Input

from termnews.models import Entry
from termnews.tui.screens.add_source import AddSourceScreen, normalise_url
from termnews.tui.screens.source_picker import SourcePickerScreen
from termnews.tui.widgets.source_list import SourceList
from termnews.tui.widgets.sources_pane import SourcesPane
from tests.tui.conftest import HOSTILE, NOW, FakeService, long_document
from tests.tui.helpers import (
    app_for,
    main,
    notifications,
    reading,
    settle,
    sidebar_text,
    widget_text,
)


def ids_f_gone(store) -> bool:  # type: ignore[no-untyped-def]
    return store.post_by_url("https://two.example/f") is None


def test_normalise_url():
    assert normalise_url("example.com") == "https://example.com"
    assert normalise_url(" http://a.example/x ") == "http://a.example/x"
    assert normalise_url("file:///etc/passwd") is None
    assert normalise_url("javascript:alert(1)") is None
    assert normalise_url("two words") is None
    assert normalise_url("") is None


async def test_add_source_validates_then_adds_and_refreshes(service, store):
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AddSourceScreen)
        await pilot.press(*"file:///etc/passwd", "enter")
        await pilot.pause()
        assert "Not a web address" in widget_text(app.screen.query_one("#add-error"))
        assert service.added == []
        app.screen.query_one(Input).value = "news.example"
        await pilot.press("enter")
        await settle(pilot)
        assert service.added == ["https://news.example"]
        screen = main(app)
        added = store.source_by_url("https://news.example")
        assert service.refreshed == [[added.id]]
        # One post added; the 400-day-old "f" stays: it is among its source's newest posts.
        assert len(screen.post_list.ids) == 7
        assert not ids_f_gone(store)
        assert "Added Added source" in notifications(app)


async def test_add_source_failure_is_one_line_in_the_dialog(service):
    service.add_error = "no feed and no recent posts found at https://x.example/"
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a", *"x.example", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AddSourceScreen)
        text = widget_text(app.screen.query_one("#add-error")).strip()
        assert text == "no feed and no recent posts found at https://x.example/"
        await pilot.press("escape")
        assert not isinstance(app.screen, AddSourceScreen)


async def test_first_run_shows_the_welcome(store):
    async with reading(FakeService(store)) as (pilot, screen):
        assert screen.post_list.ids == []
        body = widget_text(screen.article.query_one("#article-body"))
        assert "Welcome to termnews" in body
        assert "termnews add" in body and "press a" in body


def _hostile_store(store):
    source = store.add_source("https://evil.example/", HOSTILE, "feed", "https://evil.example/f")
    store.record_fetch_error(source.id, HOSTILE)
    store.upsert_posts(
        source.id,
        [Entry("h", "https://evil.example/h", HOSTILE, author=HOSTILE, published=NOW)],
    )
    post = store.post_by_url("https://evil.example/h")
    store.put_document(post.id, long_document(post.url, HOSTILE, 2))
    return post


def _assert_literal(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text
    assert "[bold]x[/bold]" in text
    assert "[link=file:///etc/passwd]y[/link]" in text


async def test_hostile_text_shows_literally_everywhere(store):
    post = _hostile_store(store)
    store.conn.execute("UPDATE posts SET url = ? WHERE id = ?", (HOSTILE, post.id))
    async with reading(FakeService(store), size=(200, 40)) as (pilot, screen):
        app = pilot.app
        for line in sidebar_text(app)[:2]:  # title, then source (cut to the sidebar's width)
            assert "Evil [bold]x[/bold] [link=file:///etc/passwd]" in line
            assert "pwned" not in line and "\x1b" not in line
        await pilot.press("enter")
        await settle(pilot)
        text = widget_text(screen.article.query_one("#article-body"))
        assert "pwned" not in text
        assert "Evil" in text and "[bold]x[/bold]" in text and "\x1b" not in text
        await pilot.press("y")  # the URL is hostile too: the notification shows it literally
        await pilot.pause()
        _assert_literal(notifications(app)[-1])
        await pilot.press("tab", "S")  # wide: the sources pane takes the focus
        await pilot.pause()
        pane = screen.query_one(SourcesPane)
        assert pane.has_focus
        _assert_source_rows_literal(pane)
        await pilot.resize_terminal(100, 40)  # narrow: S opens the picker
        await settle(pilot)
        await pilot.press("S")
        await pilot.pause()
        assert isinstance(app.screen, SourcePickerScreen)
        _assert_source_rows_literal(app.screen.rows)


def _assert_source_rows_literal(rows: SourceList) -> None:
    index = next(n for n, e in enumerate(rows.entries) if e.kind == "source")
    _assert_literal(rows.row_text(index))
    drawn = rows.render_line(index - round(rows.scroll_y)).text  # cut to the pane's width
    assert "Evil [bold]x" in drawn and "pwned" not in drawn and "\x1b" not in drawn


async def test_hostile_error_in_add_dialog_is_literal(service):
    service.add_error = HOSTILE
    app = app_for(service)
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a", *"x.example", "enter")
        await settle(pilot)
        _assert_literal(widget_text(app.screen.query_one("#add-error")).replace("\n", ""))


async def test_P_saves_a_page_into_the_library(service, store, ids):
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddSourceScreen) and dialog.mode == "page"
        assert dialog.query_one("#add-dialog").border_title == "Save a page"
        await pilot.press(*"page.example/story", "enter")
        await settle(pilot)
        assert service.opened_urls == ["https://page.example/story"]
        post = store.post_by_url("https://page.example/story")
        assert post is not None and post.is_saved and post.has_document
        screen = main(app)
        assert screen.post_list.selected_id == post.id  # shown and selected
        assert "Saved “Linked page” for offline reading." in notifications(app)
        assert service.added == [] and service.refreshed == []
        await pilot.press("f", "f")  # saved
        await settle(pilot)
        assert screen.filter.kind == "saved"
        assert screen.post_list.ids == [post.id, ids["d"]]
        assert sidebar_text(app)[0].startswith(" ●★ Linked page")
        assert sidebar_text(app)[1].strip().startswith("library")


async def test_the_add_dialog_switches_mode(service, store):
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddSourceScreen) and dialog.mode == "source"
        assert dialog.query_one(Input).has_focus
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert dialog.mode == "page"
        assert "Save a page" in str(dialog.query_one("#add-dialog").border_title)
        await pilot.click("#mode-source")
        await pilot.pause()
        assert dialog.mode == "source"
        await pilot.press("ctrl+t", "tab")  # from the radio buttons to the URL field
        assert dialog.query_one(Input).has_focus
        await pilot.press(*"x.example", "enter")
        await settle(pilot)
        assert store.post_by_url("https://x.example").is_saved


async def test_save_a_page_offline_is_one_line(store, ids):
    service = FakeService(store, offline=True)
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await pilot.pause()
        assert notifications(app) == ["Offline: saving a page needs the network."]
        assert app.screen is main(app)
