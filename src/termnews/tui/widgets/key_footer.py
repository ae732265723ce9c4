"""The footer line of key hints, drawn by one widget.

Textual's ``Footer`` mounts a widget per key (thirteen here) and composes them
again once the first frame's bindings settle: about a quarter of the reader's
start-up work after mounting. ``KeyFooter`` draws the same hints as one
``Text`` from the screen's active bindings — so a user's keymap shows — in the
order of the command table (the panes bind some keys, the screen the rest), and
a click on a hint presses its key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widget import Widget

from termnews.tui.commands import command_order, key_label

if TYPE_CHECKING:
    from textual.screen import Screen


_DIM = Style(dim=True)
_ORDER = command_order()


class KeyFooter(Widget):
    """Key hints at the bottom: "j/k move  enter read  s save … ^p palette".

    ``compact`` (narrow terminals) keeps one space between hints instead of two.
    """

    COMPONENT_CLASSES = {"key-footer--key", "key-footer--description"}

    DEFAULT_CSS = """
    KeyFooter {
        height: 1;
        dock: bottom;
        padding: 0 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyFooter > .key-footer--key {
        color: $footer-key-foreground;
        text-style: bold;
    }
    KeyFooter > .key-footer--description {
        color: $footer-description-foreground;
    }
    """

    compact = reactive(False)

    def __init__(self, *, compact: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(KeyFooter.compact, compact)
        self._spans: list[tuple[int, int, str]] = []  # (start, end, key) of each hint

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        self.refresh()

    def hints(self) -> tuple[list[tuple[str, str, str, bool]], tuple[str, str, str] | None]:
        """(key, shown keys, words, enabled) per hint, grouped pairs as one; and the palette's."""
        by_action: dict[str, tuple[str, str, str, bool, str | None]] = {}
        order: dict[str, int] = {}
        palette: tuple[str, str, str] | None = None
        palette_key = self.app.COMMAND_PALETTE_BINDING
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if key == palette_key and self.app.ENABLE_COMMAND_PALETTE:
                palette = (key, key_label(key).replace("ctrl+", "^"), binding.description)
            elif binding.show and binding.action not in by_action:
                group = binding.group.description if binding.group else None
                by_action[binding.action] = (
                    key, key_label(key), binding.description, active.enabled, group
                )  # fmt: skip
                order[binding.action] = _ORDER.get(binding.id or "", len(_ORDER))
        hints: list[tuple[str, str, str, bool]] = []
        last_group: str | None = None
        for action in sorted(by_action, key=order.__getitem__):  # stable: unknown ids last
            key, shown, words, enabled, group = by_action[action]
            if group is not None and group == last_group and hints:
                first_key, first_shown, _, first_enabled = hints[-1]
                hints[-1] = (first_key, f"{first_shown}/{shown}", str(group), first_enabled)
            else:
                hints.append((key, shown, words, enabled))
            last_group = group
        return hints, palette

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-footer--key", partial=True)
        words_style = self.get_component_rich_style("key-footer--description", partial=True)
        gap = " " if self.compact else "  "
        hints, palette = self.hints()
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        self._spans = []
        for n, (key, shown, words, enabled) in enumerate(hints):
            if n:
                line.append(gap)
            start = line.cell_len
            keys, description = (key_style, words_style) if enabled else (
                key_style + _DIM, words_style + _DIM
            )  # fmt: skip
            # The space goes with the key, as Textual's footer pads its keys: SVG
            # screenshots drop a space that starts a segment.
            line.append(f"{shown} ", keys)
            line.append(words, description)
            self._spans.append((start, line.cell_len, key))
        if palette is not None:
            key, shown, words = palette
            tail = Text.assemble((f"{shown} ", key_style), (words, words_style))
            if line.cell_len + 1 + tail.cell_len > self.content_region.width:
                tail = Text(shown, key_style)  # narrow: the key alone, every hint shown
            room = self.content_region.width - tail.cell_len
            if room > 0:
                line.truncate(max(0, room - 1), overflow="ellipsis", pad=True)
                start = line.cell_len + 1
                line.append(" ")
                line.append_text(tail)
                self._spans.append((start, line.cell_len, key))
        return line

    def on_click(self, event: events.Click) -> None:
        x = event.x - self.styles.padding.left
        for start, end, key in self._spans:
            if start <= x < end:
                self.app.simulate_key(key)
                return
