"""The reader's side of ``Service.update``: progress in the status bar, the network's state.

``UpdateReport`` and ``NetworkState`` are plain data in, words out, so the wording
is tested without an app; ``Updates`` runs an update for the main screen and
shows them. Events it does not know (a later sync step, say) are ignored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from termnews.errors import TermnewsError
from termnews.service import (
    PrefetchProgress,
    RefreshProgress,
    RefreshSummary,
    SyncProgress,
    SyncSummary,
    UpdateSummary,
)
from termnews.service.results import SYNC_STAGES
from termnews.text import clean_line
from termnews.tui.format import count

if TYPE_CHECKING:
    from termnews.models import Source
    from termnews.service import Service
    from termnews.tui.widgets.status_bar import StatusBar


def _plural(n: int, word: str) -> str:
    return f"{count(n)} {word}{'s' if n != 1 else ''}"


@dataclass
class UpdateReport:
    """The status fields of one update: activity words and the number of failed sources."""

    activity: str = ""
    errors: int = 0
    outcome: str = ""  # "3 new posts" / "Up to date": what the refresh found
    refreshed: RefreshSummary | None = None
    sync_error: str | None = None  # the sync's one-line failure (the cache still reads)

    @classmethod
    def starting(cls, total: int) -> UpdateReport:
        return cls(activity=f"Refreshing 0/{total} sources")

    def feed(self, event: object) -> None:
        """Take one event of ``Service.update`` (unknown kinds change nothing)."""
        if isinstance(event, RefreshProgress):
            self.errors += 1 if event.error else 0
            self.activity = f"Refreshing {event.done}/{event.total} sources"
        elif isinstance(event, RefreshSummary):
            self.refreshed = event
            if event.network_unreachable:
                self.activity, self.errors = "", 0
                return
            new = event.new_posts
            self.outcome = _plural(new, "new post") if new else "Up to date"
            self.activity, self.errors = self.outcome, len(event.failed)
        elif isinstance(event, PrefetchProgress):
            self.activity = f"Downloading articles {event.done}/{event.total}"
        elif isinstance(event, SyncProgress):
            what = SYNC_STAGES.get(event.stage, "Syncing")
            self.activity = f"{what} {event.done}/{event.total}" if event.total else what
        elif isinstance(event, SyncSummary) and event.error:
            self.sync_error = event.error

    def finish(self, summary: UpdateSummary) -> None:
        """The last words: what the refresh found and how many articles were downloaded."""
        fetched = summary.prefetch.fetched if summary.prefetch is not None else 0
        if summary.refresh.network_unreachable:
            return
        got = f"{_plural(fetched, 'article')} downloaded" if fetched else ""
        self.activity = " · ".join(part for part in (self.outcome, got) if part)

    def failure_line(self) -> str | None:
        """ "Broken: HTTP 500 (and 2 more)": the refresh's failures in one line, if any."""
        if self.sync_error:
            return f"Sync: {clean_line(self.sync_error)}"
        failed = self.refreshed.failed if self.refreshed is not None else []
        if not failed:
            return None
        more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
        return f"{clean_line(failed[0].source.title)}: {clean_line(failed[0].error or '')}{more}"


@dataclass
class NetworkState:
    """Whether the network is down, judged from refreshes of the sources only.

    One page that fails (a followed link, a page to save) says nothing about the
    network: only a refresh in which no source reached its host turns this on.
    """

    down: bool = False

    def judge(self, summary: RefreshSummary) -> str | None:
        """Take a refresh's outcome; the one line to show when the state changed or stays down."""
        if summary.network_unreachable:
            if self.down:
                return "Still offline: the network is unreachable."
            self.down = True
            first = summary.failed[0].error if summary.failed else ""
            why = f" ({clean_line(first)})" if first else ""
            return f"Network unreachable{why}: reading from the cache."
        if self.down:
            self.down = False
            return "Back online."
        return None


class Updates:
    """Runs ``Service.update`` for the main screen (in its worker) and tells how it goes.

    The status bar shows the progress; ``notify`` says what the user should know
    (the network's state, failed sources); ``merge`` is called when the refresh's
    new posts can be shown and ``rows_changed`` when a download changed a row.
    """

    def __init__(
        self,
        service: Service,
        status: StatusBar,
        notify: Callable[..., Any],
        *,
        merge: Callable[[], object],
        rows_changed: Callable[[], object],
    ) -> None:
        self.service = service
        self.status = status
        self.notify = notify
        self.merge = merge
        self.rows_changed = rows_changed
        self.network = NetworkState()
        self.outcome = ""  # "3 new posts": what the status says once the work is done

    async def run_if_due(self, now: datetime) -> None:
        """At start-up: everything, when the last refresh is older than the interval."""
        if await asyncio.to_thread(self.service.due_for_refresh, now):
            await self.run(None)

    async def run_due(self) -> None:
        """While the reader is open: the sources whose schedule says they are due."""
        due = await asyncio.to_thread(self.service.due_sources)
        if due:
            await self.run(due)

    async def run(self, sources: Sequence[Source] | None) -> UpdateSummary | None:
        """Refresh, prune and prefetch; new posts merge in as soon as the refresh is done."""
        total = len(sources) if sources is not None else len(self.service.store.sources())
        if total == 0 and (sources is not None or self.service.config.sync is None):
            self.notify("No sources yet: press a to add one.")
            return None  # (with a sync account, the first sync brings the sources)
        report = UpdateReport.starting(total)
        self.status.activity, self.status.errors = report.activity, 0

        def progress(event: object) -> None:
            report.feed(event)
            self.status.activity, self.status.errors = report.activity, report.errors
            if isinstance(event, RefreshSummary):
                self._refreshed(report, event)
            elif isinstance(event, PrefetchProgress):
                self.rows_changed()  # rows cache their "available offline" marker

        try:
            summary = await self.service.update(sources, progress)
        except TermnewsError as exc:
            self.status.activity = ""
            self.notify(clean_line(str(exc)), severity="warning")
            return None
        report.finish(summary)
        self.outcome = report.outcome
        self.status.activity = report.activity
        self.rows_changed()
        if summary.pruned:
            self.merge()
        return summary

    def _refreshed(self, report: UpdateReport, summary: RefreshSummary) -> None:
        """The refresh is done: the network's state, failures, and the new posts."""
        words = self.network.judge(summary)
        self.status.unreachable = self.network.down
        if words:
            self.notify(words, severity="warning" if self.network.down else "information")
        if not self.network.down:
            if failures := report.failure_line():
                self.notify(failures, severity="warning")
            self.merge()
