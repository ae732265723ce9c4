"""The SQLite store, against real database files in tmp_path."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from termnews.document import Document, Heading, Inline, Paragraph
from termnews.models import Entry
from termnews.store import KEEP_NEWEST, PostFilter, Store, StoreError
from termnews.store.migrations import SCHEMA_VERSION

BASE = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def entries(n: int, prefix: str = "p", start: datetime = BASE) -> list[Entry]:
    return [
        Entry(
            identity=f"{prefix}{i}",
            url=f"http://example.test/{prefix}{i}",
            title=f"Post {prefix}{i}",
            author="Jane",
            published=start + timedelta(hours=i),
            summary=f"<p>Summary about llamas number {i}</p>",
        )
        for i in range(n)
    ]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store.open(tmp_path / "db" / "termnews.sqlite3")
    yield s
    s.close()


def test_new_database_is_wal_and_versioned(store: Store) -> None:
    assert store.schema_version == SCHEMA_VERSION
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.path.exists()


def test_add_source_and_duplicate_refused(store: Store) -> None:
    s = store.add_source(
        "http://a.test/feed", "A \x1b[2Jfeed", "feed", "http://a.test/feed", ["news", "tech"]
    )
    assert s.title == "A feed"
    assert s.tags == ("news", "tech")
    assert store.source_by_url("http://a.test/feed") == s
    with pytest.raises(StoreError, match="already following"):
        store.add_source("http://a.test/feed", "again", "feed")


def test_upsert_never_duplicates_and_keeps_state(store: Store) -> None:
    src = store.add_source("http://a.test/feed", "A", "feed")
    assert store.upsert_posts(src.id, entries(5)) == 5
    ids = store.post_ids()
    store.set_read([ids[0]])
    store.set_saved(ids[1])
    store.set_position(ids[1], 0.5)
    changed = [
        e if e.identity != "p4" else Entry("p4", e.url, "New title", published=e.published)
        for e in entries(5)
    ]
    assert store.upsert_posts(src.id, changed) == 0
    assert store.counts().posts == 5
    first = store.post(ids[0])
    assert first is not None and first.title == "New title" and first.is_read
    second = store.post(ids[1])
    assert second is not None and second.is_saved and second.position == 0.5


def test_same_identity_in_two_sources_is_two_posts(store: Store) -> None:
    a = store.add_source("http://a.test/feed", "A", "feed")
    b = store.add_source("http://b.test/feed", "B", "feed")
    store.upsert_posts(a.id, entries(2))
    store.upsert_posts(b.id, entries(2))
    assert store.counts().posts == 4


def test_order_newest_first_and_missing_dates_keep_feed_order(store: Store) -> None:
    src = store.add_source("http://a.test/feed", "A", "feed")
    undated = [Entry(f"u{i}", f"http://a.test/u{i}", f"Undated {i}") for i in range(3)]
    store.upsert_posts(src.id, undated, when=BASE + timedelta(days=30))
    store.upsert_posts(src.id, entries(2))
    titles = [r.title for r in store.post_rows()]
    assert titles == ["Undated 0", "Undated 1", "Undated 2", "Post p1", "Post p0"]


def test_filters_and_rows(store: Store) -> None:
    a = store.add_source("http://a.test/feed", "A", "feed")
    b = store.add_source("http://b.test/feed", "B", "feed")
    store.upsert_posts(a.id, entries(3, "a"))
    store.upsert_posts(b.id, entries(2, "b"))
    ids = store.post_ids()
    store.set_read(ids[:2])
    store.set_saved(ids[4])
    assert len(store.post_ids(PostFilter("unread"))) == 3
    assert store.post_ids(PostFilter("saved")) == [ids[4]]
    assert len(store.post_ids(PostFilter(source_id=b.id))) == 2
    rows = store.rows_by_id(ids[:2])
    assert rows[ids[0]].is_read and rows[ids[0]].source_title in ("A", "B")
    assert store.counts().unread == 3
    assert store.post_counts_by_source() == {a.id: 3, b.id: 2}


def test_documents_round_trip_and_search(store: Store) -> None:
    src = store.add_source("http://a.test/feed", "A", "feed")
    store.upsert_posts(src.id, entries(3))
    post_id = store.post_ids()[0]
    doc = Document(
        url="http://example.test/p2",
        title="T",
        blocks=(
            Heading(2, (Inline("Zebras"),)),
            Paragraph((Inline("The quokka smiles", strong=True),)),
        ),
    )
    store.put_document(post_id, doc)
    assert store.document(post_id) == doc
    assert store.post(post_id).has_document
    hits = store.search("quokka")
    assert [h.post_id for h in hits] == [post_id]
    assert "quokka" in hits[0].snippet
    assert store.search("llamas number 1")[0].title == "Post p1"
    assert store.post_ids(PostFilter(query="quokka")) == [post_id]
    assert store.search('"; DROP TABLE posts; --') == []
    assert store.search("") == []
    store.set_saved(post_id)
    assert store.search("quokka", saved_only=True)[0].is_saved


def test_validators_and_errors_recorded(store: Store) -> None:
    src = store.add_source("http://a.test/feed", "A", "feed")
    store.record_fetch_ok(src.id, etag='"x"', last_modified="Wed, 04 Nov 2026 10:00:00 GMT")
    s = store.source(src.id)
    assert s.etag == '"x"' and s.last_refresh is not None and s.last_error is None
    retry = BASE + timedelta(hours=1)
    store.record_fetch_error(src.id, "HTTP 429 Too Many Requests", retry_after=retry)
    s = store.source(src.id)
    assert s.last_error == "HTTP 429 Too Many Requests" and s.retry_after == retry
    assert s.etag == '"x"'


def test_remove_source_keeps_saved_posts(store: Store) -> None:
    src = store.add_source("http://a.test/feed", "A", "feed")
    store.upsert_posts(src.id, entries(3))
    keep = store.post_ids()[0]
    store.set_saved(keep)
    assert store.remove_source(src.id) == 2
    assert store.source(src.id) is None
    assert store.post_ids() == [keep]
    assert store.post(keep).source_id is None
    assert len(store.search("llamas")) == 1


def test_corrupt_file_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "termnews.sqlite3"
    path.write_bytes(b"this is not a database at all" * 10)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a termnews database"):
        Store.open(path)
    assert path.read_bytes() == before


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="another program"):
        Store.open(path)
    names = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    assert names == {"customers"}


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer termnews"):
        Store.open(path)


def test_two_stores_on_one_file_see_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    reader, writer = Store.open(path), Store.open(path)
    src = writer.add_source("http://a.test/feed", "A", "feed")
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for i in range(20):
                writer.upsert_posts(src.id, entries(5, f"w{i}-"))
        except BaseException as exc:  # pragma: no cover - surfaced below
            errors.append(exc)

    t = threading.Thread(target=write)
    t.start()
    for _ in range(50):
        reader.post_ids()
        ids = reader.post_ids()
        if ids:
            reader.set_read(ids[:1])
    t.join()
    assert not errors
    assert reader.counts().posts == 100


def test_prune_keeps_saved_and_limits_per_source(store: Store) -> None:
    src = store.add_source("http://a.test/feed", "A", "feed")
    store.upsert_posts(src.id, entries(10))  # p0 oldest … p9 newest
    ids = {store.post(i).identity: i for i in store.post_ids()}
    store.set_saved(ids["p0"])
    store.put_document(ids["p1"], Document(url="u", blocks=(Paragraph((Inline("x"),)),)))
    deleted = store.prune(older_than=BASE + timedelta(hours=3), max_per_source=5)
    # p1, p2 too old; p3, p4 beyond the newest five; p0 saved.
    assert deleted == 4
    left = {store.post(i).identity for i in store.post_ids()}
    assert left == {"p0", "p5", "p6", "p7", "p8", "p9"}
    assert store.document(ids["p1"]) is None
    assert store.search("llamas number 1") == []
    assert store.integrity_check() == ["ok"]


def test_upsert_skips_entries_older_than_the_cutoff(store: Store) -> None:
    src = store.add_source("http://a.test/feed", "A", "feed")
    assert store.upsert_posts(src.id, entries(5), cutoff=BASE + timedelta(hours=2)) == 3


def test_posts_needing_documents(store: Store) -> None:
    src = store.add_source("http://a.test/feed", "A", "feed")
    store.upsert_posts(src.id, entries(4))
    by_identity = {store.post(i).identity: i for i in store.post_ids()}
    store.put_document(by_identity["p3"], Document(url="u"))
    store.record_document_error(by_identity["p2"], "HTTP 500")
    store.set_saved(by_identity["p0"])
    todo = store.posts_needing_documents(BASE + timedelta(hours=1))
    # p3 has its page, p2 failed just now; p0 is old but saved, so it comes first.
    assert [p.identity for p in todo] == ["p0", "p1"]
    store.set_read([by_identity["p1"]])
    todo = store.posts_needing_documents(BASE + timedelta(hours=1), unread_only=True)
    assert [p.identity for p in todo] == ["p0"]


def test_remove_merges_saved_post_already_in_the_library(store: Store) -> None:
    a = store.add_source("http://a.test/feed", "A", "feed")
    b = store.add_source("http://b.test/feed", "B", "feed")
    shared = [Entry("shared-1", "http://news.test/shared", "Shared story")]
    store.upsert_posts(a.id, shared)
    store.upsert_posts(b.id, shared)
    in_a, in_b = (store.post_ids_for_source(s.id)[0] for s in (a, b))
    store.set_saved(in_a)
    store.set_saved(in_b)
    store.set_position(in_b, 0.7)
    store.put_document(in_b, Document(url="http://news.test/shared", title="Shared story"))
    store.remove_source(a.id)
    store.remove_source(b.id)  # used to fail: the library already held this identity
    [left] = store.post_ids()
    post = store.post(left)
    assert post.is_saved and post.source_id is None and post.position == 0.7
    assert store.document(left) is not None
    assert len(store.search("shared")) == 1


def test_non_ascii_validators_are_not_kept(store: Store) -> None:
    src = store.add_source("http://a.test/feed", "A", "feed")
    store.record_fetch_ok(src.id, etag='"café"', last_modified="Wed, 04 Nov 2026 10:00:00 GMT")
    stored = store.source(src.id)
    assert stored.etag is None and stored.last_modified == "Wed, 04 Nov 2026 10:00:00 GMT"


def test_pruned_posts_do_not_come_back(store: Store) -> None:
    src = store.add_source("http://a.test/feed", "A", "feed")
    feed = entries(3) + [Entry("undated", "http://a.test/u", "Undated")]
    store.upsert_posts(src.id, feed, when=BASE - timedelta(days=400))
    assert store.prune(older_than=BASE - timedelta(days=10), max_per_source=2) == 2
    assert store.upsert_posts(src.id, feed) == 0
    assert store.counts().posts == 2


def test_search_follows_edited_feed_text(store: Store) -> None:
    src = store.add_source("http://a.test/feed", "A", "feed")
    store.upsert_posts(src.id, [Entry("x", "http://a.test/x", "X", content="<p>banana</p>")])
    store.upsert_posts(src.id, [Entry("x", "http://a.test/x", "X", content="<p>mango</p>")])
    assert store.search("banana") == [] and len(store.search("mango")) == 1


def test_document_for_a_vanished_post_is_ignored(store: Store) -> None:
    store.put_document(12345, Document(url="http://gone.test/"))
    assert store.document(12345) is None


def test_age_never_prunes_the_newest_posts_of_a_quiet_source(store: Store) -> None:
    src = store.add_source("http://quiet.test/feed", "Quiet", "feed")
    store.upsert_posts(src.id, entries(12, start=BASE - timedelta(days=400)))
    assert store.prune(older_than=BASE, max_per_source=2000) == 2
    assert store.counts(src.id).posts == KEEP_NEWEST


def test_library_pages_sort_by_when_they_were_saved(store: Store) -> None:
    src = store.add_source("http://a.test/feed", "A", "feed")
    store.upsert_posts(src.id, entries(2, start=BASE))
    old_page = Entry(
        "http://lib.test/p", "http://lib.test/p", "Old page", published=BASE - timedelta(days=900)
    )
    store.upsert_posts(None, [old_page], when=BASE + timedelta(days=1))
    assert store.post_rows()[0].title == "Old page"


def test_search_survives_control_characters(store: Store) -> None:
    assert store.search("\x00\x1b[2J") == []
    assert store.post_ids(PostFilter(query='abc\x00"')) == []
