"""What the command line prints: source tables, refresh progress and summaries, documents.

Web text reaching the terminal here is already sanitised by the store; it is
printed as plain text (never through Rich markup).
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

from termnews.text import clean_line, truncate

if TYPE_CHECKING:
    from termnews.document import Document
    from termnews.models import Source
    from termnews.service import RefreshProgress, RefreshSummary
    from termnews.store import SearchHit


def when(value: datetime | None, now: datetime | None = None) -> str:
    """A short, human time: "just now", "5 min ago", "3 h ago", "2026-11-06"."""
    if value is None:
        return "never"
    now = now or datetime.now(UTC)
    seconds = (now - value).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return value.astimezone().strftime("%Y-%m-%d")


def format_sources(sources: list[Source], counts: dict[int, int]) -> str:
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
        status = f"    {posts} · refreshed {when(s.last_refresh)}"
        if s.tags:
            status += " · tags: " + ", ".join(s.tags)
        lines.append(status)
        if s.last_error:
            lines.append(f"    last error ({when(s.last_error_at)}): {clean_line(s.last_error)}")
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


def format_document(document: Document, fmt: str) -> str:
    """``termnews read``: the document as plain text, Markdown or JSON."""
    if fmt == "json":
        return json.dumps(document.to_dict(), ensure_ascii=False, indent=2) + "\n"
    from termnews.render import document_to_markdown, document_to_text

    text = document_to_markdown(document) if fmt == "markdown" else document_to_text(document)
    return text if text.endswith("\n") else text + "\n"


class RefreshReporter:
    """Refresh progress: a live bar on a terminal, one plain line per source otherwise."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty()
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> RefreshReporter:
        if self.interactive:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._progress = Progress(
                TextColumn("Refreshing"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[current]}", markup=False),
                console=Console(file=self.stream),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("refresh", total=self.total, current="")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self, event: RefreshProgress) -> None:
        """Called after each source: advance the bar or print a line."""
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
