"""Migrations: a database from every earlier schema version upgrades with all user data intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from termnews.store import PostFilter, Store
from termnews.store.migrations import MIGRATIONS, SCHEMA_VERSION

SCHEMAS = Path(__file__).parent / "data" / "schemas"


def build(path: Path, version: int) -> None:
    """A database as termnews ``version`` left it, from committed SQL."""
    conn = sqlite3.connect(path)
    conn.executescript((SCHEMAS / f"v{version}.sql").read_text())
    conn.commit()
    conn.close()


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_old_database_migrates_with_data_intact(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.sqlite3"
    build(path, version)
    store = Store.open(path)
    assert store.schema_version == SCHEMA_VERSION
    assert store.integrity_check() == ["ok"]

    source = store.sources()[0]
    assert (source.title, source.etag, source.tags) == ("Example News", '"abc"', ("Tech",))
    first, second, saved_page = (store.post(i) for i in (1, 2, 3))
    assert first.is_read and first.is_saved and first.position == 0.4
    assert not second.is_read and not second.is_saved
    assert saved_page.source_id is None and saved_page.is_saved
    document = store.document(1)
    assert document is not None and document.title == "First post"
    assert document.links() == ["http://example.test/x"]
    assert store.document(3) is not None
    assert [h.post_id for h in store.search("zebra")] in ([1, 3], [3, 1])
    assert store.post_ids(PostFilter("saved")) == [1, 3]
    # The migrated database is fully usable.
    store.record_document_error(2, "HTTP 404")
    assert store.prune(older_than=first.published, max_per_source=1) == 1
    assert store.post(1) is not None and store.post(2) is None


def test_every_migration_has_a_committed_fixture() -> None:
    for version in range(1, SCHEMA_VERSION):
        assert (SCHEMAS / f"v{version}.sql").exists(), f"add tests/data/schemas/v{version}.sql"


def test_fresh_database_equals_migrated_one(tmp_path: Path) -> None:
    fresh = Store.open(tmp_path / "fresh.sqlite3")
    build(tmp_path / "old.sqlite3", 1)
    migrated = Store.open(tmp_path / "old.sqlite3")

    def schema(store: Store) -> set[tuple[str, str]]:
        rows = store.conn.execute(
            "SELECT name, sql FROM sqlite_master"
            " WHERE sql IS NOT NULL AND name NOT LIKE 'post_fts_%'"
        )
        return {(name, " ".join(sql.split())) for name, sql in rows}

    assert schema(fresh) == schema(migrated)
    assert len(MIGRATIONS) == SCHEMA_VERSION
