"""The two panes side by side, sidebar and article; it owns the keys that span both."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal

from termnews.tui.commands import PANES, bindings
from termnews.tui.messages import EMPTY_VIEW, HINT, WELCOME
from termnews.tui.widgets.article_view import ArticleView
from termnews.tui.widgets.sidebar import Sidebar


class Panes(Horizontal):
    """Tab between the panes, page the article from either, open, hide the sidebar.

    The sidebar's filter, search and source picker work from either pane too.
    """

    BINDINGS = bindings(PANES)

    def __init__(self, sidebar: Sidebar, article: ArticleView, *, id: str | None = None):
        super().__init__(id=id)
        self.sidebar = sidebar
        self.article = article

    def compose(self) -> ComposeResult:
        yield self.sidebar
        yield self.article

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

    def in_article(self) -> bool:
        """True when keys are about the article: it has focus, or the sidebar is hidden."""
        return self.article.has_focus or not self.sidebar.display

    def action_open(self) -> None:
        if not self.in_article():
            self.sidebar.post_list.select_current()

    def action_switch_pane(self) -> None:
        if self.article.has_focus and self.sidebar.display:
            self.sidebar.post_list.focus()
        else:
            self.article.focus()

    def action_page_down(self) -> None:
        if self.article.post is not None or self.in_article():
            self.article.scroll_page_down(animate=False)
        else:
            self.sidebar.post_list.page_down()

    def action_page_up(self) -> None:
        if self.article.post is not None or self.in_article():
            self.article.scroll_page_up(animate=False)
        else:
            self.sidebar.post_list.page_up()

    def action_toggle_sidebar(self) -> None:
        self.sidebar.display = not self.sidebar.display
        (self.sidebar.post_list if self.sidebar.display else self.article).focus()

    def action_cycle_filter(self) -> None:
        self.sidebar.cycle_filter()

    async def action_search(self) -> None:
        await self.sidebar.open_search()

    async def action_pick_source(self) -> None:
        await self.sidebar.pick_source()

    def action_clear(self) -> None:
        """Escape: close the search, or go back from the article to the list."""
        if not self.sidebar.close_search() and self.article.has_focus and self.sidebar.display:
            self.sidebar.post_list.focus()
