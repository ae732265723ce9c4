"""Subscriptions both ways: queued local adds and removals pushed, the server's list pulled.

Folders (Google Reader labels) become the source's tags. A feed the server no
longer lists is removed locally, its saved posts staying in the library; a
local source with the feed's URL is linked rather than duplicated.
"""

from __future__ import annotations

import asyncio
from typing import Any

from termnews.store import Store
from termnews.sync.api import GReader
from termnews.sync.errors import (
    SyncAuthError,
    SyncError,
    SyncRateLimited,
    SyncServerError,
    SyncUnreachable,
)


async def push_subscriptions(store: Store, api: GReader) -> int:
    """Push queued subscribes and unsubscribes; returns how many were sent."""
    changes = [c for c in store.queued_changes() if c.kind in ("subscribe", "unsubscribe")]
    sent = 0
    for change in changes:
        try:
            if change.kind == "subscribe":
                source = store.source_by_url(change.target)
                if source is not None and source.id not in store.synced_sources():
                    title, _, tags = change.value.partition("\n")
                    folder = tags.split("\n")[0] if tags else None
                    await api.subscribe(change.target, title, folder)
                    sent += 1
            else:
                await api.unsubscribe(change.target)
                sent += 1
        except (SyncAuthError, SyncUnreachable, SyncRateLimited, SyncServerError):
            raise  # the queue keeps it: tried again next time
        except SyncError:
            pass  # refused for this feed (HTTP 4xx: gone, not a feed): nothing to retry
        await asyncio.to_thread(store.drop_queued, [change.id])
    return sent


async def pull_subscriptions(store: Store, api: GReader, account: str) -> int:
    """Mirror the server's subscriptions and folders locally; returns how many there are."""
    subs = await api.subscriptions()
    await asyncio.to_thread(_apply, store, subs, account)
    return len(subs)


def _apply(store: Store, subs: list[dict[str, Any]], account: str) -> None:
    linked = store.synced_sources()
    by_stream = {stream: sid for sid, stream in linked.items()}
    seen: set[int] = set()
    for sub in subs:
        stream = str(sub["id"])
        url = str(sub.get("url") or "")
        if not url and stream.startswith("feed/") and "://" in stream:
            url = stream[5:]
        title = str(sub.get("title") or url or stream)
        folders = [
            str(c.get("label") or "")
            for c in sub.get("categories") or []
            if isinstance(c, dict) and c.get("label")
        ]
        source_id = by_stream.get(stream)
        if source_id is None and url:
            existing = store.source_by_url(url)
            source_id = existing.id if existing is not None else None
        if source_id is not None:
            store.link_source(source_id, stream, title, folders)
        elif url.startswith(("http://", "https://")):
            source_id = store.add_synced_source(url, title, folders, stream)
        if source_id is not None:
            seen.add(source_id)
    for source_id in set(linked) - seen:  # unsubscribed on the server (another device)
        store.unlink_source(source_id)
        store.remove_source(source_id)
    store.set_sync_value("account", account)  # from now on, sources added here are pushed
