"""Google Reader items → termnews entries, and storing a batch of them with their state.

An item becomes a post of the local source of its feed. A post the source
already had (fetched by termnews before the account was linked) is found by its
URL and kept, with its own read and saved state.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from termnews.models import Entry
from termnews.store import Store
from termnews.sync.api import READ, STARRED
from termnews.urls import is_web_url

ITEM_PREFIX = "tag:google.com,2005:reader/item/"


@dataclass(frozen=True, slots=True)
class Item:
    """One server item: its numeric id, feed stream, entry and state."""

    item_id: int
    stream: str
    entry: Entry
    is_read: bool
    is_starred: bool
    crawled: float  # seconds, the server's time it took the item in


def item_id(value: str) -> int | None:
    """``tag:google.com,2005:reader/item/<hex>`` or a decimal id → the number."""
    try:
        if value.startswith(ITEM_PREFIX):
            return int(value[len(ITEM_PREFIX) :], 16)
        return int(value)
    except ValueError:
        return None


def parse_item(raw: dict[str, Any]) -> Item | None:
    """An item of ``stream/items/contents``; None when it has no usable id or feed."""
    number = item_id(str(raw.get("id", "")))
    origin = raw.get("origin") if isinstance(raw.get("origin"), dict) else {}
    stream = str(origin.get("streamId", "")) if origin else ""
    if number is None or not stream:
        return None
    url = ""
    for key in ("canonical", "alternate"):
        links = raw.get(key)
        if isinstance(links, list) and links and isinstance(links[0], dict):
            href = str(links[0].get("href", "")).strip()
            if is_web_url(href):
                url = href
                break
    body = raw.get("content") if isinstance(raw.get("content"), dict) else None
    summary = raw.get("summary") if isinstance(raw.get("summary"), dict) else None
    categories = [str(c) for c in raw.get("categories") or []]
    published = raw.get("published")
    entry = Entry(
        identity=f"greader:{number}",
        url=url,
        title=str(raw.get("title") or ""),
        author=str(raw.get("author") or ""),
        published=(
            datetime.fromtimestamp(published, UTC)
            if isinstance(published, int | float) and 0 < published < 2**33
            else None
        ),
        content=str(body.get("content", "")) if body else "",
        summary=str(summary.get("content", "")) if summary else "",
    )
    crawled = raw.get("crawlTimeMsec")
    return Item(
        item_id=number,
        stream=stream,
        entry=entry,
        is_read=any(c.endswith(READ[6:]) for c in categories),
        is_starred=any(c.endswith(STARRED[6:]) for c in categories),
        crawled=int(str(crawled)) / 1000 if str(crawled or "").isdigit() else 0.0,
    )


def store_items(
    store: Store, items: Sequence[Item], sources: dict[str, int], cutoff: datetime | None
) -> int:
    """Store a batch of items as posts with their state; returns how many posts are new.

    Items older than ``cutoff`` (the retention) are remembered but not stored,
    unless starred (a starred item is a saved post).
    """
    by_source: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        if item.stream in sources:
            by_source[sources[item.stream]].append(item)
    new = 0
    records: list[tuple[int, int | None, bool | None, bool | None]] = []
    for source_id, group in by_source.items():
        entries: list[Entry] = []
        taken: set[str] = set()
        for item in group:
            known = store.identity_for_url(source_id, item.entry.url) if item.entry.url else None
            identity = known if known and known not in taken else item.entry.identity
            taken.add(identity)
            entries.append(_with_identity(item.entry, identity))
        identities = [e.identity for e in entries]
        before = store.post_ids_by_identity(source_id, identities)
        kept = [e for e, i in zip(entries, group, strict=True) if not i.is_starred]
        starred = [e for e, i in zip(entries, group, strict=True) if i.is_starred]
        new += store.upsert_posts(source_id, kept, None, cutoff)
        new += store.upsert_posts(source_id, starred)
        after = store.post_ids_by_identity(source_id, identities)
        for entry, item in zip(entries, group, strict=True):
            post_id = after.get(entry.identity)
            fresh = entry.identity not in before
            # A post termnews had before keeps its own state; a new one takes the server's.
            records.append(
                (
                    item.item_id,
                    post_id,
                    item.is_read if fresh else None,
                    item.is_starred if fresh else None,
                )
            )
    store.record_items(records, {i.item_id: (i.is_read, i.is_starred) for i in items})
    return new


def _with_identity(entry: Entry, identity: str) -> Entry:
    if identity == entry.identity:
        return entry
    return Entry(
        identity=identity,
        url=entry.url,
        title=entry.title,
        author=entry.author,
        published=entry.published,
        content=entry.content,
        summary=entry.summary,
    )
