"""The pty harness of peer.py's reader rows: a program started to its first screen, keys timed.

A key is timed from writing it to the pty until the screen (pyte, as a person
sees it) passes a test. The program's output is read as it comes, each chunk
stamped on arrival, and fed to the emulator only when the output pauses or a
``hint`` (bytes the passing screen is likely written with) has arrived: the
emulator's own parsing, slow for a full repaint, is then not counted, and the
time is that of the chunk after which the screen first passes.
"""

from __future__ import annotations

import os
import select
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.terminal import Terminal  # noqa: E402

COLUMNS, ROWS = 120, 40
IDLE = 0.02  # seconds without output after which what arrived is read into the screen
LIMIT = 120.0  # seconds: a wait for the program, not a bound on its speed

Screen = Callable[[str], bool]


@dataclass
class Program:
    """One program to start in a pty: its command, environment, first screen and quit keys."""

    name: str
    argv: list[str]
    env: dict[str, str]
    ready: Screen
    quit: tuple[str, ...] = ("q",)


def start(program: Program) -> Terminal:
    """The program in a 120 × 40 pty, once its first screen shows."""
    term = Terminal(program.argv, program.env, columns=COLUMNS, rows=ROWS)
    try:
        term.wait_for(program.ready, timeout=LIMIT)
    except BaseException:
        term.close()
        raise
    return term


def key_to_screen(term: Terminal, key: str, done: Screen, hint: bytes | None = None) -> float:
    """Seconds from writing ``key`` until the screen passes ``done`` (see the module's note)."""
    chunks: list[tuple[float, bytes]] = []
    fed = 0
    start = time.perf_counter()
    os.write(term.master, key.encode())
    closed = False
    while not closed and time.perf_counter() - start < LIMIT:
        ready, _, _ = select.select([term.master], [], [], IDLE)
        if ready:
            try:
                data = os.read(term.master, 65536)
            except OSError:  # the program exited and closed the pty
                data = b""
            closed = not data
            if data:
                chunks.append((time.perf_counter(), data))
                if hint is None or hint not in data:
                    continue
        else:
            closed = term.process.poll() is not None
        for stamp, data in chunks[fed:]:
            term.stream.feed(data)
            fed += 1
            if done(term.text()):
                return stamp - start
    raise AssertionError(f"the screen never passed after {key!r}; it was:\n{term.text()}")


def quit_program(term: Terminal, keys: tuple[str, ...]) -> None:
    """Quit with the program's keys (its state saved as a user leaves it), untimed."""
    try:
        term.type(*keys)
        term.wait_exit(timeout=LIMIT)
    finally:
        term.close()
