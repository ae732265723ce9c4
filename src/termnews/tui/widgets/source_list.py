"""A line-API list of sources-pane rows: instant with 1,000 sources, whatever the counts do.

Used by the sources pane and by the narrow picker. It draws only the rows on
screen (one line each), so a count that changes repaints a screenful, never
re-measures the list (an ``OptionList`` re-renders every row to know its height).
Web text goes into ``Segment``s, never through markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from termnews.store import UnreadCounts
from termnews.tui.format import count
from termnews.tui.source_entries import SourceEntry, tag_counts


class SourceList(ScrollView, can_focus=True):
    """Rows of views, tags and sources, each with its unread count flush right."""

    COMPONENT_CLASSES = {
        "source-list--cursor",
        "source-list--view",
        "source-list--tag",
        "source-list--count",
        "source-list--dim",
    }

    DEFAULT_CSS = """
    SourceList { overflow-x: hidden; }
    SourceList > .source-list--cursor { background: $panel; }
    SourceList:focus > .source-list--cursor { background: $primary 35%; text-style: bold; }
    SourceList > .source-list--view { text-style: bold; }
    SourceList > .source-list--tag { text-style: italic; }
    SourceList > .source-list--count { text-style: bold; }
    SourceList > .source-list--dim { color: $text-muted; }
    """

    class Chosen(Message):
        """The user chose a row (enter, l, or a click): show ``entry``'s posts."""

        def __init__(self, entry: SourceEntry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[SourceEntry] = []
        self.counts: UnreadCounts | None = None
        self.cursor = -1
        self._by_tag: dict[str, int] = {}

    # -- data ----------------------------------------------------------------------

    @property
    def selected(self) -> SourceEntry | None:
        return self.entries[self.cursor] if 0 <= self.cursor < len(self.entries) else None

    def set_entries(self, entries: Sequence[SourceEntry], *, select: str | None = None) -> None:
        """Show other rows; the cursor goes to the row ``select`` (a key), else the first."""
        self.entries = list(entries)
        self._by_tag = tag_counts(self.entries, self.counts) if self.counts else {}
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.entries))
        keys = [e.key for e in self.entries]
        self.cursor = -1
        self.move_cursor(keys.index(select) if select in keys else 0)
        self.refresh()

    def set_counts(self, counts: UnreadCounts) -> None:
        """New numbers: tags are summed again (no query), the rows on screen repainted."""
        self.counts = counts
        self._by_tag = tag_counts(self.entries, counts)
        self.refresh()

    def number(self, entry: SourceEntry) -> int | None:
        """The count shown beside a row (None before the counts are known)."""
        return entry.unread(self.counts, self._by_tag) if self.counts is not None else None

    def row_text(self, index: int) -> str:
        """A row as words, untruncated: "Example One  2" (tests and the picker read this)."""
        entry = self.entries[index]
        shown = self.number(entry)
        return f"{entry.title}  {count(shown)}" if shown else entry.title

    # -- cursor --------------------------------------------------------------------

    def move_cursor(self, index: int) -> None:
        if not self.entries:
            self.cursor = -1
            return
        self.cursor = max(0, min(index, len(self.entries) - 1))
        region = Region(0, self.cursor, max(1, self.size.width), 1)
        self.scroll_to_region(region, animate=False, force=True, immediate=True)
        self.refresh()

    def move_to(self, key: str) -> None:
        """Put the cursor on the row ``key`` when it is listed."""
        for index, entry in enumerate(self.entries):
            if entry.key == key:
                self.move_cursor(index)
                return

    def choose(self) -> None:
        if (entry := self.selected) is not None:
            self.post_message(self.Chosen(entry))

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self.entries) - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + max(1, self.scrollable_content_region.height))

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - max(1, self.scrollable_content_region.height))

    def action_choose(self) -> None:
        self.choose()

    # -- events --------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.entries))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and 0 <= offset.y + round(self.scroll_y) < len(self.entries):
            self.move_cursor(offset.y + round(self.scroll_y))
            self.choose()

    # -- drawing -------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # The styles once per paint, not once per row.
        base = self.rich_style
        part = self.get_component_rich_style
        cursor = part("source-list--cursor")
        self._paint_styles = _Styles(
            base,
            Style(bgcolor=cursor.bgcolor, bold=cursor.bold),
            base + part("source-list--dim"),
            {kind: base + part(f"source-list--{kind}") for kind in ("view", "tag")},
            base + part("source-list--count"),
            self.scrollable_content_region.width,
        )
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        styles = self._paint_styles
        base, width = styles.base, styles.width
        index = round(self.scroll_y) + y
        if not 0 <= index < len(self.entries):
            return Strip.blank(width, base)
        entry = self.entries[index]
        cursor = styles.cursor if index == self.cursor else None
        plain = base + cursor
        dim = styles.dim + cursor
        name_style = styles.kinds[entry.kind] + cursor if entry.kind in styles.kinds else plain
        right: list[Segment] = []
        if entry.error:
            right.append(Segment("⚠ ", dim))
        if shown := self.number(entry):
            number = dim if entry.kind == "view" else styles.number + cursor
            right.append(Segment(count(shown), number))
        right_len = sum(cell_len(s.text) for s in right)
        prefix = [Segment("# ", dim)] if entry.kind == "tag" else []
        room = max(0, width - 1 - (right_len + 1 if right else 0) - (2 if prefix else 0))
        title = entry.title
        if cell_len(title) > room:
            title = set_cell_size(title, max(0, room - 1)) + "…" if room else ""
        left = [Segment(" ", plain), *prefix, Segment(title, name_style)]
        gap = max(0, width - sum(cell_len(s.text) for s in left) - right_len - 1)
        segments = [*left, Segment(" " * gap, plain), *right]
        return Strip(segments).adjust_cell_length(width, plain)


@dataclass(frozen=True, slots=True)
class _Styles:
    """What one paint draws with."""

    base: Style
    cursor: Style
    dim: Style
    kinds: dict[str, Style]
    number: Style
    width: int
