"""feedparser, imported once and set up for termnews (the RSS/Atom parser and ``fastrss``).

Two settings: ids are not URIs (feedparser would resolve ``<guid>12345</guid>``
against the feed's address, an identity that changes when the feed moves), and
no ``chardet``: feedparser imports it to guess encodings, but it is only ever
handed UTF-8 that says so (``parse`` decodes by its own rules first), so the
guesser is never asked, and its import was a sixth of feedparser's.
"""

from __future__ import annotations

import sys
from typing import Any

_GUESSERS = ("cchardet", "chardet")


def feedparser() -> Any:
    """The feedparser module, set up (imported on first use: ~0.1 s)."""
    blocked = [] if "feedparser" in sys.modules else [n for n in _GUESSERS if n not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]  # "import chardet" fails here
    try:
        import feedparser as module
        import feedparser.mixin
    finally:
        for name in blocked:  # anyone else may still import them
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    mixin = getattr(feedparser.mixin, "_FeedParserMixin", None)  # feedparser 6.x
    uris = getattr(mixin, "can_be_relative_uri", None)
    if isinstance(uris, set) and "id" in uris:
        mixin.can_be_relative_uri = uris - {"id"}  # type: ignore[union-attr]
    return module
