"""The local cache: one SQLite file holding sources, posts, readable documents and a search index.

Every SQL statement of termnews lives here. The database runs in WAL mode with
a busy timeout so the reader and a cron ``termnews refresh`` can work at once;
each thread gets its own connection. Schema changes are an ordered list of
migrations keyed by ``PRAGMA user_version`` and never drop user data.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from termnews.migrations import MIGRATIONS, SCHEMA_VERSION
from termnews.models import Entry, Post, PostRow, Source, SourceKind
from termnews.text import clean_line, html_to_line, strip_unsafe

if TYPE_CHECKING:
    from termnews.document import Document

FilterKind = Literal["all", "unread", "saved"]

_SQLITE_MAGIC = b"SQLite format 3\x00"
TOMBSTONE_SECONDS = 365 * 24 * 3600  # how long a pruned post is kept from coming back
KEEP_NEWEST = 10  # posts of a source that age never prunes


class StoreError(Exception):
    """The database cannot be opened or used; the message is one line naming the file."""


@dataclass(frozen=True, slots=True)
class PostFilter:
    """Which posts the sidebar shows: all, unread or saved; optionally one source or a search."""

    kind: FilterKind = "all"
    source_id: int | None = None
    query: str | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A full-text search result: the post and a short snippet around the match."""

    post_id: int
    title: str
    source_title: str
    url: str
    published: datetime | None
    snippet: str
    is_saved: bool


@dataclass(frozen=True, slots=True)
class Counts:
    """Totals shown by the sidebar header, ``termnews list`` and ``doctor``."""

    posts: int
    unread: int
    saved: int
    documents: int


def is_damaged_database(error: BaseException) -> bool:
    """True for errors that mean the file itself is unusable (not "busy" or "locked")."""
    if isinstance(error, StoreError):
        return True
    return isinstance(error, sqlite3.DatabaseError) and not isinstance(
        error, sqlite3.OperationalError
    )


def _ts(value: datetime | None) -> float | None:
    return value.timestamp() if value else None


def _dt(value: float | None) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value is not None else None


def _now() -> float:
    return datetime.now(UTC).timestamp()


def fts_query(text: str) -> str:
    """Turn what a user typed into a safe FTS5 query: every word must match, as a prefix."""
    words = [w.replace('"', "") for w in strip_unsafe(text).replace("\x00", "").split()]
    return " ".join(f'"{w}"*' for w in words if w)


