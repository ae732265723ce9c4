"""A yes/no question before a change the user cannot see all of (`A` on a long list)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool]):
    """One question; `y` or `enter` answers yes, `n`, `q` or `escape` no."""

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
        background: $background 60%;
    }
    #confirm {
        width: 56;
        max-width: 95%;
        height: auto;
        border: round $warning;
        background: $surface;
        padding: 1 2;
    }
    """

    BINDINGS = [
        Binding("y,enter", "answer(True)", "yes", id="confirm_yes"),
        Binding("n,q,escape", "answer(False)", "no", id="confirm_no"),
    ]

    def __init__(self, question: str, title: str = "Are you sure?") -> None:
        super().__init__()
        self.question = question
        self.title_words = title

    def compose(self) -> Any:
        with Vertical(id="confirm") as box:
            box.border_title = Text(self.title_words)
            box.border_subtitle = "y: yes   n: no"
            yield Static(Text(self.question), id="confirm-question")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
