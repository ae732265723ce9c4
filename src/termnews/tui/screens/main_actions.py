"""The main screen's actions: one ``action_*`` per command of ``commands.py``.

Kept apart from the screen's layout and loading code so each stays short. Keys
mean the same in both panes where they can: j/k move in the list and scroll
in the article; g/G go to the top/bottom of whichever pane has focus.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING

from textual.widgets import Input

from termnews.text import clean_line
from termnews.tui.format import count

if TYPE_CHECKING:
    from termnews.tui.screens.main import MainScreen

    _Base = MainScreen
else:
    _Base = object

_NEXT_FILTER = {"all": "unread", "unread": "saved", "saved": "all"}


class ReaderActions(_Base):
    """Mixin of the main screen's key actions (see ``commands.COMMANDS``)."""

    def _in_article(self) -> bool:
        return self.article.has_focus or not self.query_one("#sidebar").display

    # -- moving --------------------------------------------------------------------

    def action_down(self) -> None:
        if self._in_article():
            self.article.scroll_down(animate=False)
        else:
            self.post_list.cursor_down()

    def action_up(self) -> None:
        if self._in_article():
            self.article.scroll_up(animate=False)
        else:
            self.post_list.cursor_up()

    def action_open(self) -> None:
        if not self._in_article():
            self.post_list.select_current()

    def action_switch_pane(self) -> None:
        if self.article.has_focus and self.query_one("#sidebar").display:
            self.post_list.focus()
        else:
            self.article.focus()

    def action_page_down(self) -> None:
        if self.article.post is not None or self._in_article():
            self.article.scroll_page_down(animate=False)
        else:
            self.post_list.page_down()

    def action_page_up(self) -> None:
        if self.article.post is not None or self._in_article():
            self.article.scroll_page_up(animate=False)
        else:
            self.post_list.page_up()

    def action_top(self) -> None:
        if self._in_article():
            self.article.scroll_home(animate=False)
        else:
            self.post_list.first()

    def action_bottom(self) -> None:
        if self._in_article():
            self.article.scroll_end(animate=False)
        else:
            self.post_list.last()

    def action_next_unread(self) -> None:
        self.run_worker(self._goto_unread(+1), group="unread", exclusive=True, exit_on_error=False)

    def action_prev_unread(self) -> None:
        self.run_worker(self._goto_unread(-1), group="unread", exclusive=True, exit_on_error=False)

    async def _goto_unread(self, step: int) -> None:
        """Move to the next unread post in the list and open it."""
        unread = set(
            await asyncio.to_thread(self.store.post_ids, replace(self.filter, kind="unread"))
        )
        ids = self.post_list.ids
        index = self.post_list.cursor
        if self.article.post_id is not None and self.article.post_id in unread:
            unread.discard(self.article.post_id)
        index += step
        while 0 <= index < len(ids):
            if ids[index] in unread:
                self.post_list.move_cursor(index)
                self.open_post(ids[index])
                return
            index += step
        self.notify("No more unread posts." if step > 0 else "No unread posts above.")

    # -- post state ----------------------------------------------------------------

    def action_toggle_saved(self) -> None:
        post_id = self.current_post_id()
        if post_id is not None:
            self.run_worker(self._toggle_saved(post_id), group="save", exit_on_error=False)

    async def _toggle_saved(self, post_id: int) -> None:
        post = await asyncio.to_thread(self.store.post, post_id)
        if post is None:
            return
        try:
            await self.service.save_post(post_id, not post.is_saved)
        except Exception as exc:
            self.notify(clean_line(str(exc)), severity="error", markup=False)
            return
        self.post_list.invalidate([post_id])
        if post.is_saved:
            self.notify("Removed from saved posts.")
        elif not await asyncio.to_thread(self._has_document, post_id):
            # Saved anyway: prefetch retries saved posts first, once the network is back.
            where = "Offline" if self.service.offline or self.network_down else "Not downloaded"
            self.notify(f"Saved. {where}: its article downloads with the next refresh.")
        else:
            self.notify("Saved: kept for offline reading.")

    def _has_document(self, post_id: int) -> bool:
        post = self.store.post(post_id)
        return bool(post and post.has_document)

    def action_toggle_read(self) -> None:
        post_id = self.current_post_id()
        if post_id is None:
            return
        post = self.store.post(post_id)
        if post is None:
            return
        self.write_in_background(  # type: ignore[attr-defined]
            self.store.set_read, [post_id], not post.is_read, refresh=[post_id]
        )
        if self.unread_count is not None:
            self.unread_count += 1 if post.is_read else -1
            self._update_header()

    def action_mark_all_read(self) -> None:
        self.run_worker(self._mark_all_read(), group="mark", exit_on_error=False)

    async def _mark_all_read(self) -> None:
        ids = list(self.post_list.ids)
        if not ids:
            return
        await asyncio.to_thread(self.store.set_read, ids)
        self.post_list.invalidate()
        self.notify(f"Marked {count(len(ids))} posts read.")
        await self._load_counts()

    # -- filters and search ----------------------------------------------------------

    def action_cycle_filter(self) -> None:
        self.set_filter(replace(self.filter, kind=_NEXT_FILTER[self.filter.kind]))

    def action_pick_source(self) -> None:
        # Dialogs are imported when first opened: the first frame does not need them.
        from termnews.tui.screens.source_picker import ALL_SOURCES, SourcePickerScreen

        sources = self.store.sources()
        if not sources:
            self.notify("No sources yet: press a to add one.", markup=False)
            return
        self.source_titles = {s.id: clean_line(s.title) for s in sources}
        counts = self.store.post_counts_by_source()

        def chosen(source_id: int | None) -> None:
            if source_id is None:
                return
            self.set_filter(
                replace(self.filter, source_id=None if source_id == ALL_SOURCES else source_id)
            )

        self.app.push_screen(SourcePickerScreen(sources, counts, self.filter.source_id), chosen)

    def _search_field(self) -> Input | None:
        """The search field, once it exists (it is mounted on the first `/`)."""
        found = self.query("#search")
        return found.first(Input) if found else None

    async def action_search(self) -> None:
        field = self._search_field()
        if field is None:
            field = Input(placeholder="Search cached posts…", id="search")
            await self.query_one("#sidebar").mount(field, before=0)
        field.remove_class("-hidden")
        self.query_one("#sidebar").display = True
        field.focus()

    # Named handlers, not @on: Textual collects @on only from the screen class itself.
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "search":
            return
        self.run_worker(self._search_soon(event.value), group="search", exclusive=True)

    async def _search_soon(self, text: str) -> None:
        await asyncio.sleep(0.15)  # typing fast runs one query, not one per key
        self.set_filter(replace(self.filter, query=text.strip() or None))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self.post_list.focus()

    def action_clear(self) -> None:
        field = self._search_field()
        if field is not None and not field.has_class("-hidden"):
            self.workers.cancel_group(self, "search")
            field.value = ""
            field.add_class("-hidden")
            self.post_list.focus()
            if self.filter.query:
                self.set_filter(replace(self.filter, query=None))
        elif self.article.has_focus and self.query_one("#sidebar").display:
            self.post_list.focus()

    # -- the app ---------------------------------------------------------------------

    def action_toggle_sidebar(self) -> None:
        sidebar = self.query_one("#sidebar")
        sidebar.display = not sidebar.display
        if sidebar.display:
            self.post_list.focus()
        else:
            self.article.focus()

    def action_help(self) -> None:
        from termnews.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(getattr(self.app, "keymap", {})))

    def action_quit(self) -> None:
        self.save_position()
        self.app.exit(0)
