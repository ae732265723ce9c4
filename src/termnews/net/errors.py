"""Fetch errors with one-line messages, and mapping httpx failures to them.

Kept apart from the client so the CLI can catch them without importing httpx.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from termnews.errors import TermnewsError
from termnews.net.decode import ContentDecodingError

# --- errors ----------------------------------------------------------------------


class FetchError(TermnewsError):
    """A download failed; ``str()`` is one short line fit to show a user."""


class InvalidURL(FetchError):
    """Not a fetchable URL: bad syntax, no host, or a scheme other than http/https."""


class NetworkUnavailable(FetchError):
    """The host could not be reached at all: when every source fails so, the network is down."""


class DNSError(NetworkUnavailable):
    """The host name does not resolve."""


class ConnectError(NetworkUnavailable):
    """The connection was refused, reset or otherwise failed."""


class FetchTimeout(NetworkUnavailable):
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
