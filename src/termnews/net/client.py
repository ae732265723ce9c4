"""The one shared HTTP client: bounded concurrency, limits, redirects checked hop by hop.

Every download in termnews goes through :class:`Fetcher`, so the limits in
PRODUCT.md "Fetching" (timeouts, body cap after decompression, only http/https,
at most N requests at once and M per host) hold everywhere. Failures are
raised as :class:`FetchError` subclasses with one-line, user-facing messages;
httpx, ssl and socket exceptions never escape.

httpx is imported lazily (≈ 80 ms) so that importing this module stays cheap.
Requests go straight to httpx's transport (``net.transport``: a pool a host),
not through ``httpx.AsyncClient``: redirects are followed here hop by hop, so
the client's layers (auth and redirect flows, event hooks, a cookie jar walked
for every request) cost a third of a 304's CPU and gave nothing. Cookies are
kept as the client keeps them, but only touched when a server sets one.
"""

from __future__ import annotations

import asyncio
import importlib.util
from dataclasses import dataclass, field, replace
from functools import cached_property
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from termnews import USER_AGENT
from termnews.config import NetworkConfig
from termnews.net.decode import decode_body, make_decoder

if TYPE_CHECKING:
    import ssl

    import httpx

    from termnews.net.transport import PerHostTransport

from termnews.net.errors import (
    ConnectError,
    DNSError,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    InvalidURL,
    ProtocolError,
    TLSError,
    TooLarge,
    TooManyRedirects,
    format_bytes,
    format_seconds,
    map_exception,
    parse_retry_after,
)
from termnews.urls import validate_url

__all__ = [
    "ConnectError",
    "DNSError",
    "FetchError",
    "FetchResult",
    "FetchTimeout",
    "Fetcher",
    "HTTPStatusError",
    "InvalidURL",
    "ProtocolError",
    "TLSError",
    "TooLarge",
    "TooManyRedirects",
]

KEEPALIVE_CONNECTIONS = 128  # idle connections kept for reuse (one file descriptor each)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_ACCEPT_DEFAULT = "*/*"
_ACCEPT_ENCODING = "gzip, deflate, br"


@dataclass(frozen=True)
class FetchResult:
    """A successful response: 200 (or another 2xx) with its body, or 304 with none."""

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    # Where permanent redirects (301/308, every hop from the request on) led: the
    # address to use from now on. None when the request was not permanently moved.
    moved_to: str | None = None

    @cached_property
    def text(self) -> str:
        """The body as text (HTTP charset, BOM, declaration, detection); never raises."""
        return decode_body(self.content, self.content_type)


