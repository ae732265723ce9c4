"""`A` on a long list: ask before marking read posts the user has not even seen in the list.

A list that fits on the screen is marked at once (every post is in view); one
longer than that asks first, naming how many posts it would mark.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App

from termnews.tui.format import count
from termnews.tui.widgets.post_list import ROW_HEIGHT, PostList


def rows_on_screen(post_list: PostList) -> int:
    """How many posts the list shows at once (at least one)."""
    return max(1, post_list.scrollable_content_region.height // ROW_HEIGHT)


def question(posts: int, visible: int) -> str:
    """The confirm dialog's words."""
    return (
        f"Mark all {count(posts)} posts of this list read?\n"
        f"Only {count(visible)} of them fit on the screen."
    )


async def mark_all_read(app: App[Any], post_list: PostList, mark: Callable[[], None]) -> None:
    """Call ``mark`` now when the whole list is in view, else after the user says yes."""
    from termnews.tui.screens.confirm import ConfirmScreen
    from termnews.tui.typeahead import push_and_focus

    posts, visible = len(post_list.ids), rows_on_screen(post_list)
    if posts <= visible:
        mark()
        return

    def answered(yes: bool | None) -> None:
        if yes:
            mark()

    dialog = ConfirmScreen(question(posts, visible), title="Mark all read")
    await push_and_focus(app, dialog, answered)