class Store:
    """The SQLite cache. Create with ``Store.open(path)``; safe to share across threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    # -- opening, migrations -------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open (creating or migrating) the database at ``path``.

        A file that is not a termnews database raises StoreError and is left untouched.
        """
        path = Path(path)
        _check_file_is_sqlite(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path.parent}: cannot create the data directory ({exc})") from None
        store = cls(path)
        store._migrate()
        return store

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the database ({exc})") from None
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (SQLite connections must not cross threads)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def _migrate(self) -> None:
        conn = self.conn
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: made by a newer termnews (schema {version}, "
                    f"this one knows {SCHEMA_VERSION}); not touching it"
                )
            if version == 0:
                # Must precede the first table: lets pruning hand pages back to the disk.
                conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            for target in range(version + 1, SCHEMA_VERSION + 1):
                with self.transaction() as tx:
                    # Re-read inside the write lock: another process may have migrated.
                    current = tx.execute("PRAGMA user_version").fetchone()[0]
                    if current >= target:
                        continue
                    if current == 0:
                        _refuse_foreign(tx, self.path)
                    for statement in MIGRATIONS[target - 1]:
                        tx.execute(statement)
                    tx.execute(f"PRAGMA user_version = {target}")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable termnews database ({exc})") from None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (BEGIN IMMEDIATE): all or nothing, never a half-written refresh."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def close(self) -> None:
        """Close every connection this store opened (all threads)."""
        with self._lock:
            for conn in self._connections:
                with suppress(sqlite3.Error):
                    conn.close()
            self._connections.clear()
        self._local = threading.local()

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    # -- sources -------------------------------------------------------------------

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
                    (url, clean_line(title), kind, feed_url, _join_tags(tags), _now()),
                )
                source_id = int(cur.lastrowid or 0)
        except sqlite3.IntegrityError:
            raise StoreError(f"already following {url}") from None
        source = self.source(source_id)
        assert source is not None
        return source

    def sources(self) -> list[Source]:
        rows = self.conn.execute(f"SELECT {_SOURCE_COLUMNS} FROM sources ORDER BY lower(title), id")
        return [_source_from_row(r) for r in rows]

    def source(self, source_id: int) -> Source | None:
        row = self.conn.execute(
            f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE id = ?", (source_id,)
        ).fetchone()
        return _source_from_row(row) if row else None

    def source_by_url(self, url: str) -> Source | None:
        row = self.conn.execute(
            f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE url = ? OR feed_url = ?", (url, url)
        ).fetchone()
        return _source_from_row(row) if row else None

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
                _merge_into(tx, moving, kept)
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
            changes["tags"] = _join_tags(tags)
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
    ) -> None:
        """Store the validators of a successful fetch and clear the source's error.

        Validators that are not ASCII cannot be sent back in a header: they are dropped.
        """
        etag = etag if etag and etag.isascii() else None
        last_modified = last_modified if last_modified and last_modified.isascii() else None
        with self.transaction() as tx:
            tx.execute(
                "UPDATE sources SET etag = ?, last_modified = ?, last_refresh = ?,"
                " last_error = NULL, last_error_at = NULL, retry_after = NULL WHERE id = ?",
                (etag, last_modified, _ts(when) or _now(), source_id),
            )

    def record_not_modified(self, source_id: int, when: datetime | None = None) -> None:
        """A 304: only the refresh time changes (no posts, no validators rewritten)."""
        with self.transaction() as tx:
            tx.execute(
                "UPDATE sources SET last_refresh = ?, last_error = NULL, last_error_at = NULL,"
                " retry_after = NULL WHERE id = ?",
                (_ts(when) or _now(), source_id),
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
                (clean_line(message), _ts(when) or _now(), _ts(retry_after), source_id),
            )

    # -- posts ---------------------------------------------------------------------

    def upsert_posts(
        self,
        source_id: int | None,
        entries: Iterable[Entry],
        when: datetime | None = None,
        cutoff: datetime | None = None,
    ) -> int:
        """Insert new posts and refresh the text of known ones; returns how many were new.

        Identity is (source, GUID-or-URL): read, saved and position are never reset.
        Entries without a date sort by fetch time, keeping feed order. New entries
        published before ``cutoff`` (the retention limit), and entries retention
        already pruned, are not stored: they must not come back as unread posts.
        """
        fetched = _ts(when) or _now()
        oldest = _ts(cutoff)
        new = 0
        with self.transaction() as tx:
            for index, entry in enumerate(entries):
                # Library pages (saved by URL, followed links) sort by when they came in.
                dated = _ts(entry.published) if source_id is not None else None
                sort_key = dated or (fetched - index * 0.001)
                title = clean_line(entry.title) or entry.url
                row = tx.execute(
                    "SELECT id, title, content, summary FROM posts"
                    " WHERE source_id IS ? AND identity = ?",
                    (source_id, entry.identity),
                ).fetchone()
                if row is None and (
                    (oldest is not None and sort_key < oldest)
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
                            _ts(entry.published),
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

    def post(self, post_id: int) -> Post | None:
        row = self.conn.execute(
            f"SELECT {_POST_COLUMNS} FROM posts p LEFT JOIN sources s ON s.id = p.source_id"
            " WHERE p.id = ?",
            (post_id,),
        ).fetchone()
        return _post_from_row(row) if row else None

    def post_by_url(self, url: str) -> Post | None:
        row = self.conn.execute(
            f"SELECT {_POST_COLUMNS} FROM posts p LEFT JOIN sources s ON s.id = p.source_id"
            " WHERE p.url = ? ORDER BY p.saved_at IS NULL, p.id LIMIT 1",
            (url,),
        ).fetchone()
        return _post_from_row(row) if row else None

    def post_rows(self, flt: PostFilter = PostFilter(), limit: int | None = None) -> list[PostRow]:
        """The sidebar's rows, newest first. Cheap enough for 100,000 posts."""
        where, params = _filter_sql(flt)
        sql = f"{_ROW_SELECT} {where} ORDER BY p.sort_key DESC, p.id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [PostRow(*row) for row in self.conn.execute(sql, params)]

    def post_ids(self, flt: PostFilter = PostFilter(), limit: int | None = None) -> list[int]:
        """Ids of the matching posts, newest first: 100,000 in about 25 ms.

        The sidebar holds only these and reads the rows it draws with ``rows_by_id``;
        ``limit`` gives the first screenful at once, before the whole list is read.
        """
        where, params = _filter_sql(flt)
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
            rows = self.conn.execute(f"{_ROW_SELECT} WHERE p.id IN ({marks})", chunk)
            for row in rows:
                found[row[0]] = PostRow(*row)
        return found

    def set_read(self, post_ids: Iterable[int], read: bool = True) -> None:
        ids = list(post_ids)
        with self.transaction() as tx:
            tx.executemany(
                "UPDATE posts SET read_at = ? WHERE id = ?"
                + (" AND read_at IS NULL" if read else ""),
                [(_now() if read else None, i) for i in ids],
            )

    def set_saved(self, post_id: int, saved: bool = True) -> None:
        with self.transaction() as tx:
            tx.execute(
                "UPDATE posts SET saved_at = ? WHERE id = ?"
                + (" AND saved_at IS NULL" if saved else ""),
                (_now() if saved else None, post_id),
            )

    def set_position(self, post_id: int, position: float) -> None:
        """Remember how far the user read (0.0 – 1.0 of the article)."""
        with self.transaction() as tx:
            tx.execute(
                "UPDATE posts SET position = ? WHERE id = ?",
                (max(0.0, min(1.0, position)), post_id),
            )

    # -- documents -----------------------------------------------------------------

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
                (post_id, body, _now(), post_id),
            )
            tx.execute("UPDATE post_fts SET body = ? WHERE rowid = ?", (text, post_id))

    def record_document_error(self, post_id: int, message: str) -> None:
        """Remember that a post's page could not be fetched or read (retried later)."""
        with self.transaction() as tx:
            tx.execute(
                "UPDATE posts SET doc_error = ?, doc_tried_at = ? WHERE id = ?",
                (clean_line(message), _now(), post_id),
            )

    def posts_needing_documents(
        self,
        since: datetime,
        *,
        unread_only: bool = False,
        retry_after_hours: float = 6.0,
        limit: int = 500,
    ) -> list[Post]:
        """Posts to prefetch: no document yet, recent (or saved), not failed just now.

        Saved posts without their page always come first: they were promised offline.
        """
        unread = " AND p.read_at IS NULL" if unread_only else ""
        rows = self.conn.execute(
            f"SELECT {_POST_COLUMNS} FROM posts p LEFT JOIN sources s ON s.id = p.source_id"
            " WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.post_id = p.id)"
            " AND (p.doc_tried_at IS NULL OR p.doc_tried_at < ?)"
            f" AND (p.saved_at IS NOT NULL OR (p.sort_key >= ?{unread}))"
            " ORDER BY p.saved_at IS NULL, p.sort_key DESC LIMIT ?",
            (_now() - retry_after_hours * 3600, since.timestamp(), limit),
        ).fetchall()
        return [_post_from_row(r) for r in rows]

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
        now = _now()
        with self.transaction() as tx:
            tx.execute(
                "INSERT OR REPLACE INTO pruned (source_id, identity, pruned_at)"
                " SELECT source_id, identity, :now FROM posts WHERE source_id IS NOT NULL"
                f" AND id IN ({doomed})",
                {**params, "now": now},
            )
            tx.execute("DELETE FROM pruned WHERE pruned_at < ?", (now - TOMBSTONE_SECONDS,))
            tx.execute(f"DELETE FROM post_fts WHERE rowid IN ({doomed})", params)
            tx.execute(f"DELETE FROM documents WHERE post_id IN ({doomed})", params)
            deleted = tx.execute(f"DELETE FROM posts WHERE id IN ({doomed})", params).rowcount
        if deleted:
            self.conn.execute("PRAGMA incremental_vacuum")
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        return int(deleted)

    # -- search, counts ------------------------------------------------------------

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
            SearchHit(r[0], r[1], r[2], r[3], _dt(r[4]), clean_line(r[5]), bool(r[6])) for r in rows
        ]

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

    def last_refresh(self) -> datetime | None:
        """When any source was last refreshed (decides whether start-up refreshes)."""
        row = self.conn.execute("SELECT max(last_refresh) FROM sources").fetchone()
        return _dt(row[0]) if row and row[0] is not None else None

    def integrity_check(self) -> list[str]:
        """``PRAGMA integrity_check``; ["ok"] when healthy."""
        return [r[0] for r in self.conn.execute("PRAGMA integrity_check")]

    def size_bytes(self) -> int:
        """Bytes on disk: the database file plus its WAL."""
        total = 0
        for suffix in ("", "-wal"):
            p = Path(str(self.path) + suffix)
            if p.exists():
                total += p.stat().st_size
        return total


