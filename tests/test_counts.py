"""Unread counts for the sources pane and the tag filter, against a real database file."""

from __future__ import annotations

from pathlib import Path

import pytest

from termnews.store import PostFilter, Store, UnreadCounts
from termnews.tui.source_entries import build_entries, next_with_unread, tag_counts
from tests.test_store import entries


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "counts.sqlite3")
    yield s
    s.close()


@pytest.fixture
def three(store: Store) -> dict[str, int]:
    """Three sources, tags that share prefixes ("Tech", "Tech News"), and a library page."""
    a = store.add_source("http://a.test/", "Alpha", "feed", tags=["Tech", "News"])
    b = store.add_source("http://b.test/", "Beta", "feed", tags=["Tech News"])
    c = store.add_source("http://c.test/", "Gamma", "feed")
    store.upsert_posts(a.id, entries(4, "a"))
    store.upsert_posts(b.id, entries(3, "b"))
    store.upsert_posts(c.id, entries(2, "c"))
    store.upsert_posts(None, entries(1, "page"))
    store.set_read(store.post_ids(PostFilter(source_id=a.id))[:1])
    store.set_read(store.post_ids(PostFilter(source_id=c.id)))
    store.set_saved(store.post_ids(PostFilter(source_id=b.id))[0])
    return {"a": a.id, "b": b.id, "c": c.id}


def test_unread_counts_are_one_grouped_query(store: Store, three: dict[str, int]) -> None:
    counts = store.unread_counts()
    assert counts == UnreadCounts({three["a"]: 3, three["b"]: 3}, unread=7, saved=1)
    store.set_read(store.post_ids(PostFilter(source_id=three["b"])))
    assert store.unread_counts().by_source == {three["a"]: 3}


def test_the_unread_index_serves_the_count(store: Store, three: dict[str, int]) -> None:
    plan = store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT source_id, count(*) FROM posts"
        " WHERE read_at IS NULL GROUP BY source_id"
    ).fetchall()
    assert "posts_unread" in " ".join(str(row[-1]) for row in plan)


def test_tag_filter_matches_whole_tags_only(store: Store, three: dict[str, int]) -> None:
    tech = store.post_ids(PostFilter(tag="Tech"))
    assert tech == store.post_ids(PostFilter(source_id=three["a"]))
    assert len(store.post_ids(PostFilter(tag="Tech News"))) == 3
    assert store.post_ids(PostFilter(tag="News")) == tech
    assert store.post_ids(PostFilter(tag="Tec")) == []
    assert store.post_ids(PostFilter(tag="%")) == []
    assert len(store.post_ids(PostFilter(kind="unread", tag="Tech"))) == 3
    assert store.unread_count(PostFilter(tag="Tech", kind="saved", query="x")) == 3
    assert store.unread_count(PostFilter()) == 7


def test_entries_order_counts_and_the_next_with_unread(store: Store, three: dict[str, int]) -> None:
    listed = build_entries(store.sources())
    assert [e.key for e in listed] == [
        "view:all", "view:unread", "view:saved", "tag:News", "tag:Tech", "tag:Tech News",
        f"source:{three['a']}", f"source:{three['b']}", f"source:{three['c']}",
    ]  # fmt: skip
    counts = store.unread_counts()
    assert tag_counts(listed, counts) == {"Tech": 3, "News": 3, "Tech News": 3}
    # From Alpha, Gamma has nothing unread: Beta, then round to Alpha; never a view.
    after_a = next_with_unread(listed, PostFilter(source_id=three["a"]), counts)
    assert after_a is not None and after_a.source_id == three["b"]
    after_c = next_with_unread(listed, PostFilter(source_id=three["c"]), counts)
    assert after_c is not None and after_c.source_id == three["a"]
    after_tech = next_with_unread(listed, PostFilter(tag="Tech"), counts)
    assert after_tech is not None and after_tech.tag == "Tech News"
    assert next_with_unread(listed, PostFilter(kind="unread"), counts) is None
    only_a = UnreadCounts({three["a"]: 3}, 3, 0)
    assert next_with_unread(listed, PostFilter(source_id=three["a"]), only_a) is None
    assert after_a.apply(PostFilter(kind="unread", tag="News")) == PostFilter(
        kind="unread", source_id=three["b"]
    )
    assert listed[2].apply(PostFilter(source_id=1, query="x")) == PostFilter("saved", query="x")
