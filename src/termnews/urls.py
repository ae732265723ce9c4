"""URLs from the web: validating, resolving against a base, and telling web links apart.

Only ``http`` and ``https`` are ever fetched or opened; every helper here says no
to ``file:``, ``data:``, ``javascript:`` and the rest.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

from termnews.net.errors import InvalidURL

# Whitespace, controls and the characters that can never appear even in sloppy URLs.
# Controls, spaces, quotes and angle brackets, C1 controls, and the bidi overrides
# and isolates that could make a URL read differently from where it leads.
_BAD_URL_CHARS = re.compile('[\x00-\x20\x7f-\x9f<>"\u202a-\u202e\u2066-\u2069]')
# The ASCII characters a host never has (anything but letters, digits and ``-._[]:``);
# spelled as ASCII ranges, since a class reaching U+10FFFF costs ~10 ms to compile.
_BAD_HOST_CHARS = re.compile(r"[\x00-,/;-@\\^`{-\x7f]")
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


def absolute_http(src: str, base: str) -> str | None:
    """``src`` resolved against ``base`` when the result is an http(s) URL, else None."""
    if not src:
        return None
    try:
        absolute = urljoin(base, src.strip())
        scheme = urlsplit(absolute).scheme
    except ValueError:
        return None
    return absolute if scheme in ("http", "https") else None


def is_web_url(url: str | None) -> bool:
    """True for an absolute ``http``/``https`` URL with a host: the only kind a browser gets."""
    if not url:
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