# -- row mapping ------------------------------------------------------------------

_SOURCE_COLUMNS = (
    "id, url, title, kind, feed_url, etag, last_modified, last_refresh, last_error,"
    " last_error_at, retry_after, tags"
)


def _source_from_row(row: tuple) -> Source:
    return Source(
        id=row[0],
        url=row[1],
        title=row[2],
        kind=row[3],
        feed_url=row[4],
        etag=row[5],
        last_modified=row[6],
        last_refresh=_dt(row[7]),
        last_error=row[8],
        last_error_at=_dt(row[9]),
        retry_after=_dt(row[10]),
        tags=_split_tags(row[11]),
    )


# The sidebar's PostRow fields, in PostRow's order.
_ROW_SELECT = (
    "SELECT p.id, p.title, coalesce(s.title, ''), p.sort_key, p.read_at IS NOT NULL,"
    " p.saved_at IS NOT NULL, d.post_id IS NOT NULL"
    " FROM posts p LEFT JOIN sources s ON s.id = p.source_id"
    " LEFT JOIN documents d ON d.post_id = p.id"
)

_POST_COLUMNS = (
    "p.id, p.source_id, p.identity, p.url, p.title, p.author, p.published, p.content,"
    " p.summary, p.read_at, p.saved_at, p.position, coalesce(s.title, ''),"
    " EXISTS (SELECT 1 FROM documents d WHERE d.post_id = p.id)"
)


