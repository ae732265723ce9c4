"""Plain data types shared by every layer: sources, posts and the sidebar's rows.

No I/O here: the store, fetcher, extractor, renderers and UI all speak these types.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

SourceKind = Literal["feed", "site"]


@dataclass(frozen=True, slots=True)
class Source:
    """A URL the user follows: a feed, or a web site whose posts termnews reads."""

    id: int
    url: str
    title: str
    kind: SourceKind
    feed_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_refresh: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    retry_after: datetime | None = None
    tags: tuple[str, ...] = ()
    fetch_note: str | None = None  # what the last fetch left out: "2 items skipped (…)"

    @property
    def fetch_url(self) -> str:
        """The URL a refresh downloads: the feed when known, else the page itself."""
        return self.feed_url or self.url


@dataclass(frozen=True, slots=True)
class Entry:
    """One post as parsed from a feed or a page, before it is stored.

    ``identity`` is the GUID/id when the source gives one, else the canonical URL;
    with the source it makes a post unique.
    """

    identity: str
    url: str
    title: str
    author: str = ""
    published: datetime | None = None
    content: str = ""
    summary: str = ""


@dataclass(frozen=True, slots=True)
class Post:
    """A stored post with its reading state."""

    id: int
    source_id: int
    identity: str
    url: str
    title: str
    author: str = ""
    published: datetime | None = None
    content: str = ""
    summary: str = ""
    read_at: datetime | None = None
    saved_at: datetime | None = None
    position: float = 0.0
    source_title: str = ""
    has_document: bool = False

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def is_saved(self) -> bool:
        return self.saved_at is not None


@dataclass(frozen=True, slots=True)
class PostRow:
    """The few fields the sidebar draws for one post; cheap to hold 100,000 of."""

    id: int
    title: str
    source_title: str
    published: float | None
    is_read: bool
    is_saved: bool
    has_document: bool = False
    # The feed gave no date: ``published`` is the sort time given when first seen, and
    # the row says "undated" instead of an age.
    undated: bool = False


__all__ = ["Entry", "Post", "PostRow", "Source", "SourceKind"]
