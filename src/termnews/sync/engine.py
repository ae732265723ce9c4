"""One two-way sync with a Google Reader API server, in an order that loses nothing.

1. Queued subscription changes are pushed, then the subscription list is pulled
   (folders become tags; a feed gone from the server is removed here, saved
   posts staying in the library).
2. New items are pulled: ids since the last watermark (``ot``), contents in
   batches, stored as posts with their state.
3. Read and starred states are pulled (the unread and starred id lists) and
   merged with the queue: a change made on one side only wins; when both sides
   changed a flag, the newest change wins (see README, "Sync").
4. Local changes are pushed with ``edit-tag``; each batch leaves the queue only
   after the server accepted it, so a killed sync pushes it again (edits are
   idempotent).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from termnews.service.results import SyncProgress
from termnews.store import Store
from termnews.store.sync_queue import QueuedChange
from termnews.sync.api import READ, READING_LIST, STARRED, GReader
from termnews.sync.items import parse_item, store_items

CONTENTS_BATCH = 250  # items per stream/items/contents request
CONTENTS_PARALLEL = 3  # requests at once (FreshRSS's php -S has 4 workers)
EDIT_BATCH = 100  # items per edit-tag request
FLAGS = {"read": READ, "starred": STARRED}

Progress = Callable[[SyncProgress], None]


@dataclass
class SyncCounts:
    """What one sync did, for its summary."""

    subscriptions: int = 0
    new_items: int = 0
    pulled: int = 0
    pushed: int = 0


@dataclass
class _Pending:
    """The latest queued value of one flag of one item, and the queue rows it stands for."""

    value: bool
    changed_at: float
    rows: list[int] = field(default_factory=list)


class Syncer:
    """Runs the steps of one sync over a store and a logged-in client."""

    def __init__(
        self,
        store: Store,
        api: GReader,
        account: str,
        retention_days: int,
        progress: Progress | None = None,
    ) -> None:
        self.store = store
        self.api = api
        self.account = account
        self.retention_days = retention_days
        self.progress = progress
        self.counts = SyncCounts()

    def _report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(SyncProgress(stage, done, total))

    async def run(self) -> SyncCounts:
        """All the steps, in order; raises SyncError (the queue keeps what was not pushed)."""
        from termnews.sync.subscriptions import pull_subscriptions, push_subscriptions

        await self.api.edit_token()  # checks the session before anything changes
        linked = self.store.sync_value("account")
        if linked is not None and linked != self.account:
            await asyncio.to_thread(self.store.forget_sync_account)  # another server or user
        await push_subscriptions(self.store, self.api)
        self.counts.subscriptions = await pull_subscriptions(self.store, self.api, self.account)
        self._report("subscriptions", 1, 1)
        await self.pull_items()
        await self.merge_states()
        await asyncio.to_thread(self.store.mark_synced_sources_refreshed)
        return self.counts

    async def pull_items(self) -> None:
        """New items since the watermark, contents in parallel batches."""
        since = self.store.sync_value("ot")
        ids, _ = await self.api.item_ids(READING_LIST, since=int(since) if since else None)
        known = await asyncio.to_thread(self.store.item_states)
        await self.fetch_items([i for i in ids if i not in known], watermark=True)

    async def fetch_items(self, ids: Sequence[int], *, watermark: bool = False) -> None:
        """Download and store these items, reporting progress."""
        if not ids:
            return
        sources = {stream: sid for sid, stream in self.store.synced_sources().items()}
        cutoff = self.store.clock() - timedelta(days=self.retention_days)
        batches = [ids[i : i + CONTENTS_BATCH] for i in range(0, len(ids), CONTENTS_BATCH)]
        gate = asyncio.Semaphore(CONTENTS_PARALLEL)
        done = 0
        newest = 0.0
        self._report("items", 0, len(ids))

        async def one(batch: Sequence[int]) -> None:
            nonlocal done, newest
            async with gate:
                raw = await self.api.contents(batch)
            items = [i for i in (parse_item(r) for r in raw) if i is not None]
            added = await asyncio.to_thread(store_items, self.store, items, sources, cutoff)
            self.counts.new_items += added  # not `+= await`: it would lose a parallel batch
            newest = max([newest, *(i.crawled for i in items)])
            done += len(batch)
            self._report("items", done, len(ids))

        await asyncio.gather(*(one(b) for b in batches))
        if watermark and newest:
            # A little overlap: items already known are skipped, none is missed.
            await asyncio.to_thread(self.store.set_sync_value, "ot", str(int(newest) - 60))

    async def merge_states(self) -> None:
        """Pull read/starred, merge with the queue (newest wins), push what is left."""
        unread, server_time = await self.api.item_ids(READING_LIST, exclude=READ)
        starred, _ = await self.api.item_ids(STARRED)
        unread_set, starred_set = set(unread), set(starred)
        known = await asyncio.to_thread(self.store.item_states)
        missing = [i for i in starred if i not in known]  # starred elsewhere, not here yet
        if missing:
            await self.fetch_items(missing)
            known = await asyncio.to_thread(self.store.item_states)
        pending = _pending(await asyncio.to_thread(self.store.queued_changes))
        # The server's changes are dated when seen: the end of the second its Date names.
        server_stamp = server_time.timestamp() + 1 if server_time else self.store.now()
        pulled: list[tuple[int, bool | None, bool | None]] = []
        push: dict[tuple[str, bool], list[int]] = {}
        rows_of: dict[tuple[str, int], list[int]] = {}
        settled: list[int] = []
        for item, state in known.items():
            server = {"read": item not in unread_set, "starred": item in starred_set}
            recorded = {"read": state.is_read, "starred": state.is_starred}
            take: dict[str, bool] = {}
            for flag in FLAGS:
                mine = pending.pop((flag, item), None)
                changed_there = server[flag] != recorded[flag]
                if mine is None or mine.value == server[flag]:
                    if changed_there or mine is not None:
                        take[flag] = server[flag]
                    if mine is not None:
                        settled += mine.rows
                elif changed_there and server_stamp >= mine.changed_at:
                    take[flag] = server[flag]  # both changed: the server's change is newer
                    settled += mine.rows
                else:
                    push.setdefault((flag, mine.value), []).append(item)
                    rows_of[(flag, item)] = mine.rows
            if take:
                pulled.append((item, take.get("read"), take.get("starred")))
        for (flag, item), mine in pending.items():  # items the server no longer lists
            push.setdefault((flag, mine.value), []).append(item)
            rows_of[(flag, item)] = mine.rows
        if pulled:
            await asyncio.to_thread(self.store.apply_server_state, pulled)
        if settled:
            await asyncio.to_thread(self.store.drop_queued, settled)
        self.counts.pulled = len(pulled)
        await self.push_flags(push, rows_of)

    async def push_flags(
        self, push: dict[tuple[str, bool], list[int]], rows_of: dict[tuple[str, int], list[int]]
    ) -> None:
        """edit-tag in batches; each confirmed batch leaves the queue in one transaction."""
        total = sum(len(v) for v in push.values())
        done = 0
        for (flag, value), items in push.items():
            for start in range(0, len(items), EDIT_BATCH):
                batch = items[start : start + EDIT_BATCH]
                if value:
                    await self.api.edit_tag(batch, add=FLAGS[flag])
                else:
                    await self.api.edit_tag(batch, remove=FLAGS[flag])
                rows = [r for item in batch for r in rows_of[(flag, item)]]
                state = [
                    (i, value if flag == "read" else None, value if flag == "starred" else None)
                    for i in batch
                ]
                await asyncio.to_thread(self.store.confirm_pushed, rows, state)
                done += len(batch)
                self.counts.pushed += len(batch)
                self._report("pushed", done, total)


def _pending(changes: Sequence[QueuedChange]) -> dict[tuple[str, int], _Pending]:
    """The latest queued value of each (flag, item), with every row it supersedes."""
    latest: dict[tuple[str, int], _Pending] = {}
    for change in changes:
        if change.kind not in FLAGS or not change.target.isdigit():
            continue
        key = (change.kind, int(change.target))
        rows = latest[key].rows if key in latest else []
        latest[key] = _Pending(change.value == "1", change.changed_at, [*rows, change.id])
    return latest
