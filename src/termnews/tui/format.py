"""Small text formatters for the UI: relative ages, counts, one-line safe labels."""

from __future__ import annotations

from datetime import UTC, datetime

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def relative_age(timestamp: float | None, now: datetime) -> str:
    """A short age like a mail client shows: "now", "5m", "2h", "3d", "Nov 6", "Nov 2023".

    Short so the sidebar's second line leaves room for the source name.
    """
    if timestamp is None:
        return ""
    seconds = now.timestamp() - timestamp
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h"
    if seconds < 7 * 86400:
        return f"{int(seconds // 86400)}d"
    when = datetime.fromtimestamp(timestamp, UTC)
    if when.year == now.year or seconds < 300 * 86400:
        return f"{_MONTHS[when.month - 1]} {when.day}"
    return f"{_MONTHS[when.month - 1]} {when.year}"


def long_date(when: datetime | None) -> str:
    """A date for the article header: "6 Nov 2024"."""
    if when is None:
        return ""
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year}"


def count(n: int) -> str:
    """Thousands separated with commas, as in "1,204"."""
    return f"{n:,}"


def is_web_url(url: str) -> bool:
    """Whether the browser may be given ``url``: only http and https ever go there."""
    return url.lower().startswith(("http://", "https://"))
