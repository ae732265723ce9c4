"""The sidebar of recent posts: a line-API list that stays instant with 100,000 posts.

``PostList`` holds only the ordered post ids. It reads the few rows it draws
through a loader (``Store.rows_by_id``) in pages and keeps a small cache, so
mounting is a list assignment and jumping to the end reads one page. Web text
goes into ``Segment``s, never through markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from termnews.dates import short_age
from termnews.models import PostRow
from termnews.text import clean_line

RowLoader = Callable[[Sequence[int]], dict[int, PostRow]]

ROW_HEIGHT = 2
_CACHE_LIMIT = 4000
_PAGE_MARGIN = 20


class PostList(ScrollView, can_focus=True, inherit_bindings=False):
    """Recent posts, two lines each: markers and title, then source and age.

    Keys are bound by the sidebar around it (commands.py), which calls the cursor methods;
    the list posts ``Highlighted`` when the cursor moves and ``Selected`` to open.
    """

    COMPONENT_CLASSES = {
        "post-list--cursor",
        "post-list--unread",
        "post-list--read",
        "post-list--meta",
        "post-list--marker",
    }

    DEFAULT_CSS = """
    PostList { overflow-x: hidden; }
    """

    class Highlighted(Message):
        """The cursor moved to ``post_id`` (None when the list is empty)."""

        def __init__(self, post_id: int | None) -> None:
            super().__init__()
            self.post_id = post_id

    class Selected(Message):
        """The user asked to open ``post_id`` (enter, l, or a click)."""

        def __init__(self, post_id: int) -> None:
            super().__init__()
            self.post_id = post_id

    def __init__(
        self,
        load_rows: RowLoader,
        *,
        now: Callable[[], datetime],
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._load_rows = load_rows
        self._now = now
        self.ids: list[int] = []
        self.cursor = -1
        self._rows: dict[int, PostRow] = {}
        self._now_value: datetime | None = None
        self._paint_width: int | None = None  # set while a paint runs
        self.one_source = False  # every row is of one source: its name is not repeated

    # -- data ----------------------------------------------------------------------

    @property
    def selected_id(self) -> int | None:
        """The post under the cursor."""
        return self.ids[self.cursor] if 0 <= self.cursor < len(self.ids) else None

    def row(self, post_id: int) -> PostRow | None:
        """The cached row of a post, loading it when missing."""
        if post_id not in self._rows:
            self._rows.update(self._clean(self._load_rows([post_id])))
        return self._rows.get(post_id)

    def set_ids(
        self, ids: list[int], *, keep_selection: bool = True, keep_rows: bool = False
    ) -> None:
        """Show a new list of ids without the view jumping.

        The selected post stays selected at the same screen offset when it is
        still in the list; otherwise the cursor keeps its index (clamped).
        ``keep_rows``: the posts did not change, only which are listed (a search
        key), so the rows already read stay cached and only new ones are read.
        """
        old_id = self.selected_id
        offset = self.cursor * ROW_HEIGHT - round(self.scroll_y)
        old_cursor = self.cursor
        self.ids = ids
        if not keep_rows:
            self._rows.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(ids) * ROW_HEIGHT)
        new_cursor = -1
        if keep_selection and old_id is not None:
            try:
                new_cursor = ids.index(old_id)
            except ValueError:
                new_cursor = -1
        if new_cursor < 0 and ids:
            new_cursor = min(max(old_cursor, 0), len(ids) - 1) if keep_selection else 0
        self.cursor = new_cursor
        if new_cursor >= 0 and keep_selection and old_cursor >= 0:
            target = max(0, new_cursor * ROW_HEIGHT - offset)
            self.scroll_to(y=target, animate=False, force=True, immediate=True)
        else:
            self.scroll_to(y=0, animate=False, force=True, immediate=True)
        self._scroll_cursor_visible()
        self.refresh()
        if self.selected_id != old_id:
            self.post_message(self.Highlighted(self.selected_id))

    def invalidate(self, post_ids: Sequence[int] | None = None) -> None:
        """Forget cached rows (all, or some) so the next paint re-reads them."""
        if post_ids is None:
            self._rows.clear()
        else:
            for post_id in post_ids:
                self._rows.pop(post_id, None)
        self.refresh()

    def _clean(self, rows: dict[int, PostRow]) -> dict[int, PostRow]:
        # The store already sanitises; this is a second guard, paid once per cached row.
        for post_id, row in rows.items():
            title, source = clean_line(row.title), clean_line(row.source_title)
            if title != row.title or source != row.source_title:
                rows[post_id] = replace(row, title=title, source_title=source)
        return rows

    def _ensure_page(self, index: int) -> None:
        """Read the rows around ``index`` that are not cached, in one query."""
        if len(self._rows) > _CACHE_LIMIT:
            self._rows.clear()
        visible = self.scrollable_content_region.height // ROW_HEIGHT + 1
        start = max(0, index - _PAGE_MARGIN)
        page = self.ids[start : index + visible + _PAGE_MARGIN]
        wanted = [i for i in page if i not in self._rows]
        if wanted:
            self._rows.update(self._clean(self._load_rows(wanted)))

    # -- cursor --------------------------------------------------------------------

    def move_cursor(self, index: int) -> None:
        """Put the cursor on ``index`` (clamped) and keep it in view."""
        if not self.ids:
            return
        index = max(0, min(index, len(self.ids) - 1))
        if index == self.cursor:
            return
        self.cursor = index
        self._scroll_cursor_visible()
        self.refresh()
        self.post_message(self.Highlighted(self.selected_id))

    def move_to_id(self, post_id: int) -> bool:
        """Put the cursor on ``post_id`` if it is in the list."""
        try:
            self.move_cursor(self.ids.index(post_id))
        except ValueError:
            return False
        return True

    def cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def page_down(self) -> None:
        self.move_cursor(self.cursor + max(1, self.scrollable_content_region.height // ROW_HEIGHT))

    def page_up(self) -> None:
        self.move_cursor(self.cursor - max(1, self.scrollable_content_region.height // ROW_HEIGHT))

    def first(self) -> None:
        self.move_cursor(0)

    def last(self) -> None:
        self.move_cursor(len(self.ids) - 1)

    def select_current(self) -> None:
        """Ask the screen to open the post under the cursor."""
        if self.selected_id is not None:
            self.post_message(self.Selected(self.selected_id))

    def _scroll_cursor_visible(self) -> None:
        if self.cursor < 0:
            return
        region = Region(0, self.cursor * ROW_HEIGHT, max(1, self.size.width), ROW_HEIGHT)
        self.scroll_to_region(region, animate=False, force=True, immediate=True)

    # -- events --------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.ids) * ROW_HEIGHT)
        self._scroll_cursor_visible()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = (offset.y + round(self.scroll_y)) // ROW_HEIGHT
        if 0 <= index < len(self.ids):
            self.move_cursor(index)
            self.select_current()

    # -- drawing -------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        self._now_value = self._now()  # one clock read per paint, not per row
        # The width once per paint: each scrollable_content_region reads the styles anew.
        self._paint_width = self.scrollable_content_region.width
        try:
            return super().render_lines(crop)
        finally:
            self._paint_width = None

    def render_line(self, y: int) -> Strip:
        width = self._paint_width or self.scrollable_content_region.width
        base = self.rich_style
        index, part = divmod(round(self.scroll_y) + y, ROW_HEIGHT)
        if index >= len(self.ids):
            return Strip.blank(width, base)
        post_id = self.ids[index]
        if post_id not in self._rows:
            self._ensure_page(index)
        row = self._rows.get(post_id)
        if row is None:
            return Strip.blank(width, base)
        cursor = None
        if index == self.cursor:
            # Only the cursor's background and weight: the row keeps its own colours.
            style = self.get_component_rich_style("post-list--cursor")
            cursor = Style(bgcolor=style.bgcolor, bold=style.bold)
        if part == 0:
            return self._title_line(row, width, base, cursor)
        return self._meta_line(row, width, base, cursor)

    def _title_line(self, row: PostRow, width: int, base: Style, cursor: Style | None) -> Strip:
        marker = base + self.get_component_rich_style("post-list--marker") + cursor
        text_style = (
            base
            + self.get_component_rich_style(
                "post-list--read" if row.is_read else "post-list--unread"
            )
            + cursor
        )
        unread = " " if row.is_read else "●"
        kept = "★" if row.is_saved else ("↓" if row.has_document else " ")
        room = max(0, width - 4)
        title = row.title
        if cell_len(title) > room:
            title = set_cell_size(title, max(0, room - 1)) + "…" if room else ""
        segments = [Segment(f" {unread}{kept} ", marker), Segment(title, text_style)]
        return Strip(segments).adjust_cell_length(width, base + cursor)

    def _meta_line(self, row: PostRow, width: int, base: Style, cursor: Style | None) -> Strip:
        meta = base + self.get_component_rich_style("post-list--meta") + cursor
        age = "undated" if row.undated else short_age(row.published, self._now_value or self._now())
        room = max(0, width - 4 - (cell_len(age) + 3 if age else 0))
        source = "" if self.one_source else row.source_title or "library"
        if cell_len(source) > room:
            source = set_cell_size(source, max(0, room - 1)) + "…" if room else ""
        text = "    " + " · ".join(part for part in (source, age) if part)
        return Strip([Segment(text, meta)]).adjust_cell_length(width, base + cursor)
