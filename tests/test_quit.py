"""`q` in the real reader, in a real pseudo-terminal: the position is saved, the terminal restored.

The reader leaves by ``os._exit`` once the store is closed (``tui/quitting.py``),
so this checks what a person would notice if a step were skipped: the alternate
screen still on, no cursor, mouse reports or a raw-mode shell afterwards, the
place in the article forgotten, a demo directory left behind.
"""

from __future__ import annotations

import fcntl
import os
import struct
import termios
from pathlib import Path

import pyte.modes

from termnews.models import Entry
from termnews.store import Store
from tests.terminal import Terminal, termnews_argv
from tests.tui.conftest import long_document

ALT_SCREEN, CURSOR, FOCUS, PASTE = 1049 << 5, pyte.modes.DECTCEM, 1004 << 5, 2004 << 5
MOUSE = {1000 << 5, 1003 << 5, 1006 << 5}
TIOCGPTN = 0x80045430  # Linux: the number of a pty master's slave (not in the termios module)


def _slave_attrs(term: Terminal) -> list:  # type: ignore[type-arg]
    """The pty's termios settings as the shell would find them after the reader."""
    number = struct.unpack("I", fcntl.ioctl(term.master, TIOCGPTN, b"\0" * 4))[0]
    fd = os.open(f"/dev/pts/{number}", os.O_RDWR | os.O_NOCTTY)
    try:
        return termios.tcgetattr(fd)
    finally:
        os.close(fd)


def _one_long_post(data_dir: Path) -> int:
    store = Store.open(data_dir / "termnews.sqlite3")
    try:
        source = store.add_source("https://example.com/", "Harbour Notes", "feed")
        store.upsert_posts(source.id, [Entry("a", "https://example.com/a", "Tides")])
        post = store.post_by_url("https://example.com/a")
        assert post is not None
        store.put_document(post.id, long_document(post.url, "Tides", paragraphs=120))
        return post.id
    finally:
        store.close()


def test_quit_saves_the_position_and_restores_the_terminal(isolated_dirs: Path) -> None:
    isolated_dirs.mkdir(parents=True)
    post_id = _one_long_post(isolated_dirs)
    before = _slave_attrs_fresh()
    term = Terminal(termnews_argv("--offline"), dict(os.environ), columns=100, rows=30)
    try:
        term.wait_for("Tides")
        assert ALT_SCREEN in term.screen.mode and CURSOR not in term.screen.mode
        term.type("enter")
        term.wait_for("Paragraph 0 of the story.")
        term.type(" ", " ", " ")  # three pages down
        term.wait_for(lambda screen: "Paragraph 0 of" not in screen)
        term.type("q")
        assert term.wait_exit() == 0
        term.pump(0.2)
        modes = term.screen.mode
        assert ALT_SCREEN not in modes and CURSOR in modes
        assert not MOUSE & modes and FOCUS not in modes and PASTE not in modes
        after = _slave_attrs(term)
        assert after[3] & termios.ECHO and after[3] & termios.ICANON  # a cooked shell again
        assert after[3] == before[3]
    finally:
        term.close()
    store = Store.open(isolated_dirs / "termnews.sqlite3")
    try:
        post = store.post(post_id)
        assert post is not None and 0.0 < post.position < 1.0
    finally:
        store.close()


def test_quitting_the_demo_leaves_no_directory_behind(tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = dict(os.environ, TMPDIR=str(temp))
    term = Terminal(termnews_argv("--demo"), env, columns=100, rows=30)
    try:
        term.wait_for("termnews")
        assert list(temp.iterdir())  # the demo's database lives here while it runs
        term.type("q")
        assert term.wait_exit() == 0
    finally:
        term.close()
    assert list(temp.iterdir()) == []


def _slave_attrs_fresh() -> list:  # type: ignore[type-arg]
    """A new pty's settings: what the terminal must look like again after quitting."""
    import pty

    master, slave = pty.openpty()
    try:
        return termios.tcgetattr(slave)
    finally:
        os.close(master)
        os.close(slave)
