"""The link picker (`L`), following links as posts over loopback HTTP, and going back (`h`)."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from termnews.document import Document, Inline, Paragraph
from termnews.models import Entry
from termnews.service import Service
from termnews.store import Store
from termnews.tui.history import History, Place
from termnews.tui.screens.link_picker import LinkItem, LinkPickerScreen, link_items, matching
from tests.server import LoopbackServer, Response
from tests.tui.conftest import NOW, frozen_now
from tests.tui.helpers import app_for, main, notifications, reading, settle
from tests.tui.test_background import closed_port

SENTENCE = "The harbour board met at dawn to read the tide tables aloud, line by line. "


def _page(n: int) -> bytes:
    """A readable article whose third paragraph links on to the next page."""
    title = f"Loopback page {n}"
    paragraphs = [f"<p>{SENTENCE * 5}</p>" for _ in range(12)]
    paragraphs[2] = f'<p>{SENTENCE * 3} Read <a href="/page/{n + 1}">the page after</a> next.</p>'
    return (
        f"<!doctype html><html><head><title>{html.escape(title)}</title></head><body>"
        f"<article><h1>{html.escape(title)}</h1>{''.join(paragraphs)}</article></body></html>"
    ).encode()


def _serve_pages(server: LoopbackServer, pages: int = 14) -> None:
    for n in range(1, pages + 1):
        server.route(f"/page/{n}", Response(_page(n), 200, {"Content-Type": "text/html"}))


def _start_document(server: LoopbackServer, dead: str) -> Document:
    """A long article with 12 links to loopback pages, one split into runs, and a dead one."""
    blocks: list[Paragraph] = []
    for n in range(1, 13):
        url = server.url(f"/page/{n}")
        words = (Inline(f"report {n}", href=url),)
        if n == 11:  # one link of three runs, the middle one bold
            words = (
                Inline("the ", href=url),
                Inline("eleventh", strong=True, href=url),
                Inline(" one", href=url),
            )
        blocks.append(Paragraph((Inline(SENTENCE * 2 + "See "), *words, Inline("."))))
    blocks.append(Paragraph((Inline("The "), Inline("old archive", href=dead), Inline("."))))
    blocks.extend(Paragraph((Inline(SENTENCE * 4),)) for _ in range(40))
    return Document(url=server.url("/start"), title="The start", blocks=tuple(blocks))


@pytest.fixture
def linked(tmp_path: Path, server: LoopbackServer):  # type: ignore[no-untyped-def]
    """A real service over a real store; one post with links to the loopback server."""
    _serve_pages(server)
    store = Store.open(tmp_path / "links.sqlite3", clock=frozen_now)
    source = store.add_source(server.url("/"), "Harbour Notes", "feed", server.url("/feed"))
    store.upsert_posts(
        source.id, [Entry("start", server.url("/start"), "The start", published=NOW)]
    )
    post = store.post_by_url(server.url("/start"))
    assert post is not None
    dead = f"http://127.0.0.1:{closed_port()}/gone"
    store.put_document(post.id, _start_document(server, dead))
    yield Service(store), post.id, dead
    store.close()


async def _open_picker(pilot) -> LinkPickerScreen:  # type: ignore[no-untyped-def]
    await pilot.press("L")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, LinkPickerScreen), screen
    return screen


async def test_picker_follows_link_12_and_back_returns_to_the_place(linked, server):
    service, start, _dead = linked
    async with reading(service) as (pilot, screen):
        app = pilot.app
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("space", "space")
        await settle(pilot)
        place = screen.article.fraction
        assert 0 < place < 1
        picker = await _open_picker(pilot)
        assert len(picker.items) == 13  # every link, not only 1–9
        await pilot.press("1", "2")  # a number typed on the list
        await pilot.pause()
        assert [item.number for item in picker.shown] == [12]
        await pilot.press("enter")
        await settle(pilot)
        assert screen.article.post is not None
        assert screen.article.post.url == server.url("/page/12")
        assert screen.article.post.title == "Loopback page 12"
        assert screen.links.history.places == (Place(start, place),)
        await pilot.press("h")
        await settle(pilot)
        assert screen.article.post_id == start
        assert screen.article.fraction == pytest.approx(place, abs=0.01)
        assert len(screen.links.history) == 0
        await pilot.press("backspace")
        assert notifications(app)[-1].startswith("Nothing to go back to")


async def test_repeated_back_walks_the_trail(linked, server):
    service, start, _dead = linked
    async with reading(service) as (pilot, screen):
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("3")  # the number keys push the trail too
        await settle(pilot)
        first = screen.article.post
        assert first is not None and first.title == "Loopback page 3"
        await pilot.press("space")
        await settle(pilot)
        on_first = screen.article.fraction
        picker = await _open_picker(pilot)  # the linked page's own links
        assert [item.words for item in picker.items] == ["the page after"]
        await pilot.press("enter")
        await settle(pilot)
        assert screen.article.post is not None
        assert screen.article.post.title == "Loopback page 4"
        assert [p.post_id for p in screen.links.history.places] == [start, first.id]
        await pilot.press("h")
        await settle(pilot)
        assert screen.article.post_id == first.id
        assert screen.article.fraction == pytest.approx(on_first, abs=0.01)
        await pilot.press("h")
        await settle(pilot)
        assert screen.article.post_id == start
        assert screen.article.fraction == 0


async def test_a_dead_link_from_the_picker_is_one_line_and_changes_nothing(linked):
    service, start, dead = linked
    async with reading(service) as (pilot, screen):
        app = pilot.app
        await pilot.press("enter")
        await settle(pilot)
        posts = list(screen.post_list.ids)
        await _open_picker(pilot)
        await pilot.press("slash", *"old", "space", *"archive", "enter")
        await settle(pilot)
        assert notifications(app)[-1].startswith("Could not open the link: ")
        assert "connection refused" in notifications(app)[-1]
        assert screen.article.post_id == start  # the article stays
        assert list(screen.post_list.ids) == posts
        assert len(screen.links.history) == 0
        assert not screen.network_down and "offline" not in str(screen.status.render())


async def test_picker_copies_and_filters_by_words(linked, server):
    service, _start, _dead = linked
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        picker = await _open_picker(pilot)
        await pilot.press("slash", *"ELEVENTH")  # words, any case
        await pilot.pause()
        assert [item.number for item in picker.shown] == [11]
        await pilot.press("escape", "y")  # escape: from the field to the list; y copies
        await pilot.pause()
        assert app.clipboard == server.url("/page/11")
        assert notifications(app)[-1] == f"Copied {server.url('/page/11')}"
        assert app.screen is main(app)  # the picker closed


async def test_picker_opens_in_the_browser_and_refuses_other_schemes(service, ids, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("L")
        assert notifications(app)[-1].startswith("Open an article first")
        await pilot.press("enter")
        await settle(pilot)
        await _open_picker(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert opened == ["https://example.com/linked/"]
        await _open_picker(pilot)
        await pilot.press("2", "o")  # file:///etc/passwd never reaches the browser
        await settle(pilot)
        assert opened == ["https://example.com/linked/"]
        assert "only http and https" in notifications(app)[-1]
        await _open_picker(pilot)
        await pilot.press("2", "enter")  # nor is it opened as a post
        await settle(pilot)
        assert service.opened_urls == []
        assert "only http and https" in notifications(app)[-1]


async def test_picking_a_post_from_the_list_starts_a_new_trail(service, ids):
    async with reading(service) as (pilot, screen):
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert [p.post_id for p in screen.links.history.places] == [ids["a"]]
        await pilot.press("tab", "j", "enter")  # back to the list, another post
        await settle(pilot)
        assert len(screen.links.history) == 0


def test_link_items_join_runs_and_number_as_the_article_does():
    doc = Document(
        url="https://x.example/",
        blocks=(
            Paragraph((Inline("a "), Inline("first", href="https://x.example/1"))),
            Paragraph(
                (
                    Inline("the ", href="https://x.example/2"),
                    Inline("bold\x1b[2J", strong=True, href="https://x.example/2"),
                    Inline(" words", href="https://x.example/2"),
                    Inline(" then "),
                    Inline("again", href="https://x.example/1"),
                    Inline("https://x.example/3", href="https://x.example/3"),
                )
            ),
        ),
    )
    items = link_items(doc)
    assert [i.url for i in items] == doc.links()
    assert [i.words for i in items] == ["first", "the bold words", ""]
    assert [i.number for i in matching(items, "2")] == [2]
    assert [i.number for i in matching(items, "x.example/3")] == [3]
    assert matching(items, "bold first") == []


def test_digits_match_the_start_of_a_number():
    items = [LinkItem(n, f"https://x.example/{n}", "") for n in range(1, 25)]
    assert [i.number for i in matching(items, "2")] == [2, 20, 21, 22, 23, 24]
    assert [i.number for i in matching(items, " 21 ")] == [21]
    assert len(matching(items, "")) == 24


def test_history_is_a_bounded_stack():
    history = History(limit=3)
    for n in range(5):
        history.push(n, n / 4)
    history.push(9, 7.0)  # a fraction past the end is the end
    assert history.places == (Place(3, 0.75), Place(4, 1.0), Place(9, 1.0))
    assert history.pop() == Place(9, 1.0)
    history.clear()
    assert history.pop() is None


async def test_keys_typed_right_after_L_go_to_the_picker(service, ids):
    from tests.tui.helpers import type_at_once

    app = app_for(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        type_at_once(app, "L", "1", "enter")  # one read from the terminal
        await settle(pilot)
        assert service.opened_urls == ["https://example.com/linked/"]
        assert main(app).article.post is not None
        assert main(app).article.post.title == "Linked page"
        assert [p.post_id for p in main(app).links.history.places] == [ids["a"]]
