"""The `L` link picker: every link of the article, found by its number or its words.

The number keys reach links 1–9 only; a long article has hundreds. The picker
lists them all as the article numbers them (``Document.links()``), with the
words they were on. Digits jump to a number, `/` filters by words; `enter`
opens the link as a post, `o` in the browser, `y` copies it. Like every dialog
it only returns the choice: the main screen does the work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from termnews.text import clean_line

if TYPE_CHECKING:
    from termnews.document import Document

How = Literal["post", "browser", "copy"]


@dataclass(frozen=True, slots=True)
class LinkItem:
    """Link ``number`` of the article: its target and the words it was on ("" if none)."""

    number: int
    url: str
    words: str


@dataclass(frozen=True, slots=True)
class LinkChoice:
    """What the picker returns: a link and what to do with it."""

    link: LinkItem
    how: How


def link_items(document: Document) -> list[LinkItem]:
    """Every link in the article's numbering, with the words of its first occurrence.

    A link split into runs (a bold word inside it) is one link: its runs are joined.
    """
    from termnews.document import iter_inlines

    words: dict[str, list[str]] = {}
    ended: set[str] = set()  # links whose first run is over
    previous: str | None = None
    for inline in iter_inlines(document.blocks):
        href = inline.href
        if previous is not None and previous != href:
            ended.add(previous)
        if href is not None and href not in ended:
            words.setdefault(href, []).append(inline.text)
        previous = href
    items = []
    for number, url in enumerate(document.links(), 1):
        text = " ".join(clean_line("".join(words.get(url, []))).split())
        items.append(LinkItem(number, url, "" if text == url else text))
    return items


def matching(items: list[LinkItem], query: str) -> list[LinkItem]:
    """The links a query keeps: digits are a number's start, words must all appear."""
    query = query.strip()
    if not query:
        return list(items)
    if query.isdigit():
        return [item for item in items if str(item.number).startswith(query)]
    wanted = query.casefold().split()
    return [
        item
        for item in items
        if all(w in f"{item.words} {item.url}".casefold() for w in wanted)  # fmt: skip
    ]


def _label(item: LinkItem, width: int) -> Text:
    """ "12  the words  https://…": the number padded to the widest, the address dim."""
    label = Text()
    label.append(str(item.number).ljust(width + 2), style="bold")
    if item.words:
        label.append(item.words)
        label.append("  ")
    label.append(clean_line(item.url), style="dim")
    return label


class LinkPickerScreen(ModalScreen[LinkChoice | None]):
    """Every link of one article; dismisses with a ``LinkChoice`` or None (cancelled)."""

    DEFAULT_CSS = """
    LinkPickerScreen {
        align: center middle;
        background: $background 60%;
    }
    #links {
        width: 100;
        max-width: 95%;
        height: auto;
        max-height: 80%;
        border: round $primary;
        background: $surface;
    }
    #links-filter {
        border: none;
        height: 1;
        padding: 0 1;
        margin: 0 1 1 1;
        background: $boost;
    }
    #links-list {
        height: auto;
        max-height: 30;
        border: none;
    }
    """

    AUTO_FOCUS = "#links-list"
    BINDINGS = [
        Binding("escape", "cancel", "cancel", id="links_cancel"),
        Binding("o", "choose('browser')", "browser", id="links_browser"),
        Binding("y", "choose('copy')", "copy", id="links_copy"),
        Binding("slash", "filter", "filter", id="links_filter"),
        Binding("backspace", "erase", show=False),
        Binding("j,down", "cursor(1)", show=False),
        Binding("k,up", "cursor(-1)", show=False),
        *(Binding(str(n), f"digit({n})", show=False) for n in range(10)),
    ]

    def __init__(self, items: list[LinkItem], title: str) -> None:
        super().__init__()
        self.items = items
        self.title_words = title
        self.shown: list[LinkItem] = list(items)

    def compose(self) -> Any:
        with Vertical(id="links") as box:
            box.border_title = Text(f"Links of {self.title_words}" if self.title_words else "Links")
            box.border_subtitle = "enter: open   o: browser   y: copy   /: filter   esc: cancel"
            yield Input(placeholder="type a number, or / and words", id="links-filter")
            yield OptionList(*self._options(), id="links-list")

    def _options(self) -> list[Option]:
        width = len(str(len(self.items)))
        return [Option(_label(item, width), id=str(item.number)) for item in self.shown]

    @property
    def _list(self) -> OptionList:
        return self.query_one("#links-list", OptionList)

    @property
    def _filter(self) -> Input:
        return self.query_one("#links-filter", Input)

    @property
    def highlighted(self) -> LinkItem | None:
        """The link enter, `o` and `y` act on."""
        index = self._list.highlighted
        return self.shown[index] if index is not None and index < len(self.shown) else None

    def on_mount(self) -> None:
        self._list.highlighted = 0 if self.shown else None

    def on_input_changed(self, event: Input.Changed) -> None:
        self.shown = matching(self.items, event.value)
        self._list.set_options(self._options())
        self._list.highlighted = 0 if self.shown else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_choose("post")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose("post")

    def action_choose(self, how: How) -> None:
        if (item := self.highlighted) is not None:
            self.dismiss(LinkChoice(item, how))

    def action_cancel(self) -> None:
        """Escape: from the filter back to the list; from the list, close."""
        if self._filter.has_focus:
            self._list.focus()
        else:
            self.dismiss(None)

    def action_filter(self) -> None:
        self._filter.focus()

    def action_digit(self, digit: int) -> None:
        """A digit typed on the list goes to the number being typed."""
        value = self._filter.value
        self._filter.value = (value if value.isdigit() else "") + str(digit)

    def action_erase(self) -> None:
        self._filter.value = self._filter.value[:-1]

    def action_cursor(self, step: int) -> None:
        """j/k and the arrows move the highlight, from the list or from the filter."""
        if self.shown:
            current = self._list.highlighted or 0
            self._list.highlighted = max(0, min(len(self.shown) - 1, current + step))
