"""The local cache: one SQLite file holding sources, posts, readable documents and a search index.

Every SQL statement of termnews lives in this package, one module per table or
concern; ``Store`` is their union, so callers see one interface.
"""

from __future__ import annotations

from termnews.errors import StoreError
from termnews.store.counts import CountTable, UnreadCounts
from termnews.store.database import Database, is_damaged_database
from termnews.store.documents import DocumentTable
from termnews.store.posts import KEEP_NEWEST, TOMBSTONE_SECONDS, PostTable
from termnews.store.rows import fts_query
from termnews.store.search import SearchIndex
from termnews.store.sources import SourceTable
from termnews.store.sync_queue import ItemState, QueuedChange, SyncTable
from termnews.store.types import Counts, FilterKind, PostFilter, SearchHit


class Store(SourceTable, PostTable, CountTable, DocumentTable, SearchIndex, SyncTable, Database):
    """The SQLite cache. Create with ``Store.open(path)``; safe to share across threads."""


__all__ = [
    "KEEP_NEWEST",
    "TOMBSTONE_SECONDS",
    "Counts",
    "FilterKind",
    "ItemState",
    "PostFilter",
    "QueuedChange",
    "SearchHit",
    "Store",
    "StoreError",
    "UnreadCounts",
    "fts_query",
    "is_damaged_database",
]
