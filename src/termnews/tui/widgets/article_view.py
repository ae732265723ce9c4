"""The article pane: a readable document as Rich renderables in a scrolling ``Static``.

A ``Static`` holding Rich renderables paints a long story in a few tens of
milliseconds, where the Markdown widget takes seconds; the renderables come
from ``termnews.formats.terminal`` so the CLI and the reader look alike.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from termnews.dates import long_date
from termnews.models import Post
from termnews.text import clean_line
from termnews.tui.commands import ARTICLE, bindings
from termnews.urls import is_web_url

if TYPE_CHECKING:
    from termnews.document import Document


def _render(document: Document, width: int) -> tuple[RenderableType, int]:
    """The body renderable and reading minutes, shared with the CLI's renderer.

    ``termnews.formats.terminal`` is imported here, when the first article opens: the first
    frame does not need it.
    """
    from termnews.formats.plain import reading_minutes
    from termnews.formats.terminal import render_document

    return render_document(document, width), reading_minutes(document)


class _Prerendered:
    """Rich lines already laid out at a width; rendering them again is only copying."""

    def __init__(self, lines: list[list[Segment]], width: int) -> None:
        self.lines = lines
        self.width = width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        newline = Segment.line()
        for line in self.lines:
            yield from line
            yield newline

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width, self.width)


def _with_note(post: Post, doc: Document) -> Document:
    """The document with its note as the pane shows it: a warning sign and a hint.

    The service has already filled the document's gaps with the post's metadata.
    """
    if not doc.note:
        return doc
    hint = " · o: open in browser" if is_web_url(post.url) else ""
    return replace(doc, note=f"⚠ {clean_line(doc.note)}{hint}")


class ArticleView(VerticalScroll, can_focus=True, inherit_bindings=False):
    """Shows one post: a header (title, source, author, date, reading time) and its text.

    It owns its scrolling keys (the "article" and "panes" commands of commands.py);
    it posts ``Progress`` as the reader scrolls, and shows how far in its border.
    """

    BINDINGS = bindings(ARTICLE)

    class Progress(Message):
        """How much of the article has been scrolled past, 0–100."""

        def __init__(self, percent: int) -> None:
            super().__init__()
            self.percent = percent

    def __init__(self, *, reading_width: int = 80, id: str | None = None) -> None:
        super().__init__(id=id)
        self.reading_width = reading_width
        self.post: Post | None = None
        self.document: Document | None = None
        self._body = Static(id="article-body")
        self._rendered_width = 0
        self._last_percent = -1

    def compose(self) -> Any:
        yield self._body

    # -- what to show --------------------------------------------------------------

    @property
    def post_id(self) -> int | None:
        return self.post.id if self.post else None

    def show_message(self, title: str, lines: list[Text | str]) -> None:
        """A fixed message in the pane: the welcome text, an empty filter, an error."""
        self.post = None
        self.document = None
        self.border_title = Text(title)  # a str would be parsed as markup
        self.border_subtitle = ""
        self.set_class(False, "-loading")
        parts: list[RenderableType] = [Text(title, style="bold"), Text("")]
        parts.extend(Text(line) if isinstance(line, str) else line for line in lines)
        self._body.update(Group(*parts))
        self.scroll_home(animate=False)

    def show_failure(self, post: Post, error: str) -> None:
        """The post could not be shown at all: why, in one line."""
        lines: list[Text | str] = [f"Could not load the article: {clean_line(error)}"]
        self.show_message(clean_line(post.title) or "Article", [*lines, "o: open in browser"])

    def show_loading(self, post: Post) -> None:
        """The post's header at once, while the page is fetched in the background."""
        self.post = post
        self.document = None
        self.set_class(True, "-loading")
        self.border_title = Text(clean_line(post.source_title) or "Article")
        self.border_subtitle = ""
        self._body.update(Group(*self._header(post), Text("Loading the article…")))
        self.scroll_home(animate=False)

    def show_document(self, post: Post, document: Document, position: float = 0.0) -> None:
        """Render the document and scroll to the saved reading position."""
        self.post = post
        self.document = document
        self.set_class(False, "-loading")
        self.border_title = Text(clean_line(post.source_title or document.site_name) or "Article")
        self._paint()
        self._last_percent = -1
        if position > 0:
            self.call_after_refresh(self.scroll_to_fraction, position)
        else:
            self.scroll_home(animate=False)
            self.call_after_refresh(self._report_progress)

    def _content_width(self) -> int:
        width = self.scrollable_content_region.width or self.reading_width
        return max(20, min(self.reading_width, width))

    def _paint(self) -> None:
        assert self.post is not None and self.document is not None
        width = self._content_width()
        body, _minutes = _render(_with_note(self.post, self.document), width)
        # Lay the text out once: Textual would otherwise wrap it again to measure the
        # height and again to paint, which for a 10,000-word story costs ~3× as much.
        console = self.app.console
        lines = console.render_lines(body, console.options.update_width(width), pad=False)
        self._rendered_width = width
        self._body.styles.max_width = width
        self._body.update(_Prerendered(lines, width))

    def _header(self, post: Post) -> list[Any]:
        """Title and meta line while the document loads (render.py draws them after)."""
        from rich.rule import Rule

        meta = [clean_line(post.source_title), clean_line(post.author), long_date(post.published)]
        return [
            Text(clean_line(post.title) or post.url, style="bold"),
            Text(" · ".join(m for m in meta if m), style="dim"),
            Rule(style="dim"),
        ]

    def on_resize(self) -> None:
        if self.document is not None and self._content_width() != self._rendered_width:
            fraction = self.fraction
            self._paint()
            self.call_after_refresh(self.scroll_to_fraction, fraction)

    # -- keys ----------------------------------------------------------------------

    def action_down(self) -> None:
        self.scroll_down(animate=False)

    def action_up(self) -> None:
        self.scroll_up(animate=False)

    def action_top(self) -> None:
        self.scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.scroll_end(animate=False)

    # -- position ------------------------------------------------------------------

    @property
    def position(self) -> tuple[int, float] | None:
        """(post id, fraction read) of the open article, what the store keeps; None if none."""
        if self.post is None or self.document is None:
            return None
        return self.post.id, self.fraction

    @property
    def fraction(self) -> float:
        """How far down the article is scrolled, 0.0–1.0 (what the store keeps)."""
        if self.max_scroll_y <= 0:
            return 0.0
        return max(0.0, min(1.0, self.scroll_y / self.max_scroll_y))

    @property
    def percent(self) -> int:
        """Percentage read: the bottom of the view against the article's height."""
        total = self.virtual_size.height
        if total <= 0 or self.document is None:
            return 0
        seen = self.scroll_y + self.scrollable_content_region.height
        return max(0, min(100, round(100 * seen / total)))

    def scroll_to_fraction(self, fraction: float) -> None:
        self.scroll_to(y=fraction * self.max_scroll_y, animate=False, immediate=True)
        self._report_progress()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._report_progress()

    def _report_progress(self) -> None:
        if self.document is None:
            return
        percent = self.percent
        if percent != self._last_percent:
            self._last_percent = percent
            self.border_subtitle = f"{percent}%"
            self.post_message(self.Progress(percent))
