"""The sources pane (wide), the picker (narrow), their counts, and reading on across sources."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import timedelta

import pytest

from termnews.models import Entry, Source
from termnews.service import RefreshProgress, RefreshSummary, SourceResult
from termnews.store import PostFilter, Store
from termnews.tui.screens.source_picker import SourcePickerScreen
from termnews.tui.widgets.sources_pane import SourcesPane
from tests.tui.conftest import NOW, FakeService
from tests.tui.helpers import app_for, main, reading, settle, sidebar_text, title_of

WIDE, NARROW = (200, 50), (100, 40)


@pytest.fixture
def tagged(store: Store, ids: dict[str, int]) -> dict[str, int]:
    """seed_small's two sources with OPML-style folders: both in News, one also in Tech."""
    store.update_source(ids["one"], tags=["Tech", "News"])
    store.update_source(ids["two"], tags=["News"])
    return ids


def pane_of(app) -> SourcesPane:  # type: ignore[no-untyped-def]
    return main(app).query_one(SourcesPane)


def rows(pane: SourcesPane) -> list[str]:
    """Each row as shown: "Example One  2"."""
    return [pane.row_text(index) for index in range(len(pane.entries))]


async def choose(pilot, key: str) -> None:  # type: ignore[no-untyped-def]
    """Focus the pane with S, move its cursor to the row ``key`` by keys, and press enter."""
    pane = pane_of(pilot.app)
    await pilot.press("S")
    assert pane.has_focus
    await pilot.press("g")
    target = [e.key for e in pane.entries].index(key)
    await pilot.press(*["j"] * target, "enter")
    await settle(pilot)


async def test_wide_pane_lists_views_tags_and_sources_with_unread_counts(service, tagged):
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        pane = pane_of(app)
        assert pane.display and title_of(pane) == "Sources"
        # a, b, d, e are unread; d is saved; one has a and e, two has b and d.
        assert rows(pane) == [
            "All  4",
            "Unread  4",
            "Saved  1",
            "News  4",
            "Tech  2",
            "Example One  2",
            "Second Site  2",
        ]
        assert pane.cursor == 0  # "All", the sidebar's filter


async def test_narrow_terminal_has_no_pane_and_S_opens_the_picker(service, tagged):
    app = app_for(service)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert not pane_of(app).display
        await pilot.press("S")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, SourcePickerScreen)
        assert [e.key for e in picker.shown][:3] == ["view:all", "view:unread", "view:saved"]
        await pilot.press(*"ne")  # "News", "Example One": the name, any case
        await pilot.pause()
        assert [e.title for e in picker.shown] == ["News", "Example One"]
        await pilot.press("down", "enter")
        await settle(pilot)
        screen = main(app)
        assert screen.filter == PostFilter(source_id=tagged["one"])
        assert screen.post_list.ids == [tagged["a"], tagged["c"], tagged["e"]]


async def test_choosing_a_source_filters_the_list_without_repeating_its_name(service, tagged):
    async with reading(service, size=WIDE) as (pilot, screen):
        app = pilot.app
        assert "Second Site" in "".join(sidebar_text(app))  # "All" names each row's source
        await choose(pilot, f"source:{tagged['two']}")
        assert screen.filter == PostFilter(source_id=tagged["two"])
        assert screen.post_list.ids == [tagged["b"], tagged["d"], tagged["f"]]
        assert screen.post_list.has_focus
        assert title_of(screen.sidebar).startswith("Second Site (All · 3 · 2 unread)")
        meta_lines = sidebar_text(app)[1:6:2]
        assert [line.strip() for line in meta_lines] == ["3h", "2d", "Oct 2023"]
        await choose(pilot, "tag:Tech")  # one source's posts, under the tag's name
        assert screen.filter == PostFilter(tag="Tech")
        assert screen.post_list.ids == [tagged["a"], tagged["c"], tagged["e"]]
        assert title_of(screen.sidebar).startswith("Tech (All · 3")
        assert "Example One" in sidebar_text(app)[1]  # a tag's rows name their sources
        await choose(pilot, "view:unread")
        assert screen.filter == PostFilter(kind="unread")
        assert screen.post_list.ids == [tagged[k] for k in "abde"]


async def test_counts_follow_reading_and_marking_unread(service, tagged):
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        pane = pane_of(app)
        await pilot.press("enter")  # opens "a", of Example One (News, Tech)
        await settle(pilot)
        assert rows(pane)[:6] == [
            "All  3", "Unread  3", "Saved  1", "News  3", "Tech  1", "Example One  1",
        ]  # fmt: skip
        assert pane.counts is not None and pane.counts.by_source[tagged["one"]] == 1
        await pilot.press("m")  # unread again
        await settle(pilot)
        assert rows(pane)[:6] == [
            "All  4", "Unread  4", "Saved  1", "News  4", "Tech  2", "Example One  2",
        ]  # fmt: skip
        # What the pane shows is what the store holds.
        assert pane.counts == app.screen.store.unread_counts()  # type: ignore[attr-defined]


