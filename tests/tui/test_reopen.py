"""Reopening a long article where it was left: the saved text first, the rest after.

No test here measures time (``benchmarks/reader_speed.py`` does). They assert what
the reader sees: the first frame at the saved text, the view staying on it while
the lines above are laid out, the percentage once the height is known, keys
pressed before that, another width, and a position saved by an older reader.
"""

from __future__ import annotations

import re

from rich.console import Console

from termnews.formats.terminal import render_document
from tests.tui.helpers import reading, settle, widget_text
from tests.tui.test_reader_speed import PARAGRAPHS, _add_long_post, _visible

MARKER = "Paragraph 900 of the story."  # 60 % of the way down


def _line_text(line) -> str:  # type: ignore[no-untyped-def]
    return "".join(segment.text for segment in line).rstrip()


def _top_now(article) -> str:  # type: ignore[no-untyped-def]
    """The view's top line as the next frame paints it, before any layout has run."""
    return _line_text(article.query_one("#article-body").lines[round(article.scroll_y)])


def _whole(store, post_id: int, width: int) -> list[str]:  # type: ignore[no-untyped-def]
    """The article's lines laid out at once, the way the CLI renders it."""
    console = Console(width=width, force_terminal=True, color_system="truecolor")
    lines = console.render_lines(
        render_document(store.document(post_id), width), console.options, pad=False
    )
    return [_line_text(line) for line in lines]


def _marker_line(lines: list[str]) -> int:
    return next(n for n, line in enumerate(lines) if line.startswith(MARKER))


async def _laid_out(pilot, article) -> None:  # type: ignore[no-untyped-def]
    while not article.laid_out:
        await pilot.pause()
    await pilot.pause()


async def _save_place_at_marker(service, store, ids) -> int:  # type: ignore[no-untyped-def]
    """Read the long article down to the marker in one reader; its place is saved."""
    post_id = _add_long_post(store, ids)
    async with reading(service) as (pilot, screen):
        screen.open_post(post_id)
        await _laid_out(pilot, screen.article)
        lines = _whole(store, post_id, screen.article._rendered_width)
        screen.article.scroll_to(y=_marker_line(lines), animate=False, immediate=True)
        await pilot.pause()
        assert _visible(screen).startswith(MARKER)
        screen.save_position()
        await settle(pilot)
    return post_id


async def test_a_reopened_article_paints_the_saved_text_first_and_stays_on_it(service, store, ids):
    post_id = await _save_place_at_marker(service, store, ids)
    async with reading(service) as (pilot, screen):
        article = screen.article
        screen.open_post(post_id)
        assert not article.laid_out  # only the sections around the place so far
        assert _top_now(article).startswith(MARKER)  # what the first frame shows
        await pilot.pause()
        assert _visible(screen).startswith(MARKER)
        await _laid_out(pilot, article)
        assert _visible(screen).startswith(MARKER)  # the lines above moved the view with them
        whole = _whole(store, post_id, article._rendered_width)
        shown = [_line_text(line) for line in article.query_one("#article-body").lines]
        assert len(shown) == len(whole) and shown[2:] == whole[2:]  # (the meta line: merged)
        top = whole.index(_top_now(article))
        height = article.scrollable_content_region.height
        assert screen.status.percent == round(100 * (top + height) / len(whole))
        assert 55 <= screen.status.percent <= 65


async def test_keys_pressed_before_the_layout_is_complete_move_over_the_text(service, store, ids):
    post_id = await _save_place_at_marker(service, store, ids)
    async with reading(service) as (pilot, screen):
        article = screen.article
        article.focus()
        screen.open_post(post_id)
        assert not article.laid_out
        await pilot.press("j")  # one line down from the saved text
        await _laid_out(pilot, article)
        whole = _whole(store, post_id, article._rendered_width)
        assert _top_now(article) == whole[_marker_line(whole) + 1]

        screen.open_post(post_id)
        assert not article.laid_out
        await pilot.press("G")  # the article's end, not the end of what is laid out
        await _laid_out(pilot, article)
        assert f"Paragraph {PARAGRAPHS - 1} of the story." in _visible(screen)
        assert article.at_end and screen.status.percent == 100

        screen.open_post(post_id)
        assert not article.laid_out
        await pilot.press("g")
        await _laid_out(pilot, article)
        assert article.scroll_y == 0 and "Zulu the long" in _visible(screen)


async def test_another_width_finds_the_same_text(service, store, ids):
    post_id = await _save_place_at_marker(service, store, ids)
    # a narrower pane than it was read in
    async with reading(service, size=(90, 40)) as (pilot, screen):
        article = screen.article
        screen.open_post(post_id)
        await _laid_out(pilot, article)
        assert article._rendered_width < 80
        assert _visible(screen).startswith("Paragraph 900 of")
        await pilot.resize_terminal(150, 40)  # wider again, while reading
        await _laid_out(pilot, article)
        assert article._rendered_width == 80
        assert _visible(screen).startswith(MARKER)


async def test_a_position_saved_as_a_share_of_the_height_still_opens_there(service, store, ids):
    post_id = _add_long_post(store, ids, position=0.5)  # as older readers saved it
    async with reading(service) as (pilot, screen):
        screen.open_post(post_id)
        await _laid_out(pilot, screen.article)
        numbers = [int(n) for n in re.findall(r"Paragraph (\d+)", _visible(screen))]
        assert numbers and all(PARAGRAPHS // 2 - 15 <= n <= PARAGRAPHS // 2 + 15 for n in numbers)
        assert 49 <= screen.status.percent <= 53
        assert "%" in widget_text(screen.status)
