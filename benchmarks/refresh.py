"""`termnews refresh` as a whole process against loopback feeds, each row as a ratio to a reference.

The rows are issue 15's: CPU of a refresh whose feeds all answer 304 (50 and
200 feeds), wall time of a cold refresh (50 and 200 new feeds) and of filling
100,000 items (200 feeds × 500). Each command is one process, timed from
outside (wall, and user + system CPU of it and every process it started); the
reference is ``plain_refresh.py``, a plain Python refresher doing the same
fetches, measured in the same run, in interleaved rounds, medians quoted. The
ideal network time (latency × ⌈feeds / 16⌉) is printed beside the wall rows.
``peer.py`` adds "imports only": Python importing asyncio, SQLite, httpx and
httpcore and doing nothing else, the floor of any refresh built on them.

Feeds are served by a separate process on several loopback addresses
(127.0.0.2, 127.0.0.3, …) with an injected latency; the server honours
If-None-Match and If-Modified-Since. After each command the processes it left
behind (workers that outlived it) are counted and reaped.

    uv run python benchmarks/refresh.py [--rounds 5] [--latency 0.05] [--items 20]
        [--no-fill] [--before SRC]   # SRC: another tree's src/, run beside this one

``peer.py`` runs the same rows against newsboat.
"""

from __future__ import annotations

import argparse
import ctypes
import math
import multiprocessing
import os
import resource
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LAST_MODIFIED = "Sun, 01 Nov 2026 00:00:00 GMT"


