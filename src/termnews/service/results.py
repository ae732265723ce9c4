"""What the service's operations report: progress events and summaries, plain data."""

from __future__ import annotations

from dataclasses import dataclass, field

from termnews.models import Source


@dataclass(frozen=True, slots=True)
class RefreshProgress:
    """Reported after each source finishes: how far the refresh is."""

    done: int
    total: int
    source: Source
    error: str | None
    new_posts: int


@dataclass(frozen=True, slots=True)
class SourceResult:
    """The outcome of refreshing one source."""

    source: Source
    new_posts: int = 0
    error: str | None = None
    not_modified: bool = False
    error_kind: str | None = None  # the error's class name ("ConnectError"), for the UI
    unreachable: bool = False  # the host could not be reached at all (NetworkUnavailable)
    tried: bool = True  # False when skipped without a request (a server's Retry-After)
    note: str | None = None  # what the fetch left out: "2 items skipped (…)"


@dataclass(frozen=True, slots=True)
class RefreshSummary:
    """The outcome of a whole refresh."""

    results: list[SourceResult] = field(default_factory=list)

    @property
    def new_posts(self) -> int:
        return sum(r.new_posts for r in self.results)

    @property
    def failed(self) -> list[SourceResult]:
        return [r for r in self.results if r.error]

    @property
    def not_modified(self) -> int:
        return sum(1 for r in self.results if r.not_modified)

    @property
    def network_unreachable(self) -> bool:
        """True when every source that was tried failed at the connection level.

        Sources skipped without a request (a server's Retry-After) count neither way.
        """
        tried = [r for r in self.results if r.tried]
        return bool(tried) and all(r.unreachable for r in tried)


@dataclass(frozen=True, slots=True)
class PrefetchSummary:
    """How many article pages a prefetch stored, and how many failed (retried later)."""

    fetched: int = 0
    failed: int = 0


@dataclass(frozen=True, slots=True)
class PrefetchProgress:
    """Reported after each article page of a prefetch: ``done`` of ``total``."""

    done: int
    total: int


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """Reported as a sync goes: ``stage`` ("subscriptions", "items", "states", "pushed")."""

    stage: str
    done: int
    total: int


# What each ``SyncProgress.stage`` is called where progress is shown.
SYNC_STAGES = {
    "subscriptions": "Syncing subscriptions",
    "items": "Pulling items",
    "pushed": "Pushing changes",
}


@dataclass(frozen=True, slots=True)
class SyncSummary:
    """What a sync did; ``error`` is its one-line failure (the cache is untouched then)."""

    subscriptions: int = 0
    new_items: int = 0
    pulled_changes: int = 0
    pushed_changes: int = 0
    queued: int = 0  # local changes still waiting for the server
    error: str | None = None


@dataclass(frozen=True, slots=True)
class UpdateSummary:
    """What ``Service.update`` did: the refresh, the pruning and the prefetch after it.

    ``prefetch`` is None when it did not run (no network, or nothing to download).
    """

    refresh: RefreshSummary
    pruned: int = 0
    prefetch: PrefetchSummary | None = None
    sync: SyncSummary | None = None  # None when no sync account is set up


# What ``Service.update`` reports as it goes: each source refreshed, the refresh as a
# whole (posts can be shown now), then each article downloaded. With a sync account,
# the sync's progress and its summary come first.
UpdateEvent = RefreshProgress | RefreshSummary | PrefetchProgress | SyncProgress | SyncSummary


@dataclass(slots=True)
class ImportResult:
    """What an OPML import did: sources added, already followed, skipped as unusable."""

    added: list[Source] = field(default_factory=list)
    known: int = 0
    skipped: int = 0
