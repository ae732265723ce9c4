"""The one shared HTTP client: bounded concurrency, limits, redirects checked hop by hop.

Every download in termnews goes through :class:`Fetcher`, so the limits in
PRODUCT.md "Fetching" (timeouts, body cap after decompression, only http/https,
at most N requests at once and M per host) hold everywhere. Failures are
raised as :class:`FetchError` subclasses with one-line, user-facing messages;
httpx, ssl and socket exceptions never escape.

httpx is imported lazily (≈ 80 ms) so that importing this module stays cheap.
"""

from __future__ import annotations

import asyncio
import importlib.util
import re
import time
from dataclasses import dataclass, field
from functools import cached_property
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from termnews import USER_AGENT
from termnews.config import NetworkConfig
from termnews.decode import ContentDecodingError, decode_body, make_decoder
from termnews.errors import TermnewsError

if TYPE_CHECKING:
    import httpx

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
    "validate_url",
]

# --- errors ----------------------------------------------------------------------


class FetchError(TermnewsError):
    """A download failed; ``str()`` is one short line fit to show a user."""


class InvalidURL(FetchError):
    """Not a fetchable URL: bad syntax, no host, or a scheme other than http/https."""


class DNSError(FetchError):
    """The host name does not resolve."""


class ConnectError(FetchError):
    """The connection was refused, reset or otherwise failed."""


class FetchTimeout(FetchError):
    """Connecting or the whole request took longer than allowed."""


class TLSError(FetchError):
    """The TLS handshake failed (bad certificate, protocol mismatch)."""


class HTTPStatusError(FetchError):
    """The server answered with an error status (4xx/5xx).

    ``retry_after`` is the delay in seconds a 429/503 asked for, when it said.
    """

    def __init__(self, status: int, reason: str = "", retry_after: float | None = None) -> None:
        self.status = status
        self.reason = reason
        self.retry_after = retry_after
        super().__init__(f"HTTP {status} {reason}".strip())


class TooManyRedirects(FetchError):
    """More redirects than ``max_redirects`` (often a loop)."""


class TooLarge(FetchError):
    """The body, after decompression, is larger than ``max_bytes``."""


class ProtocolError(FetchError):
    """The server broke HTTP: malformed response, bad compression, early close."""


def format_seconds(seconds: float) -> str:
    """``30`` → "30 s", ``0.5`` → "0.5 s"."""
    return f"{seconds:g} s"


def format_bytes(size: int) -> str:
    """``20 * 2**20`` → "20 MiB"; exact binary units read best in messages."""
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            return f"{size / scale:g} {unit}"
    return f"{size} bytes"


# --- URLs ------------------------------------------------------------------------

# Whitespace, controls and the characters that can never appear even in sloppy URLs.
_BAD_URL_CHARS = re.compile(r"[\x00-\x20\x7f<>\"]")
_BAD_HOST_CHARS = re.compile(r"[^A-Za-z0-9.\-_\[\]:\u0080-\U0010ffff]")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def validate_url(url: str) -> str:
    """Check that ``url`` is an absolute http(s) URL and return it normalised.

    Scheme and host are lower-cased, a default port dropped and an empty path
    made ``/``; the fragment is kept. Raises :class:`InvalidURL` otherwise, so
    links from pages can never lead to ``file:``, ``data:`` or ``javascript:``.
    """
    if not isinstance(url, str):
        raise InvalidURL("not a URL")
    text = url.strip()
    shown = text[:80]
    if not text:
        raise InvalidURL("empty URL")
    if _BAD_URL_CHARS.search(text):
        raise InvalidURL(f"invalid URL (spaces or control characters): {shown!r}")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise InvalidURL(f"invalid URL: {shown}") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        what = f"{scheme}: URL" if scheme else "URL without http:// or https://"
        raise InvalidURL(f"only http and https can be fetched, not a {what}")
    host = (parts.hostname or "").rstrip(".")
    if not host or _BAD_HOST_CHARS.search(host) or ".." in host:
        raise InvalidURL(f"invalid URL (no host name): {shown}")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise InvalidURL(f"invalid host name: {host[:60]}") from None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    if parts.username is not None:
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{userinfo}@{netloc}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, parts.fragment))


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and everything it was raised from (httpx → httpcore → OSError)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def map_exception(
    exc: BaseException, url: str, timeout: float, connect_timeout: float
) -> FetchError:
    """Turn an httpx/ssl/socket exception into the matching one-line :class:`FetchError`."""
    import socket
    import ssl

    import httpx

    chain = _chain(exc)
    host = urlsplit(url).hostname or url
    for cause in chain:
        if isinstance(cause, ssl.SSLCertVerificationError):
            detail = getattr(cause, "verify_message", "") or ""
            suffix = f" ({detail})" if detail else ""
            return TLSError(f"TLS error: certificate verify failed{suffix}")
        if isinstance(cause, ssl.SSLError):
            reason = getattr(cause, "reason", None) or "handshake failed"
            return TLSError(f"TLS error: {str(reason).lower().replace('_', ' ')}")
        if isinstance(cause, socket.gaierror):
            return DNSError(f"host not found: {host}")
        if isinstance(cause, ConnectionRefusedError):
            return ConnectError("connection refused")
        if isinstance(cause, ConnectionResetError | BrokenPipeError):
            return ConnectError("connection reset")
        if isinstance(cause, ContentDecodingError):
            return ProtocolError(str(cause))
    if isinstance(exc, httpx.ConnectTimeout):
        return FetchTimeout(f"could not connect within {format_seconds(connect_timeout)}")
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return FetchTimeout(f"timed out after {format_seconds(timeout)}")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return InvalidURL(f"invalid URL: {url[:80]}")
    text = " ".join(str(exc).split())
    lowered = text.lower()
    if "name or service not known" in lowered or "nodename nor servname" in lowered:
        return DNSError(f"host not found: {host}")
    if "connection refused" in lowered:
        return ConnectError("connection refused")
    if isinstance(exc, httpx.ConnectError):
        return ConnectError(f"could not connect: {text[:100]}" if text else "could not connect")
    if isinstance(exc, httpx.RemoteProtocolError) and "without sending" in lowered:
        return ProtocolError("server closed the connection without answering")
    if isinstance(exc, httpx.ReadError | httpx.WriteError | httpx.CloseError):
        return ConnectError("connection lost while reading")
    if isinstance(exc, httpx.RemoteProtocolError) and "status line" in lowered:
        return ProtocolError("protocol error: the server did not answer in HTTP")
    if isinstance(exc, httpx.HTTPError | httpx.StreamError | httpx.InvalidURL):
        return ProtocolError(f"protocol error: {text[:100]}" if text else "protocol error")
    return FetchError(f"{type(exc).__name__}: {text[:100]}" if text else type(exc).__name__)


