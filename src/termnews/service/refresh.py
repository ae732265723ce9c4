"""Refreshing one source: a conditional fetch, parsing, storing new posts, recording errors."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from termnews.errors import DiskFull, StoreError, TermnewsError
from termnews.feeds.entries import Entries
from termnews.net.errors import NetworkUnavailable
from termnews.service.classify import FEED_ACCEPT
from termnews.service.results import SourceResult

if TYPE_CHECKING:
    from termnews.feeds.workers import Parser
    from termnews.models import Entry, Source
    from termnews.net.client import Fetcher
    from termnews.store import Store

MAX_RETRY_AFTER = timedelta(days=7)  # a server's Retry-After is honoured up to this
_FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)
BATCH_ENTRIES = 1000  # entries a commit takes at most: the write lock is held briefly


async def refresh_source(
    store: Store,
    fetcher: Fetcher,
    parser: Parser,
    source: Source,
    *,
    now: datetime,
    retention_days: int,
    max_posts: int | None = None,
    writer: RefreshWriter | None = None,
) -> SourceResult:
    """Fetch one source (conditionally) and store its new posts.

    Only the newest ``max_posts`` entries of a feed are considered (a 200,000-item
    feed must not fill the database). Never raises, except ``DiskFull``: with no
    room left the whole refresh stops, with one line saying so. ``writer`` is the
    refresh's group commit, shared by its sources; without one the source is
    written alone.
    """
    if source.retry_after and source.retry_after > now:
        wait = source.retry_after.astimezone().strftime("%H:%M")
        return SourceResult(
            source, error=f"server asked to wait; retrying after {wait}", tried=False
        )
    try:
        result = await fetcher.get(
            source.fetch_url,
            etag=source.etag,
            last_modified=source.last_modified,
            accept=FEED_ACCEPT,
        )
        if result.moved_to and source.feed_url and result.moved_to != source.feed_url:
            # A permanent redirect: the feed lives there now. Post identities are the
            # feed's ids (or links), not its address, so no post changes.
            await asyncio.to_thread(store.update_source, source.id, feed_url=result.moved_to)
        if result.not_modified and writer is not None:
            writer.unchanged(source.id, now)  # nothing to wait for: the refresh's end writes it
            return SourceResult(source, not_modified=True)
        writer = writer or RefreshWriter(store, now - timedelta(days=retention_days))
        if result.not_modified:
            await writer.write(_Write(source.id))
            return SourceResult(source, not_modified=True)
        parsed = await parser.entries(source, result)
        note = parsed.skipped_note() if isinstance(parsed, Entries) else ""
        entries = keep_newest(parsed, max_posts)
        write = _Write(source.id, entries, result.etag, result.last_modified, note or None)
        new = await writer.write(write)
        return SourceResult(source, new_posts=new, note=note or None)
    except DiskFull:
        raise
    except (StoreError, sqlite3.Error) as exc:
        return SourceResult(source, error=f"database error: {exc}")
    except TermnewsError as exc:
        message = str(exc) or exc.__class__.__name__
        retry = _retry_after(exc, now)
        with contextlib.suppress(sqlite3.Error, StoreError):  # removed meanwhile, or busy
            await asyncio.to_thread(store.record_fetch_error, source.id, message, retry_after=retry)
        return SourceResult(
            source,
            error=message,
            error_kind=type(exc).__name__,
            unreachable=isinstance(exc, NetworkUnavailable),
        )


def keep_newest(entries: list[Entry], limit: int | None) -> list[Entry]:
    """The newest ``limit`` entries, in feed order; undated ones count as newest.

    (The store dates an undated entry at first sight, so it sorts as new.)
    """
    if limit is None or len(entries) <= limit:
        return entries
    newest = sorted(
        range(len(entries)),
        key=lambda i: -(entries[i].published or _FAR_FUTURE).timestamp(),
    )[:limit]
    return [entries[i] for i in sorted(newest)]


def _retry_after(exc: Exception, now: datetime) -> datetime | None:
    seconds = getattr(exc, "retry_after", None)
    if isinstance(seconds, int | float) and seconds > 0:
        return now + min(timedelta(seconds=seconds), MAX_RETRY_AFTER)
    return None


@dataclass
class _Write:
    """What one source's refresh stores: its entries and validators, or a 304 (no entries)."""

    source_id: int
    entries: Sequence[Entry] | None = None
    etag: str | None = None
    last_modified: str | None = None
    note: str | None = None  # what the fetch left out (skipped items)
    done: asyncio.Future[int] | None = field(default=None, repr=False)


