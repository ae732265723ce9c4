"""Mapping between SQL rows and the model types, and the SQL fragments shared by queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from termnews.dates import from_timestamp
from termnews.models import Post, Source
from termnews.store.types import PostFilter
from termnews.text import clean_line, strip_unsafe

SOURCE_COLUMNS = (
    "id, url, title, kind, feed_url, etag, last_modified, last_refresh, last_error,"
    " last_error_at, retry_after, tags, fetch_note"
)

# The sidebar's PostRow fields, in PostRow's order.
ROW_SELECT = (
    "SELECT p.id, p.title, coalesce(s.title, ''), p.sort_key, p.read_at IS NOT NULL,"
    " p.saved_at IS NOT NULL, d.post_id IS NOT NULL,"
    " p.source_id IS NOT NULL AND p.published IS NULL"
    " FROM posts p LEFT JOIN sources s ON s.id = p.source_id"
    " LEFT JOIN documents d ON d.post_id = p.id"
)

POST_COLUMNS = (
    "p.id, p.source_id, p.identity, p.url, p.title, p.author, p.published, p.content,"
    " p.summary, p.read_at, p.saved_at, p.position, coalesce(s.title, ''),"
    " EXISTS (SELECT 1 FROM documents d WHERE d.post_id = p.id)"
)

POST_FROM = "FROM posts p LEFT JOIN sources s ON s.id = p.source_id"


def source_from_row(row: Sequence[Any]) -> Source:
    return Source(
        id=row[0],
        url=row[1],
        title=row[2],
        kind=row[3],
        feed_url=row[4],
        etag=row[5],
        last_modified=row[6],
        last_refresh=from_timestamp(row[7]),
        last_error=row[8],
        last_error_at=from_timestamp(row[9]),
        retry_after=from_timestamp(row[10]),
        tags=split_tags(row[11]),
        fetch_note=row[12],
    )


def post_from_row(row: Sequence[Any]) -> Post:
    return Post(
        id=row[0],
        source_id=row[1],
        identity=row[2],
        url=row[3],
        title=row[4],
        author=row[5],
        published=from_timestamp(row[6]),
        content=row[7],
        summary=row[8],
        read_at=from_timestamp(row[9]),
        saved_at=from_timestamp(row[10]),
        position=row[11],
        source_title=row[12],
        has_document=bool(row[13]),
    )


def fts_query(text: str) -> str:
    """Turn what a user typed into a safe FTS5 query: every word must match, as a prefix."""
    return " ".join(f'"{w}"*' for w in query_words(text))


def query_words(text: str) -> list[str]:
    """The words of a search as FTS5 matches them (each as a prefix); the reader marks them."""
    words = [w.replace('"', "") for w in strip_unsafe(text).replace("\x00", "").split()]
    return [w for w in words if w]


def filter_sql(flt: PostFilter) -> tuple[str, list[object]]:
    """The WHERE clause (and its parameters) of a sidebar filter over ``posts p``."""
    clauses: list[str] = []
    params: list[object] = []
    if flt.kind == "unread":
        clauses.append("p.read_at IS NULL")
    elif flt.kind == "saved":
        clauses.append("p.saved_at IS NOT NULL")
    if flt.source_id is not None:
        clauses.append("p.source_id = ?")
        params.append(flt.source_id)
    if flt.tag is not None:  # tags are newline-separated: match one whole line
        clauses.append(
            "p.source_id IN (SELECT id FROM sources WHERE"
            " instr(char(10) || tags || char(10), char(10) || ? || char(10)) > 0)"
        )
        params.append(flt.tag)
    if flt.query:
        match = fts_query(flt.query)
        clauses.append("p.id IN (SELECT rowid FROM post_fts WHERE post_fts MATCH ?)")
        params.append(match or '""')
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def join_tags(tags: Sequence[str]) -> str:
    return "\n".join(t for t in (clean_line(t) for t in tags) if t)


def split_tags(value: str | None) -> tuple[str, ...]:
    return tuple(t for t in (value or "").split("\n") if t)
