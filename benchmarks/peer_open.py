"""peer.py's open and search rows: termnews against newsboat, one key timed in a pty.

- open a cached 10,000-word article (``peer_posts``): from the key that opens it
  to its first words on screen. termnews: the post selected in the list, Enter —
  once for the post whose feed carries the article (``prefetch = "off"``: the
  reader shows the feed's content, converted on opening, as newsboat does) and
  once for the same article downloaded by ``termnews save`` (stored the way every
  downloaded article is; ``j`` then Enter). newsboat: Enter on the feed, and
  with its item list shown, the Enter that opens the item is timed. The floor: a
  minimal Textual app painting the same text in a Static on Enter.
- search step: termnews searches as you type, so after ``/`` and ``qui`` (25
  posts) the last letter, ``n``, is timed to the list of the 5 hits of "quin";
  newsboat searches when the query is entered, so after ``/`` and ``quin`` in
  its feed list (every feed's items) the Enter is timed to its result list.
  Done: every hit's title on screen and none of the 20 that only "qui" matches.
  termnews asks its FTS5 index for a prefix of each word (ranked); newsboat scans
  titles and contents for the substring. The floor: the minimal app replacing
  25 such titles by the 5 hits on ``n``.

Each program starts afresh for each measure (first screen, then the keys before
the timed one, untimed), and quits with its own keys.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peer_posts import DECOY, HIT, HITS, LEAD, LONG_TITLE, article_text  # noqa: E402
from peer_pty import Program, Screen, key_to_screen, quit_program, start  # noqa: E402

# The floor: a minimal Textual app with the first screen of each row, and the one key.
FLOOR = """
import sys
from rich.text import Text
from textual.app import App
from textual.containers import VerticalScroll
from textual.widgets import Static
ARTICLE = open(sys.argv[1], encoding="utf-8").read()
TITLES = sys.argv[2].split("|")
class Floor(App):
    BINDINGS = [("q", "quit", "Quit")]
    def compose(self):
        with VerticalScroll():
            yield Static(Text("ready\\n" + "\\n".join(TITLES)), id="body")
    def on_key(self, event):
        body = self.query_one("#body", Static)
        if event.key == "enter":
            body.update(Text(ARTICLE))
        elif event.key == "n":
            body.update(Text("\\n".join(t for t in TITLES if t.startswith("Quin"))))
Floor().run()
"""


@dataclass
class Measure:
    """One program's part in a row: keys typed and waited on first, then the timed key."""

    program: Program
    key: str
    done: Screen
    before: Sequence[tuple[str, Screen | None]] = ()
    hint: bytes | None = None
    quit: tuple[str, ...] = field(default=())

    def once(self) -> float:
        term = start(self.program)
        try:
            for key, screen in self.before:
                term.type(key)
                if screen is not None:
                    term.wait_for(screen)
            term.pump(0.3)  # the last key's work done: only the timed key is measured
            took = key_to_screen(term, self.key, self.done, self.hint)
        except BaseException:
            term.close()
            raise
        quit_program(term, self.quit or self.program.quit)
        return took


NOTE = "Showing the feed's content"  # termnews's line above an article it has not downloaded


def _opened(screen: str) -> bool:
    return LEAD in screen


def _opened_feed_text(screen: str) -> bool:
    return LEAD in screen and NOTE in screen


def _opened_download(screen: str) -> bool:
    return LEAD in screen and NOTE not in screen


def _hits_only(screen: str) -> bool:
    return screen.count(HIT) >= HITS and DECOY not in screen


def floor_program(env: dict[str, str], home: Path) -> Program:
    """The minimal Textual app, with the article's text and the search's titles."""
    text = home / "article.txt"
    text.write_text(article_text(), encoding="utf-8")
    titles = "|".join(f"{HIT if i % 5 == 0 else DECOY} notes, part {i}" for i in range(25))
    argv = [sys.executable, "-c", FLOOR, str(text), titles]
    return Program("minimal Textual app", argv, env, lambda s: "ready" in s)


def open_and_search(
    termnews: Program, newsboat: Program, floor: Program
) -> dict[str, list[tuple[str, Measure]]]:
    """The rows: what is measured → (contender, its measure), newsboat's among them."""
    hint = LEAD.encode()
    in_feed = (("enter", lambda s: LONG_TITLE in s and "Articles in feed" in s),)
    open_row = [
        ("termnews, feed text", Measure(termnews, "\r", _opened_feed_text, hint=hint)),
        ("termnews, downloaded", Measure(termnews, "\r", _opened_download, (("j", None),), hint)),
        ("newsboat", Measure(newsboat, "\r", _opened, in_feed, hint)),
        (floor.name, Measure(floor, "\r", _opened, hint=hint)),
    ]
    typed = (
        ("/", lambda s: "Search cached posts" in s),
        ("qui", lambda s: "“qui”" in s and DECOY in s),
    )
    prompt = (("/", lambda s: "Search for:" in s), ("quin", lambda s: "Search for: quin" in s))
    last_hit = f"{HIT} notes, part 0".encode()
    search_row = [
        ("termnews", Measure(termnews, "n", _hits_only, typed, last_hit, ("escape", "q"))),
        ("newsboat", Measure(newsboat, "\r", _hits_only, prompt, last_hit)),
        (floor.name, Measure(floor, "n", _hits_only, hint=last_hit)),
    ]
    return {"open 10,000 words": open_row, "search step": search_row}
