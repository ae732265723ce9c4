"""Every command of the reader, declared once.

One table feeds the screen's BINDINGS, the footer, the command palette and the
help screen, so they cannot drift apart. A user's ``[keys]`` table in
config.toml remaps a command by its binding id (``App.set_keymap``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider


@dataclass(frozen=True, slots=True)
class Command:
    """One user command: its binding id, default keys, screen action and words for people."""

    id: str
    keys: str
    action: str
    description: str
    footer: str = ""  # short label; shown in the footer when not empty
    palette: bool = True
    group: str = ""  # footer group label, for pairs like j/k


_MOVE = "move"

COMMANDS: tuple[Command, ...] = (
    Command(
        "down", "j,down", "down", "Next post (or scroll down in the article)", "down", False, _MOVE
    ),
    Command("up", "k,up", "up", "Previous post (or scroll up in the article)", "up", False, _MOVE),
    Command("open", "enter,l", "open", "Open the post in the article pane", "read"),
    Command("switch_pane", "tab", "switch_pane", "Move to the other pane"),
    Command("switch_pane_back", "shift+tab", "switch_pane", "Move to the other pane", "", False),
    Command("page_down", "space,pagedown", "page_down", "Page the article down"),
    Command("page_up", "b,pageup", "page_up", "Page the article up"),
    Command("top", "g,home", "top", "Go to the top"),
    Command("bottom", "G,end", "bottom", "Go to the bottom"),
    Command("next_unread", "n", "next_unread", "Next unread post"),
    Command("prev_unread", "p", "prev_unread", "Previous unread post"),
    Command("save", "s", "toggle_saved", "Save or unsave (saved posts are kept offline)", "save"),
    Command("read", "m", "toggle_read", "Mark read or unread"),
    Command("mark_all_read", "A", "mark_all_read", "Mark all posts in the list as read"),
    Command("filter", "f", "cycle_filter", "Cycle filter: all, unread, saved"),
    Command("sources", "S", "pick_source", "Show the posts of one source"),
    Command("browser", "o", "open_browser", "Open the post in the web browser", "browser"),
    Command("copy_url", "y", "copy_url", "Copy the post's URL"),
    Command("follow_link", "1,2,3,4,5,6,7,8,9", "follow_link", "Follow link 1–9 of the article"),
    Command("search", "slash", "search", "Full-text search of cached posts", "search"),
    Command("clear", "escape", "clear", "Close the search, back to the list", "", False),
    Command("add_source", "a", "add_source", "Add a source (feed or site)"),
    Command("save_page", "P", "save_page", "Save a web page for offline reading"),
    Command("refresh", "r", "refresh", "Refresh this post's source", "refresh"),
    Command("refresh_all", "R", "refresh_all", "Refresh all sources"),
    Command("toggle_sidebar", "backslash", "toggle_sidebar", "Show or hide the sidebar"),
    Command("help", "question_mark", "help", "Show the keys", "help"),
    Command("palette", "ctrl+p", "app.command_palette", "Command palette", "", False),
    Command("quit", "q", "quit", "Quit", "quit"),
)

_KEY_NAMES = {
    "down": "↓", "up": "↑", "pagedown": "pgdn", "pageup": "pgup", "slash": "/",
    "backslash": "\\", "question_mark": "?", "escape": "esc", "ctrl+p": "ctrl+p",
}  # fmt: skip


def key_label(keys: str) -> str:
    """How a comma-separated key list reads in the help screen: "j / ↓"."""
    names = [_KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(",")]
    if len(names) == 9 and names[0] == "1":
        return "1–9"
    return " / ".join(names)


def bindings() -> list[Binding]:
    """The screen's BINDINGS, each carrying its command's id so keymaps can remap it."""
    result: list[Binding] = []
    for cmd in COMMANDS:
        if cmd.id == "follow_link":
            for n in range(1, 10):
                result.append(
                    Binding(
                        str(n), f"follow_link({n})", cmd.description, show=False, id=f"link_{n}"
                    )  # fmt: skip
                )
            continue
        group = Binding.Group(cmd.group, compact=True) if cmd.group else None
        # No key_display: the footer names the bound key itself, so a remapped key shows.
        result.append(
            Binding(
                cmd.keys,
                cmd.action,
                cmd.footer or cmd.description,
                show=bool(cmd.footer),
                id=cmd.id,
                group=group,
            )
        )
    return result


def default_keys() -> dict[str, str]:
    """Every binding id with its default keys (links 1–9 have one id each)."""
    keys: dict[str, str] = {}
    for cmd in COMMANDS:
        if cmd.id == "follow_link":
            keys.update({f"link_{n}": str(n) for n in range(1, 10)})
        else:
            keys[cmd.id] = cmd.keys
    return keys


def keymap_problem(keymap: Mapping[str, str]) -> str | None:
    """What is wrong with the ``[keys]`` of config.toml, in one line; None when it is fine.

    An unknown id, or a key that would then run two commands, is refused:
    remap the other command too.
    """
    defaults = default_keys()
    for command_id in keymap:
        if command_id not in defaults:
            return f"[keys] {command_id}: no such command (the ids are in the ? help screen)"
    owner: dict[str, str] = {}
    for command_id, keys in {**defaults, **keymap}.items():
        for key in (k.strip() for k in keys.split(",")):
            if key in owner and owner[key] != command_id:
                return (
                    f"[keys] {key} would run both {owner[key]} and {command_id};"
                    " give one of them another key"
                )
            owner[key] = command_id
    return None


def help_rows(keymap: Mapping[str, str]) -> Iterable[tuple[str, str, str]]:
    """(keys, description, binding id) for the help screen, honouring the user's keymap."""
    for cmd in COMMANDS:
        if cmd.id == "switch_pane_back":
            continue
        keys = keymap.get(cmd.id, cmd.keys)
        if cmd.id == "switch_pane":
            keys = f"{keys},{keymap.get('switch_pane_back', 'shift+tab')}"
        yield key_label(keys), cmd.description, cmd.id


class ReaderCommands(Provider):
    """The command palette's list: every command of the table, run on the current screen."""

    def _commands(self) -> list[Command]:
        return [c for c in COMMANDS if c.palette and c.action != "follow_link"]

    async def discover(self) -> Hits:
        for cmd in self._commands():
            yield DiscoveryHit(cmd.description, partial(self._run, cmd.action), help=cmd.id)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for cmd in self._commands():
            score = matcher.match(cmd.description)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(cmd.description),
                    partial(self._run, cmd.action),
                    help=key_label(cmd.keys),
                )

    async def _run(self, action: str) -> None:
        await self.app.run_action(action, default_namespace=self.screen)
