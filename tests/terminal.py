"""The real ``termnews`` command in a pseudo-terminal, read through a terminal emulator (pyte).

Tests type keys as a person does and read the screen as a person sees it; no
Textual internals are involved, so what passes here works for a subscriber.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pyte

KEYS = {"enter": "\r", "escape": "\x1b", "tab": "\t", "down": "\x1b[B", "up": "\x1b[A"}


class Terminal:
    """A pty of ``columns`` × ``rows`` running one command; ``screen`` is what it shows."""

    def __init__(
        self, argv: Sequence[str], env: dict[str, str], columns: int = 120, rows: int = 40
    ) -> None:
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.master = master
        self.process = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**env, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)},
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)

    # -- reading -------------------------------------------------------------------------

    def pump(self, seconds: float = 0.05) -> None:
        """Feed whatever the program wrote within ``seconds`` into the emulator."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.master], [], [], max(0.0, left))
            if ready:
                try:
                    data = os.read(self.master, 65536)
                except OSError:  # the program exited and closed the pty
                    return
                if not data:
                    return
                self.stream.feed(data)
            elif left <= 0:
                return

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, what: str | Callable[[str], bool], timeout: float = 60.0) -> str:
        """The screen once it shows ``what`` (text, or a test of the screen's text).

        ``timeout`` bounds a wait for the program, not its speed: it is generous.
        """
        test = what if callable(what) else (lambda screen: what in screen)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.1)
            screen = self.text()
            if test(screen):
                return screen
            if self.process.poll() is not None:
                self.pump(0.2)
                break
        raise AssertionError(f"never saw {what!r}; the screen was:\n{self.text()}")

    # -- typing --------------------------------------------------------------------------

    def type(self, *keys: str) -> None:
        """Send keys: literal text, or names from ``KEYS`` ("enter", "escape", …)."""
        for key in keys:
            os.write(self.master, KEYS.get(key, key).encode("utf-8"))
            if key == "escape":  # a lone ESC: the next byte at once would make it alt+key
                self.pump(0.4)
        self.pump(0.05)

    def wait_exit(self, timeout: float = 30.0) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self.pump(0.1)
        if self.process.poll() is None:
            raise AssertionError(f"the program did not exit; the screen was:\n{self.text()}")
        return self.process.returncode

    def close(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        with contextlib.suppress(OSError):
            os.close(self.master)


def termnews_argv(*args: str) -> list[str]:
    """The installed ``termnews`` script of this environment, as a subscriber runs it."""
    script = Path(sys.executable).with_name("termnews")
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "termnews", *args]