class RefreshWriter:
    """Group commit for one refresh: the sources that finish while a commit runs go into
    the next one together, so a refresh of N sources commits a few times, not 2N."""

    def __init__(self, store: Store, cutoff: datetime) -> None:
        self.store = store
        self.cutoff = cutoff  # the retention limit: older new entries are not stored
        self._pending: list[_Write] = []
        self._unchanged: list[tuple[int, datetime]] = []  # 304s: (source, when), written later
        self._task: asyncio.Task[None] | None = None

    def unchanged(self, source_id: int, when: datetime) -> None:
        """A 304, written with the next batch or by ``flush``: only the source's refresh
        time changes, so nobody waits for it (a refresh of 200 304s committed 146 times)."""
        self._unchanged.append((source_id, when))

    async def flush(self) -> None:
        """Write what is still waiting (the 304s); at the end of the refresh."""
        while self._task is not None:
            await asyncio.shield(self._task)
        if self._unchanged:
            unchanged, self._unchanged = self._unchanged, []
            await asyncio.to_thread(self._commit_unchanged, unchanged)

    async def write(self, write: _Write) -> int:
        """Store one source's refresh (with whatever else is waiting); its new posts."""
        done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        write.done = done
        self._pending.append(write)
        if self._task is None:
            self._task = asyncio.create_task(self._flush())
        return await done

    async def _flush(self) -> None:
        try:
            while self._pending:
                batch = self._take()
                unchanged, self._unchanged = self._unchanged, []
                try:
                    outcomes = await asyncio.to_thread(self._commit, batch, unchanged)
                except BaseException as exc:  # a bug, or the loop closing: the waiters hear it
                    _fail(batch, exc)
                    raise
                for write, outcome in zip(batch, outcomes, strict=True):
                    assert write.done is not None
                    if write.done.done():
                        continue  # its source's task was cancelled meanwhile
                    if isinstance(outcome, int):
                        write.done.set_result(outcome)
                    else:
                        write.done.set_exception(outcome)
        finally:
            self._task = None
            leftover, self._pending = self._pending, []
            _fail(leftover, asyncio.CancelledError())

    def _take(self) -> list[_Write]:
        """The next batch: the waiting writes up to ``BATCH_ENTRIES`` entries (at least one)."""
        size = 0
        for count, write in enumerate(self._pending):
            size += len(write.entries or ())
            if count and size > BATCH_ENTRIES:
                break
        else:
            count = len(self._pending)
        batch, self._pending = self._pending[:count], self._pending[count:]
        return batch

    def _commit(
        self, batch: list[_Write], unchanged: Sequence[tuple[int, datetime]] = ()
    ) -> list[int | StoreError | sqlite3.Error]:
        """Write a batch (and the 304s waiting) in one transaction; if that fails, each
        write alone (one bad source must not sink the others). In a thread: SQLite
        stays off the event loop."""
        try:
            with self.store.transaction():
                self._write_unchanged(unchanged)
                return list(self._write_all(batch))
        except DiskFull as exc:
            return [exc] * len(batch)  # no write alone would fare better
        except (StoreError, sqlite3.Error) as exc:
            if len(batch) == 1 and not unchanged:
                return [exc]
        self._commit_unchanged(unchanged)
        return [self._commit([write])[0] for write in batch]

    def _commit_unchanged(self, unchanged: Sequence[tuple[int, datetime]]) -> None:
        """The 304s alone; if even that fails, their sources keep their last refresh time
        (and are asked again next time, as they would be anyway)."""
        with contextlib.suppress(StoreError, sqlite3.Error), self.store.transaction():
            self._write_unchanged(unchanged)

    def _write_unchanged(self, unchanged: Sequence[tuple[int, datetime]]) -> None:
        for source_id, when in unchanged:
            self.store.record_not_modified(source_id, when)

    def _write_all(self, batch: list[_Write]) -> list[int]:
        store = self.store
        changed = [w for w in batch if w.entries is not None]
        news = store.upsert_batch(
            [(w.source_id, w.entries or ()) for w in changed], None, self.cutoff
        )
        for write in changed:
            store.record_fetch_ok(
                write.source_id, etag=write.etag, last_modified=write.last_modified, note=write.note
            )
        new_posts = dict(zip((w.source_id for w in changed), news, strict=True))
        for write in batch:
            if write.entries is None:
                store.record_not_modified(write.source_id)
        return [new_posts.get(w.source_id, 0) for w in batch]


def _fail(writes: list[_Write], exc: BaseException) -> None:
    """Hand ``exc`` to every write still waiting."""
    for write in writes:
        if write.done is not None and not write.done.done():
            if isinstance(exc, asyncio.CancelledError):
                write.done.cancel()
            else:
                write.done.set_exception(exc)
