"""The rows of the sources pane and of the narrow picker: views, tags, sources, with counts.

Both show the same list in the same order ("All", "Unread", "Saved", every tag,
every source), and `n` goes on in that order, so it is built once, here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from termnews.models import Source
from termnews.store import FilterKind, PostFilter, UnreadCounts
from termnews.text import clean_line

EntryKind = Literal["view", "tag", "source"]
_VIEWS: tuple[tuple[FilterKind, str], ...] = (
    ("all", "All"),
    ("unread", "Unread"),
    ("saved", "Saved"),
)


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """One row: a view of every post, a tag (an OPML folder) or one source."""

    key: str  # the option id: "view:all", "tag:Tech", "source:12"
    kind: EntryKind
    title: str
    view: FilterKind = "all"
    tag: str | None = None
    source_id: int | None = None
    tags: tuple[str, ...] = ()  # a source's tags: reading one of its posts changes theirs
    error: str | None = None

    def apply(self, flt: PostFilter) -> PostFilter:
        """The sidebar's filter once this row is chosen; a search is left as it was."""
        if self.kind == "view":
            return replace(flt, kind=self.view, source_id=None, tag=None)
        return replace(flt, source_id=self.source_id, tag=self.tag)

    def unread(self, counts: UnreadCounts, by_tag: dict[str, int]) -> int:
        """The number shown beside it: unread posts (saved posts, for "Saved")."""
        if self.kind == "view":
            return counts.saved if self.view == "saved" else counts.unread
        if self.kind == "tag":
            return by_tag.get(self.tag or "", 0)
        return counts.by_source.get(self.source_id or -1, 0)


def build_entries(sources: Iterable[Source]) -> list[SourceEntry]:
    """Views, then tags (by name), then sources (in the store's order, by title)."""
    listed = list(sources)
    entries = [SourceEntry(f"view:{kind}", "view", title, view=kind) for kind, title in _VIEWS]
    tags = sorted({t for s in listed for t in s.tags}, key=lambda t: (t.casefold(), t))
    entries += [SourceEntry(f"tag:{t}", "tag", clean_line(t), tag=t) for t in tags]
    entries += [
        SourceEntry(
            f"source:{s.id}",
            "source",
            clean_line(s.title) or clean_line(s.url),
            source_id=s.id,
            tags=s.tags,
            error=clean_line(s.last_error) if s.last_error else None,
        )
        for s in listed
    ]
    return entries


def tag_counts(entries: Sequence[SourceEntry], counts: UnreadCounts) -> dict[str, int]:
    """Each tag's unread posts: the sum over its sources (no query of its own)."""
    by_tag: dict[str, int] = {}
    for entry in entries:
        if entry.kind == "source" and (n := counts.by_source.get(entry.source_id or -1, 0)):
            for tag in entry.tags:
                by_tag[tag] = by_tag.get(tag, 0) + n
    return by_tag


def entry_key(flt: PostFilter) -> str:
    """The row a filter shows: its source, else its tag, else its view."""
    if flt.source_id is not None:
        return f"source:{flt.source_id}"
    if flt.tag is not None:
        return f"tag:{flt.tag}"
    return f"view:{flt.kind}"


def next_with_unread(
    entries: Sequence[SourceEntry], flt: PostFilter, counts: UnreadCounts
) -> SourceEntry | None:
    """`n` at the end of a source (or tag): the next one below it with unread posts.

    It goes round to the first of its kind; None when the filter is a view or no
    other source (tag) has anything unread.
    """
    key = entry_key(flt)
    current = next((e for e in entries if e.key == key), None)
    if current is None or current.kind == "view":
        return None
    same = [e for e in entries if e.kind == current.kind]
    start = same.index(current)
    by_tag = tag_counts(entries, counts)
    for entry in same[start + 1 :] + same[:start]:
        if entry.unread(counts, by_tag) > 0:
            return entry
    return None