class NewPostService(FakeService):
    """A refresh that brings one new post to "Second Site", and the feed's new title."""

    async def refresh(
        self,
        sources: Sequence[Source] | None = None,
        progress: Callable[[RefreshProgress], None] | None = None,
    ) -> RefreshSummary:
        two = next(s for s in self.store.sources() if s.title == "Second Site")
        entry = Entry("new-1", "https://two.example/new", "Hotel is new", published=NOW)
        new = self.store.upsert_posts(two.id, [entry], when=NOW - timedelta(minutes=1))
        self.store.update_source(two.id, title="Second Site, renamed")
        summary = RefreshSummary([SourceResult(two, new)])
        if progress:
            progress(summary)  # type: ignore[arg-type]
        return summary


async def test_counts_update_when_a_refresh_lands(store, tagged):
    app = app_for(NewPostService(store))
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        pane = pane_of(app)
        assert rows(pane)[6] == "Second Site  2"
        await pilot.press("R")
        await settle(pilot)
        assert rows(pane)[6] == "Second Site, renamed  3"
        assert rows(pane)[:4] == ["All  5", "Unread  5", "Saved  1", "News  5"]


async def test_a_new_source_gets_a_row(service, tagged):
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("a", *"new.example", "enter")
        await settle(pilot)
        assert "Added source  1" in rows(pane_of(app))


async def test_n_at_the_end_of_a_source_goes_on_to_the_next_with_unread(service, tagged):
    async with reading(service, size=WIDE) as (pilot, screen):
        app = pilot.app
        await choose(pilot, f"source:{tagged['one']}")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.article.post_id == tagged["a"]
        await pilot.press("n")
        await settle(pilot)
        assert screen.article.post_id == tagged["e"]
        await pilot.press("n")  # Example One is read: on to Second Site
        await settle(pilot)
        assert screen.filter == PostFilter(source_id=tagged["two"])
        assert screen.status.activity == "Next: Second Site, 2 unread"
        assert screen.article.post_id == tagged["b"]
        assert screen.post_list.selected_id == tagged["b"]
        assert pane_of(app).cursor == [e.key for e in pane_of(app).entries].index(
            f"source:{tagged['two']}"
        )
        await pilot.press("n")
        await settle(pilot)
        assert screen.article.post_id == tagged["d"]
        await pilot.press("n")  # nothing unread anywhere
        await settle(pilot)
        assert screen.filter == PostFilter(source_id=tagged["two"])
        assert screen.article.post_id == tagged["d"]


async def test_n_at_the_end_of_a_tag_goes_on_to_the_next_tag(service, tagged):
    async with reading(service, size=WIDE) as (pilot, screen):
        store = screen.store
        store.set_read([tagged["b"], tagged["d"]])  # News has only Example One's unread
        await choose(pilot, "tag:Tech")
        await pilot.press("enter", "n")
        await settle(pilot)
        assert screen.article.post_id == tagged["e"]
        store.set_read([tagged["a"]], read=False)  # News (first tag) has "a" again
        await pilot.press("n")
        await settle(pilot)
        assert screen.filter == PostFilter(tag="News")
        assert screen.status.activity == "Next: News, 1 unread"
        assert screen.article.post_id == tagged["a"]


async def test_space_reads_on_through_three_posts_across_two_sources(service, tagged):
    async with reading(service, size=WIDE) as (pilot, screen):
        await choose(pilot, f"source:{tagged['one']}")
        await pilot.press("enter")  # "a", a long article
        await settle(pilot)
        article = screen.article
        assert article.post_id == tagged["a"] and article.has_focus
        await pilot.press("space")
        await settle(pilot)
        assert article.post_id == tagged["a"] and article.scroll_y > 0  # paged, not left
        opened = [article.post_id]
        for _ in range(2):
            await pilot.press("G")
            await settle(pilot)
            assert article.scroll_y >= article.max_scroll_y
            await pilot.press("space")  # at the end: the next unread post
            await settle(pilot)
            opened.append(article.post_id)
        assert opened == [tagged["a"], tagged["e"], tagged["b"]]
        assert screen.filter.source_id == tagged["two"]
        assert screen.status.activity == "Next: Second Site, 2 unread"


