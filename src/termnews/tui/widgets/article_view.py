"""The article pane: a readable document as Rich renderables in a scrolling ``Static``.

A ``Static`` holding Rich renderables paints a long story in a few tens of
milliseconds, where the Markdown widget takes seconds; the renderables come
from ``termnews.formats.terminal`` so the CLI and the reader look alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.message import Message

from termnews.dates import long_date
from termnews.models import Post
from termnews.text import clean_line
from termnews.tui.commands import ARTICLE, bindings
from termnews.tui.widgets.article_body import ArticleBody
from termnews.urls import is_web_url

if TYPE_CHECKING:
    from termnews.document import Document
    from termnews.tui.widgets.article_layout import Layout


FIRST_SCREENS = 1  # screens laid out from the place before the first paint; the rest after
SLICE_PARTS = 20  # sections (blocks) laid out per step after it (a few ms): keys stay served
SLICE_PAUSE = 0.001  # seconds between steps: a timer, so frames and keys come in between


def _layout(document: Document, marks: Sequence[str], width: int, console: Any) -> Layout:
    """A layout of the document at ``width``, shared renderables with the CLI's renderer.

    ``termnews.formats.terminal`` is imported after the first frame (``tui.preimport``),
    or here at the latest.
    """
    from termnews.formats.terminal import DocumentSections
    from termnews.tui.widgets.article_layout import Layout

    return Layout(DocumentSections(document, marks), console, console.options.update_width(width))


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
        self._body = ArticleBody(id="article-body")
        self._rendered_width = 0
        self._last_percent = -1
        self.marks: Sequence[str] = ()  # searched words, highlighted in the next article
        self._layout: Layout | None = None  # the open document's lines, complete or not
        self._fill = object()  # the layout steps still to run carry this; a new start, a new one
        self._message: tuple[str, tuple[Text | str, ...]] | None = None  # the message shown

    def compose(self) -> Any:
        yield self._body

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
        self._body.show(Group(*parts))
        self.scroll_home(animate=False, immediate=True)

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
        self._body.show(Group(*self._header(post), Text("Loading the article…")))
        self.scroll_home(animate=False, immediate=True)

    def show_document(self, post: Post, document: Document, position: float = 0.0) -> None:
        """Render the document with the saved reading place at the top of the view.

        Only the sections around the place are laid out before the first paint
        (``article_layout``); the rest after it, the view kept on the same text.
        """
        self.post = post
        self.document = document
        self._message = None
        self.set_class(False, "-loading")
        self.border_title = Text(clean_line(post.source_title or document.site_name) or "Article")
        self._last_percent = -1
        self._paint(position)

    @property
    def laid_out(self) -> bool:
        """True once every line of the open document is laid out (its height is known)."""
        return self._layout is None or self._layout.complete

    @property
    def at_end(self) -> bool:
        """The article's last line is in view (not only the last laid out so far)."""
        if self.document is None or self._layout is None:
            return False
        return self._layout.hi == self._layout.count and self.scroll_y >= self.max_scroll_y

    def _content_width(self) -> int:
        width = self.scrollable_content_region.width or self.reading_width
        return max(20, min(self.reading_width, width))

    def _screen_lines(self) -> int:
        return max(1, self.scrollable_content_region.height or self.app.size.height)

    def _paint(self, place: float) -> None:
        """Lay the document out at the pane's width, from ``place``; the rest after the paint.

        Each renderable is laid out once, by the layout: the body only copies lines.
        """
        assert self.post is not None and self.document is not None
        width = self._content_width()
        document = _with_note(self.post, self.document)
        self._layout = _layout(document, self.marks, width, self.app.console)
        self._rendered_width = width
        self._body.styles.max_width = width
        self._start_at(place)

    def _start_at(self, place: float) -> None:
        """Show the text at ``place`` at the top of the view now; lay out the rest after."""
        layout = self._layout
        assert layout is not None
        screen = self._screen_lines()
        offset = layout.start_at(place)
        layout.down(lines=offset + FIRST_SCREENS * screen)
        below = len(layout.lines) - offset
        top = layout.up(lines=screen - below) + offset if below < screen else offset
        self._body.show_lines(layout.lines)
        self._scroll_now(top)
        self._fill = fill = object()
        if layout.complete:
            self.call_after_refresh(self._laid_out, fill)
        else:  # once this frame is out, and the keys that came meanwhile are handled
            self.call_after_refresh(self.set_timer, SLICE_PAUSE, partial(self._lay_out_more, fill))

    def _scroll_now(self, y: int) -> None:
        """Scroll to line ``y`` in this very frame, the lines just laid out included.

        The height is set from the lines first, as the next layout will measure it:
        ``scroll_to`` would clamp ``y`` to the old one (or, deferred, land after a
        slice has added lines above, on other text).
        """
        height = len(self._body.lines)
        if self.virtual_size.height != height:
            self.virtual_size = Size(self.virtual_size.width, height)
            self._scroll_update(self.virtual_size)  # the scrollbar too: the layout will not
        self.scroll_to(y=y, animate=False, immediate=True, force=True)  # no scrollbar yet

    def _lay_out_more(self, fill: object) -> None:
        """A slice of the rest, then the next one after the keys waiting are handled.

        A screen above the view first (to look back), then everything below, then
        the rest above. Lines added above move the view down with them: the reader
        stays on the same text.
        """
        layout = self._layout
        if fill is not self._fill or layout is None:
            return  # another article, width or starting place since
        if layout.lo > 0 and (self.scroll_y < self._screen_lines() or layout.hi == layout.count):
            above = layout.up(sections=SLICE_PARTS)
            self._body.changed()
            self._scroll_now(round(self.scroll_y) + above)
        else:
            layout.down(sections=SLICE_PARTS)
            self._body.changed()
        if layout.complete:
            self.call_after_refresh(self._laid_out, fill)
        else:
            self.set_timer(SLICE_PAUSE, partial(self._lay_out_more, fill))

    def _laid_out(self, fill: object) -> None:
        """The whole height is known: say how far in."""
        if fill is self._fill:
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
            self._paint(self._top_place())

    # -- keys ----------------------------------------------------------------------

    def action_down(self) -> None:
        self._make_room(down=1)
        self._scroll_now(round(self.scroll_target_y) + 1)

    def action_up(self) -> None:
        self._make_room(up=1)
        self._scroll_now(round(self.scroll_target_y) - 1)

    def page_down(self) -> None:
        """`space`: a page down, laid out first if the layout has not reached it."""
        page = self.scrollable_content_region.height
        self._make_room(down=page)
        self._scroll_now(round(self.scroll_target_y) + page)

    def page_up(self) -> None:
        page = self.scrollable_content_region.height
        self._make_room(up=page)
        self._scroll_now(round(self.scroll_target_y) - page)

    def _make_room(self, *, down: int = 0, up: int = 0) -> None:
        """Lay out now the lines a key is about to scroll into, if the steps have not yet."""
        layout = self._layout
        if layout is None or layout.complete:
            return
        top = round(self.scroll_target_y)
        missing = top + self.scrollable_content_region.height + down - len(layout.lines)
        if missing > 0 and layout.hi < layout.count:
            layout.down(lines=missing)
            self._body.changed()
        if top < up and layout.lo > 0:
            above = layout.up(lines=up - top)
            self._body.changed()
            self._scroll_now(top + above)

    def action_top(self) -> None:
        """The first line: laid out now if the layout has not reached it yet."""
        if self._layout is not None and self._layout.lo > 0:
            self._start_at(0.0)
        else:
            self._scroll_now(0)

    def action_bottom(self) -> None:
        """The last line: laid out now if the layout has not reached it yet."""
        if self._layout is not None and self._layout.hi < self._layout.count:
            self._start_at(1.0)
        else:
            self._scroll_now(len(self._body.lines))

    # -- position ------------------------------------------------------------------

    @property
    def position(self) -> tuple[int, float] | None:
        """(post id, reading place) of the open article, what the store keeps; None if none."""
        if self.post is None or self.document is None:
            return None
        return self.post.id, self.fraction

    @property
    def fraction(self) -> float:
        """The reading place, 0.0–1.0: how much of the text is above the view's top line
        (by characters, so any width finds the same text), or 1.0 read to the end."""
        if self.at_end and self.max_scroll_y > 0:
            return 1.0
        return self._top_place()

    def _top_place(self) -> float:
        if self._layout is None:
            return 0.0
        return self._layout.place_at(max(0, round(self.scroll_y)))

    @property
    def percent(self) -> int:
        """Percentage read: the bottom of the view against the article's height.

        Before the layout is complete, the height is not known: the share of the
        text above the bottom of the view stands in for it.
        """
        if self.document is None or self._layout is None:
            return 0
        seen = self.scroll_y + self.scrollable_content_region.height
        if not self._layout.complete:
            return round(100 * self._layout.place_at(round(seen)))
        total = len(self._layout.lines)
        return max(0, min(100, round(100 * seen / total))) if total > 0 else 0

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._report_progress()

    def _report_progress(self) -> None:
        """The status line shows the percentage (only there: not in the border too)."""
        if self.document is None:
            return
        percent = self.percent
        if percent != self._last_percent:
            self._last_percent = percent
            self.post_message(self.Progress(percent))
