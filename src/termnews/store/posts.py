"""The posts table: storing parsed entries, the sidebar's queries, read/saved state, retention."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime

from termnews.dates import to_timestamp
from termnews.models import Entry, Post, PostRow
from termnews.store.database import Database
from termnews.store.rows import POST_COLUMNS, ROW_SELECT, filter_sql, post_from_row
from termnews.store.types import Counts, PostFilter
from termnews.text import clean_line, html_to_line

TOMBSTONE_SECONDS = 365 * 24 * 3600  # how long a pruned post is kept from coming back
KEEP_NEWEST = 10  # posts of a source that age never prunes
TOMBSTONE_SLACK = 100  # tombstones kept per source beyond max_posts_per_source
ALL_POSTS = PostFilter()
UNDATED_STEP = 3600.0  # seconds between undated posts first seen together, in feed order
_TIE = 0.001  # seconds between posts that must keep an order but have no time of their own


class PostTable(Database):
    """Posts and their reading state."""

    def upsert_posts(
        self,
        source_id: int | None,
        entries: Iterable[Entry],
        when: datetime | None = None,
        cutoff: datetime | None = None,
    ) -> int:
        """Insert new posts and refresh the text of known ones; returns how many were new.

        Identity is (source, GUID-or-URL): read, saved and position are never reset.
        Entries without a date are dated once, when first seen, between their
        neighbours in the feed (``feed_order_keys``). New entries published before
        ``cutoff`` (the retention limit), and entries retention already pruned, are
        not stored: they must not come back as unread posts.
        """
        fetched = to_timestamp(when) or self.now()
        oldest = to_timestamp(cutoff)
        batch = list(entries)
        new = 0
        with self.transaction() as tx:
            rows = [
                tx.execute(
                    "SELECT id, title, content, summary, sort_key FROM posts"
                    " WHERE source_id IS ? AND identity = ?",
                    (source_id, entry.identity),
                ).fetchone()
                for entry in batch
            ]
            if source_id is None:  # library pages sort by when they came in
                keys = [fetched - index * 0.001 for index in range(len(batch))]
            else:
                keys = feed_order_keys(
                    [
                        row[4] if row is not None else to_timestamp(entry.published)
                        for entry, row in zip(batch, rows, strict=True)
                    ],
                    fetched,
                )
            for entry, row, sort_key in zip(batch, rows, keys, strict=True):
                title = clean_line(entry.title) or entry.url
                dated = to_timestamp(entry.published)
                if row is None and (
                    (oldest is not None and dated is not None and dated < oldest)
                    or tx.execute(
                        "SELECT 1 FROM pruned WHERE source_id = ? AND identity = ?",
                        (source_id, entry.identity),
                    ).fetchone()
                ):
                    continue
                if row is None:
                    cur = tx.execute(
                        "INSERT INTO posts (source_id, identity, url, title, author, published,"
                        " sort_key, content, summary, added_at)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            source_id,
                            entry.identity,
                            entry.url,
                            title,
                            clean_line(entry.author),
                            to_timestamp(entry.published),
                            sort_key,
                            entry.content,
                            entry.summary,
                            fetched,
                        ),
                    )
                    tx.execute(
                        "INSERT INTO post_fts (rowid, title, body) VALUES (?, ?, ?)",
                        (cur.lastrowid, title, html_to_line(entry.content or entry.summary)),
                    )
                    new += 1
                elif (row[1], row[2], row[3]) != (title, entry.content, entry.summary):
                    tx.execute(
                        "UPDATE posts SET url = ?, title = ?, author = ?, content = ?, summary = ?"
                        " WHERE id = ?",
                        (
                            entry.url,
                            title,
                            clean_line(entry.author),
                            entry.content,
                            entry.summary,
                            row[0],
                        ),
                    )
                    tx.execute(
                        "UPDATE post_fts SET title = ?, body = CASE WHEN EXISTS"
                        " (SELECT 1 FROM documents WHERE post_id = ?) THEN body ELSE ? END"
                        " WHERE rowid = ?",
                        (title, row[0], html_to_line(entry.content or entry.summary), row[0]),
                    )
        return new

    def upsert_batch(
        self,
        batch: Sequence[tuple[int | None, Iterable[Entry]]],
        when: datetime | None = None,
        cutoff: datetime | None = None,
    ) -> list[int]:
        """``upsert_posts`` for several sources in one transaction; the new posts of each.

        One commit instead of one a source, and all or nothing: when one source's
        posts cannot be stored, none of the batch are.
        """
        with self.transaction():
            return [
                self.upsert_posts(source_id, entries, when, cutoff) for source_id, entries in batch
            ]

    def post(self, post_id: int) -> Post | None:
        row = self.conn.execute(
            f"SELECT {POST_COLUMNS} FROM posts p LEFT JOIN sources s ON s.id = p.source_id"
            " WHERE p.id = ?",
            (post_id,),
        ).fetchone()
        return post_from_row(row) if row else None

    def post_by_url(self, url: str) -> Post | None:
        row = self.conn.execute(
            f"SELECT {POST_COLUMNS} FROM posts p LEFT JOIN sources s ON s.id = p.source_id"
            " WHERE p.url = ? ORDER BY p.saved_at IS NULL, p.id LIMIT 1",
            (url,),
        ).fetchone()
        return post_from_row(row) if row else None

    def post_rows(self, flt: PostFilter = ALL_POSTS, limit: int | None = None) -> list[PostRow]:
        """The sidebar's rows, newest first. Cheap enough for 100,000 posts."""
        where, params = filter_sql(flt)
        sql = f"{ROW_SELECT} {where} ORDER BY p.sort_key DESC, p.id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [PostRow(*row) for row in self.conn.execute(sql, params)]

    def post_ids(self, flt: PostFilter = ALL_POSTS, limit: int | None = None) -> list[int]:
        """Ids of the matching posts, newest first: 100,000 in about 25 ms.

        The sidebar holds only these and reads the rows it draws with ``rows_by_id``;
        ``limit`` gives the first screenful at once, before the whole list is read.
        """
        where, params = filter_sql(flt)
        sql = f"SELECT p.id FROM posts p {where} ORDER BY p.sort_key DESC, p.id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params = [*params, limit]
        return [r[0] for r in self.conn.execute(sql, params)]

    def post_ids_for_source(self, source_id: int) -> list[int]:
        """Ids of one source's posts, newest first."""
        return self.post_ids(PostFilter(source_id=source_id))

    def rows_by_id(self, post_ids: Sequence[int]) -> dict[int, PostRow]:
        """The sidebar rows of a page of posts (a few hundred ids at a time)."""
        found: dict[int, PostRow] = {}
        ids = list(post_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(f"{ROW_SELECT} WHERE p.id IN ({marks})", chunk)
            for row in rows:
                found[row[0]] = PostRow(*row)
        return found

    def set_read(self, post_ids: Iterable[int], read: bool = True) -> None:
        ids = list(post_ids)
        with self.transaction() as tx:
            tx.executemany(
                "UPDATE posts SET read_at = ? WHERE id = ?"
                + (" AND read_at IS NULL" if read else ""),
                [(self.now() if read else None, i) for i in ids],
            )

    def set_saved(self, post_id: int, saved: bool = True) -> None:
        with self.transaction() as tx:
            tx.execute(
                "UPDATE posts SET saved_at = ? WHERE id = ?"
                + (" AND saved_at IS NULL" if saved else ""),
                (self.now() if saved else None, post_id),
            )

    def set_position(self, post_id: int, position: float) -> None:
        """Remember how far the user read (0.0 – 1.0 of the article)."""
        with self.transaction() as tx:
            tx.execute(
                "UPDATE posts SET position = ? WHERE id = ?",
                (max(0.0, min(1.0, position)), post_id),
            )

    def prune(self, *, older_than: datetime, max_per_source: int) -> int:
        """Delete unsaved posts older than ``older_than`` or beyond the newest N of a source.

        Saved posts are never touched, and the newest ``KEEP_NEWEST`` of each
        source stay whatever their age (a quiet blog still shows its latest
        posts). What is pruned is remembered (for a year)
        so the feed cannot bring it back; freed pages go back to the disk
        (incremental vacuum). Returns how many posts were deleted.
        """
        doomed = (
            "SELECT id FROM (SELECT id, saved_at, sort_key, source_id, row_number() OVER"
            "   (PARTITION BY source_id ORDER BY sort_key DESC, id DESC) AS n FROM posts)"
            " WHERE saved_at IS NULL AND ((source_id IS NOT NULL AND n > :most)"
            "   OR (sort_key < :cutoff AND (source_id IS NULL OR n > :keep)))"
        )
        params = {
            "cutoff": older_than.timestamp(),
            "most": max_per_source,
            "keep": min(KEEP_NEWEST, max_per_source),
        }
        now = self.now()
        with self.transaction() as tx:
            # Usually nothing is due (a refresh of 304s): one scan, not four.
            any_doomed = tx.execute(f"SELECT EXISTS ({doomed})", params).fetchone()[0]
            if any_doomed:
                tx.execute(
                    "INSERT OR REPLACE INTO pruned (source_id, identity, pruned_at)"
                    " SELECT source_id, identity, :now FROM posts WHERE source_id IS NOT NULL"
                    f" AND id IN ({doomed})",
                    {**params, "now": now},
                )
            tx.execute("DELETE FROM pruned WHERE pruned_at < ?", (now - TOMBSTONE_SECONDS,))
            # A feed's newest ``max_per_source`` entries are all a refresh stores, so no
            # more tombstones than that (and some slack) can ever be needed per source.
            tx.execute(
                "DELETE FROM pruned WHERE (source_id, identity) IN (SELECT source_id, identity"
                " FROM (SELECT source_id, identity, row_number() OVER (PARTITION BY source_id"
                " ORDER BY pruned_at DESC, identity) AS n FROM pruned) WHERE n > ?)",
                (max_per_source + TOMBSTONE_SLACK,),
            )
            deleted = 0
            if any_doomed:
                tx.execute(f"DELETE FROM post_fts WHERE rowid IN ({doomed})", params)
                tx.execute(f"DELETE FROM documents WHERE post_id IN ({doomed})", params)
                deleted = tx.execute(f"DELETE FROM posts WHERE id IN ({doomed})", params).rowcount
        if deleted:
            self.conn.execute("PRAGMA incremental_vacuum")
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        return int(deleted)

    def counts(self, source_id: int | None = None) -> Counts:
        where = "WHERE p.source_id = ?" if source_id is not None else ""
        params = (source_id,) if source_id is not None else ()
        row = self.conn.execute(
            "SELECT count(*), count(*) - count(p.read_at), count(p.saved_at), count(d.post_id)"
            f" FROM posts p LEFT JOIN documents d ON d.post_id = p.id {where}",
            params,
        ).fetchone()
        return Counts(*row)

    def post_counts_by_source(self) -> dict[int, int]:
        rows = self.conn.execute(
            "SELECT source_id, count(*) FROM posts WHERE source_id IS NOT NULL GROUP BY source_id"
        )
        return {r[0]: r[1] for r in rows}


def feed_order_keys(known: Sequence[float | None], fetched: float) -> list[float]:
    """Sort keys for one fetch of a feed, in feed order; ``known`` has None for undated new posts.

    Dated and already stored posts keep their keys. An undated new post is dated
    once, here, between its nearest neighbours in the feed, so the feed's order
    survives without every undated post claiming to be the newest news: a run
    with nothing dated above it starts at ``fetched``, one with nothing below
    steps back ``UNDATED_STEP`` a post.
    """
    keys = list(known)
    index = 0
    while index < len(keys):
        if keys[index] is not None:
            index += 1
            continue
        end = index
        while end < len(keys) and keys[end] is None:
            end += 1
        run = _run_keys(
            keys[index - 1] if index else None,
            keys[end] if end < len(keys) else None,
            end - index,
            fetched,
        )
        keys[index:end] = run
        index = end
    return [fetched if key is None else key for key in keys]


def _run_keys(above: float | None, below: float | None, count: int, fetched: float) -> list[float]:
    """Keys for ``count`` undated posts between the keys above and below them (newest first)."""
    if above is None and below is None:
        return [fetched - k * UNDATED_STEP for k in range(count)]
    if below is None:
        assert above is not None
        return [above - (k + 1) * UNDATED_STEP for k in range(count)]
    if above is None:
        above = max(fetched, below) + (count + 1) * _TIE if fetched <= below else fetched
        return [above - k * (above - below) / count for k in range(count)]
    if above <= below:  # the feed is not in date order: keep each just after its neighbour
        return [above - (k + 1) * _TIE for k in range(count)]
    return [above - (k + 1) * (above - below) / (count + 1) for k in range(count)]


def merge_into(tx: sqlite3.Connection, moving: int, kept: int) -> None:
    """Fold post ``moving`` into ``kept`` (same page): keep the earliest read/saved times,
    the furthest position and any document, then delete ``moving``."""
    tx.execute(
        "UPDATE posts SET"
        " read_at = coalesce(min(read_at, (SELECT read_at FROM posts WHERE id = :m)),"
        "   read_at, (SELECT read_at FROM posts WHERE id = :m)),"
        " saved_at = coalesce(min(saved_at, (SELECT saved_at FROM posts WHERE id = :m)),"
        "   saved_at, (SELECT saved_at FROM posts WHERE id = :m)),"
        " position = max(position, (SELECT position FROM posts WHERE id = :m))"
        " WHERE id = :k",
        {"m": moving, "k": kept},
    )
    tx.execute(
        "INSERT OR IGNORE INTO documents (post_id, body, fetched_at)"
        " SELECT ?, body, fetched_at FROM documents WHERE post_id = ?",
        (kept, moving),
    )
    tx.execute("DELETE FROM documents WHERE post_id = ?", (moving,))
    tx.execute("DELETE FROM post_fts WHERE rowid = ?", (moving,))
    tx.execute("DELETE FROM posts WHERE id = ?", (moving,))