def make_feed(name: str, items: int) -> bytes:
    """An RSS 2.0 feed of ``items`` dated entries."""
    base = datetime(2026, 11, 1, tzinfo=UTC)
    parts = [f"<rss version='2.0'><channel><title>{name}</title><link>http://x.test/</link>"]
    for i in range(items):
        date = format_datetime(base + timedelta(minutes=i))
        parts.append(
            f"<item><title>{name} post {i}</title><link>http://x.test/{name}/{i}</link>"
            f"<guid>{name}-{i}</guid><pubDate>{date}</pubDate>"
            f"<description>&lt;p&gt;Paragraph {i} of {name}, with some words in it "
            f"to look like a real summary of a post.&lt;/p&gt;</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a listen backlog like a real server's, not the default 5


def _feed_server(host: str, latency: float, bodies: dict[str, bytes]) -> ThreadingHTTPServer:
    """A loopback server answering ``/i{items}/f{n}`` after ``latency`` seconds (or 304)."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            time.sleep(latency)
            etag = f'"{self.path}"'
            body = bodies.get(self.path)
            if body is None:
                self.send_error(404)
                return
            if (
                self.headers.get("If-None-Match") == etag
                or self.headers.get("If-Modified-Since") == LAST_MODIFIED
            ):
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = _Server((host, 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def _serve(hosts: int, latency: float, shapes: list[tuple[int, int]], conn: Any) -> None:
    """The feed servers, in their own process so they never compete for our GIL."""
    bodies: dict[str, bytes] = {}
    for items, count in shapes:
        for n in range(count):
            bodies[f"/i{items}/f{n}"] = make_feed(f"feed{n}", items)
    servers = [_feed_server(f"127.0.0.{i + 2}", latency, bodies) for i in range(hosts)]
    conn.send([f"http://{s.server_address[0]}:{s.server_address[1]}" for s in servers])
    conn.recv()  # until the benchmark is done


class Feeds:
    """The feed server process and the URLs of each shape of refresh."""

    def __init__(self, hosts: int, latency: float, shapes: list[tuple[int, int]]) -> None:
        self.latency = latency
        parent, child = multiprocessing.Pipe()
        self._conn = parent
        self.process = multiprocessing.Process(
            target=_serve, args=(hosts, latency, shapes, child), daemon=True
        )
        self.process.start()
        self.bases: list[str] = parent.recv()

    def urls(self, feeds: int, items: int) -> list[str]:
        return [f"{self.bases[n % len(self.bases)]}/i{items}/f{n}" for n in range(feeds)]

    def stop(self) -> None:
        self._conn.send("stop")
        self.process.join(timeout=5)


@dataclass(frozen=True)
class Row:
    """One row of the table: a refresh of ``feeds`` × ``items``, judged on ``figure``."""

    label: str
    feeds: int
    items: int
    warm: bool  # every feed answers 304 (validators from an earlier, untimed refresh)
    figure: str  # "cpu" or "wall"


@dataclass
class Sample:
    wall: float
    cpu: float
    leftover: int  # processes the command left running or unreaped when it exited
    code: int


@dataclass
class Contender:
    """Something that refreshes: how to give it fresh state, and the command to run."""

    name: str
    home: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="refresh-bench-")))

    def prepare(self, urls: Sequence[str]) -> None:
        """A fresh state following ``urls``, nothing fetched yet."""
        raise NotImplementedError

    def command(self) -> tuple[list[str], dict[str, str]]:
        raise NotImplementedError

    def stored(self) -> int:
        """Items in the store now (a check that the work was done)."""
        raise NotImplementedError


def python_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a Python child, with bytecode caches (as an installed program has)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "refresh-bench-pycache")
    env.update(extra or {})
    return env


class Termnews(Contender):
    """``python -m termnews refresh`` over its own data and config directories."""

    def __init__(self, name: str, src: Path | None = None) -> None:
        super().__init__(name)
        self.src = src
        (self.home / "config").mkdir()
        (self.home / "config" / "config.toml").write_text('prefetch = "off"\n')  # as newsboat

    @property
    def database(self) -> Path:
        return self.home / "data" / "termnews.sqlite3"

    def prepare(self, urls: Sequence[str]) -> None:
        shutil.rmtree(self.home / "data", ignore_errors=True)
        code = (
            "import sys\nfrom termnews.store import Store\n"
            "s = Store.open(sys.argv[1])\n"
            "for u in sys.argv[2:]:\n    s.add_source(u, u, 'feed', u)\ns.close()\n"
        )
        cmd, env = self.command()
        subprocess.run([sys.executable, "-c", code, str(self.database), *urls], env=env, check=True)

    def command(self) -> tuple[list[str], dict[str, str]]:
        extra = {
            "TERMNEWS_DATA_DIR": str(self.home / "data"),
            "TERMNEWS_CONFIG_DIR": str(self.home / "config"),
        }
        if self.src is not None:
            extra["PYTHONPATH"] = str(self.src)
        return [sys.executable, "-m", "termnews", "refresh"], python_env(extra)

    def stored(self) -> int:
        with sqlite3.connect(self.database) as db:
            return int(db.execute("SELECT count(*) FROM posts").fetchone()[0])


class Plain(Contender):
    """The reference: ``plain_refresh.py``."""

    def prepare(self, urls: Sequence[str]) -> None:
        (self.home / "db.sqlite3").unlink(missing_ok=True)
        (self.home / "urls").write_text("\n".join(urls) + "\n")

    def command(self) -> tuple[list[str], dict[str, str]]:
        script = str(HERE / "plain_refresh.py")
        return [sys.executable, script, str(self.home / "db.sqlite3"), str(self.home / "urls")], (
            python_env()
        )

    def stored(self) -> int:
        with sqlite3.connect(self.home / "db.sqlite3") as db:
            return int(db.execute("SELECT count(*) FROM items").fetchone()[0])


class Floor(Contender):
    """Python importing what any refresh over asyncio, httpx and SQLite must import (httpx
    imports its transport, httpcore with h11 and anyio, with its first client), and nothing
    else: no request, no write. The floor of a warm refresh in this language."""

    def prepare(self, urls: Sequence[str]) -> None:
        pass

    def command(self) -> tuple[list[str], dict[str, str]]:
        return [sys.executable, "-c", "import asyncio, sqlite3, httpx, httpcore"], python_env()

    def stored(self) -> int:
        return 0


def become_subreaper() -> bool:
    """Orphans of our children become ours (Linux), so leftover workers are seen and reaped."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(36, 1, 0, 0, 0)) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def _children(exclude: set[int]) -> list[int]:
    me = os.getpid()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in exclude:
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == me:
            found.append(int(entry))
    return found


def run(contender: Contender, keep: set[int]) -> Sample:
    """Run the contender's command once: wall, CPU of its process tree, processes left over."""
    cmd, env = contender.command()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=contender.home, capture_output=True)
    wall = time.perf_counter() - start
    left = _children(keep)
    deadline = time.monotonic() + 10
    for pid in left:  # reap them, so their CPU is counted; bounded, then killed
        while time.monotonic() < deadline:
            done, _status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.01)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).decode(errors="replace").strip().splitlines()[-1:]
        print(f"  {contender.name}: exit {proc.returncode}: {' '.join(tail)}")
    return Sample(wall, cpu, len(left), proc.returncode)


def measure(
    rows: Sequence[Row],
    contenders: Sequence[Contender],
    feeds: Feeds,
    rounds: int,
    warmed: set[str],
) -> dict[tuple[str, str], list[Sample]]:
    """Every row for every contender, in interleaved rounds (order alternating).

    A warm row first refreshes once untimed (for the validators) and once more as a
    warm-up; before a cold row, a contender that has not run yet refreshes ten feeds
    (bytecode and disk caches).
    """
    keep = {feeds.process.pid or 0}
    results: dict[tuple[str, str], list[Sample]] = {}
    for row in rows:
        urls = feeds.urls(row.feeds, row.items)
        for c in contenders:
            if row.warm:
                c.prepare(urls)
                run(c, keep)
                run(c, keep)
            elif c.name not in warmed:
                c.prepare(urls[:10])  # a small refresh warms the caches
                run(c, keep)
            warmed.add(c.name)
        for r in range(rounds):
            order = contenders if r % 2 == 0 else list(reversed(contenders))
            for c in order:
                if not row.warm:
                    c.prepare(urls)
                sample = run(c, keep)
                results.setdefault((row.label, c.name), []).append(sample)
                print(
                    f"  {row.label} round {r + 1}: {c.name} wall {sample.wall:.3f}"
                    f" cpu {sample.cpu:.3f} left {sample.leftover}",
                    flush=True,
                )
        stored = ", ".join(f"{c.name} {c.stored()}" for c in contenders)
        print(f"  [{row.label}: items stored: {stored}]", flush=True)
    return results


