"""The sources table: followed URLs, their validators, refresh times and errors."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from termnews.dates import from_timestamp, to_timestamp
from termnews.errors import StoreError
from termnews.models import Source, SourceKind
from termnews.store.database import Database
from termnews.store.posts import merge_into
from termnews.store.rows import SOURCE_COLUMNS, join_tags, source_from_row
from termnews.text import clean_line


class SourceTable(Database):
    """Adding, reading, changing and removing sources."""

    def add_source(
        self,
        url: str,
        title: str,
        kind: SourceKind,
        feed_url: str | None = None,
        tags: Sequence[str] = (),
    ) -> Source:
        """Insert a source; raises StoreError when a source with this URL exists."""
        try:
            with self.transaction() as tx:
                cur = tx.execute(
                    "INSERT INTO sources (url, title, kind, feed_url, tags, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (url, clean_line(title), kind, feed_url, join_tags(tags), self.now()),
                )
                source_id = int(cur.lastrowid or 0)
        except sqlite3.IntegrityError:
            raise StoreError(f"already following {url}") from None
        source = self.source(source_id)
        assert source is not None
        return source

    def sources(self) -> list[Source]:
        rows = self.conn.execute(f"SELECT {SOURCE_COLUMNS} FROM sources ORDER BY lower(title), id")
        return [source_from_row(r) for r in rows]

    def source(self, source_id: int) -> Source | None:
        row = self.conn.execute(
            f"SELECT {SOURCE_COLUMNS} FROM sources WHERE id = ?", (source_id,)
        ).fetchone()
        return source_from_row(row) if row else None

    def source_by_url(self, url: str) -> Source | None:
        row = self.conn.execute(
            f"SELECT {SOURCE_COLUMNS} FROM sources WHERE url = ? OR feed_url = ?", (url, url)
        ).fetchone()
        return source_from_row(row) if row else None

    def remove_source(self, source_id: int) -> int:
        """Remove a source and its unsaved posts; saved posts stay in the library.

        A saved post whose page is already in the library (saved from another
        source, or by URL) is merged into that entry, keeping its state and
        document. Returns how many posts were deleted.
        """
        with self.transaction() as tx:
            tx.execute(
                "DELETE FROM post_fts WHERE rowid IN"
                " (SELECT id FROM posts WHERE source_id = ? AND saved_at IS NULL)",
                (source_id,),
            )
            deleted = tx.execute(
                "DELETE FROM posts WHERE source_id = ? AND saved_at IS NULL", (source_id,)
            ).rowcount
            clashes = tx.execute(
                "SELECT p.id, l.id FROM posts p JOIN posts l"
                " ON l.identity = p.identity AND l.source_id IS NULL WHERE p.source_id = ?",
                (source_id,),
            ).fetchall()
            for moving, kept in clashes:
                merge_into(tx, moving, kept)
            tx.execute("UPDATE posts SET source_id = NULL WHERE source_id = ?", (source_id,))
            tx.execute("DELETE FROM pruned WHERE source_id = ?", (source_id,))
            tx.execute("DELETE FROM sources WHERE id = ?", (source_id,))
        return int(deleted)

    def update_source(
        self,
        source_id: int,
        *,
        title: str | None = None,
        feed_url: str | None = None,
        kind: SourceKind | None = None,
        tags: Sequence[str] | None = None,
    ) -> None:
        """Change a source's descriptive fields (those given)."""
        changes: dict[str, object] = {}
        if title is not None:
            changes["title"] = clean_line(title)
        if feed_url is not None:
            changes["feed_url"] = feed_url
        if kind is not None:
            changes["kind"] = kind
        if tags is not None:
            changes["tags"] = join_tags(tags)
        if not changes:
            return
        assignments = ", ".join(f"{column} = ?" for column in changes)
        with self.transaction() as tx:
            tx.execute(
                f"UPDATE sources SET {assignments} WHERE id = ?", (*changes.values(), source_id)
            )

    def record_fetch_ok(
        self,
        source_id: int,
        *,
        etag: str | None,
        last_modified: str | None,
        when: datetime | None = None,
        note: str | None = None,
    ) -> None:
        """Store the validators of a successful fetch and clear the source's error.

        ``note`` says what the fetch left out (skipped items), or None. Validators
        that are not ASCII cannot be sent back in a header: they are dropped.
        """
        etag = etag if etag and etag.isascii() else None
        last_modified = last_modified if last_modified and last_modified.isascii() else None
        with self.transaction() as tx:
            tx.execute(
                "UPDATE sources SET etag = ?, last_modified = ?, last_refresh = ?, fetch_note = ?,"
                " last_error = NULL, last_error_at = NULL, retry_after = NULL WHERE id = ?",
                (
                    etag,
                    last_modified,
                    to_timestamp(when) or self.now(),
                    clean_line(note) or None,
                    source_id,
                ),
            )

    def record_not_modified(self, source_id: int, when: datetime | None = None) -> None:
        """A 304: only the refresh time changes (no posts, no validators rewritten)."""
        with self.transaction() as tx:
            tx.execute(
                "UPDATE sources SET last_refresh = ?, last_error = NULL, last_error_at = NULL,"
                " retry_after = NULL WHERE id = ?",
                (to_timestamp(when) or self.now(), source_id),
            )

    def record_fetch_error(
        self,
        source_id: int,
        message: str,
        *,
        retry_after: datetime | None = None,
        when: datetime | None = None,
    ) -> None:
        """Remember why the last refresh of a source failed; its posts are untouched."""
        with self.transaction() as tx:
            tx.execute(
                "UPDATE sources SET last_error = ?, last_error_at = ?, retry_after = ?"
                " WHERE id = ?",
                (
                    clean_line(message),
                    to_timestamp(when) or self.now(),
                    to_timestamp(retry_after),
                    source_id,
                ),
            )

    def publish_history(self, per_source: int = 10) -> dict[int, list[float]]:
        """The publication times of each source's newest dated posts (for the schedule)."""
        rows = self.conn.execute(
            "SELECT source_id, published FROM (SELECT source_id, published, row_number()"
            " OVER (PARTITION BY source_id ORDER BY published DESC) AS n FROM posts"
            " WHERE source_id IS NOT NULL AND published IS NOT NULL) WHERE n <= ?",
            (per_source,),
        )
        history: dict[int, list[float]] = {}
        for source_id, published in rows:
            history.setdefault(source_id, []).append(published)
        return history

    def last_refresh(self) -> datetime | None:
        """When any source was last refreshed (decides whether start-up refreshes)."""
        row = self.conn.execute("SELECT max(last_refresh) FROM sources").fetchone()
        return from_timestamp(row[0]) if row and row[0] is not None else None
