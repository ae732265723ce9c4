"""peer.py's reader rows: start-up to the list and quit, termnews against newsboat, in a pty.

Both caches are filled by a refresh of the same loopback feeds (termnews's
``refresh`` and ``newsboat -x reload``); then each program starts in a pty of
120 × 40 until its first screen shows the posts (termnews: the list of posts;
newsboat: its feed list, the first screen it has), and quits on ``q`` until the
process is gone. A minimal Textual app starting and quitting the same way is
the floor of any Textual program. Rounds are interleaved; medians and ratios
to newsboat are printed.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from reader_speed import MINIMAL  # noqa: E402  (the same minimal app, quit on q)
from refresh import Contender, Feeds, Termnews  # noqa: E402
from tests.terminal import Terminal, termnews_argv  # noqa: E402

# (posts, feeds, items a feed): the small cache and the large one of issue 15.
SHAPES = {4000: (40, 100), 100_000: (200, 500)}


@dataclass
class Program:
    """One program to start in a pty: its command, environment and first screen."""

    name: str
    argv: list[str]
    env: dict[str, str]
    ready: Callable[[str], bool]


def _start_and_quit(program: Program) -> tuple[float, float]:
    """Seconds from the process start to its first screen, and from `q` to the process gone."""
    start = time.perf_counter()
    term = Terminal(program.argv, program.env, columns=120, rows=40)
    try:
        while not program.ready(term.text()):
            if term.process.poll() is not None:
                raise AssertionError(f"{program.name} exited; the screen was:\n{term.text()}")
            term.pump(0.001)
        started = time.perf_counter() - start
        term.pump(0.3)  # let start-up's after-paint work finish
        start = time.perf_counter()
        os.write(term.master, b"q")
        while term.process.poll() is None:
            term.pump(0.001)
        return started, time.perf_counter() - start
    finally:
        term.close()


def _filled(posts: int, newsboat: Contender, hosts: int) -> tuple[Termnews, Feeds]:
    """Both caches filled by one refresh of the same loopback feeds."""
    feeds_count, items = SHAPES[posts]
    feeds = Feeds(hosts, 0.0, [(items, feeds_count)])
    urls = feeds.urls(feeds_count, items)
    termnews = Termnews("termnews")
    for contender in (termnews, newsboat):
        contender.prepare(urls)
        cmd, env = contender.command()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
    return termnews, feeds


def reader_rows(binary: str, sizes: list[int], rounds: int, hosts: int) -> None:
    """Fill, then start and quit each program ``rounds`` times, interleaved; print the rows."""
    from peer import Newsboat

    print(f"reader rows: pty 120 × 40, medians of {rounds} interleaved rounds", flush=True)
    for posts in sizes:
        newsboat = Newsboat("newsboat", binary)
        termnews, feeds = _filled(posts, newsboat, hosts)
        feeds.stop()  # the readers start offline: the feeds are not needed any more
        stored = termnews.stored(), newsboat.stored()
        _, tn_env = termnews.command()
        cmd, nb_env = newsboat.command()
        nb_env.pop("TERM")  # the pty sets it
        nb_argv = [cmd[0], *cmd[3:]]  # without "-x reload"
        programs = [
            Program("termnews", termnews_argv("--offline"), tn_env, _termnews_ready),
            Program("newsboat", nb_argv, nb_env, lambda s: "Your feeds" in s and "feed0" in s),
            Program("minimal Textual app", [sys.executable, "-c", MINIMAL], tn_env, _ready),
        ]
        times: dict[str, list[tuple[float, float]]] = {p.name: [] for p in programs}
        for program in programs:  # one untimed run each: file and bytecode caches warm
            _start_and_quit(program)
        for _ in range(rounds):
            for program in programs:
                times[program.name].append(_start_and_quit(program))
        print(f"  {posts:,} posts (termnews {stored[0]:,}, newsboat {stored[1]:,} stored)")
        _print(times)


def _termnews_ready(screen: str) -> bool:
    return "All ·" in screen and " post " in screen


def _ready(screen: str) -> bool:
    return "ready" in screen


def _print(times: dict[str, list[tuple[float, float]]]) -> None:
    medians = {
        name: tuple(statistics.median(s[i] for s in samples) for i in (0, 1))
        for name, samples in times.items()
    }
    peer = medians["newsboat"]
    for i, what in enumerate(("start-up to the list", "quit (q → gone)")):
        for name, figures in medians.items():
            print(
                f"    {what:22} {name:20} {figures[i] * 1000:7.1f} ms"
                f"   {figures[i] / peer[i]:5.2f}× newsboat"
            )


if __name__ == "__main__":
    raise SystemExit("run peer.py")