# --- fetching --------------------------------------------------------------------

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
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

    @cached_property
    def text(self) -> str:
        """The body as text (HTTP charset, BOM, declaration, detection); never raises."""
        return decode_body(self.content, self.content_type)


class Fetcher:
    """One ``httpx.AsyncClient`` shared by every download, created on first use.

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
        self._client: httpx.AsyncClient | None = None
        self._global: asyncio.Semaphore | None = None
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the client and its connections; a later ``get`` opens a new one."""
        client, self._client = self._client, None
        if client is not None and self._loop is asyncio.get_running_loop():
            await client.aclose()
        # A client from an earlier, finished event loop cannot be closed any more:
        # its sockets went with that loop.

    @property
    def http2(self) -> bool:
        """HTTP/2 is offered only when the optional ``h2`` package is installed."""
        return importlib.util.find_spec("h2") is not None

    def _get_client(self) -> httpx.AsyncClient:
        if self._client is None:
            import httpx

            self._client = httpx.AsyncClient(
                headers={"User-Agent": self.user_agent, "Accept-Encoding": _ACCEPT_ENCODING},
                timeout=httpx.Timeout(self.timeout, connect=self.connect_timeout),
                limits=httpx.Limits(
                    max_connections=self.concurrency + 4,
                    max_keepalive_connections=self.concurrency,
                ),
                follow_redirects=False,
                event_hooks={"response": [_hide_location]},
                http2=self.http2,
                verify=self._verify,
                trust_env=False,
            )
        return self._client

    def _bind_loop(self) -> None:
        """Limits and connections belong to one event loop; a new loop (a second
        ``asyncio.run`` in the CLI) starts afresh instead of failing."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            if self._loop is not None:
                self._client = None  # its connections died with the old loop
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
        for _hop in range(self.max_redirects + 1):
            host = _host_of(current)
            # Per-host first: a task queued behind its host must not hold a global slot.
            assert self._global is not None
            async with self._host_semaphore(host), self._global:
                if deadline is None:
                    deadline = asyncio.get_running_loop().time() + self.timeout
                result = await self._hop(current, headers, deadline)
            if isinstance(result, FetchResult):
                return result
            current = result
        raise TooManyRedirects(f"too many redirects (more than {self.max_redirects})")

    async def _hop(self, url: str, headers: dict[str, str], deadline: float) -> FetchResult | str:
        """One request: a result, or the validated URL a redirect points to."""
        client = self._get_client()
        try:
            async with asyncio.timeout_at(deadline):
                request = client.build_request("GET", url, headers=headers)
                response = await client.send(request, stream=True)
                try:
                    return await self._read(url, response)
                finally:
                    await response.aclose()
        except FetchError:
            raise
        except TimeoutError:
            raise FetchTimeout(f"timed out after {format_seconds(self.timeout)}") from None
        except Exception as exc:
            raise map_exception(exc, url, self.timeout, self.connect_timeout) from None

    async def _read(self, url: str, response: httpx.Response) -> FetchResult | str:
        status = response.status_code
        headers = {k.lower(): v for k, v in response.headers.items()}
        if status in _REDIRECTS:
            location = headers.get(_LOCATION, "").strip()
            if not location:
                raise ProtocolError(f"HTTP {status} redirect without a Location")
            target = urljoin(url, location)
            try:
                return validate_url(target)
            except InvalidURL as exc:
                raise InvalidURL(f"redirect refused: {exc}") from None
        if status == 304:
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


_LOCATION = "x-termnews-location"


async def _hide_location(response: httpx.Response) -> None:
    """Move Location aside so httpx does not parse it: even with redirects off, httpx
    builds the next request and fails on a ``javascript:`` target before we can check it."""
    if "location" in response.headers:
        response.headers[_LOCATION] = response.headers.pop("location")


def _host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _reason(status: int, phrase: str | None) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return (phrase or "").strip() or "error"
