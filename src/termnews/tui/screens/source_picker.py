"""The `S` picker of narrow terminals: the sources pane's rows in a dialog, filtered as you type."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from termnews.store import UnreadCounts
from termnews.tui.source_entries import SourceEntry
from termnews.tui.widgets.source_list import SourceList


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

    @property
    def rows(self) -> SourceList:
        return self.query_one(SourceList)

    @property
    def shown(self) -> list[SourceEntry]:
        """The rows that match what was typed."""
        return self.rows.entries

    def compose(self) -> Any:
        with Vertical(id="picker") as box:
            box.border_title = "Show posts of"
            box.border_subtitle = "type: filter   enter: choose   esc: cancel"
            yield Input(placeholder="filter sources and tags", id="picker-filter")
            yield SourceList(id="picker-list")

    def on_mount(self) -> None:
        self.rows.counts = self.counts
        self.rows.set_entries(self.entries, select=self.current)

    def show_matching(self, typed: str) -> None:
        """The rows whose name contains what was typed (any case); all when nothing is."""
        needle = typed.strip().casefold()
        self.rows.set_entries([e for e in self.entries if needle in e.title.casefold()])

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.show_matching(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if (entry := self.rows.selected) is not None:
            self.dismiss(entry)

    def on_source_list_chosen(self, message: SourceList.Chosen) -> None:
        message.stop()
        self.dismiss(message.entry)

    def action_cursor(self, direction: str) -> None:
        self.rows.move_cursor(self.rows.cursor + (1 if direction == "down" else -1))

    def action_cancel(self) -> None:
        self.dismiss(None)
