"""Turning fetched bodies into entries, in worker processes when many sources refresh at once.

feedparser costs about 0.3 ms an entry and holds the GIL, so a refresh of 200
sources is CPU-bound in one process. With more than one core, parsing runs in
a small process pool (a worker a core) beside the event loop (which keeps doing the HTTP work);
small refreshes, and machines with one core, parse in a thread as before. The
pool starts with the first body that needs parsing (a refresh whose feeds all
answer 304 starts no process) and stops, its workers reaped, when the refresh ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

from termnews.models import Entry

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from termnews.models import Source
    from termnews.net.client import FetchResult

POOL_THRESHOLD = 8  # sources in one refresh before worker processes pay for their start-up
# Worker processes cost ~0.4 s of CPU each to start (Python, then feedparser), which pays
# only for many thousand entries: they start once the bodies of a refresh, extrapolated
# from those seen so far to all its sources, come to POOL_BYTES. A refresh of 200 short
# feeds (~1 MiB) parses faster in threads, overlapping the network, than with a pool.
POOL_BYTES = 4 << 20


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
    from termnews.feeds.feedparser_setup import feedparser

    feedparser()


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
        # A worker a core: parsing costs ~15× what storing does, so the event loop's
        # process mostly waits, and with one worker a second core stayed half idle.
        self.workers = workers if workers is not None else (min(4, cores) if cores > 1 else 0)
        self._pool: Executor | None = None
        self._big = False  # a refresh running now is big enough for worker processes
        self._refreshes = 0  # refreshes running now (the reader may run two at once)
        self.pool_bytes = POOL_BYTES  # parsed in threads before the pool starts
        self._bytes = 0  # of the bodies the refreshes running now have had parsed
        self._bodies = 0  # how many bodies that was
        self._sources = 0  # in the refreshes running now

    def start(self, sources: int) -> None:
        """Note the size of a refresh: a big one may parse in worker processes.

        Nothing starts yet: the pool starts when the bodies to parse, extrapolated
        to every source, come to ``pool_bytes``; a refresh whose feeds all answer
        304 starts no process.
        """
        self._refreshes += 1
        self._sources += sources
        self._big = self._big or sources >= POOL_THRESHOLD

    @contextlib.asynccontextmanager
    async def refreshing(self, sources: int) -> AsyncIterator[None]:
        """Around one refresh of ``sources``: ``start`` before it, ``finish`` after."""
        self.start(sources)
        try:
            yield
        finally:
            await self.finish()

    async def finish(self) -> None:
        """End a refresh: the last one running stops the workers and reaps them (in a thread)."""
        self._refreshes = max(0, self._refreshes - 1)
        if self._refreshes == 0:
            self._big = False
            self._bytes = self._bodies = self._sources = 0
            pool, self._pool = self._pool, None
            if pool is not None:
                await asyncio.to_thread(_stop, pool)

    def _start_pool(self) -> None:
        """Start (and warm) the worker processes; on failure parse in threads."""
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
            self._big = False  # no processes to be had here: parse in threads
            self._drop(self._pool)
            self._pool = None

    def _worth_a_pool(self) -> bool:
        """The bodies seen so far, extrapolated to every source, come to ``pool_bytes``."""
        expected = self._bytes / max(1, self._bodies) * max(self._sources, self._bodies)
        return expected >= self.pool_bytes

    @property
    def pooled(self) -> bool:
        """True while worker processes parse (a big refresh on a machine with cores to spare)."""
        return self._pool is not None

    async def entries(self, source: Source, result: FetchResult) -> list[Entry]:
        """The entries of a fetched source, parsed in the pool when there is one."""
        reads_page = source.kind == "site" and not source.feed_url
        args = (reads_page, result.content, result.content_type, result.url)
        self._bytes += len(result.content)
        self._bodies += 1
        if self._pool is None and self._big and self.workers > 0 and self._worth_a_pool():
            self._start_pool()
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
                self._big = False
                self._drop(self._pool)
                self._pool = None
        return await asyncio.to_thread(entries_from_body, *args)

    def close(self) -> None:
        """Stop the workers and wait for them to exit, so none outlives the command."""
        pool, self._pool = self._pool, None
        self._big = False
        self._refreshes = 0
        self._bytes = self._bodies = self._sources = 0
        if pool is not None:
            _stop(pool)

    @staticmethod
    def _drop(pool: Executor | None) -> None:
        """Abandon a broken pool without waiting on it (its workers are dead or never began)."""
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def _stop(pool: Executor) -> None:
    """Shut the pool down and reap its workers, then multiprocessing's resource tracker.

    The tracker is a process of its own that would outlive the command (it
    exits when the last process holding its pipe does); with the pool's
    semaphores gone it has nothing left to track.
    """
    from multiprocessing import resource_tracker

    # Joins (reaps) every worker and drops the queues, whose semaphores unregister.
    pool.shutdown(wait=True, cancel_futures=True)
    stop = getattr(resource_tracker._resource_tracker, "_stop", None)
    if stop is not None:
        with contextlib.suppress(OSError, ChildProcessError):
            stop()
