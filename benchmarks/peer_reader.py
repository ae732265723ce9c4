"""peer.py's reader rows: termnews against newsboat and a minimal Textual app, in a pty.

Both caches are filled by a refresh of the same loopback feeds (termnews's
``refresh`` and ``newsboat -x reload``), with ``peer_posts``'s three feeds
among them (a 10,000-word article, and the posts a search finds); termnews
then downloads one copy of the article (``termnews save``). Each program starts
in a pty of 120 × 40 until its first screen shows the posts (termnews: the list
of posts; newsboat: its feed list, the first screen it has), and quits on ``q``
until the process is gone; ``peer_open`` adds opening the article and a search
step. A minimal Textual app doing the same is the floor of any Textual program.
Rounds are interleaved; medians and ratios to newsboat are printed.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from peer_open import Measure, floor_program, open_and_search  # noqa: E402
from peer_posts import PeerPosts  # noqa: E402
from peer_pty import Program, start  # noqa: E402
from reader_speed import MINIMAL  # noqa: E402  (the same minimal app, quit on q)
from refresh import Contender, Feeds, Termnews  # noqa: E402
from tests.terminal import termnews_argv  # noqa: E402

# (posts, feeds, items a feed): the small cache and the large one of issue 15.
SHAPES = {4000: (40, 100), 100_000: (200, 500)}
Samples = dict[str, dict[str, list[float]]]  # what → contender → seconds, one a round


def _start_and_quit(program: Program) -> tuple[float, float]:
    """Seconds from the process start to its first screen, and from `q` to the process gone."""
    began = time.perf_counter()
    term = start(program)
    try:
        started = time.perf_counter() - began
        term.pump(0.3)  # let start-up's after-paint work finish
        began = time.perf_counter()
        os.write(term.master, b"q")
        while term.process.poll() is None:
            term.pump(0.001)
        return started, time.perf_counter() - began
    finally:
        term.close()


def _filled(posts: int, newsboat: Contender, hosts: int) -> Termnews:
    """Both caches filled by one refresh of the same loopback feeds; the article downloaded."""
    feeds_count, items = SHAPES[posts]
    feeds = Feeds(hosts, 0.0, [(items, feeds_count)])
    extra = PeerPosts()
    termnews = Termnews("termnews")
    try:
        urls = [*extra.urls, *feeds.urls(feeds_count, items)]  # newsboat lists them in order
        for contender in (termnews, newsboat):
            contender.prepare(urls)
            cmd, env = contender.command()
            subprocess.run(cmd, env=env, check=True, capture_output=True)
        cmd, env = termnews.command()
        subprocess.run(
            [*cmd[:-1], "save", extra.saved_page], env=env, check=True, capture_output=True
        )
    finally:  # the readers start offline: the feeds are not needed any more
        feeds.stop()
        extra.stop()
    return termnews


def reader_rows(binary: str, sizes: list[int], rounds: int, hosts: int) -> None:
    """Fill, then run every measure ``rounds`` times, interleaved; print the rows."""
    from peer import Newsboat

    print(f"reader rows: pty 120 × 40, medians of {rounds} interleaved rounds", flush=True)
    for posts in sizes:
        newsboat = Newsboat("newsboat", binary)
        termnews = _filled(posts, newsboat, hosts)
        stored = termnews.stored(), newsboat.stored()
        _, tn_env = termnews.command()
        cmd, nb_env = newsboat.command()
        nb_env.pop("TERM")  # the pty sets it
        nb_argv = [cmd[0], *cmd[3:]]  # without "-x reload"
        tn = Program("termnews", termnews_argv("--offline"), tn_env, _termnews_ready)
        nb = Program("newsboat", nb_argv, nb_env, _newsboat_ready, ("Q",))
        minimal = Program("minimal Textual app", [sys.executable, "-c", MINIMAL], tn_env, _ready)
        with tempfile.TemporaryDirectory() as tmp:
            rows = open_and_search(tn, nb, floor_program(tn_env, Path(tmp)))
            samples = _measure([tn, nb, minimal], rows, rounds)
        print(f"  {posts:,} posts (termnews {stored[0]:,}, newsboat {stored[1]:,} stored)")
        _print(samples)


def _measure(
    programs: list[Program], rows: dict[str, list[tuple[str, Measure]]], rounds: int
) -> Samples:
    """Start-up and quit of each program, then each row's measures, round after round.

    One untimed round first: file and bytecode caches warm.
    """
    samples: Samples = {"start-up to the list": {}, "quit (q → gone)": {}}
    for what in rows:
        samples[what] = {}
    for n in range(rounds + 1):
        for program in programs:
            started, quit_ = _start_and_quit(program)
            if n:
                samples["start-up to the list"].setdefault(program.name, []).append(started)
                samples["quit (q → gone)"].setdefault(program.name, []).append(quit_)
        for what, measures in rows.items():
            for name, measure in measures:
                took = measure.once()
                if n:
                    samples[what].setdefault(name, []).append(took)
        print(f"    round {n}/{rounds} done", flush=True)
    return samples


def _termnews_ready(screen: str) -> bool:
    return "All ·" in screen and " post " in screen


def _newsboat_ready(screen: str) -> bool:
    return "Your feeds" in screen and "feed0" in screen


def _ready(screen: str) -> bool:
    return "ready" in screen


def _print(samples: Samples) -> None:
    """Each row's medians, and each as a ratio to newsboat's median."""
    for what, contenders in samples.items():
        medians = {name: statistics.median(s) for name, s in contenders.items()}
        peer = medians["newsboat"]
        for name, median in medians.items():
            print(
                f"    {what:22} {name:22} {median * 1000:7.1f} ms   {median / peer:5.2f}× newsboat"
            )


if __name__ == "__main__":
    raise SystemExit("run peer.py")
