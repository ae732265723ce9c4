"""Small text formatters for the UI: counts (dates and ages live in ``termnews.dates``)."""

from __future__ import annotations


def count(n: int) -> str:
    """Thousands separated with commas, as in "1,204"."""
    return f"{n:,}"
