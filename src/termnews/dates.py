"""Time in one place: the clock the core reads (tests set it) and date conversions."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """The current time in UTC: the default ``Clock``."""
    return datetime.now(UTC)


def to_timestamp(value: datetime | None) -> float | None:
    """Seconds since the epoch, or None; how the store keeps every time."""
    return value.timestamp() if value else None


def from_timestamp(value: float | None) -> datetime | None:
    """A stored timestamp back as an aware UTC datetime (None stays None)."""
    return datetime.fromtimestamp(value, UTC) if value is not None else None


# -- parsing ---------------------------------------------------------------------------

# Written dates as pages print them ("November 6, 2026", "6 Nov 2026", "Nov. 6, 2026").
_WRITTEN_DATES = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%b. %d, %Y")
_DAY_PREFIX = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MAX_DATE_TEXT = 64
_LEAP_SECOND = re.compile(r"(?<=\d\d:\d\d):60(?!\d)")
_COMMA_NO_SPACE = re.compile(r"^([A-Za-z]{3,9}),(?=\d)")
_FULL_MONTH = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?(?=[\s-]\d)", re.IGNORECASE
)
# Zone names feeds use that RFC 2822 does not define (it knows UT, GMT, Z and the
# North American ones), so "CEST" is not read as UTC. Ambiguous names (IST: India,
# Ireland or Israel; BST: Britain or Bangladesh) are left out: read as UTC, as before.
_ZONES = {
    "UTC": "+0000", "WET": "+0000", "WEST": "+0100", "CET": "+0100",
    "CEST": "+0200", "MET": "+0100", "MEST": "+0200", "EET": "+0200", "EEST": "+0300",
    "MSK": "+0300", "SGT": "+0800", "HKT": "+0800", "AWST": "+0800",
    "JST": "+0900", "KST": "+0900", "ACST": "+0930", "AEST": "+1000", "AEDT": "+1100",
    "NZST": "+1200", "NZDT": "+1300", "HST": "-1000", "AKST": "-0900", "AKDT": "-0800",
    "NST": "-0330", "NDT": "-0230", "BRT": "-0300", "ART": "-0300",
    # as feedparser reads them, so both parsers agree
    "ET": "-0500", "CT": "-0600", "MT": "-0700", "PT": "-0800", "AT": "-0400",
    "A": "-0100", "N": "+0100", "M": "-1200", "Y": "+1200",
}  # fmt: skip
_RFC2822_ZONES = {"UT", "UTC", "GMT", "Z", "AST", "ADT", "EST", "EDT", "CST", "CDT", "MST", "MDT",
                  "PST", "PDT"}  # fmt: skip
_ZONE_NAME = re.compile(r"\s([A-Za-z]{1,5})$")


def parse_date(value: object, *, loose: bool = True) -> datetime | None:
    """An aware UTC datetime from ISO 8601, RFC 2822 or a written date; else None.

    Lenient as feed readers are: a space or a lowercase ``t`` for ``T``, no
    seconds, a leap second (read as :59), ``Mon,02 January 2006``, common zone
    names (``CEST``). Naive times are taken as UTC. ``loose=False`` refuses the
    day-only readings (written dates, a leading ``YYYY-MM-DD``), for callers
    with a better parser to fall back on. A date that cannot be represented
    (year 0, …) is None: the post is undated, nothing else changes. Never raises.
    """
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not text or len(text) > _MAX_DATE_TEXT:
        return None
    text = _LEAP_SECOND.sub(":59", text)
    parsed = _iso(text) or _rfc2822(text, strict=not loose)
    if parsed is None and loose:
        parsed = _written(text)
        if parsed is None and (match := _DAY_PREFIX.match(text)):
            with suppress(ValueError):
                parsed = datetime(int(match[1]), int(match[2]), int(match[3]))
    return as_utc(parsed)


def as_utc(value: datetime | None) -> datetime | None:
    """``value`` as an aware UTC datetime with a timestamp, or None when it has none."""
    if value is None:
        return None
    try:
        when = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        when.timestamp()  # what the store keeps: it must exist
    except (OverflowError, ValueError, OSError):
        return None
    return when


def from_struct_time(value: object) -> datetime | None:
    """feedparser's dates: a ``time.struct_time`` already shifted to UTC."""
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)  # type: ignore[arg-type]
    except (OverflowError, ValueError, OSError, TypeError):
        return None


def _iso(text: str) -> datetime | None:
    if not text[:4].isdigit():
        return None
    candidate = text[:-1] + "+00:00" if text[-1] in "Zz" else text
    candidate = candidate.replace(" ", "T", 1) if len(candidate) > 10 else candidate
    try:
        return datetime.fromisoformat(candidate.replace("t", "T", 1))
    except ValueError:
        return None


def _rfc2822(text: str, *, strict: bool = False) -> datetime | None:
    """RFC 2822, leniently; ``strict`` refuses a zone name it cannot read (rather than UTC)."""
    text = _FULL_MONTH.sub(lambda m: m[1], _COMMA_NO_SPACE.sub(r"\1, ", text))
    if zone := _ZONE_NAME.search(text):
        name = zone[1].upper()
        if name in _ZONES:
            text = text[: zone.start(1)] + _ZONES[name]
        elif strict and name not in _RFC2822_ZONES:
            return None
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _written(text: str) -> datetime | None:
    for fmt in _WRITTEN_DATES:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


# -- formatting ------------------------------------------------------------------------

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def long_date(when: datetime | None) -> str:
    """``6 Nov 2024``: short, unambiguous, the same in every locale."""
    if when is None:
        return ""
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year}"


def short_age(timestamp: float | None, now: datetime) -> str:
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


def time_until(value: datetime | None, now: datetime) -> str:
    """When something is due, for the CLI: "now", "in 25 min", "in 3 h", "2026-11-07"."""
    if value is None or value <= now:
        return "now"
    seconds = (value - now).total_seconds()
    if seconds < 3600:
        return f"in {max(1, round(seconds / 60))} min"
    if seconds < 86400:
        return f"in {round(seconds / 3600)} h"
    return value.astimezone().strftime("%Y-%m-%d")


def time_ago(value: datetime | None, now: datetime) -> str:
    """A short, human time for the CLI: "just now", "5 min ago", "3 h ago", "2026-11-06"."""
    if value is None:
        return "never"
    seconds = (now - value).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return value.astimezone().strftime("%Y-%m-%d")
