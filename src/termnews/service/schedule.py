"""When each source is refreshed next: the configured interval, stretched for sources that
publish rarely, never before a server's Retry-After, backing off while a source fails.

Pure functions over a source and the publication times of its newest posts, so the
CLI's ``refresh --due`` (a cron line every few minutes), ``list`` and the reader's
timer all follow one schedule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from termnews.models import Source

MAX_INTERVAL = timedelta(hours=12)  # even a quiet blog is looked at twice a day
MAX_BACKOFF = timedelta(hours=24)  # a source failing for days is tried daily
STRETCH = 4  # poll about four times per typical gap between two posts


def refresh_interval(published: Sequence[float], base: timedelta) -> timedelta:
    """How often to look at a source whose newest posts were published at ``published``.

    A quarter of the median gap between posts, never below ``base`` (the user's
    ``refresh_interval_minutes``) nor above ``MAX_INTERVAL``: a feed that posts
    weekly is looked at twice a day, one that posts hourly every ``base``.
    """
    times = sorted(published, reverse=True)
    gaps = [a - b for a, b in zip(times, times[1:], strict=False) if a > b]
    if len(gaps) < 2:
        return base  # too little history to judge: the plain interval
    gaps.sort()  # their median (statistics, with fractions and decimal, is a refresh's 1%)
    middle = len(gaps) // 2
    median = gaps[middle] if len(gaps) % 2 else (gaps[middle - 1] + gaps[middle]) / 2
    stretched = timedelta(seconds=median / STRETCH)
    return max(base, min(stretched, max(base, MAX_INTERVAL)))


def next_refresh(source: Source, published: Sequence[float], base: timedelta) -> datetime | None:
    """When ``source`` is due next; None when it was never fetched (due at once).

    After an error the wait grows with how long the source has been failing (as
    long again, between ``base`` and ``MAX_BACKOFF``); a server's Retry-After is
    never undercut.
    """
    last_ok, last_error = source.last_refresh, source.last_error_at
    if last_ok is None and last_error is None:
        return None
    if last_error is not None and (last_ok is None or last_error > last_ok):
        failing_for = last_error - last_ok if last_ok is not None else base
        due = last_error + min(max(base, failing_for), max(base, MAX_BACKOFF))
    else:
        assert last_ok is not None
        due = last_ok + refresh_interval(published, base)
    if source.retry_after is not None and source.retry_after > due:
        due = source.retry_after
    return due


def next_refreshes(
    sources: Sequence[Source], history: Mapping[int, Sequence[float]], base: timedelta
) -> dict[int, datetime | None]:
    """``next_refresh`` of each source, by id, from the store's ``publish_history``."""
    return {s.id: next_refresh(s, history.get(s.id, ()), base) for s in sources}
