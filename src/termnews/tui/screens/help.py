"""The `?` help screen, generated from the command table so it always matches the keys."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from termnews.tui.commands import help_rows

_LEGEND = (
    ("●", "unread"),
    ("★", "saved: kept for offline reading"),
    ("↓", "downloaded: readable offline"),
)


class HelpScreen(ModalScreen[None]):
    """Every key and what it does; escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "close", id="help_close"),
        Binding("j,down", "scroll('down')", show=False),
        Binding("k,up", "scroll('up')", show=False),
        Binding("space,pagedown", "scroll('page_down')", show=False),
        Binding("b,pageup", "scroll('page_up')", show=False),
        Binding("g,home", "scroll('home')", show=False),
        Binding("G,end", "scroll('end')", show=False),
    ]

    def __init__(self, keymap: Mapping[str, str]) -> None:
        super().__init__()
        self.keymap = keymap

    def compose(self) -> Any:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        table.add_column(style="dim", no_wrap=True)  # the id to remap it in config.toml
        for keys, description, command_id in help_rows(self.keymap):
            table.add_row(keys, description, command_id)
        legend = Table.grid(padding=(0, 2))
        legend.add_column(no_wrap=True)
        legend.add_column()
        for mark, meaning in _LEGEND:
            legend.add_row(mark, meaning)
        with VerticalScroll(id="help-body") as body:
            body.border_title = "termnews keys"
            body.border_subtitle = "esc to close"
            yield Static(table)
            yield Static(Text("\nIn the sidebar", style="bold"))
            yield Static(legend)
            yield Static(
                Text(
                    "\nKeys can be changed in config.toml by the id in the last column,"
                    " for example:\n"
                    '  [keys]\n  save = "ctrl+s"\n  down = "j,down,ctrl+n"',
                    style="dim",
                )
            )

    def action_scroll(self, direction: str) -> None:
        """The same movement keys as the article pane."""
        body = self.query_one("#help-body", VerticalScroll)
        moves = {
            "down": body.scroll_down,
            "up": body.scroll_up,
            "page_down": body.scroll_page_down,
            "page_up": body.scroll_page_up,
            "home": body.scroll_home,
            "end": body.scroll_end,
        }
        moves[direction](animate=False)