def _post_from_row(row: tuple) -> Post:
    return Post(
        id=row[0],
        source_id=row[1],
        identity=row[2],
        url=row[3],
        title=row[4],
        author=row[5],
        published=_dt(row[6]),
        content=row[7],
        summary=row[8],
        read_at=_dt(row[9]),
        saved_at=_dt(row[10]),
        position=row[11],
        source_title=row[12],
        has_document=bool(row[13]),
    )


def _filter_sql(flt: PostFilter) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if flt.kind == "unread":
        clauses.append("p.read_at IS NULL")
    elif flt.kind == "saved":
        clauses.append("p.saved_at IS NOT NULL")
    if flt.source_id is not None:
        clauses.append("p.source_id = ?")
        params.append(flt.source_id)
    if flt.query:
        match = fts_query(flt.query)
        clauses.append("p.id IN (SELECT rowid FROM post_fts WHERE post_fts MATCH ?)")
        params.append(match or '""')
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def _merge_into(tx: sqlite3.Connection, moving: int, kept: int) -> None:
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


def _join_tags(tags: Sequence[str]) -> str:
    return "\n".join(t for t in (clean_line(t) for t in tags) if t)


def _split_tags(value: str | None) -> tuple[str, ...]:
    return tuple(t for t in (value or "").split("\n") if t)


def _check_file_is_sqlite(path: Path) -> None:
    """Refuse, without writing, a file that is not SQLite at all."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        return
    except IsADirectoryError:
        raise StoreError(f"{path}: is a directory, not a database") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror})") from None
    if head and head != _SQLITE_MAGIC:
        raise StoreError(f"{path}: not a termnews database (corrupt or another kind of file)")


def _refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """An SQLite file with tables but no termnews schema version belongs to something else."""
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if names:
        raise StoreError(f"{path}: an SQLite database of another program; not touching it")
