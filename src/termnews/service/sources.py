"""Finding followed sources, and following many at once from an OPML file."""

from __future__ import annotations

from termnews.errors import TermnewsError
from termnews.models import Source, SourceKind
from termnews.service.results import ImportResult
from termnews.store import Store


def find_source(store: Store, ref: str) -> Source | None:
    """A source by numeric ID, URL or feed URL (with or without a trailing slash)."""
    ref = ref.strip()
    if ref.isdigit():
        return store.source(int(ref))
    return store.source_by_url(ref) or store.source_by_url(ref.rstrip("/"))


def import_opml(store: Store, data: bytes) -> ImportResult:
    """Add every feed of an OPML file; no network (the next refresh fetches them).

    Folder names become tags; outlines whose URL is not http(s) are skipped and
    counted, and so are sources already followed.
    """
    from termnews.formats.opml import parse_opml
    from termnews.urls import validate_url

    result = ImportResult()
    for outline in parse_opml(data):
        try:
            url = validate_url(outline.url)
        except TermnewsError:
            result.skipped += 1
            continue
        if find_source(store, url):
            result.known += 1
            continue
        kind: SourceKind = "site" if outline.is_page else "feed"
        feed_url = None if outline.is_page else url
        result.added.append(
            store.add_source(url, outline.title or url, kind, feed_url, outline.tags)
        )
    return result
