"""Fetch errors with one-line messages, URL validation, and mapping httpx failures to them.

Kept apart from the client so the CLI can check a URL without importing it.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urljoin, urlsplit, urlunsplit

from termnews.decode import ContentDecodingError
from termnews.errors import TermnewsError

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
# Controls, spaces, quotes and angle brackets, C1 controls, and the bidi overrides
# and isolates that could make a URL read differently from where it leads.
_BAD_URL_CHARS = re.compile('[\x00-\x20\x7f-\x9f<>"\u202a-\u202e\u2066-\u2069]')
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


def resolve_url(link: str | None, base: str) -> str:
    """``link`` made absolute against ``base`` and validated; "" when it is no http(s) URL."""
    if not link or not isinstance(link, str):
        return ""
    try:
        return validate_url(urljoin(base, link.strip()))
    except (InvalidURL, ValueError):
        return ""


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
