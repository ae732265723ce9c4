"""Opening the SQLite file: one connection per thread, WAL, migrations, write transactions.

The database runs in WAL mode with a busy timeout so the reader and a cron
``termnews refresh`` can work at once; each thread gets its own connection
(SQLite connections must not cross threads). Schema changes are an ordered list
of migrations keyed by ``PRAGMA user_version`` and never drop user data.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TypeVar

from termnews.dates import Clock, utcnow
from termnews.errors import DiskFull, StoreError
from termnews.store.migrations import MIGRATIONS, SCHEMA_VERSION

_SQLITE_MAGIC = b"SQLite format 3\x00"

_D = TypeVar("_D", bound="Database")


def is_damaged_database(error: BaseException) -> bool:
    """True for errors that mean the file itself is unusable (not "busy" or "locked")."""
    if isinstance(error, StoreError):
        return True
    return isinstance(error, sqlite3.DatabaseError) and not isinstance(
        error, sqlite3.OperationalError
    )


class Database:
    """The file and its connections; the parts of ``Store`` build their SQL on this."""

    def __init__(self, path: Path, clock: Clock = utcnow) -> None:
        self.path = path
        self.clock = clock
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    @classmethod
    def open(cls: type[_D], path: Path | str, clock: Clock = utcnow) -> _D:
        """Open (creating or migrating) the database at ``path``.

        A file that is not a termnews database raises StoreError and is left untouched.
        """
        path = Path(path)
        _check_file_is_sqlite(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path.parent}: cannot create the data directory ({exc})") from None
        store = cls(path, clock)
        store._migrate()
        return store

    def now(self) -> float:
        """The clock's time as a timestamp: what every stored time is."""
        return self.clock().timestamp()

    def _connect(self) -> sqlite3.Connection:
        try:
            # Used by its own thread only; check_same_thread=False lets close() end them all.
            conn = sqlite3.connect(
                self.path, timeout=30.0, isolation_level=None, check_same_thread=False
            )
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the database ({exc})") from None
        return conn

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection (SQLite connections must not cross threads)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
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
        """A write transaction (BEGIN IMMEDIATE): all or nothing, never a half-written refresh.

        Inside another transaction of this thread it joins that one, so writes can be
        batched into one commit; the outer transaction commits or rolls back for all.
        """
        conn = self.conn
        if conn.in_transaction:
            yield conn
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError) and _is_full(exc):
                message = f"{self.path}: the disk is full; nothing more can be stored"
                raise DiskFull(message) from exc
            raise

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

    def data_version(self) -> int:
        """``PRAGMA data_version``: it changes when another connection commits."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

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


def _is_full(error: sqlite3.OperationalError) -> bool:
    """SQLITE_FULL: the disk, or the database's page limit, has no room left."""
    return getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "full" in str(error)


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
