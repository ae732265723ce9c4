"""What sync keeps in SQLite: the queue of local changes, the item and source maps, its state.

Local changes are queued by triggers (migration 4) in the transaction that makes
them; this module reads the queue and drops what the server confirmed. Every
write of the sync itself runs inside ``_applying``, which sets the flag the
triggers check, so state pulled from the server is never queued back to it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from termnews.store.database import Database
from termnews.store.rows import join_tags
from termnews.text import clean_line


@dataclass(frozen=True, slots=True)
class QueuedChange:
    """One local change waiting for the server: a read/starred flag or a subscription."""

    id: int
    kind: str  # read | starred | subscribe | unsubscribe
    target: str  # an item id (decimal), a feed URL or a stream id
    value: str  # "1"/"0" for flags; "title\ntags…" for subscribe
    changed_at: float


@dataclass(frozen=True, slots=True)
class ItemState:
    """What termnews last knew of an item on the server, and the post it is stored as."""

    post_id: int | None
    is_read: bool
    is_starred: bool


class SyncTable(Database):
    """The sync queue, the server-to-local maps and key/value state."""

    @contextmanager
    def _applying(self) -> Iterator[sqlite3.Connection]:
        """A write transaction whose changes to posts and sources are not queued."""
        with self.transaction() as tx:
            tx.execute("INSERT OR IGNORE INTO sync_applying (flag) VALUES (1)")
            try:
                yield tx
            finally:
                tx.execute("DELETE FROM sync_applying")

    def sync_value(self, key: str) -> str | None:
        """A value of the sync state (the linked account, the item watermark)."""
        row = self.conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_sync_value(self, key: str, value: str | None) -> None:
        """Set (or with None, forget) a value of the sync state."""
        with self.transaction() as tx:
            if value is None:
                tx.execute("DELETE FROM sync_state WHERE key = ?", (key,))
            else:
                tx.execute(
                    "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", (key, value)
                )

    def forget_sync_account(self) -> None:
        """Another account is configured: its sources become local, its map and queue go."""
        with self.transaction() as tx:
            for table in ("sync_items", "sync_sources", "sync_queue", "sync_state"):
                tx.execute(f"DELETE FROM {table}")

    # -- the queue -----------------------------------------------------------------

    def queued_changes(self) -> list[QueuedChange]:
        """Every local change not yet confirmed by the server, oldest first."""
        rows = self.conn.execute(
            "SELECT id, kind, target, value, changed_at FROM sync_queue ORDER BY id"
        )
        return [QueuedChange(*row) for row in rows]

    def drop_queued(self, ids: Iterable[int]) -> None:
        """Forget changes the server has confirmed (or that a newer server change beat)."""
        with self.transaction() as tx:
            tx.executemany("DELETE FROM sync_queue WHERE id = ?", [(i,) for i in ids])

    def confirm_pushed(
        self, rows: Iterable[int], states: Sequence[tuple[int, bool | None, bool | None]]
    ) -> None:
        """The server accepted a batch: drop its queue rows and record the server's new state."""
        with self.transaction() as tx:
            tx.executemany("DELETE FROM sync_queue WHERE id = ?", [(i,) for i in rows])
            _record_flags(tx, states)

    # -- sources -------------------------------------------------------------------

    def synced_sources(self) -> dict[int, str]:
        """Local source id → server stream id, for the sources the server refreshes."""
        return dict(self.conn.execute("SELECT source_id, stream_id FROM sync_sources"))

    def link_source(self, source_id: int, stream_id: str, title: str, tags: Sequence[str]) -> None:
        """Make a local source the server's subscription ``stream_id`` (folders as tags)."""
        with self._applying() as tx:
            tx.execute("DELETE FROM sync_sources WHERE stream_id = ?", (stream_id,))
            tx.execute(
                "INSERT OR REPLACE INTO sync_sources (source_id, stream_id) VALUES (?, ?)",
                (source_id, stream_id),
            )
            tx.execute(
                "UPDATE sources SET title = ?, tags = ? WHERE id = ?",
                (clean_line(title), join_tags(tags), source_id),
            )

    def add_synced_source(self, url: str, title: str, tags: Sequence[str], stream_id: str) -> int:
        """A subscription of the server as a new local source (not queued back)."""
        with self._applying() as tx:
            cur = tx.execute(
                "INSERT INTO sources (url, title, kind, feed_url, tags, created_at)"
                " VALUES (?, ?, 'feed', ?, ?, ?)",
                (url, clean_line(title) or url, url, join_tags(tags), self.now()),
            )
            source_id = int(cur.lastrowid or 0)
            tx.execute(
                "INSERT INTO sync_sources (source_id, stream_id) VALUES (?, ?)",
                (source_id, stream_id),
            )
        return source_id

    def mark_synced_sources_refreshed(self) -> None:
        """After a sync: the server's sources count as refreshed now (list, schedule)."""
        with self.transaction() as tx:
            tx.execute(
                "UPDATE sources SET last_refresh = ?, last_error = NULL, last_error_at = NULL"
                " WHERE id IN (SELECT source_id FROM sync_sources)",
                (self.now(),),
            )

    def unlink_source(self, source_id: int) -> None:
        """Forget that a source is on the server (before removing it: nothing is queued)."""
        with self.transaction() as tx:
            tx.execute("DELETE FROM sync_sources WHERE source_id = ?", (source_id,))

    # -- items ---------------------------------------------------------------------

    def item_states(self) -> dict[int, ItemState]:
        """Every item the sync has seen, with the server state it last knew."""
        rows = self.conn.execute("SELECT item_id, post_id, is_read, is_starred FROM sync_items")
        return {r[0]: ItemState(r[1], bool(r[2]), bool(r[3])) for r in rows}

    def identity_for_url(self, source_id: int, url: str) -> str | None:
        """The identity of a post of this source with this URL (fetched before it was synced)."""
        row = self.conn.execute(
            "SELECT identity FROM posts WHERE source_id = ? AND url = ? LIMIT 1", (source_id, url)
        ).fetchone()
        return str(row[0]) if row else None

    def post_ids_by_identity(self, source_id: int, identities: Sequence[str]) -> dict[str, int]:
        """Stored posts of a source by identity (to map server items onto them)."""
        found: dict[str, int] = {}
        for start in range(0, len(identities), 500):
            chunk = list(identities[start : start + 500])
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT identity, id FROM posts WHERE source_id = ? AND identity IN ({marks})",
                [source_id, *chunk],
            )
            found.update({r[0]: r[1] for r in rows})
        return found

    def record_items(
        self,
        applied: Sequence[tuple[int, int | None, bool | None, bool | None]],
        server: dict[int, tuple[bool, bool]],
    ) -> None:
        """Remember items with their server state; set (item, post, read, starred) on posts.

        ``server`` holds every item of the batch (stored or not, so none is fetched
        twice); a None flag in ``applied`` leaves the post's own state alone.
        """
        now = self.now()
        posts = {i: p for i, p, _r, _s in applied}
        with self._applying() as tx:
            tx.executemany(
                "INSERT OR REPLACE INTO sync_items (item_id, post_id, is_read, is_starred)"
                " VALUES (?, ?, ?, ?)",
                [(i, posts.get(i), int(r), int(s)) for i, (r, s) in server.items()],
            )
            _apply(tx, [(p, r, s) for _i, p, r, s in applied if p is not None], now)

    def apply_server_state(self, changes: Sequence[tuple[int, bool | None, bool | None]]) -> None:
        """(item id, read, starred) pulled from the server: None leaves that flag alone."""
        now = self.now()
        with self._applying() as tx:
            _record_flags(tx, changes)
            for item_id, read, starred in changes:
                row = tx.execute(
                    "SELECT post_id FROM sync_items WHERE item_id = ?", (item_id,)
                ).fetchone()
                if row and row[0] is not None:
                    _apply(tx, [(row[0], read, starred)], now)


def _apply(
    tx: sqlite3.Connection, states: Iterable[tuple[int, bool | None, bool | None]], now: float
) -> None:
    """Set read_at/saved_at of posts to the given flags, keeping existing times."""
    for post_id, read, starred in states:
        if read is not None:
            tx.execute(
                "UPDATE posts SET read_at = CASE WHEN ? THEN coalesce(read_at, ?) END WHERE id = ?",
                (int(read), now, post_id),
            )
        if starred is not None:
            tx.execute(
                "UPDATE posts SET saved_at = CASE WHEN ? THEN coalesce(saved_at, ?) END"
                " WHERE id = ?",
                (int(starred), now, post_id),
            )


def _record_flags(
    tx: sqlite3.Connection, states: Iterable[tuple[int, bool | None, bool | None]]
) -> None:
    """Remember the server's read/starred flags of items (None: unchanged)."""
    for item_id, read, starred in states:
        if read is not None:
            tx.execute("UPDATE sync_items SET is_read = ? WHERE item_id = ?", (int(read), item_id))
        if starred is not None:
            tx.execute(
                "UPDATE sync_items SET is_starred = ? WHERE item_id = ?", (int(starred), item_id)
            )
