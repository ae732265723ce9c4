"""Turning fetched bodies into entries, in worker processes when many sources refresh at once.

Parsing holds the GIL, so a cold refresh is CPU-bound in one process. With more
than one core, a refresh whose bodies promise more parsing than a worker costs
to start hands them to a small process pool beside the event loop (which keeps
doing the HTTP work); small refreshes, and machines with one core, parse in a
thread. The pool starts with the first body that needs parsing (a refresh whose
feeds all answer 304 starts no process); while its workers start, bodies parse
in the thread, so none waits for them; it stops, its workers reaped, when the
refresh ends. A worker runs ``job`` (which imports nothing heavy), so it is
ready about 0.15 s after it is spawned.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import threading
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING

from termnews.feeds.job import entries_from_body, import_parser, warm_up
from termnews.models import Entry

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

    from termnews.models import Source
    from termnews.net.client import FetchResult

__all__ = ["POOL_ENTRIES", "POOL_THRESHOLD", "Parser", "entries_from_body"]

POOL_THRESHOLD = 8  # sources in one refresh before worker processes may pay for their start-up
# Measured on benchmarks/refresh.py's feeds (2 cores): parsing costs ~0.11 ms an entry
# (2–2.5 ms a feed of 20); a worker costs ~0.17 s of CPU to start and is ready 0.2–0.3 s
# after it is spawned, and it takes only the bodies that come after that. A cold 50 feeds
# of 20 items is fetched and parsed in ~0.4 s: its worker was never ready in time, and the
# refresh was slower with it (0.83 s → 1.16 s, cold 200: 1.87 s → 2.26 s, on a busy
# machine). So the pool starts when the entries still to come, extrapolated from the bodies
# parsed so far, would keep this process parsing for twice a worker's start (~4,500
# entries); more than one worker for ten times that (200 feeds of 500 items).
ENTRY_SECONDS = 0.11e-3
WORKER_START_SECONDS = 0.25
POOL_ENTRIES = round(2 * WORKER_START_SECONDS / ENTRY_SECONDS)  # ~4,500
MORE_WORKERS_ENTRIES = 10 * POOL_ENTRIES
QUEUED_A_WORKER = 4  # bodies waiting a worker before the thread takes the next one too


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
    """Parses fetched bodies off the event loop: in worker processes when that pays."""

    def __init__(self, workers: int | None = None) -> None:
        cores = os.cpu_count() or 1
        # At most a worker a core: parsing costs ~15× what storing does, so the event
        # loop's process mostly waits once the workers parse.
        self.workers = workers if workers is not None else (min(4, cores) if cores > 1 else 0)
        self._pool: Executor | None = None
        self._importing: threading.Thread | None = None  # the parser, imported ahead
        self._warm: list[Future[None]] = []  # the workers' warm-ups: done, a worker is ready
        self._queued = 0  # bodies handed to the workers and not yet back
        self._size = 0  # workers in the pool
        self._big = False  # a refresh running now has sources enough for worker processes
        self._refreshes = 0  # refreshes running now (the reader may run two at once)
        self.pool_entries = POOL_ENTRIES  # entries still to parse for a worker to pay
        self.more_entries = MORE_WORKERS_ENTRIES  # and for every worker of ``workers`` to pay
        self._entries = 0  # in the bodies the refreshes running now have had parsed
        self._bodies = 0  # how many bodies that was
        self._sources = 0  # in the refreshes running now
        self.in_workers = 0  # bodies the workers parsed (for tests and benchmarks)

    def start(self, sources: int) -> None:
        """Note the size of a refresh: a big one may parse in worker processes.

        Nothing starts yet: the pool starts once the entries still to parse,
        extrapolated from the bodies parsed, come to ``pool_entries``; a refresh
        whose feeds all answer 304 starts no process.
        """
        self._refreshes += 1
        self._sources += sources
        self._big = self._big or sources >= POOL_THRESHOLD

    @contextlib.asynccontextmanager
    async def refreshing(self, sources: Sequence[Source]) -> AsyncIterator[None]:
        """Around one refresh of ``sources``: ``start`` before it, ``finish`` after.

        A source without validators (no ETag, no Last-Modified: never fetched, or a
        server that sends none) answers with a body: then the parser is imported in
        a thread at once, while the first requests are in flight, not after the
        first answer (~35 ms of a cold refresh's critical path). A refresh whose
        sources all have validators imports nothing it may not need.
        """
        self.start(len(sources))
        if any(not (s.etag or s.last_modified) for s in sources):
            self._import_parser_soon()
        try:
            yield
        finally:
            await self.finish()

    def _import_parser_soon(self) -> None:
        if self._importing is None:
            self._importing = threading.Thread(
                target=import_parser, name="termnews-parser-import", daemon=True
            )
            self._importing.start()

    async def finish(self) -> None:
        """End a refresh: the last one running stops the workers and reaps them (in a thread)."""
        self._refreshes = max(0, self._refreshes - 1)
        if self._refreshes == 0:
            warming = self._warming()
            pool = self._reset()
            if pool is not None:
                await asyncio.to_thread(_stop, pool, warming)

    def _warming(self) -> bool:
        """A worker is still starting (its warm-up not done)."""
        return not all(f.done() for f in self._warm)

    def _reset(self) -> Executor | None:
        """Forget the refreshes; the pool that ran, for the caller to stop."""
        pool, self._pool = self._pool, None
        self._big = False
        self._entries = self._bodies = self._sources = self._queued = self._size = 0
        self._warm = []
        return pool

    def _expected(self) -> float:
        """Entries of the bodies still to come, extrapolated from those parsed so far."""
        left = max(0, self._sources - self._bodies)
        return self._entries / max(1, self._bodies) * left

    def _counted(self, entries: list[Entry]) -> list[Entry]:
        """Count a body parsed here; start the pool once the entries to come make it pay."""
        self._entries += len(entries)
        self._bodies += 1
        if self._pool is None and self._big and self.workers > 0:
            expected = self._expected()
            if expected >= self.pool_entries:
                self._start_pool(expected)
        return entries

    def _start_pool(self, expected: float) -> None:
        """Start the worker processes (one, or all for much work) warming up; on failure
        parse in threads."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        size = self.workers if expected >= self.more_entries else 1
        # spawn, not fork: the parent has threads (SQLite, asyncio) that fork would copy.
        context = multiprocessing.get_context("spawn")
        try:
            with _real_stdio():  # the workers start with their warm-up jobs
                self._pool = ProcessPoolExecutor(size, mp_context=context)
                self._warm = [self._pool.submit(warm_up) for _ in range(size)]
            self._size = size
        except (OSError, ValueError):
            self._big = False  # no processes to be had here: parse in threads
            self._drop(self._pool)
            self._pool = None

    @property
    def pooled(self) -> bool:
        """True while worker processes run (a big refresh on a machine with cores to spare)."""
        return self._pool is not None

    def ready(self) -> bool:
        """A worker has warmed up (the pool takes bodies from then on)."""
        return any(f.done() and f.exception() is None for f in self._warm)

    async def wait_ready(self) -> None:
        """Until a worker is ready, or the pool failed (tests)."""
        if self._warm:
            await asyncio.wait([asyncio.wrap_future(f) for f in self._warm])

    def _to_workers(self) -> bool:
        """Whether a body goes to a worker: one is ready and not many bodies wait for one
        (while the workers start, bodies parse in a thread: none waits for them)."""
        return (
            self._pool is not None and self._queued < QUEUED_A_WORKER * self._size and self.ready()
        )

    async def entries(self, source: Source, result: FetchResult) -> list[Entry]:
        """The entries of a fetched source, parsed in a worker when one is ready."""
        reads_page = source.kind == "site" and not source.feed_url
        args = (reads_page, result.content, result.content_type, result.url)
        if self._to_workers() and self._pool is not None:
            from concurrent.futures.process import BrokenProcessPool

            loop = asyncio.get_running_loop()
            self._queued += 1
            try:
                with _real_stdio():  # submitting may spawn a worker to replace one
                    job = loop.run_in_executor(self._pool, entries_from_body, *args)
                entries = await job
                self.in_workers += 1
                return entries
            except (BrokenProcessPool, OSError, ValueError):
                # A worker died, or none could be spawned: carry on in a thread.
                # (A parse error is a FeedError and passes through.)
                self._big = False
                self._drop(self._pool)
                self._pool = None
            finally:
                self._queued = max(0, self._queued - 1)
        return self._counted(await asyncio.to_thread(entries_from_body, *args))

    def close(self) -> None:
        """Stop the workers and wait for them to exit, so none outlives the command."""
        warming = self._warming()
        pool = self._reset()
        self._refreshes = 0
        if pool is not None:
            _stop(pool, warming)

    @staticmethod
    def _drop(pool: Executor | None) -> None:
        """Abandon a broken pool without waiting on it (its workers are dead or never began)."""
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


def _stop(pool: Executor, warming: bool = False) -> None:
    """Shut the pool down and reap its workers, then multiprocessing's resource tracker.

    Workers still ``warming`` up when the refresh is over have nothing left to
    do: they are ended, not waited for (importing the parsers takes ~0.15 s).
    The tracker is a process of its own that would outlive the command (it
    exits when the last process holding its pipe does); with the pool's
    semaphores gone it has nothing left to track.
    """
    from multiprocessing import resource_tracker

    if warming:  # no body is being parsed (the refresh is over): only warm-ups run
        processes = getattr(pool, "_processes", None) or {}
        for process in list(processes.values()):
            with contextlib.suppress(OSError):
                process.terminate()

    # Joins (reaps) every worker and drops the queues, whose semaphores unregister.
    pool.shutdown(wait=True, cancel_futures=True)
    stop = getattr(resource_tracker._resource_tracker, "_stop", None)
    if stop is not None:
        with contextlib.suppress(OSError, ChildProcessError):
            stop()
