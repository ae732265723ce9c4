"""The small value types the store hands out: filters, search hits and counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

FilterKind = Literal["all", "unread", "saved"]


@dataclass(frozen=True, slots=True)
class PostFilter:
    """Which posts the sidebar shows: all, unread or saved; one source or one tag; a search."""

    kind: FilterKind = "all"
    source_id: int | None = None
    query: str | None = None
    tag: str | None = None  # the sources with this tag (an OPML folder)


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
