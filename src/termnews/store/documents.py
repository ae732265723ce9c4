"""Readable documents of posts: stored as JSON, indexed for search, fetched ahead."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from termnews.models import Post
from termnews.store.database import Database
from termnews.store.rows import POST_COLUMNS, post_from_row
from termnews.text import clean_line

PREFETCH_LIMIT = 200  # article pages one refresh downloads at most
PREFETCH_PER_SOURCE = 20  # … of them from one source

if TYPE_CHECKING:
    from termnews.document import Document


class DocumentTable(Database):
    """The documents table and the prefetch queue."""

    def document(self, post_id: int) -> Document | None:
        row = self.conn.execute(
            "SELECT body FROM documents WHERE post_id = ?", (post_id,)
        ).fetchone()
        if row is None:
            return None
        try:
            from termnews.document import Document

            return Document.from_dict(json.loads(row[0]))
        except (ValueError, TypeError, KeyError):
            return None

    def put_document(self, post_id: int, document: Document) -> None:
        """Store (or replace) a post's readable document and index its text."""
        body = json.dumps(document.to_dict(), ensure_ascii=False, separators=(",", ":"))
        from termnews.document import iter_texts

        text = "\n".join(iter_texts(document.blocks))
        with self.transaction() as tx:
            # The post may have been pruned or removed meanwhile (another process): skip.
            tx.execute(
                "INSERT INTO documents (post_id, body, fetched_at)"
                " SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM posts WHERE id = ?)"
                " ON CONFLICT(post_id) DO UPDATE SET body = excluded.body,"
                " fetched_at = excluded.fetched_at",
                (post_id, body, self.now(), post_id),
            )
            tx.execute("UPDATE post_fts SET body = ? WHERE rowid = ?", (text, post_id))

    def record_document_error(self, post_id: int, message: str) -> None:
        """Remember that a post's page could not be fetched or read (retried later)."""
        with self.transaction() as tx:
            tx.execute(
                "UPDATE posts SET doc_error = ?, doc_tried_at = ? WHERE id = ?",
                (clean_line(message), self.now(), post_id),
            )

    def posts_needing_documents(
        self,
        since: datetime,
        *,
        unread_only: bool = False,
        retry_after_hours: float = 6.0,
        limit: int = PREFETCH_LIMIT,
        per_source: int = PREFETCH_PER_SOURCE,
    ) -> list[Post]:
        """Posts to prefetch: no document yet, recent (or saved), not failed just now.

        Saved posts without their page always come first: they were promised offline.
        At most ``per_source`` of one source's posts (newest first) and ``limit`` in
        all, so one huge feed cannot turn a refresh into hundreds of downloads; the
        rest follow on later refreshes.
        """
        unread = " AND p.read_at IS NULL" if unread_only else ""
        rows = self.conn.execute(
            f"SELECT {POST_COLUMNS} FROM (SELECT p.id, p.saved_at, p.sort_key, row_number()"
            "   OVER (PARTITION BY p.source_id ORDER BY p.saved_at IS NULL, p.sort_key DESC)"
            "   AS n FROM posts p"
            "   WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.post_id = p.id)"
            "   AND p.url != ''"  # a feed item with no link has no page: its text is the feed's
            "   AND (p.doc_tried_at IS NULL OR p.doc_tried_at < ?)"
            f"  AND (p.saved_at IS NOT NULL OR (p.sort_key >= ?{unread}))) AS q"
            " JOIN posts p ON p.id = q.id LEFT JOIN sources s ON s.id = p.source_id"
            " WHERE q.n <= ? OR q.saved_at IS NOT NULL"
            " ORDER BY q.saved_at IS NULL, q.sort_key DESC LIMIT ?",
            (self.now() - retry_after_hours * 3600, since.timestamp(), per_source, limit),
        ).fetchall()
        return [post_from_row(r) for r in rows]
