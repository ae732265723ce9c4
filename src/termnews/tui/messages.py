"""The reader's fixed words: the welcome page, the placeholders and the sidebar's title."""

from __future__ import annotations

from rich.text import Text

from termnews.store import PostFilter
from termnews.text import clean_line
from termnews.tui.format import count

WELCOME: list[Text | str] = [  # one entry per paragraph: the pane wraps them at its width
    "termnews shows the recent posts of the sites you follow, and reads them as clean"
    " text — also offline.",
    "",
    Text.assemble(
        ("Add your first source: ", ""),
        ("press a", "bold"),
        " and type the URL of a feed or of any web site (termnews finds its feed, or reads"
        " its list of recent posts).",
    ),
    "",
    "From a shell:",
    Text("  termnews add https://example.com/", style="bold"),
    Text("  termnews import subscriptions.opml", style="bold"),
    "",
    "Try it on sample posts first: termnews --demo",
    "Press ? for every key, ctrl+p for every command.",
]

EMPTY_VIEW: list[Text | str] = ["No posts match this view.", "f: change the filter"]
HINT: list[Text | str] = [
    "enter: read the selected post",
    "j/k: move   ?: every key   q: quit",
]

_FILTER_NAMES = {"all": "All", "unread": "Unread", "saved": "Saved"}


def sidebar_title(
    flt: PostFilter,
    total: int | None,
    unread: int | None,
    *,
    narrow: bool,
    source_title: str | None,
) -> str:
    """ "Recent posts (All · 1,204 · 37 unread)", or the source's name, or the search.

    ``total`` is None while only the first page of ids is read.
    """
    shown = count(total) if total is not None else "…"
    if flt.query:
        return f"Search “{clean_line(flt.query)}” in {search_scope(flt, source_title)} ({shown})"
    parts = [_FILTER_NAMES[flt.kind], shown]
    if unread is not None and flt.kind == "all":
        parts.append(f"{count(unread)} unread")
    name = "" if narrow else "Recent posts"
    if flt.source_id is not None or flt.tag is not None:
        name = source_title or "One source"
    return f"{name} ({' · '.join(parts)})" if name else " · ".join(parts)


def search_scope(flt: PostFilter, source_title: str | None) -> str:
    """What a search looks through: "Harbour Notes", "all sources", "saved posts of …"."""
    scoped = flt.source_id is not None or flt.tag is not None
    scope = (source_title or "one source") if scoped else "all sources"
    if flt.kind == "all":
        return scope
    return f"{flt.kind} posts of {scope}"
