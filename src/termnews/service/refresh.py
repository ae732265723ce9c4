"""Refreshing one source: a conditional fetch, parsing, storing new posts, recording errors."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
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


async def refresh_source(
    store: Store,
    fetcher: Fetcher,
    parser: Parser,
    source: Source,
    *,
    now: datetime,
    retention_days: int,
    max_posts: int | None = None,
) -> SourceResult:
    """Fetch one source (conditionally) and store its new posts.

    Only the newest ``max_posts`` entries of a feed are considered (a 200,000-item
    feed must not fill the database). Never raises, except ``DiskFull``: with no
    room left the whole refresh stops, with one line saying so.
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
        if result.not_modified:
            await asyncio.to_thread(store.record_not_modified, source.id)
            return SourceResult(source, not_modified=True)
        parsed = await parser.entries(source, result)
        note = parsed.skipped_note() if isinstance(parsed, Entries) else ""
        entries = keep_newest(parsed, max_posts)
        cutoff = now - timedelta(days=retention_days)
        new = await asyncio.to_thread(store.upsert_posts, source.id, entries, None, cutoff)
        await asyncio.to_thread(
            store.record_fetch_ok,
            source.id,
            etag=result.etag,
            last_modified=result.last_modified,
            note=note or None,
        )
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
