"""Quitting at once: state saved, store closed, terminal restored, then ``os._exit``.

Textual's own way out waits twice for its input thread (it polls every 0.1 s)
and then the interpreter tears down a few hundred modules (0.2–0.3 s), while
nothing is left to do: the reading position is written and the store closed
before. So the CLI's reader leaves by the shortest path; tests and the
benchmarks' in-process apps (no ``leave`` callback) keep Textual's exit.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import termios
from collections.abc import Callable

from textual.app import App
from textual.drivers.linux_driver import LinuxDriver

# What Textual's LinuxDriver.stop_application_mode writes, in its order: paste mode off,
# line wrap on, mouse reporting off, kitty keyboard protocol off, alt screen off,
# cursor shown, focus events off.
_MOUSE_OFF = "\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l"
_RESTORE = "\x1b[?2004l\x1b[?7h" + _MOUSE_OFF + "\x1b[<u\x1b[?1049l\x1b[?25h\x1b[?1004l"


def restore_terminal(driver: LinuxDriver) -> None:
    """Put the terminal back as Textual found it, without waiting for the input thread.

    The input thread is told to stop and left to die with the process.
    """
    signal.signal(signal.SIGWINCH, signal.SIG_DFL)
    driver.exit_event.set()
    resize = "\x1b[?2048l" if driver._in_band_window_resize else ""
    driver.write(resize + _RESTORE)
    if driver.attrs_before is not None:
        with contextlib.suppress(termios.error):
            termios.tcsetattr(driver.fileno, termios.TCSANOW, driver.attrs_before)
    with contextlib.suppress(termios.error):
        termios.tcflush(driver.fileno, termios.TCIFLUSH)  # keys typed after q are dropped
    driver.close()  # the writer thread writes what is queued, then ends


def leave_now(app: App[int], leave: Callable[[], None], code: int) -> None:
    """Run ``leave`` (store closed, temporary files gone), restore the terminal, exit.

    Any other driver (headless, web, Windows) keeps Textual's exit path.
    """
    driver = app._driver
    if not isinstance(driver, LinuxDriver):
        app.exit(code)
        return
    leave()
    restore_terminal(driver)
    for stream in (sys.__stdout__, sys.__stderr__):
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
    os._exit(code)
