"""Feeds and sites: parsing RSS, Atom and JSON Feed, and reading feedless sites."""

from __future__ import annotations

from typing import Any

__all__ = ["looks_like_feed", "parse_feed"]


def __getattr__(name: str) -> Any:
    """``termnews.feeds.parse_feed`` and ``looks_like_feed``, imported on first use
    (so importing the package for ``discover`` does not load the feed parser)."""
    if name in __all__:
        from termnews.feeds import parse

        return getattr(parse, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