async def test_a_finished_article_reopens_at_the_top_an_unfinished_where_left(service, tagged):
    async with reading(service, size=WIDE) as (pilot, screen):
        article = screen.article
        await pilot.press("enter")  # "a"
        await settle(pilot)
        await pilot.press("space")  # one page down: unfinished
        await settle(pilot)
        left_at = article.scroll_y
        assert 0 < left_at < article.max_scroll_y
        await pilot.press("escape", "j", "enter")  # open "b": "a"'s position is stored
        await settle(pilot)
        await pilot.press("escape", "k", "enter")
        await settle(pilot)
        assert article.post_id == tagged["a"] and abs(article.scroll_y - left_at) <= 1
        await pilot.press("G")  # to the end: finished
        await settle(pilot)
        await pilot.press("escape", "j", "enter")
        await settle(pilot)
        assert screen.store.post(tagged["a"]).position == 1.0  # type: ignore[union-attr]
        await pilot.press("escape", "k", "enter")
        await settle(pilot)
        assert article.post_id == tagged["a"] and article.scroll_y == 0


async def test_the_pane_appears_when_the_terminal_widens(service, tagged):
    app = app_for(service)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        pane = pane_of(app)
        assert not pane.display and pane.counts is None
        await pilot.resize_terminal(*WIDE)
        await settle(pilot)
        assert pane.display
        assert rows(pane)[-1] == "Second Site  2"
        await pilot.press("S")
        assert pane.has_focus
        await pilot.resize_terminal(*NARROW)  # the focus does not stay on a hidden pane
        await settle(pilot)
        assert not pane.display and main(app).post_list.has_focus


async def test_tab_goes_round_the_three_panes(service, tagged):
    async with reading(service, size=WIDE) as (pilot, screen):
        app = pilot.app
        assert screen.post_list.has_focus
        await pilot.press("tab")
        assert screen.article.has_focus
        await pilot.press("tab")
        assert pane_of(app).has_focus
        await pilot.press("tab")
        assert screen.post_list.has_focus
        await pilot.press("S", "escape")
        assert screen.post_list.has_focus


async def test_a_recount_while_a_read_mark_is_written_does_not_undo_it(service, store, tagged):
    gate = threading.Event()
    real_set_read = store.set_read

    def held_set_read(post_ids, read=True):  # type: ignore[no-untyped-def]
        gate.wait(30)  # the write waits (another process's lock, a slow disk)
        real_set_read(post_ids, read)

    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen, pane = main(app), pane_of(app)
        store.set_read = held_set_read  # type: ignore[method-assign]
        await pilot.press("enter")  # "a" is read: shown at once, written later
        await pilot.pause()
        assert rows(pane)[5] == "Example One  1"
        await screen.sidebar.load_counts()  # a refresh lands meanwhile: it must not count now
        assert rows(pane)[5] == "Example One  1"
        assert title_of(screen.sidebar).endswith("3 unread)")
        gate.set()
        await settle(pilot)
        assert rows(pane)[5] == "Example One  1"
        assert pane.counts == store.unread_counts()


async def test_back_from_a_link_at_the_end_stays_at_the_end(service, tagged):
    """Only a reopening from the list starts a finished article at the top, not `h`."""
    app = app_for(service)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        article = main(app).article
        await pilot.press("enter", "G")  # "a", read to its end
        await settle(pilot)
        await pilot.press("1")  # its first link, opened as a post
        await settle(pilot)
        assert article.post_id != tagged["a"]
        await pilot.press("h")
        await settle(pilot)
        assert article.post_id == tagged["a"]
        assert article.max_scroll_y > 0 and article.scroll_y == article.max_scroll_y


async def test_words_said_twice_give_way_to_the_status_before_both(service, monkeypatch):
    """A second "Next: …" while the first still shows: the line goes back to the status."""
    monkeypatch.setattr("termnews.tui.reading_on.SAY_SECONDS", 0.05)
    async with reading(service, size=WIDE) as (pilot, screen):
        screen.status.activity = "Up to date"
        screen.reading_on.say("Next: One, 2 unread")
        screen.reading_on.say("Next: Two, 1 unread")
        assert screen.status.activity == "Next: Two, 1 unread"
        for _ in range(100):  # the timers' turn comes on a busy machine too
            await pilot.pause(0.05)
            if screen.status.activity == "Up to date":
                break
        assert screen.status.activity == "Up to date"


async def test_the_next_source_line_gives_way_to_the_status_before_it(service, tagged, monkeypatch):
    monkeypatch.setattr("termnews.tui.reading_on.SAY_SECONDS", 0.05)
    async with reading(service, size=WIDE) as (pilot, screen):
        screen.status.activity = "Up to date"
        await choose(pilot, f"source:{tagged['one']}")
        await pilot.press("enter", "n", "n")
        await settle(pilot)
        assert screen.filter == PostFilter(source_id=tagged["two"])
        for _ in range(100):  # the timer's turn comes on a busy machine too
            if screen.status.activity == "Up to date":
                break
            await pilot.pause(0.05)
        assert screen.status.activity == "Up to date"
