"""What the fast paths must keep: long articles laid out in steps, search per key, its scope.

No test here measures time (``benchmarks/reader_speed.py`` does): they assert that
the first screen, the end, the percentage, the saved position and the hits are
right however the work is split (reopening at a saved place: ``test_reopen.py``).
"""

from __future__ import annotations

from rich.console import Console

from termnews.formats.terminal import render_document
from termnews.models import Entry
from tests.tui.conftest import long_document
from tests.tui.helpers import reading, settle, title_of, widget_text

PARAGRAPHS = 1500  # ~45,000 words: hundreds of screens


def _add_long_post(store, ids, position: float = 0.0) -> int:  # type: ignore[no-untyped-def]
    store.upsert_posts(ids["one"], [Entry("long", "https://one.example/long", "Zulu the long")])
    post = store.post_by_url("https://one.example/long")
    document = long_document(post.url, "Zulu the long", paragraphs=PARAGRAPHS)
    store.put_document(post.id, document)
    if position:
        store.set_position(post.id, position)
    return int(post.id)


def _body_lines(screen) -> list[str]:  # type: ignore[no-untyped-def]
    return widget_text(screen.article.query_one("#article-body")).splitlines()


def _visible(screen) -> str:  # type: ignore[no-untyped-def]
    article = screen.article
    top = round(article.scroll_y)
    return "\n".join(_body_lines(screen)[top : top + article.scrollable_content_region.height])


async def test_a_long_article_shows_its_start_then_its_end_at_100_percent(service, store, ids):
    post_id = _add_long_post(store, ids)
    async with reading(service) as (pilot, screen):
        screen.open_post(post_id)
        await pilot.pause()
        first = _visible(screen)
        assert "Zulu the long" in first and "Paragraph 0 of the story." in first
        await settle(pilot)
        assert screen.article.laid_out
        width = screen.article._rendered_width
        console = Console(width=width, force_terminal=True, color_system="truecolor")
        whole = console.render_lines(
            render_document(store.document(post_id), width), console.options, pad=False
        )
        assert len(_body_lines(screen)) == len(whole)  # in steps, the same lines as at once
        assert screen.status.percent == round(100 * 36 / len(whole))  # the first screen's share
        await pilot.press("tab", "G")
        await settle(pilot)
        assert f"Paragraph {PARAGRAPHS - 1} of the story." in _visible(screen)
        assert screen.status.percent == 100


async def test_the_percentage_shows_once_in_the_status_line(service, ids):
    async with reading(service) as (pilot, screen):
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("G")
        await settle(pilot)
        assert screen.status.percent == 100
        assert "100% read" in widget_text(screen.status)
        assert "%" not in str(screen.article.border_subtitle)


async def test_a_search_shows_its_hits_after_the_key_without_a_timer(service, ids):
    async with reading(service) as (pilot, screen):
        await pilot.press("slash", "z")
        await pilot.pause()
        assert screen.post_list.ids == [ids["e"]]  # "z…": only zebra's post
        await pilot.press("backspace")
        await pilot.pause()
        assert len(screen.post_list.ids) == 6  # an empty box: every post again
        await pilot.press(*"summary")
        await pilot.pause()
        assert screen.post_list.ids == [ids["b"], ids["d"], ids["e"], ids["f"]]
        await pilot.press(*" bravo")
        await pilot.pause()
        assert screen.post_list.ids == [ids["b"]]


async def test_the_search_title_names_its_scope_and_ctrl_g_widens_it(service, store, ids):
    async with reading(service) as (pilot, screen):
        screen.sidebar.set_filter(screen.filter.__class__(source_id=ids["two"]))
        await settle(pilot)
        await pilot.press("slash", *"summary")
        await pilot.pause()
        sidebar = screen.query_one("#sidebar")
        assert title_of(sidebar) == "Search “summary” in Second Site (3)"
        assert screen.post_list.ids == [ids["b"], ids["d"], ids["f"]]
        assert screen.post_list.one_source  # the rows do not repeat "Second Site"
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert title_of(sidebar) == "Search “summary” in all sources (4)"
        assert screen.filter.source_id is None and len(screen.post_list.ids) == 4
        assert not screen.post_list.one_source  # hits of every source: each row names its own
        assert screen.query_one("#search").has_focus  # still typing
        await pilot.press("escape")
        await settle(pilot)
        assert screen.filter.query is None and len(screen.post_list.ids) == 6


async def test_the_searched_words_are_marked_in_the_article_opened_from_a_hit(service, ids):
    async with reading(service) as (pilot, screen):
        await pilot.press("slash", *"paragraph", "enter", "enter")
        await settle(pilot)
        assert screen.article.post_id == ids["a"]
        body = screen.article.query_one("#article-body")
        marked = [
            segment.text
            for line in body.lines
            for segment in line
            if segment.style is not None and segment.style.reverse
        ]
        assert marked and {text.lower() for text in marked} == {"paragraph"}


async def test_a_wide_pane_centres_the_reading_column(service, ids):
    async with reading(service, size=(200, 50)) as (pilot, screen):
        await pilot.press("enter")
        await settle(pilot)
        article = screen.article.scrollable_content_region
        body = screen.article.query_one("#article-body").region
        assert body.width == 80 < article.width
        left, right = body.x - article.x, article.right - body.right
        assert abs(left - right) <= 1
