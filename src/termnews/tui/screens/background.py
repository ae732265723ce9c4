"""The main screen's background work: refresh, prune and prefetch, the network's state,
and noticing posts that another process (a cron ``termnews refresh``) wrote.

Kept apart from the layout and key handling of ``main.py``. Everything here runs
in workers or timers, so the UI never waits for the network or a big query.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

from termnews.text import clean_line
from termnews.tui.format import count

if TYPE_CHECKING:
    from termnews.service import RefreshSummary
    from termnews.tui.screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object

# Error classes (``SourceResult.error_kind``) that mean "no network", not "a broken site".
NETWORK_ERRORS = frozenset({"ConnectError", "DNSError", "FetchTimeout"})


def network_unreachable(summary: RefreshSummary) -> bool:
    """True when every source that was tried failed at the connection level.

    Sources skipped without a request (a server's Retry-After) do not count either way.
    """
    tried = [r for r in summary.results if r.error is None or r.error_kind is not None]
    return bool(tried) and all(r.error_kind in NETWORK_ERRORS for r in tried)


class BackgroundWork(_Base):
    """Mixin of the main screen's workers: refresh → prune → prefetch, offline, polling."""

    # How often to look for another process's commits; a PRAGMA costs microseconds.
    POLL_SECONDS = 5.0

    # -- the network's state -----------------------------------------------------------

    def needs_network(self, what: str) -> bool:
        """False, after saying so in one line, when ``--offline`` forbids the network.

        When the network merely failed (``network_down``) the action is still tried:
        a success is how termnews finds out that it is back.
        """
        if self.service.offline:
            self.notify(f"Offline: {what} needs the network.", markup=False)
            return False
        return True

    def network_failed(self, detail: str = "") -> None:
        """Show "offline (network unreachable)" and say so once, in one line."""
        if self.network_down:
            self.notify("Still offline: the network is unreachable.", markup=False)
            return
        self.network_down = True
        self.status.set(unreachable=True)
        why = f" ({clean_line(detail)})" if detail else ""
        self.notify(
            f"Network unreachable{why}: reading from the cache.", severity="warning", markup=False
        )

    def network_error(self, exc: Exception) -> None:
        """One line for a failed network action; a dead network turns on offline."""
        if type(exc).__name__ in NETWORK_ERRORS:
            self.network_failed(str(exc))
        else:
            self.notify(clean_line(str(exc)), severity="error", markup=False)

    def network_ok(self) -> None:
        """A network action worked: clear the automatic offline state."""
        if self.network_down:
            self.network_down = False
            self.status.set(unreachable=False)
            self.notify("Back online.", markup=False)

    # -- refresh -----------------------------------------------------------------------

    async def refresh_sources(self, sources: list[Any] | None) -> None:
        """Refresh in the background, showing "3/40 sources" and merging new posts.

        Then prune old posts and download articles for offline reading.
        """
        total = len(sources) if sources is not None else len(self.store.sources())
        if total == 0:
            self.notify("No sources yet: press a to add one.", markup=False)
            return
        self.workers.cancel_group(self, "prefetch")  # it restarts after this refresh
        self.status.set(activity=f"Refreshing 0/{total} sources", errors=0)
        failures = 0

        def progress(p: Any) -> None:
            nonlocal failures
            failures += 1 if p.error else 0
            self.status.set(activity=f"Refreshing {p.done}/{p.total} sources", errors=failures)

        try:
            summary = await self.service.refresh(sources, progress=progress)
        except Exception as exc:
            self.status.set(activity="")
            self.notify(clean_line(str(exc)), severity="warning", markup=False)
            return
        if network_unreachable(summary):
            self.status.set(activity="", errors=0)
            self.network_failed(summary.failed[0].error or "")
            return
        self.network_ok()
        new = summary.new_posts
        self.refresh_outcome = (
            f"{count(new)} new post{'s' if new != 1 else ''}" if new else "Up to date"
        )
        self.status.set(activity=self.refresh_outcome, errors=len(summary.failed))
        if summary.failed:
            first = summary.failed[0]
            more = f" (and {len(summary.failed) - 1} more)" if len(summary.failed) > 1 else ""
            self.notify(
                f"{clean_line(first.source.title)}: {clean_line(first.error or '')}{more}",
                severity="warning",
                markup=False,
            )
        await self.reload_posts()
        self.start_prefetch()

    # -- prune and prefetch ----------------------------------------------------------

    def start_prefetch(self) -> None:
        """Prune, then download articles for offline reading, in the background."""
        if self.service.offline or self.network_down:
            return
        self.run_worker(
            self._prune_and_prefetch(),
            group="prefetch",
            exclusive=True,
            exit_on_error=False,
            description="prune and prefetch",
        )

    async def _prune_and_prefetch(self) -> None:
        try:
            pruned = await asyncio.to_thread(self.service.prune)
        except Exception:  # a locked database: prune next time
            pruned = 0
        if pruned:
            await self.reload_posts()

        def progress(done: int, total: int) -> None:
            self.status.set(activity=f"Downloading articles {done}/{total}")
            # Rows cache their "available offline" marker: re-read the visible ones.
            self.post_list.invalidate()

        try:
            summary = await self.service.prefetch(progress)
        except Exception as exc:  # prefetch should not raise; never a traceback
            self.status.set(activity=self.refresh_outcome)
            self.notify(clean_line(str(exc)), severity="warning", markup=False)
            return
        self.post_list.invalidate()
        outcome = self.refresh_outcome
        if summary.fetched:
            self.network_ok()
            got = f"{count(summary.fetched)} article{'s' if summary.fetched != 1 else ''}"
            outcome = f"{outcome} · {got} downloaded" if outcome else f"{got} downloaded"
        self.status.set(activity=outcome)

    # -- another process's writes ------------------------------------------------------

    def start_watching_writes(self) -> None:
        """Poll ``PRAGMA data_version``: it changes when another connection commits."""
        self._data_version = self._read_data_version()
        self.set_interval(self.POLL_SECONDS, self.check_external_writes, name="data-version")

    def _read_data_version(self) -> int | None:
        with contextlib.suppress(Exception):
            return int(self.store.conn.execute("PRAGMA data_version").fetchone()[0])
        return None

    def check_external_writes(self) -> None:
        """Merge in posts written elsewhere, without moving the cursor.

        Our own worker threads use other connections, so their commits count too;
        while our refresh runs it reloads at the end anyway, so skip until then.
        """
        version = self._read_data_version()
        if version is None or version == self._data_version:
            return
        self._data_version = version
        busy = any(w.group == "refresh" and not w.is_finished for w in self.workers)
        if not busy:
            self.run_worker(self.reload_posts(), group="list", exclusive=True, exit_on_error=False)
