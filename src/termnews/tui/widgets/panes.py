"""The panes side by side, sources (wide terminals), sidebar and article; it owns the keys
that span them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.events import Resize
from textual.message import Message

from termnews.store.rows import query_words
from termnews.tui.commands import PANES, bindings
from termnews.tui.messages import EMPTY_VIEW, HINT, WELCOME
from termnews.tui.widgets.article_view import ArticleView
from termnews.tui.widgets.sidebar import Sidebar
from termnews.tui.widgets.sources_pane import SourcesPane

WIDE = 160  # columns from which the sources pane is always shown (three panes)


class Panes(Horizontal):
    """Tab between the panes, page the article from either, open, hide the sidebar.

    The sidebar's filter, search and source picker work from any pane too. On wide
    terminals the sources pane is the first of three; on narrow ones `S` opens
    the picker instead.
    """

    BINDINGS = bindings(PANES)

    class ReadOn(Message):
        """Space at the end of an article: the screen opens the next unread post."""

    def __init__(self, sidebar: Sidebar, article: ArticleView, *, id: str | None = None):
        super().__init__(id=id)
        self.sidebar = sidebar
        self.article = article
        self.sources = SourcesPane(sidebar.store, id="sources")
        sidebar.followers.append(self.sources)

    def compose(self) -> ComposeResult:
        # Known now: one layout. Its rows come with their counts just after the first
        # frame (the sidebar's ``load_counts``): the posts are what that frame is for.
        self.sources.display = self.app.size.width >= WIDE
        yield self.sources
        yield self.sidebar
        yield self.article

    def on_resize(self, event: Resize) -> None:
        wide = event.size.width >= WIDE
        if wide != self.sources.display:
            self.sources.display = wide
            if wide:
                self.sources.show_filter(self.sidebar.filter)
                self.run_worker(self.sources.load_counts(), group="source-counts")
            elif self.sources.has_focus:
                self.sidebar.post_list.focus()

    def on_sidebar_filter_changed(self) -> None:
        self.sources.show_filter(self.sidebar.filter)  # not stopped: the screen reloads
        # The searched words are marked in the articles opened from the hits.
        self.article.marks = query_words(self.sidebar.filter.query or "")

    def on_source_list_chosen(self, message: SourcesPane.Chosen) -> None:
        message.stop()
        self.sidebar.set_filter(message.entry.apply(self.sidebar.filter))
        self.sidebar.post_list.focus()

    def current_post_id(self) -> int | None:
        """The post an action is about: the open article when focused, else the cursor's."""
        if self.article.has_focus and self.article.post_id is not None:
            return self.article.post_id
        return self.sidebar.post_list.selected_id or self.article.post_id

    def show_placeholder(self) -> None:
        """The article pane when no post is open: welcome, empty filter, or a hint."""
        flt = self.sidebar.filter
        if self.article.post is not None:
            return
        if self.sidebar.post_list.ids:
            self.article.show_message("termnews", HINT)
        elif flt.kind == "all" and not flt.query and not self.sidebar.store.sources():
            self.article.show_message("Welcome to termnews", WELCOME)
        else:
            self.article.show_message("Nothing here", EMPTY_VIEW)

    def on_sidebar_searched(self) -> None:
        self.on_sidebar_filter_changed()
        self.show_placeholder()

    def in_article(self) -> bool:
        """True when keys are about the article: it has focus, or the sidebar is hidden."""
        return self.article.has_focus or not self.sidebar.display

    def action_open(self) -> None:
        if not self.in_article():
            self.sidebar.post_list.select_current()

    def action_switch_pane(self) -> None:
        """Sources (when shown) → posts → article → sources."""
        shown = [w for w in (self.sources, self.sidebar.post_list) if w.display]
        if not self.sidebar.display:
            shown = [self.sources] if self.sources.display else []
        order = [*shown, self.article]
        focused = next((n for n, w in enumerate(order) if w.has_focus), len(order) - 1)
        order[(focused + 1) % len(order)].focus()

    def action_page_down(self) -> None:
        article = self.article
        if article.post is not None or self.in_article():
            if article.at_end:
                self.post_message(self.ReadOn())  # at the end: read on
            else:
                article.page_down()
        else:
            self.sidebar.post_list.page_down()

    def action_page_up(self) -> None:
        if self.article.post is not None or self.in_article():
            self.article.page_up()
        else:
            self.sidebar.post_list.page_up()

    def action_toggle_sidebar(self) -> None:
        self.sidebar.display = not self.sidebar.display
        (self.sidebar.post_list if self.sidebar.display else self.article).focus()

    def action_cycle_filter(self) -> None:
        self.sidebar.cycle_filter()

    async def action_search(self) -> None:
        await self.sidebar.open_search()

    def action_widen_search(self) -> None:
        self.sidebar.widen_search()

    async def action_pick_source(self) -> None:
        """`S`: the sources pane when it is shown, else the picker."""
        if self.sources.display:
            self.sources.focus()
        else:
            await self.sidebar.pick_source()

    def action_clear(self) -> None:
        """Escape: close the search, or go back from the article to the list."""
        if self.sidebar.close_search():
            return
        if (self.article.has_focus or self.sources.has_focus) and self.sidebar.display:
            self.sidebar.post_list.focus()
