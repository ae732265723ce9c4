"""Every command of the reader, declared once.

One table feeds the BINDINGS of the screen and of the widgets that own a key
(each command has a scope), the footer, the command palette and the help
screen, so they cannot drift apart. A user's ``[keys]`` table in config.toml
remaps a command by its binding id (``App.set_keymap``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.dom import DOMNode
from textual.markup import escape

# Who binds a command: the ids of the widgets that own its key, or none for the main
# screen. The two panes each bind the moving keys (j scrolls the article and moves in
# the list); "panes", the container around both, binds the keys that span them.
SIDEBAR, ARTICLE, PANES = "sidebar", "article", "panes"
_EACH_PANE = (SIDEBAR, ARTICLE)


@dataclass(frozen=True, slots=True)
class Command:
    """One user command: its binding id, default keys, action and words for people."""

    id: str
    keys: str
    action: str
    description: str
    footer: str = ""  # short label; shown in the footer when not empty
    palette: bool = True
    group: str = ""  # footer group label, for pairs like j/k
    scope: tuple[str, ...] = ()  # the widget ids that bind it; () is the main screen
    # It opens a text field or a dialog: the keys typed right after it go there
    # (``TermnewsApp`` runs it before reading the next key).
    opens_input: bool = False


_MOVE = "move"

# fmt: off
COMMANDS: tuple[Command, ...] = (
    Command("down", "j,down", "down", "Next post (or scroll down in the article)", "down",
            palette=False, group=_MOVE, scope=_EACH_PANE),
    Command("up", "k,up", "up", "Previous post (or scroll up in the article)", "up",
            palette=False, group=_MOVE, scope=_EACH_PANE),
    Command("open", "enter,l", "open", "Open the post in the article pane", "read",
            scope=(PANES,)),
    Command("switch_pane", "tab", "switch_pane", "Move to the next pane", scope=(PANES,)),
    Command("switch_pane_back", "shift+tab", "switch_pane", "Move to the other pane",
            palette=False, scope=(PANES,)),
    Command("page_down", "space,pagedown", "page_down",
            "Page down (at the end: the next unread post)", scope=(PANES,)),
    Command("page_up", "b,pageup", "page_up", "Page the article up", scope=(PANES,)),
    Command("top", "g,home", "top", "Go to the top", scope=_EACH_PANE),
    Command("bottom", "G,end", "bottom", "Go to the bottom", scope=_EACH_PANE),
    Command("next_unread", "n", "goto_unread(1)", "Next unread post (then the next source)"),
    Command("prev_unread", "p", "goto_unread(-1)", "Previous unread post"),
    Command("save", "s", "toggle_saved", "Save or unsave (saved posts are kept offline)", "save"),
    Command("read", "m", "toggle_read", "Mark read or unread"),
    Command("mark_all_read", "A", "mark_all_read", "Mark all posts in the list as read",
            opens_input=True),  # more than a screenful asks first
    Command("filter", "f", "cycle_filter", "Cycle filter: all, unread, saved", scope=(PANES,)),
    Command("sources", "S", "pick_source", "Choose a source or tag (filter by typing)",
            scope=(PANES,), opens_input=True),
    Command("browser", "o", "open_browser", "Open the post in the web browser", "browser"),
    Command("copy_url", "y", "copy_url", "Copy the post's URL"),
    Command("follow_link", "1,2,3,4,5,6,7,8,9", "follow_link", "Follow link 1–9 of the article"),
    Command("links", "L", "pick_link", "Pick any link of the article (open, browse, copy)",
            opens_input=True),
    Command("back", "h,backspace", "back", "Back to the article the link was followed from"),
    Command("search", "slash", "search", "Full-text search of cached posts", "search",
            scope=(PANES,), opens_input=True),
    Command("widen_search", "ctrl+g", "widen_search", "Search every source, not only this one",
            scope=(PANES,)),
    Command("clear", "escape", "clear", "Close the search, back to the list", palette=False,
            scope=(PANES,)),
    Command("add_source", "a", "add('source')", "Add a source (feed or site)", opens_input=True),
    Command("save_page", "P", "add('page')", "Save a web page for offline reading",
            opens_input=True),
    Command("refresh", "r", "refresh", "Refresh this post's source", "refresh"),
    Command("refresh_all", "R", "refresh_all", "Refresh all sources"),
    Command("toggle_sidebar", "backslash", "toggle_sidebar", "Show or hide the sidebar",
            scope=(PANES,)),
    Command("help", "question_mark", "help", "Show the keys", "help"),
    Command("palette", "ctrl+p", "app.command_palette", "Command palette", palette=False),
    Command("quit", "q", "quit", "Quit", "quit"),
)
# fmt: on

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


def bindings(owner: str | None = None) -> list[Binding | tuple[str, str] | tuple[str, str, str]]:
    """The BINDINGS of a widget id (None: the main screen), each with its command's id.

    The ids let a user's keymap remap them.
    """
    result: list[Binding | tuple[str, str] | tuple[str, str, str]] = []
    for cmd in COMMANDS:
        if not (owner in cmd.scope if owner else not cmd.scope):
            continue
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


def command_order() -> dict[str, int]:
    """Each binding id's place in the table: the footer lists hints in this order."""
    return {cmd.id: n for n, cmd in enumerate(COMMANDS)}


def opens_input(action: str) -> bool:
    """True for an action whose command opens a text field or a dialog (type-ahead goes there)."""
    return any(cmd.opens_input and cmd.action == action for cmd in COMMANDS)


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


def with_key(description: Content, keys: str) -> Content:
    """A palette line: the command's words, then its key in bold ("Quit  q")."""
    return Content.assemble(description, "  ", (key_label(keys), "bold $text-accent"))


def _remap(cmd: Command) -> str:
    """The palette's help line: how to give the command another key (markup: escaped)."""
    return escape(f"[keys] {cmd.id} in config.toml")


class ReaderCommands(Provider):
    """The command palette's list: every command of the table with its key (the user's
    keymap honoured), run where its key is bound; the help line says how to remap it."""

    def _commands(self) -> list[tuple[Command, str]]:
        keymap: Mapping[str, str] = getattr(self.app, "keymap", {})
        return [
            (c, keymap.get(c.id, c.keys))
            for c in COMMANDS
            if c.palette and c.action != "follow_link"
        ]

    async def discover(self) -> Hits:
        for cmd, keys in self._commands():
            line = with_key(Content(cmd.description), keys)
            yield DiscoveryHit(line, partial(self._run, cmd), cmd.description, help=_remap(cmd))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for cmd, keys in self._commands():
            score = matcher.match(cmd.description)
            if score > 0:
                line = with_key(matcher.highlight(cmd.description), keys)
                yield Hit(score, line, partial(self._run, cmd), cmd.description, help=_remap(cmd))

    async def _run(self, cmd: Command) -> None:
        """Run on the screen, or on the pane that owns the key (the focused one first)."""
        target: DOMNode = self.screen
        owners = [w for wid in cmd.scope for w in self.screen.query(f"#{wid}")]
        focused = self.screen.focused
        if owners:
            within = [w for w in owners if focused is not None and w in focused.ancestors_with_self]
            target = (within or owners)[0]
        await self.app.run_action(cmd.action, default_namespace=target)
