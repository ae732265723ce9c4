"""What the reader's commands do with the service, as functions: data in, words out.

The main screen runs them in its workers and shows what they return. They never
touch a widget, so the screen stays a coordinator and the wording is testable.
Failures the user should hear about are ``TermnewsError``s; the caller shows them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from termnews.text import clean_line
from termnews.urls import is_web_url

if TYPE_CHECKING:
    from termnews.document import Document
    from termnews.models import Post, Source
    from termnews.service import Service
    from termnews.store import Store
    from termnews.tui.screens.add_source import AddRequest

Job = Callable[..., Awaitable[Any]]  # what a worker runs: called (made a coroutine) as it starts


async def toggle_saved(service: Service, post_id: int, *, network_down: bool) -> str | None:
    """Save or unsave a post; the line that says what happened (None: the post is gone)."""
    post = await asyncio.to_thread(service.store.post, post_id)
    if post is None:
        return None
    await service.save_post(post_id, not post.is_saved)
    if post.is_saved:
        return "Removed from saved posts."
    after = await asyncio.to_thread(service.store.post, post_id)
    if after is None or not after.has_document:
        # Saved anyway: prefetch retries saved posts first, once the network is back.
        where = "Offline" if service.offline or network_down else "Not downloaded"
        return f"Saved. {where}: its article downloads with the next refresh."
    return "Saved: kept for offline reading."


def link_to_follow(document: Document | None, number: int) -> tuple[str | None, str]:
    """The URL of link ``number`` of the open article, or None and the line saying why not."""
    if document is None:
        return None, "Open an article first: links are numbered in its text."
    links = document.links()
    if not 1 <= number <= len(links):
        return None, f"This article has no link {number}."
    if not is_web_url(links[number - 1]):
        return None, "Not following: only http and https links can be opened."
    return links[number - 1], f"Opening link {number}…"


def address_problem(post: Post | None, *, browser: bool = False) -> str | None:
    """Why a post's URL cannot go to the clipboard (or the browser); None when it can.

    "" when there is no post at all: nothing to say.
    """
    if post is None:
        return ""
    if not post.url:
        return "This post has no web address."
    if browser and not is_web_url(post.url):
        return "Not opening: only http and https links go to the browser."
    return None


async def open_in_browser(url: str) -> bool:
    """Open ``url`` in the web browser; False when none could be started."""
    import webbrowser  # only when used: it is not needed for the first frame

    try:
        return bool(await asyncio.to_thread(webbrowser.open, url))
    except (webbrowser.Error, OSError):
        return False


async def add(service: Service, request: AddRequest) -> Source | Post:
    """What the add dialog asked for: follow a source, or save a page to the library."""
    if request.mode == "page":
        return await service.save_url(request.url)
    return await service.add_source(request.url)


def added_words(result: Source | Post) -> str:
    """ "Added Example News", or "Saved “A story” for offline reading."."""
    from termnews.models import Post

    if isinstance(result, Post):
        title = clean_line(result.title) or clean_line(result.url)
        return f"Saved “{title}” for offline reading."
    return f"Added {clean_line(result.title)}"


def source_to_refresh(store: Store, post: Post | None, source_id: int | None) -> Source | None:
    """The source `r` refreshes: the current post's, else the one the list shows."""
    if post is not None:
        source_id = post.source_id
    return store.source(source_id) if source_id is not None else None
