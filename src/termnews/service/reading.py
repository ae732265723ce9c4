"""Getting posts' readable documents: fetch the page, extract it off the event loop, fall back.

Kept apart from ``service`` so the orchestration stays short and this part can be
tested alone against the loopback server.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from termnews.errors import DiskFull, StoreError, TermnewsError

if TYPE_CHECKING:
    from termnews.document import Document
    from termnews.models import Post
    from termnews.net.client import Fetcher, FetchResult
    from termnews.store import Store

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
PREFETCH_CONCURRENCY = 8  # article pages downloaded at once after a refresh
_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")


class NotAPageError(TermnewsError):
    """The URL answered with something that is not a web page (an image, a PDF, …)."""


async def fetch_document(fetcher: Fetcher, url: str, post: Post | None) -> Document:
    """Download ``url`` and extract its readable document.

    With a ``post``, a page that yields little is replaced by the feed's own
    content (the document's note says so). Raises TermnewsError subclasses.
    """
    result = await fetcher.get(url, accept=PAGE_ACCEPT)
    content_type = (result.content_type or "").split(";")[0].strip().lower()
    if content_type and not content_type.startswith(_HTML_TYPES):
        raise NotAPageError(f"not a web page ({content_type})")
    if b"\x00" in result.content[:4096]:
        raise NotAPageError("not a web page (binary content)")
    # Decoding (charset detection), extraction and the feed comparison are CPU work:
    # all of it off the event loop.
    return await asyncio.to_thread(_read, result, post)


def _read(result: FetchResult, post: Post | None) -> Document:
    from termnews.extract.article import choose_document, extract_document

    document = extract_document(result.text, result.url)
    if post is None:
        return document
    return choose_document(document, post.content, post.summary, post.url, None)


def fallback_document(post: Post, error: Exception | str) -> Document:
    """The feed's own content or summary, with a one-line note saying why.

    ``error`` is the failure (a fetch or extraction error) or a sentence of why.
    """
    from termnews.extract.article import ExtractError, choose_document

    if isinstance(error, str):
        why = error
    elif isinstance(error, ExtractError | NotAPageError):
        why = f"the page could not be read ({error})"
    else:
        why = f"the page could not be fetched ({error})"
    return choose_document(None, post.content, post.summary, post.url, why=why)


async def prefetch_documents(
    store: Store,
    fetcher: Fetcher,
    posts: Sequence[Post],
    progress: Callable[[int, int], None] | None = None,
    concurrency: int = PREFETCH_CONCURRENCY,
) -> tuple[int, int]:
    """Download and store the documents of ``posts``; returns (fetched, failed).

    At most ``concurrency`` pages at once (the fetcher also limits per host),
    leaving room for what the user opens meanwhile. Failures are recorded on the
    post (retried after a few hours) and never raise.
    """
    gate = asyncio.Semaphore(concurrency)
    done = fetched = failed = 0
    disk_full = False

    async def one(post: Post) -> None:
        nonlocal done, fetched, failed, disk_full
        async with gate:
            if disk_full:
                return  # nothing more can be stored: the pages left are not fetched
            try:
                document = await fetch_document(fetcher, post.url, post)
                await asyncio.to_thread(store.put_document, post.id, document)
                fetched += 1
            except DiskFull:
                disk_full = True
                raise  # every other page would fail too: stop, and say why
            except (StoreError, sqlite3.Error):
                failed += 1  # the post went away meanwhile (pruned or removed elsewhere)
            except TermnewsError as exc:
                with contextlib.suppress(sqlite3.Error, StoreError):
                    await asyncio.to_thread(store.record_document_error, post.id, str(exc))
                failed += 1
        done += 1
        if progress is not None:
            progress(done, len(posts))

    await run_all(one(p) for p in posts)
    return fetched, failed


async def run_all(jobs: Iterable[Awaitable[object]]) -> None:
    """Await every job to its end, then raise the first error, if any.

    ``asyncio.gather`` raises at the first error while the other jobs go on, with
    their threads still writing to the store; a caller that then closes the store
    would pull a connection from under a running thread (a crash in C).
    """
    for outcome in await asyncio.gather(*jobs, return_exceptions=True):
        if isinstance(outcome, BaseException):
            raise outcome


def store_page(store: Store, url: str, document: Document) -> Post:
    """A page read by URL stored as a post of the library, with its document."""
    from termnews.models import Entry

    entry = Entry(
        identity=url,
        url=url,
        title=document.title or url,
        author=document.byline,
        published=document.published,
    )
    store.upsert_posts(None, [entry])
    post = store.post_by_url(url)
    assert post is not None
    store.put_document(post.id, document)
    return post


def with_post_metadata(post: Post, document: Document) -> Document:
    """The document with the post's metadata filling its gaps, each a single clean line.

    The feed knows the source's name and often the author and date when the page
    does not; the page's own title and byline win when it has them.
    """
    from dataclasses import replace

    from termnews.text import clean_line

    return replace(
        document,
        title=clean_line(document.title or post.title) or post.url,
        byline=clean_line(document.byline or post.author),
        site_name=clean_line(post.source_title or document.site_name),
        published=document.published or post.published,
    )


def cached_document(store: Store, url: str) -> Document | None:
    """The cached document of the stored post at ``url`` (with its metadata), or None."""
    post = store.post_by_url(url)
    document = store.document(post.id) if post is not None and post.has_document else None
    return with_post_metadata(post, document) if post and document else None
