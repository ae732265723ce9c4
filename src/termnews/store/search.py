"""Full-text search (FTS5) over titles and readable text."""

from __future__ import annotations

from termnews.dates import from_timestamp
from termnews.store.database import Database
from termnews.store.rows import fts_query
from termnews.store.types import SearchHit
from termnews.text import clean_line


class SearchIndex(Database):
    """Search over the ``post_fts`` index."""

    def search(self, query: str, *, saved_only: bool = False, limit: int = 50) -> list[SearchHit]:
        """Full-text search over titles and text, best matches first (ranked among recent hits)."""
        match = fts_query(query)
        if not match:
            return []
        saved = " AND p.saved_at IS NOT NULL" if saved_only else ""
        rows = self.conn.execute(
            "SELECT p.id, p.title, coalesce(s.title, ''), p.url, p.published,"
            " snippet(post_fts, -1, '«', '»', '…', 12), p.saved_at IS NOT NULL"
            " FROM post_fts JOIN posts p ON p.id = post_fts.rowid"
            " LEFT JOIN sources s ON s.id = p.source_id"
            f" WHERE post_fts MATCH ?{saved} ORDER BY bm25(post_fts, 5.0, 1.0) LIMIT ?",
            (match, limit),
        ).fetchall()
        return [
            SearchHit(r[0], r[1], r[2], r[3], from_timestamp(r[4]), clean_line(r[5]), bool(r[6]))
            for r in rows
        ]
