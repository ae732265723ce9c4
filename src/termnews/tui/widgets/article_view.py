"""The article pane: a readable document as Rich renderables in a scrolling ``Static``.

A ``Static`` holding Rich renderables paints a long story in a few tens of
milliseconds, where the Markdown widget takes seconds; the renderables come
from ``termnews.formats.terminal`` so the CLI and the reader look alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import partial
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


FIRST_SCREENS = 2  # screens of lines laid out before the first paint; the rest after it
SLICE_PARTS = 40  # renderables laid out per step after it (a few ms): keys stay served
PREIMPORT_DELAY = 0.3  # seconds after mounting: the first article's imports, while idle
SLICE_PAUSE = 0.001  # seconds between steps: a timer, so frames and keys come in between


def _parts(document: Document, marks: Sequence[str]) -> Iterator[RenderableType]:
    """The body's renderables, top to bottom, shared with the CLI's renderer.

    ``termnews.formats.terminal`` is imported after the first frame (``preimport``),
    or here at the latest.
    """
    from termnews.formats.terminal import document_parts

    return document_parts(document, marks)


def preimport() -> None:
    """What the first article needs, imported while the reader waits for a key."""
    import termnews.formats.terminal  # noqa: F401


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
        self.marks: Sequence[str] = ()  # searched words, highlighted in the next article
        self._layout: _Layout | None = None  # the lines still being laid out, if any
        self._message: tuple[str, tuple[Text | str, ...]] | None = None  # the message shown

    def compose(self) -> Any:
        yield self._body

    def on_mount(self) -> None:
        # Once the first frame is out and start-up's after-paint work is done.
        self.set_timer(PREIMPORT_DELAY, preimport)

    # -- what to show --------------------------------------------------------------

    @property
    def post_id(self) -> int | None:
        return self.post.id if self.post else None

    def show_message(self, title: str, lines: list[Text | str]) -> None:
        """A fixed message in the pane: the welcome text, an empty filter, an error.

        The same message again (the hint after every search key) is left as it is:
        repainting it would lay out the whole pane again for nothing.
        """
        shown = (title, tuple(lines))
        if shown == self._message and self.post is None:
            return
        self._message = shown
        self.post = None
        self.document = None
        self._layout = None
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
        self._layout = None
        self._message = None
        self.set_class(True, "-loading")
        self.border_title = Text(clean_line(post.source_title) or "Article")
        self.border_subtitle = ""
        self._body.update(Group(*self._header(post), Text("Loading the article…")))
        self.scroll_home(animate=False)

    def show_document(self, post: Post, document: Document, position: float = 0.0) -> None:
        """Render the document and scroll to the saved reading position.

        From the top, the first screens are laid out and painted first, the rest
        after; a saved position needs the whole height, so it waits for all of it.
        """
        self.post = post
        self.document = document
        self._message = None
        self.set_class(False, "-loading")
        self.border_title = Text(clean_line(post.source_title or document.site_name) or "Article")
        self._last_percent = -1
        self.scroll_home(animate=False)
        self._paint(then=position if position > 0 else None, whole=position > 0)

    @property
    def laid_out(self) -> bool:
        """True once every line of the open document is laid out (its height is known)."""
        return self._layout is None

    def _content_width(self) -> int:
        width = self.scrollable_content_region.width or self.reading_width
        return max(20, min(self.reading_width, width))

    def _paint(self, then: float | None = None, *, whole: bool = False) -> None:
        """Lay the document out at the pane's width: the first screens now, the rest after.

        Each renderable is laid out once: Textual would otherwise wrap it again to
        measure the height and again to paint. ``then`` is where to scroll once
        the height is known.
        """
        assert self.post is not None and self.document is not None
        width = self._content_width()
        console = self.app.console
        layout = _Layout(
            _parts(_with_note(self.post, self.document), self.marks),
            console,
            console.options.update_width(width),
            then,
        )
        self._layout = layout
        self._rendered_width = width
        self._body.styles.max_width = width
        screens = max(1, self.scrollable_content_region.height or self.app.size.height)
        done = layout.run(None if whole else FIRST_SCREENS * screens)
        self._body.update(_Prerendered(layout.lines, width))
        if done:
            self.call_after_refresh(self._laid_out, layout)
        else:
            self.call_after_refresh(self._lay_out_more, layout)

    def _lay_out_more(self, layout: _Layout) -> None:
        """A slice of the rest, then the next one after the keys waiting are handled."""
        if layout is not self._layout:
            return  # another article (or width) since
        if not layout.run(parts=SLICE_PARTS):
            self.set_timer(SLICE_PAUSE, partial(self._lay_out_more, layout))
            return
        self._body.update(_Prerendered(layout.lines, self._rendered_width))
        self.call_after_refresh(self._laid_out, layout)

    def _laid_out(self, layout: _Layout) -> None:
        """The whole height is known: scroll where asked, then say how far in."""
        if layout is not self._layout:
            return
        self._layout = None
        if layout.then is not None:
            self.scroll_to_fraction(layout.then)
        else:
            self._report_progress()

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
            fraction = self.fraction if self._layout is None else self._layout.then
            self._paint(then=fraction, whole=bool(fraction))

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
        """The status line shows the percentage (only there: not in the border too)."""
        if self.document is None or self._layout is not None:
            return  # the height is not known yet: the percentage would be wrong
        percent = self.percent
        if percent != self._last_percent:
            self._last_percent = percent
            self.post_message(self.Progress(percent))


class _Layout:
    """An article being laid out: its renderables in order, and the lines so far."""

    def __init__(
        self,
        parts: Iterator[RenderableType],
        console: Console,
        options: ConsoleOptions,
        then: float | None,
    ) -> None:
        self.parts = parts
        self.console = console
        self.options = options
        self.then = then
        self.lines: list[list[Segment]] = []

    def run(self, lines: int | None = None, parts: int | None = None) -> bool:
        """Lay out until ``lines`` lines or ``parts`` more renderables; True when all are."""
        render = self.console.render_lines
        for count, part in enumerate(self.parts, 1):
            self.lines.extend(render(part, self.options, pad=False))
            if (lines is not None and len(self.lines) >= lines) or count == parts:
                return False
        return True
