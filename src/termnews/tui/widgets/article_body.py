"""The article pane's text: lines already laid out, painted a screenful at a time.

A ``Static`` turns every line of its content into a strip on each update: for a
10,000-word story that is ~90 ms spent on lines nobody sees. Here (the line API)
only the lines in view become strips; the pane lays the text out itself
(``article_layout``) and hands over the very list it keeps growing.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.segment import Segment
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget


class ArticleBody(Widget):
    """Lines of Rich segments, or a short renderable (a message) wrapped at the width."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[list[Segment]] = []
        self._renderable: RenderableType | None = None  # a message: wrapped when measured
        self._wrapped_at = -1

    def show(self, renderable: RenderableType) -> None:
        """A short renderable (a message, the loading header), wrapped at the body's width."""
        self._renderable = renderable
        self._wrapped_at = -1
        self.lines = []
        self.refresh(layout=True)

    def show_lines(self, lines: list[list[Segment]]) -> None:
        """Laid-out lines; the list may grow later (then ``changed``)."""
        self._renderable = None
        self.lines = lines
        self.refresh(layout=True)

    def changed(self) -> None:
        """The list of lines grew: measure and paint again."""
        self.refresh(layout=True)

    def _wrap(self, width: int) -> None:
        if self._renderable is not None and width != self._wrapped_at and width > 0:
            console = self.app.console
            options = console.options.update_width(width)
            self.lines = console.render_lines(self._renderable, options, pad=False)
            self._wrapped_at = width

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        self._wrap(width)
        return len(self.lines)

    def render_line(self, y: int) -> Strip:
        self._wrap(self.content_size.width)
        if not 0 <= y < len(self.lines):
            return Strip.blank(self.content_size.width, self.rich_style)
        return Strip(self.lines[y]).apply_style(self.rich_style)
