"""The `S` picker: choose one source (or all) to filter the sidebar."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from termnews.models import Source
from termnews.text import clean_line
from termnews.tui.format import count

ALL_SOURCES = -1


class SourcePickerScreen(ModalScreen[int | None]):
    """A list of "All sources" and every source with its post count and last error.

    Dismisses with a source id, ``ALL_SOURCES``, or None when cancelled.
    """

    BINDINGS = [
        Binding("escape,q", "cancel", "cancel", id="picker_cancel"),
        Binding("j", "cursor('down')", show=False),
        Binding("k", "cursor('up')", show=False),
    ]

    def __init__(self, sources: list[Source], counts: dict[int, int], current: int | None) -> None:
        super().__init__()
        self.sources = sources
        self.counts = counts
        self.current = current

    def compose(self) -> Any:
        options = [Option(Text("All sources", style="bold"), id=str(ALL_SOURCES))]
        for source in self.sources:
            label = Text(clean_line(source.title) or source.url)
            label.append(f"  {count(self.counts.get(source.id, 0))}", style="dim")
            if source.last_error:
                label.append(f"  ⚠ {clean_line(source.last_error)}", style="italic")
            options.append(Option(label, id=str(source.id)))
        with Vertical(id="picker") as box:
            box.border_title = "Show posts of"
            box.border_subtitle = "enter: choose   esc: cancel"
            yield OptionList(*options, id="picker-list")

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        if self.current is not None:
            for index, source in enumerate(self.sources, start=1):
                if source.id == self.current:
                    option_list.highlighted = index
                    return
        option_list.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or ALL_SOURCES))

    def action_cursor(self, direction: str) -> None:
        option_list = self.query_one(OptionList)
        if direction == "down":
            option_list.action_cursor_down()
        else:
            option_list.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
