"""What the first article needs, imported once the reader is up, in a thread.

Opening the first post imports its layout (``widgets.article_layout`` with the
CLI's renderer) and, for a post whose page was never downloaded (``prefetch =
"off"``, offline, not yet fetched), the converter that makes the feed's own
text a document (``termnews.extract.fallback``: lxml.html, the block
conversion, 60–100 ms). Both are imported in a thread shortly after the first
frame, while the reader waits for a key: the UI thread keeps serving keys, and
an open that comes first simply imports what it needs itself.
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
    import termnews.tui.widgets.article_layout  # noqa: F401
