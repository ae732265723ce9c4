"""The `S` picker of narrow terminals: the sources pane's rows in a dialog, filtered as you type."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from termnews.store import UnreadCounts
from termnews.tui.source_entries import SourceEntry, tag_counts


class SourcePickerScreen(ModalScreen[SourceEntry | None]):
    """ "All", "Unread", "Saved", every tag and source with its unread count.

    Typing filters the rows by name; ↑/↓ move, enter chooses. Dismisses with the
    chosen row, or None when cancelled.
    """

    AUTO_FOCUS = "#picker-filter"
    BINDINGS = [
        Binding("escape", "cancel", "cancel", id="picker_cancel"),
        Binding("down", "cursor('down')", show=False),
        Binding("up", "cursor('up')", show=False),
    ]

    def __init__(self, entries: Sequence[SourceEntry], counts: UnreadCounts, current: str) -> None:
        super().__init__()
        self.entries = list(entries)
        self.counts = counts
        self.current = current
        self.shown: list[SourceEntry] = []
        self._by_tag = tag_counts(self.entries, counts)

    def compose(self) -> Any:
        with Vertical(id="picker") as box:
            box.border_title = "Show posts of"
            box.border_subtitle = "type: filter   enter: choose   esc: cancel"
            yield Input(placeholder="filter sources and tags", id="picker-filter")
            yield OptionList(id="picker-list")

    def on_mount(self) -> None:
        self.show_matching("")
        keys = [e.key for e in self.shown]
        self.query_one(OptionList).highlighted = (
            keys.index(self.current) if self.current in keys else 0
        )
        self.query_one(Input).focus()

    def show_matching(self, typed: str) -> None:
        """The rows whose name contains what was typed (any case); all when nothing is."""
        needle = typed.strip().casefold()
        self.shown = [e for e in self.entries if needle in e.title.casefold()]
        option_list = self.query_one(OptionList)
        option_list.set_options(
            Option(e.label(self.counts, self._by_tag), id=e.key) for e in self.shown
        )
        option_list.highlighted = 0 if self.shown else None

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.show_matching(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        index = self.query_one(OptionList).highlighted
        if index is not None and 0 <= index < len(self.shown):
            self.dismiss(self.shown[index])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.shown[event.option_index])

    def action_cursor(self, direction: str) -> None:
        option_list = self.query_one(OptionList)
        if direction == "down":
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
