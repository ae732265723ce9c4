"""Getting a post's readable document: fetch the page, extract it off the event loop, fall back.

Kept apart from ``service`` so the orchestration stays short and this part can be
tested alone against the loopback server.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from termnews.errors import TermnewsError

if TYPE_CHECKING:
    from termnews.document import Document
    from termnews.models import Post
    from termnews.net import Fetcher, FetchResult

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
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
    from termnews.extract import choose_document, extract_document

    document = extract_document(result.text, result.url)
    if post is None:
        return document
    return choose_document(document, post.content, post.summary, post.url, None)


def fallback_document(post: Post, error: Exception | str) -> Document:
    """The feed's own content or summary, with a one-line note saying why.

    ``error`` is the failure (a fetch or extraction error) or a sentence of why.
    """
    from termnews.extract import ExtractError, choose_document

    if isinstance(error, str):
        why = error
    elif isinstance(error, ExtractError | NotAPageError):
        why = f"the page could not be read ({error})"
    else:
        why = f"the page could not be fetched ({error})"
    return choose_document(None, post.content, post.summary, post.url, why=why)
