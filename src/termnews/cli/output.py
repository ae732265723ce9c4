"""What the command line prints: source tables, refresh progress and summaries, documents.

Web text reaching the terminal here is already sanitised by the store; it is
printed as plain text (never through Rich markup).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

from termnews.dates import time_ago, time_until
from termnews.text import clean_line, truncate

if TYPE_CHECKING:
    from termnews.document import Document
    from termnews.models import Source
    from termnews.service import RefreshProgress, RefreshSummary, UpdateEvent, UpdateSummary
    from termnews.store import SearchHit


def format_sources(
    sources: list[Source],
    counts: dict[int, int],
    now: datetime,
    next_refresh: dict[int, datetime | None] | None = None,
) -> str:
    """``termnews list``: one block per source with its counts, refresh and error."""
    if not sources:
        return "No sources yet: add one with `termnews add URL`."
    lines = []
    for s in sources:
        kind = s.kind if s.kind == "feed" or not s.feed_url else "site+feed"
        lines.append(f"[{s.id}] {truncate(s.title, 60)}  ({kind})")
        lines.append(f"    {clean_line(s.url)}")
        if s.feed_url and s.feed_url != s.url:
            lines.append(f"    feed: {clean_line(s.feed_url)}")
        count = counts.get(s.id, 0)
        posts = "1 post" if count == 1 else f"{count} posts"
        status = f"    {posts} · refreshed {time_ago(s.last_refresh, now)}"
        if next_refresh is not None:
            status += f" · next {time_until(next_refresh.get(s.id), now)}"
        if s.tags:
            status += " · tags: " + ", ".join(s.tags)
        lines.append(status)
        if s.fetch_note:
            lines.append(f"    last fetch: {clean_line(s.fetch_note)}")
        if s.last_error:
            failed = time_ago(s.last_error_at, now)
            lines.append(f"    last error ({failed}): {clean_line(s.last_error)}")
    return "\n".join(lines)


def format_hits(hits: list[SearchHit]) -> str:
    """``termnews search``: title, source, date and a snippet per hit."""
    out = []
    for hit in hits:
        star = "★ " if hit.is_saved else ""
        date = hit.published.astimezone().strftime("%Y-%m-%d") if hit.published else ""
        out.append(f"{star}{hit.title}")
        out.append(f"    {hit.source_title or 'library'} · {date} · {clean_line(hit.url)}")
        if hit.snippet:
            out.append(f"    {hit.snippet}")
    return "\n".join(out)


def format_document(
    document: Document, fmt: str, *, width: int | None = None, links: bool = True
) -> str:
    """``termnews read``: the document as plain text (wrapped to ``width``), Markdown or JSON."""
    if fmt == "json":
        return json.dumps(document.to_dict(), ensure_ascii=False, indent=2) + "\n"
    from termnews.formats.plain import document_to_markdown, document_to_text

    if fmt == "markdown":
        text = document_to_markdown(document)
    else:
        text = document_to_text(document, width=width, links=links)
    return text if text.endswith("\n") else text + "\n"


class UpdateReporter:
    """Refresh progress: a live bar on a terminal, one plain line per source otherwise.

    Fed the events of ``Service.update``: sources as they finish, the refresh's
    summary (printed at once), then the article downloads (a second bar).
    """

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty()
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> UpdateReporter:
        self._start_bar("Refreshing", self.total)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop_bar()

    def _start_bar(self, label: str, total: int) -> None:
        if not self.interactive:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self._progress = Progress(
            TextColumn(label),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[current]}", markup=False),
            console=Console(file=self.stream),
            transient=True,
        )
        self._progress.start()
        self._task = self._progress.add_task(label, total=total, current="")

    def _stop_bar(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def update(self, event: UpdateEvent) -> None:
        """One event of the update: advance a bar, print a line or the refresh's summary."""
        from termnews.service import PrefetchProgress, RefreshSummary, SyncProgress, SyncSummary

        if isinstance(event, SyncSummary):
            from termnews.cli.sync import format_sync

            self._stop_bar()  # the sync ran under it; the refresh of local sources follows
            print(format_sync(event), file=sys.stderr if event.error else sys.stdout)
            self._start_bar("Refreshing", self.total)
        elif isinstance(event, SyncProgress):
            pass  # the refresh bar stays; `termnews sync` shows the sync's own bars
        elif isinstance(event, RefreshSummary):
            self._stop_bar()
            self.summarise(event)
        elif isinstance(event, PrefetchProgress):
            if self._progress is None and event.done < event.total:
                self._start_bar("Downloading articles", event.total)
            if self._progress is not None:
                self._progress.update(self._task, completed=event.done)
        else:
            self._source_done(event)

    def _source_done(self, event: RefreshProgress) -> None:
        title = truncate(event.source.title, 50)
        if self._progress is not None:
            self._progress.update(self._task, completed=event.done, current=title)
            return
        outcome = f"failed: {event.error}" if event.error else f"{event.new_posts} new"
        print(f"[{event.done}/{event.total}] {title}: {outcome}", file=self.stream)

    def summarise(self, summary: RefreshSummary) -> None:
        """The closing summary on stdout and one stderr line per failed source."""
        print(
            f"Refreshed {len(summary.results)} sources: {summary.new_posts} new posts,"
            f" {summary.not_modified} unchanged, {len(summary.failed)} failed."
        )
        for result in summary.failed:
            s = result.source
            print(
                f"termnews: failed: {s.title} ({clean_line(s.fetch_url)}): {result.error}",
                file=sys.stderr,
            )

    def finish(self, outcome: UpdateSummary) -> None:
        """After the downloads: how many articles now read offline."""
        self._stop_bar()
        fetched = outcome.prefetch
        if fetched is not None and (fetched.fetched or fetched.failed):
            print(
                f"Downloaded {fetched.fetched} articles for offline reading"
                f" ({fetched.failed} could not be fetched; retried later)."
            )
