"""The status line: refresh progress, errors, offline, and how far the article is read."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static


class StatusBar(Static):
    """One line under the panes. Its fields are reactive: the screen sets them, it redraws."""

    offline = reactive(False)  # --offline: the user asked for no network
    unreachable = reactive(False)  # the last refresh reached no host: offline until one works
    activity = reactive("")
    errors = reactive(0)
    percent: reactive[int | None] = reactive(None)

    def __init__(self, *, offline: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(StatusBar.offline, offline)

    def render(self) -> Text:
        left = Text(no_wrap=True, overflow="ellipsis")
        if self.offline or self.unreachable:
            label = " offline " if self.offline else " offline (network unreachable) "
            left.append(label, style="reverse")
            left.append(" ")
        if self.activity:
            left.append(self.activity)
        if self.errors:
            if self.activity:
                left.append(" · ")
            left.append(f"{self.errors} source{'s' if self.errors != 1 else ''} failed", "bold")
        right = f"{self.percent}% read" if self.percent is not None else ""
        width = max(0, self.size.width)
        if right and width:
            left.truncate(max(0, width - len(right) - 1), overflow="ellipsis")
            left.pad_right(max(0, width - left.cell_len - len(right)))
            left.append(right, "not bold")  # its own segment: SVG screenshots keep the gap
        return left
