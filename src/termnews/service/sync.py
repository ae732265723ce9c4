"""The sync step of ``Service.update``: sync the account, then refresh the local-only sources.

Sources of the synced account are refreshed by the server; termnews pulls their
items and still downloads article pages itself. A failed sync is reported in
the summary (one line) and never stops the local sources or the reader.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from termnews.errors import TermnewsError
from termnews.service.results import SyncSummary, UpdateEvent, UpdateSummary

if TYPE_CHECKING:
    from termnews.config import Config
    from termnews.models import Source
    from termnews.store import Store

Progress = Callable[[UpdateEvent], None]
MAX_WAIT = 24 * 3600.0  # a server's Retry-After is honoured up to a day
Refresh = Callable[[Sequence["Source"], Progress | None], Awaitable[UpdateSummary]]


async def sync_account(store: Store, config: Config, progress: Progress | None) -> SyncSummary:
    """One sync with the configured server; raises SyncError (one line) when it fails."""
    from termnews.sync import run_sync

    assert config.sync is not None
    return await run_sync(
        store,
        config.sync,
        config.network,
        retention_days=config.retention_days,
        progress=progress,
    )


async def sync_then_refresh(
    store: Store,
    config: Config,
    sources: Sequence[Source] | None,
    progress: Progress | None,
    refresh: Refresh,
) -> UpdateSummary:
    """Sync (when all sources or a synced one is asked for), then refresh the local ones."""
    synced = await asyncio.to_thread(store.synced_sources)
    summary: SyncSummary | None = None
    if sources is None or any(s.id in synced for s in sources):
        try:
            _check_retry_after(store)
            summary = await sync_account(store, config, progress)
        except TermnewsError as exc:
            wait = getattr(exc, "retry_after", None)
            if isinstance(wait, int | float) and wait > 0:  # never again before it
                until = store.now() + min(wait, MAX_WAIT)
                await asyncio.to_thread(store.set_sync_value, "retry_after", str(until))
            queued = await asyncio.to_thread(store.queued_changes)
            summary = SyncSummary(error=str(exc), queued=len(queued))
        if progress is not None:
            progress(summary)
        synced = await asyncio.to_thread(store.synced_sources)
    todo = list(sources) if sources is not None else await asyncio.to_thread(store.sources)
    local = [s for s in todo if s.id not in synced]
    outcome = await refresh(local, progress)
    return dataclasses.replace(outcome, sync=summary)


def _check_retry_after(store: Store) -> None:
    """Raise SyncRateLimited while the server's Retry-After has not passed."""
    from termnews.dates import from_timestamp
    from termnews.sync.errors import SyncRateLimited

    until = store.sync_value("retry_after")
    if until and float(until) > store.now():
        when = from_timestamp(float(until))
        at = when.astimezone().strftime("%H:%M") if when else "later"
        raise SyncRateLimited(f"sync: the server asked to wait; syncing again after {at}")
