"""A connection pool a host, so the cost of a request does not grow with the hosts refreshed.

httpcore's pool looks at every connection it holds, several times, for every
request: with the 32–128 connections a refresh over many hosts keeps alive,
that scan was a third of an all-304 refresh's CPU. Here each host (scheme,
host, port) has its own small pool; pools idle longest are closed past
``max_pools``, so idle connections (one file descriptor each) stay bounded;
their connections come from ``net.stream`` (asyncio, without anyio).
Imported with httpx, on first network use.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx

from termnews.net.stream import AsyncioBackend

Origin = tuple[bytes, bytes, int | None]


class PerHostTransport(httpx.AsyncBaseTransport):
    """Sends each request through the ``AsyncHTTPTransport`` of its origin, made on demand."""

    def __init__(self, max_pools: int, **options: Any) -> None:
        self.max_pools = max(1, max_pools)
        self._options = options  # for every pool: limits, TLS context, http2
        self._pools: OrderedDict[Origin, httpx.AsyncHTTPTransport] = OrderedDict()
        self._busy: dict[Origin, int] = {}  # requests in flight a pool

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` through its origin's pool (the response streams from it)."""
        url = request.url
        origin: Origin = (url.raw_scheme, url.raw_host, url.port)
        if len(self._pools) >= self.max_pools:
            await self._evict(origin)
        pool = self._pools.get(origin)
        if pool is None:
            pool = self._pools[origin] = _transport(self._options)
        self._pools.move_to_end(origin)
        self._busy[origin] = self._busy.get(origin, 0) + 1
        released = False

        def release() -> None:
            nonlocal released
            if not released and origin in self._busy:
                self._busy[origin] -= 1
            released = True

        try:
            response = await pool.handle_async_request(request)
        except BaseException:
            release()
            raise
        # Busy until its body is read and closed: a pool is never evicted mid-stream.
        response.stream = _Released(response.stream, release)
        return response

    async def _evict(self, keep: Origin) -> None:
        """Close the pools idle longest (but ``keep``'s) while there are too many."""
        room = 0 if keep in self._pools else 1  # for the pool about to be made
        while len(self._pools) + room > self.max_pools:
            idle = next((o for o in self._pools if o != keep and not self._busy.get(o)), None)
            if idle is None:
                return  # all busy: the fetcher's concurrency bounds them
            pool = self._pools.pop(idle)
            self._busy.pop(idle, None)
            await pool.aclose()

    async def aclose(self) -> None:
        """Close every pool and its connections."""
        pools, self._pools = list(self._pools.values()), OrderedDict()
        self._busy.clear()
        for pool in pools:
            await pool.aclose()


_BACKEND = AsyncioBackend()


def _transport(options: dict[str, Any]) -> httpx.AsyncHTTPTransport:
    """httpx's transport (its TLS context, limits, HTTP/2), its pool connecting through
    ``net.stream``'s asyncio backend rather than anyio's."""
    transport = httpx.AsyncHTTPTransport(**options)
    pool = getattr(transport, "_pool", None)
    if hasattr(pool, "_network_backend"):  # httpcore 1.x; otherwise its own backend stays
        pool._network_backend = _BACKEND  # type: ignore[union-attr]
    return transport


class _Released(httpx.AsyncByteStream):
    """A response body that tells its pool when it is closed."""

    def __init__(self, stream: Any, release: Callable[[], None]) -> None:
        self._stream = stream
        self._release = release

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            self._release()
