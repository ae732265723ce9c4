"""Unread counts for the sources pane: every source's in one grouped query, never one a source.

Tag counts are sums of their sources' counts (a post belongs to one source, and a
source's tags are a small set), so they cost no query of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from termnews.store.database import Database
from termnews.store.rows import filter_sql
from termnews.store.types import PostFilter


@dataclass(frozen=True, slots=True)
class UnreadCounts:
    """Unread posts per source, and the totals the pane's "All", "Unread", "Saved" rows show."""

    by_source: dict[int, int] = field(default_factory=dict)
    unread: int = 0  # every unread post, saved pages of the library included
    saved: int = 0


class CountTable(Database):
    """The counting queries of the sources pane and of the sidebar's title."""

    def unread_counts(self) -> UnreadCounts:
        """Unread per source (the ``posts_unread`` partial index) and the pane's totals."""
        rows = self.conn.execute(
            "SELECT source_id, count(*) FROM posts WHERE read_at IS NULL GROUP BY source_id"
        ).fetchall()
        saved = self.conn.execute(
            "SELECT count(*) FROM posts WHERE saved_at IS NOT NULL"
        ).fetchone()[0]
        by_source = {source_id: n for source_id, n in rows if source_id is not None}
        return UnreadCounts(by_source, sum(n for _, n in rows), int(saved))

    def unread_count(self, flt: PostFilter) -> int:
        """How many posts of a filter's source or tag are unread (its kind and query aside)."""
        where, params = filter_sql(PostFilter(kind="unread", source_id=flt.source_id, tag=flt.tag))
        row = self.conn.execute(f"SELECT count(*) FROM posts p {where}", params).fetchone()
        return int(row[0])
