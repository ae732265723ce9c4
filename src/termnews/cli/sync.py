"""``termnews sync [login|logout]``: the account's login, a sync with a progress bar, a summary.

The password is read (``password_command`` or ``$TERMNEWS_SYNC_PASSWORD``) only
to log in and is never printed; errors are one line from the sync layer.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO

from termnews.cli.context import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Context, error

if TYPE_CHECKING:
    from termnews.service import PrefetchSummary, SyncProgress, SyncSummary


def cmd_sync(args: argparse.Namespace, ctx: Context) -> int:
    """Log in, log out, or sync now (then download saved and new articles)."""
    from termnews.sync import login, logout
    from termnews.sync.account import load_token

    service = ctx.service
    config = service.config.sync
    data_dir = service.store.path.parent
    if args.action == "logout":
        print("Logged out." if logout(data_dir) else "Not logged in.")
        return EXIT_OK
    if config is None:
        error("no [sync] section in config.toml (see the README, Sync)")
        return EXIT_USAGE
    if args.action == "login" or load_token(data_dir, config) is None:
        path = ctx.run(login(config, service.config.network, data_dir))
        print(f"Logged in to {config.url} as {config.user} (token in {path}).")
        if args.action == "login":
            return EXIT_OK
    with SyncReporter() as reporter:
        summary, prefetched = ctx.run(_sync_and_download(ctx, reporter))
    print(format_sync(summary))
    if prefetched.fetched or prefetched.failed:
        print(
            f"Downloaded {prefetched.fetched} articles for offline reading"
            f" ({prefetched.failed} could not be fetched; retried later)."
        )
    return EXIT_FAILED if summary.error else EXIT_OK


async def _sync_and_download(
    ctx: Context, reporter: SyncReporter
) -> tuple[SyncSummary, PrefetchSummary]:
    summary = await ctx.service.sync(reporter.update)
    reporter.stop()
    return summary, await ctx.service.prefetch()


def format_sync(summary: SyncSummary) -> str:
    """The one-line summary of a sync (or its error, with what stays queued)."""
    queued = f"; {summary.queued} local changes queued" if summary.queued else ""
    if summary.error:
        return f"Sync failed: {summary.error}{queued}"
    return (
        f"Synced {summary.subscriptions} subscriptions: {summary.new_items} new items,"
        f" {summary.pulled_changes} changes pulled, {summary.pushed_changes} pushed{queued}."
    )


class SyncReporter:
    """A live bar per stage on a terminal; nothing but the summary otherwise."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty()
        self._progress: Any = None
        self._task: Any = None
        self._stage = ""

    def __enter__(self) -> SyncReporter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Take the bar off the screen."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def update(self, event: object) -> None:
        """One progress event of the sync."""
        from termnews.service import SyncProgress

        if not self.interactive or not isinstance(event, SyncProgress):
            return
        if event.stage != self._stage:
            self._start(event)
        if self._progress is not None:
            self._progress.update(self._task, completed=event.done, total=event.total)

    def _start(self, event: SyncProgress) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        from termnews.service.results import SYNC_STAGES

        self.stop()
        self._stage = event.stage
        label = SYNC_STAGES.get(event.stage, "Syncing")
        self._progress = Progress(
            TextColumn(label),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(file=self.stream),
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task(label, total=event.total)
