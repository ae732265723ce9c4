"""Turning fetched bodies into entries, in worker processes when many sources refresh at once.

feedparser costs about 0.3 ms an entry and holds the GIL, so a refresh of 200
sources is CPU-bound in one process. With more than one core, parsing runs in
a small process pool beside the event loop (which keeps doing the HTTP work);
small refreshes, and machines with one core, parse in a thread as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from termnews.models import Entry

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from termnews.models import Source
    from termnews.net.client import FetchResult

POOL_THRESHOLD = 8  # sources in one refresh before worker processes pay for their start-up


def entries_from_body(
    reads_page: bool, content: bytes, content_type: str | None, url: str
) -> list[Entry]:
    """Parse a body: a feed, or (``reads_page``) a feedless site's recent posts."""
    if reads_page:
        from termnews.feeds.discover import recent_posts
        from termnews.feeds.parse import FeedError
        from termnews.net.decode import decode_body

        entries = recent_posts(decode_body(content, content_type), url)
        if not entries:
            raise FeedError("no recent posts found on the page")
        return entries
    from termnews.feeds.parse import parse_feed

    return parse_feed(content, url, content_type).entries


def _warm_up() -> None:
    """Import the parsers in a worker before the first body arrives."""
    import termnews.feeds.discover  # noqa: F401
    import termnews.feeds.parse  # noqa: F401


@contextlib.contextmanager
def _real_stdio() -> Iterator[None]:
    """The process's own stdout/stderr while worker processes are spawned.

    Inside the reader Textual replaces ``sys.stderr`` with a capture whose
    ``fileno()`` is -1; multiprocessing hands that number to the new process
    ("bad value(s) in fds_to_keep") and no worker ever starts.
    """
    saved = sys.stdout, sys.stderr
    sys.stdout = sys.__stdout__ or saved[0]
    sys.stderr = sys.__stderr__ or saved[1]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


class Parser:
    """Parses fetched bodies off the event loop: a process pool for big refreshes."""

    def __init__(self, workers: int | None = None) -> None:
        cores = os.cpu_count() or 1
        self.workers = workers if workers is not None else min(4, cores - 1)
        self._pool: Executor | None = None

    def start(self, sources: int) -> None:
        """Start (and warm) the pool when a refresh is big enough to gain from it."""
        if self._pool is None and self.workers > 0 and sources >= POOL_THRESHOLD:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # spawn, not fork: the parent has threads (SQLite, asyncio) that fork would copy.
            context = multiprocessing.get_context("spawn")
            try:
                with _real_stdio():  # the workers start with their warm-up jobs
                    self._pool = ProcessPoolExecutor(self.workers, mp_context=context)
                    for _ in range(self.workers):
                        self._pool.submit(_warm_up)
            except (OSError, ValueError):
                self.close()  # no processes to be had here: parse in threads

    @property
    def pooled(self) -> bool:
        """True while worker processes parse (a big refresh on a machine with cores to spare)."""
        return self._pool is not None

    async def entries(self, source: Source, result: FetchResult) -> list[Entry]:
        """The entries of a fetched source, parsed in the pool when there is one."""
        reads_page = source.kind == "site" and not source.feed_url
        args = (reads_page, result.content, result.content_type, result.url)
        if self._pool is not None:
            from concurrent.futures.process import BrokenProcessPool

            loop = asyncio.get_running_loop()
            try:
                with _real_stdio():  # submitting may spawn a worker to replace one
                    job = loop.run_in_executor(self._pool, entries_from_body, *args)
                return await job
            except (BrokenProcessPool, OSError, ValueError):
                # A worker died, or none could be spawned: carry on in a thread.
                # (A parse error is a FeedError and passes through.)
                self.close()
        return await asyncio.to_thread(entries_from_body, *args)

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