class Fetcher:
    """The one connection pool (httpx's transports) shared by every download, made on first use.

    Use as ``async with Fetcher(config.network) as fetcher: await fetcher.get(url)``
    or call :meth:`aclose` when done. Safe to share between many concurrent tasks
    of one event loop.
    """

    def __init__(
        self,
        config: NetworkConfig | None = None,
        *,
        concurrency: int | None = None,
        per_host: int | None = None,
        connect_timeout: float | None = None,
        timeout: float | None = None,
        max_bytes: int | None = None,
        max_redirects: int | None = None,
        user_agent: str = USER_AGENT,
        verify: Any = True,
    ) -> None:
        cfg = config or NetworkConfig()
        self.concurrency = max(1, concurrency if concurrency is not None else cfg.concurrency)
        self.per_host = max(1, per_host if per_host is not None else cfg.per_host)
        self.connect_timeout = (
            connect_timeout if connect_timeout is not None else cfg.connect_timeout
        )
        self.timeout = timeout if timeout is not None else cfg.timeout
        self.max_bytes = max_bytes if max_bytes is not None else cfg.max_bytes
        self.max_redirects = max_redirects if max_redirects is not None else cfg.max_redirects
        self.user_agent = user_agent
        self._verify = verify
        self._tls: ssl.SSLContext | None = None  # ours, while its CAs wait for an https URL
        self._transport: PerHostTransport | None = None
        self._cookies: httpx.Cookies | None = None  # set by servers, sent back as a client does
        self._timeouts: dict[str, float | None] = {}
        self._global: asyncio.Semaphore | None = None
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections; a later ``get`` opens new ones."""
        transport, self._transport = self._transport, None
        if transport is not None and self._loop is asyncio.get_running_loop():
            await transport.aclose()
        # Connections of an earlier, finished event loop cannot be closed any more:
        # their sockets went with that loop.

    @property
    def http2(self) -> bool:
        """HTTP/2 is offered only when the optional ``h2`` package is installed."""
        return importlib.util.find_spec("h2") is not None

    def _get_transport(self) -> PerHostTransport:
        if self._transport is None:
            import httpx

            from termnews.net.transport import PerHostTransport

            self._timeouts = httpx.Timeout(self.timeout, connect=self.connect_timeout).as_dict()
            self._cookies = self._cookies if self._cookies is not None else httpx.Cookies()
            # Our semaphores bound the requests in flight; each host's pool only has
            # to keep a connection per slot alive, or a refresh spread over many
            # hosts closes and reopens one for most requests.
            self._transport = PerHostTransport(
                KEEPALIVE_CONNECTIONS // self.per_host,
                limits=httpx.Limits(max_connections=None, max_keepalive_connections=self.per_host),
                http2=self.http2,
                verify=self._verify_context(),
                trust_env=False,
            )
        return self._transport

    def _request(self, url: str, headers: dict[str, str]) -> httpx.Request:
        """A GET of ``url`` as httpx's client builds one: our headers, timeouts, cookies."""
        import httpx

        request = httpx.Request(
            "GET",
            url,
            headers={
                "User-Agent": self.user_agent,
                "Accept-Encoding": _ACCEPT_ENCODING,
                **headers,
            },
            extensions={"timeout": self._timeouts},
        )
        if self._cookies:
            self._cookies.set_cookie_header(request)
        return request

    def _verify_context(self) -> Any:
        """What the client verifies TLS with: for ``verify=True`` a context of ours whose
        CA bundle (certifi's, as httpx's own) loads with the first https request, so an
        http-only refresh never pays for it (~45 ms). Until then it trusts no one."""
        if self._verify is not True:
            return self._verify
        import ssl

        self._tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies hostnames and chains
        return self._tls

    def _load_trust(self) -> None:
        """Load the CA bundle into our context before its first handshake."""
        tls, self._tls = self._tls, None
        if tls is not None:
            import certifi

            tls.load_verify_locations(certifi.where())

    def _bind_loop(self) -> None:
        """Limits and connections belong to one event loop; a new loop (a second
        ``asyncio.run`` in the CLI) starts afresh instead of failing."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            if self._loop is not None:
                self._transport = None  # its connections died with the old loop
            self._loop = loop
            self._global = asyncio.Semaphore(self.concurrency)
            self._hosts = {}

    def _host_semaphore(self, host: str) -> asyncio.Semaphore:
        sem = self._hosts.get(host)
        if sem is None:
            sem = self._hosts[host] = asyncio.Semaphore(self.per_host)
        return sem

    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
    ) -> FetchResult:
        """Download ``url``, following up to ``max_redirects`` http(s) redirects.

        ``etag``/``last_modified`` make the request conditional: an unchanged
        resource comes back as ``not_modified=True`` with empty content.
        Raises a :class:`FetchError` subclass on any failure.
        """
        current = validate_url(url)
        headers = {"Accept": accept or _ACCEPT_DEFAULT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self._bind_loop()
        deadline: float | None = None
        moved_to: str | None = None
        permanent = True  # every hop so far was a permanent redirect
        for _hop in range(self.max_redirects + 1):
            host = _host_of(current)
            # Per-host first: a task queued behind its host must not hold a global slot.
            assert self._global is not None
            async with self._host_semaphore(host), self._global:
                if deadline is None:
                    deadline = asyncio.get_running_loop().time() + self.timeout
                result = await self._hop(current, headers, deadline)
            if isinstance(result, FetchResult):
                return replace(result, moved_to=moved_to) if moved_to else result
            current, status = result
            permanent = permanent and status in _PERMANENT
            moved_to = current if permanent else moved_to
        raise TooManyRedirects(f"too many redirects (more than {self.max_redirects})")

    async def _hop(
        self, url: str, headers: dict[str, str], deadline: float
    ) -> FetchResult | tuple[str, int]:
        """One request: a result, or the validated URL a redirect points to and its status."""
        transport = self._get_transport()
        if url[:6].lower() == "https:":
            self._load_trust()
        try:
            async with asyncio.timeout_at(deadline):
                request = self._request(url, headers)
                response = await transport.handle_async_request(request)
                try:
                    if self._cookies is not None and "set-cookie" in response.headers:
                        response.request = request
                        self._cookies.extract_cookies(response)
                    return await self._read(url, response)
                finally:
                    await response.aclose()
        except FetchError:
            raise
        except TimeoutError:
            raise FetchTimeout(f"timed out after {format_seconds(self.timeout)}") from None
        except Exception as exc:
            raise map_exception(exc, url, self.timeout, self.connect_timeout) from None

    async def _read(self, url: str, response: httpx.Response) -> FetchResult | tuple[str, int]:
        status = response.status_code
        headers = {k.lower(): v for k, v in response.headers.items()}
        if status in _REDIRECTS:
            location = headers.get("location", "").strip()
            if not location:
                raise ProtocolError(f"HTTP {status} redirect without a Location")
            target = urljoin(url, location)
            try:
                return validate_url(target), status
            except InvalidURL as exc:
                raise InvalidURL(f"redirect refused: {exc}") from None
        if status == 304:
            await _drain(response)
            return self._result(url, status, headers, b"", not_modified=True)
        if not 200 <= status < 300:
            retry_after = (
                parse_retry_after(headers.get("retry-after")) if status in (429, 503) else None
            )
            raise HTTPStatusError(status, _reason(status, response.reason_phrase), retry_after)
        declared = headers.get("content-length", "")
        encoding = headers.get("content-encoding", "identity")
        if declared.isdigit() and int(declared) > self.max_bytes and encoding == "identity":
            raise TooLarge(f"page larger than {format_bytes(self.max_bytes)}")
        body = await self._read_capped(response, encoding)
        return self._result(url, status, headers, body)

    async def _read_capped(self, response: httpx.Response, encoding: str) -> bytes:
        """Stream the raw body through our own bounded decompressor, counting decoded bytes.

        httpx's own decoders inflate a whole network chunk at once (64 KiB of a
        gzip bomb is ~64 MiB); ours yields bounded pieces, so memory stays near the cap.
        """
        decoder = make_decoder(encoding)
        parts: list[bytes] = []
        size = 0
        async for raw in response.aiter_raw():
            for piece in decoder.feed(raw):
                size += len(piece)
                if size > self.max_bytes:
                    raise TooLarge(f"page larger than {format_bytes(self.max_bytes)}")
                parts.append(piece)
        for piece in decoder.flush():
            size += len(piece)
            if size > self.max_bytes:
                raise TooLarge(f"page larger than {format_bytes(self.max_bytes)}")
            parts.append(piece)
        return b"".join(parts)

    @staticmethod
    def _result(
        url: str, status: int, headers: dict[str, str], body: bytes, *, not_modified: bool = False
    ) -> FetchResult:
        return FetchResult(
            url=url,
            status=status,
            headers=headers,
            content=body,
            content_type=headers.get("content-type"),
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            not_modified=not_modified,
        )


async def _drain(response: httpx.Response, limit: int = 64 * 1024) -> None:
    """Read a bodiless answer to its end, so its connection goes back to the pool.

    Closing a response whose end was never read closes the connection too: a
    refresh of 304s would connect afresh for every feed. Past ``limit`` (a
    server sending a body with a 304) the connection is left to close.
    """
    size = 0
    async for raw in response.aiter_raw():
        size += len(raw)
        if size > limit:
            return


def _host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _reason(status: int, phrase: str | None) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return (phrase or "").strip() or "error"
