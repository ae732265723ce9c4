"""What every feed dialect shares: the error, the parsed feed, and turning fields into an Entry."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from termnews.errors import TermnewsError
from termnews.models import Entry
from termnews.net.errors import InvalidURL
from termnews.text import html_to_line, strip_unsafe, truncate
from termnews.urls import validate_url

_UNTITLED_LENGTH = 80
NOTHING_TO_SHOW = "no title, text, date or link"
DUPLICATE = "a repeated id"


class FeedError(TermnewsError):
    """The content is not a feed termnews can read; ``str()`` is one line for the user."""


class Entries(list[Entry]):
    """A feed's entries in document order, and how many items were skipped, by reason.

    A list, so callers that only want the entries need not know; the counts
    survive pickling (entries are parsed in worker processes).
    """

    def __init__(
        self, entries: Iterable[Entry] = (), skipped: dict[str, int] | None = None
    ) -> None:
        super().__init__(entries)
        self.skipped: dict[str, int] = dict(skipped or {})

    def skipped_note(self) -> str:
        """``2 items skipped (no title, text, date or link)``, or "" when none were."""
        total = sum(self.skipped.values())
        if not total:
            return ""
        items = "1 item" if total == 1 else f"{total} items"
        return f"{items} skipped ({'; '.join(self.skipped)})"


@dataclass(slots=True)
class ParsedFeed:
    """A feed's own title, the site it belongs to, and its entries in document order."""

    title: str
    link: str
    entries: Entries = field(default_factory=Entries)


@dataclass(frozen=True, slots=True)
class Fields:
    """One item's fields as a dialect read them, before they become an Entry."""

    guid: str
    link: str
    title: str
    author: str = ""
    published: datetime | None = None
    content: str = ""
    summary: str = ""
    date_text: str = ""  # the date as written, for the identity of an item with no id


def make_entry(item: Fields) -> Entry | None:
    """An Entry, or None when the item has nothing at all to show.

    Identity is the guid, else the link, else a hash of title, text and date
    (RSS allows items with neither guid nor link; they must still be stored once).
    """
    identity = item.guid or item.link
    if not identity:
        basis = "\x1f".join((item.title, item.summary or item.content, item.date_text))
        if not basis.strip("\x1f").strip():
            return None
        identity = "sha256:" + hashlib.sha256(basis.encode("utf-8", "replace")).hexdigest()[:40]
    title = item.title
    if not title:
        # Untitled items (micro-posts) are named by the start of their text.
        title = truncate(html_to_line(item.summary or item.content), _UNTITLED_LENGTH)
    return Entry(
        identity=identity,
        url=item.link,
        title=title,
        author=item.author,
        published=item.published,
        content=strip_unsafe(item.content),
        summary=strip_unsafe(item.summary),
    )


def unique(entries: list[Entry | None]) -> Entries:
    """Entries without repeats (the first of an identity wins), counting what was skipped."""
    seen: set[str] = set()
    kept = Entries()
    for entry in entries:
        if entry is None:
            kept.skipped[NOTHING_TO_SHOW] = kept.skipped.get(NOTHING_TO_SHOW, 0) + 1
        elif entry.identity in seen:
            kept.skipped[DUPLICATE] = kept.skipped.get(DUPLICATE, 0) + 1
        else:
            seen.add(entry.identity)
            kept.append(entry)
    return kept


def origin(url: str) -> str:
    """``scheme://host/`` of a URL, or "" when it is not a web URL."""
    try:
        parts = urlsplit(validate_url(url))
    except (InvalidURL, ValueError):
        return ""
    return f"{parts.scheme}://{parts.netloc}/"


def text_to_html(text: str) -> str:
    """Plain text as HTML paragraphs, so the extractor and renderer see one format."""
    if not text or not text.strip():
        return ""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def is_web_id(value: str) -> bool:
    """True when an id is an absolute http(s) URL (only then may it serve as a link)."""
    return value.startswith(("http://", "https://"))
