"""What opening a post without a downloaded article needs, imported once the reader is up.

A post whose page was never downloaded (``prefetch = "off"``, offline, or not
yet fetched) opens with the feed's own text, made a document by
``termnews.extract.fallback``; importing it (lxml.html, the block conversion)
took 60–100 ms of the first such open. It is imported in a thread shortly
after the first frame, while the reader waits for a key: the UI thread keeps
serving keys, and an open that comes first simply imports it itself.
"""

from __future__ import annotations

import threading

DELAY = 0.15  # seconds after mounting: after the first frame and the counts that follow it


def start() -> threading.Thread:
    """Start the imports in a daemon thread (the reader's quick exit never waits for it)."""
    thread = threading.Thread(target=_import, name="termnews-preimport", daemon=True)
    thread.start()
    return thread


def _import() -> None:
    import termnews.extract.fallback  # noqa: F401
