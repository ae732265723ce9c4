"""The status line: refresh progress, errors, offline, and how far the article is read."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatusBar(Static):
    """One line under the panes. The screen sets its fields; it only draws them."""

    def __init__(self, *, offline: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.offline = offline  # --offline: the user asked for no network
        self.unreachable = False  # the network failed: offline until an action works
        self.activity = ""
        self.errors = 0
        self.percent: int | None = None

    def on_mount(self) -> None:
        self.redraw()

    def set(
        self,
        *,
        activity: str | None = None,
        errors: int | None = None,
        percent: int | None | bool = False,
        offline: bool | None = None,
        unreachable: bool | None = None,
    ) -> None:
        """Change some fields (those given) and redraw; ``percent=None`` hides the percentage."""
        if activity is not None:
            self.activity = activity
        if errors is not None:
            self.errors = errors
        if percent is not False:
            self.percent = percent  # type: ignore[assignment]
        if offline is not None:
            self.offline = offline
        if unreachable is not None:
            self.unreachable = unreachable
        self.redraw()

    def redraw(self) -> None:
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
        self.update(left)

    def on_resize(self) -> None:
        self.redraw()
