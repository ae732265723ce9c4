"""Sync errors: one line each, so the CLI and the reader's status line can show them as they are."""

from __future__ import annotations

from termnews.errors import TermnewsError


class SyncError(TermnewsError):
    """The sync server could not do what was asked; the local cache is untouched."""


class SyncAuthError(SyncError):
    """The server refused the user, the password or the stored session."""


class SyncUnreachable(SyncError):
    """The server could not be reached (down, refused, timed out): changes stay queued."""


class SyncServerError(SyncError):
    """The server failed (HTTP 5xx): try again later, nothing is dropped."""


class SyncRateLimited(SyncError):
    """The server asked termnews to slow down (HTTP 429 or 503 with Retry-After)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