def report(
    rows: Sequence[Row],
    contenders: Sequence[Contender],
    results: dict[tuple[str, str], list[Sample]],
    reference: str,
    latency: float,
) -> None:
    """A table: per row and contender the medians, and the median of per-round ratios."""
    print(f"\n{'row':22s} {'contender':16s} {'wall s':>8s} {'cpu s':>8s} {'ratio':>7s}  left")
    for row in rows:
        ref = results[(row.label, reference)]
        for c in contenders:
            samples = results[(row.label, c.name)]
            ratios = [
                getattr(s, row.figure) / max(getattr(b, row.figure), 1e-9)
                for s, b in zip(samples, ref, strict=True)
            ]
            wall = statistics.median(s.wall for s in samples)
            cpu = statistics.median(s.cpu for s in samples)
            left = max(s.leftover for s in samples)
            print(
                f"{row.label:22s} {c.name:16s} {wall:8.3f} {cpu:8.3f}"
                f" {statistics.median(ratios):6.2f}×  {left}"
            )
        if row.figure == "wall":
            ideal = latency * math.ceil(row.feeds / 16)
            print(f"{'':22s} {'(ideal network)':16s} {ideal:8.3f}")
    print(f"\nratio: the row's figure (cpu or wall) ÷ {reference}'s, per round, median")


def rows_for(items: int, fill: bool) -> list[Row]:
    """Issue 15's refresh rows."""
    rows = [
        Row("warm 50: cpu", 50, items, True, "cpu"),
        Row("warm 200: cpu", 200, items, True, "cpu"),
        Row("cold 50: wall", 50, items, False, "wall"),
        Row("cold 200: wall", 200, items, False, "wall"),
    ]
    if fill:
        rows.append(Row("fill 200×500: wall", 200, 500, False, "wall"))
    return rows


def arguments(description: str) -> argparse.ArgumentParser:
    """The options refresh.py and peer.py share."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--fill-rounds", type=int, default=1, help="rounds of the 100k fill")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request")
    parser.add_argument("--items", type=int, default=20, help="entries a feed (not the fill)")
    parser.add_argument("--hosts", type=int, default=8, help="loopback addresses to spread over")
    parser.add_argument("--no-fill", action="store_true", help="skip the 200 × 500 fill")
    parser.add_argument("--before", type=Path, help="another tree's src/ to run beside this one")
    parser.add_argument("--only", help="run only the rows whose label contains this")
    return parser


def bench(args: argparse.Namespace, contenders: list[Contender], reference: str) -> None:
    """Serve the feeds, run the rows, print the table."""
    become_subreaper()
    rows = [r for r in rows_for(args.items, not args.no_fill) if (args.only or "") in r.label]
    shapes = sorted({(r.items, r.feeds) for r in rows})
    feeds = Feeds(args.hosts, args.latency, shapes)
    print(
        f"loopback feeds on {args.hosts} hosts, {args.latency * 1000:.0f} ms latency,"
        f" {args.items} items a feed; {args.rounds} rounds (fill: {args.fill_rounds});"
        f" {os.cpu_count()} cores",
        flush=True,
    )
    results: dict[tuple[str, str], list[Sample]] = {}
    warmed: set[str] = set()
    try:
        for row in rows:
            rounds = args.fill_rounds if row.items == 500 else args.rounds
            results.update(measure([row], contenders, feeds, rounds, warmed))
    finally:
        feeds.stop()
        for c in contenders:
            shutil.rmtree(c.home, ignore_errors=True)
    report(rows, contenders, results, reference, args.latency)


def termnews_contenders(args: argparse.Namespace) -> list[Contender]:
    """This tree's termnews, and the ``--before`` tree's when given."""
    found: list[Contender] = [Termnews("termnews")]
    if args.before is not None:
        found.append(Termnews("termnews-before", args.before.resolve()))
    return found


def main() -> None:
    args = arguments(__doc__.splitlines()[0]).parse_args()
    bench(args, [*termnews_contenders(args), Plain("plain-python")], "plain-python")


if __name__ == "__main__":
    main()
