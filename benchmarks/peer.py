"""The rows of ``refresh.py`` against newsboat, when it is installed: termnews ÷ newsboat.

newsboat (C++, libcurl, SQLite) refreshes the same loopback feeds with 16 reload
threads (``newsboat -x reload``), in the same interleaved rounds as termnews and
the plain-Python reference; each row prints every contender's medians and its
ratio to newsboat's figure. "imports only" is Python importing what any refresh
over asyncio, httpx and SQLite imports, doing nothing: the floor of the warm rows.
Without newsboat on the PATH it says so in one line and exits 0 (``apt-get
install newsboat``).

Then the reader rows (``peer_reader.py``, ``peer_open.py``), in a 120 × 40 pty,
at 4,000 posts and (``--reader-posts 4000,100000``) at 100,000, beside a minimal
Textual app: start-up to the list; quit; opening a cached 10,000-word article
to its first words on screen (termnews from the feed's text and from the
downloaded page; newsboat from the feed's text); a search step to its hits on
screen (termnews: the last letter typed, as it searches per key; newsboat: the
Enter of its query). ``--reader-only`` skips the refresh rows.

    uv run python benchmarks/peer.py [--rounds 5] [--no-fill] [--only cold] [--before SRC]
        [--reader-only] [--reader-posts 4000,100000]
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from peer_reader import reader_rows  # noqa: E402
from refresh import Contender, Floor, Plain, arguments, bench, termnews_contenders  # noqa: E402

RELOAD_THREADS = 16


class Newsboat(Contender):
    """``newsboat -x reload`` with its own urls file, cache and config."""

    def __init__(self, name: str, binary: str) -> None:
        super().__init__(name)
        self.binary = binary
        (self.home / "config").write_text(
            f"reload-threads {RELOAD_THREADS}\nshow-read-feeds yes\nsuppress-first-reload no\n"
        )

    def prepare(self, urls: Sequence[str]) -> None:
        for name in ("cache.db", "cache.db.lock", "cache.db-journal", "cache.db-wal"):
            (self.home / name).unlink(missing_ok=True)
        (self.home / "urls").write_text("\n".join(urls) + "\n")

    def command(self) -> tuple[list[str], dict[str, str]]:
        home = str(self.home)
        cmd = [self.binary, "-x", "reload", "-u", f"{home}/urls", "-c", f"{home}/cache.db"]
        env = {"HOME": home, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TERM": "dumb"}
        return [*cmd, "-C", f"{home}/config"], env

    def stored(self) -> int:
        with sqlite3.connect(self.home / "cache.db") as db:
            return int(db.execute("SELECT count(*) FROM rss_item").fetchone()[0])


def main() -> int:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--reader-only", action="store_true", help="skip the refresh rows")
    parser.add_argument("--reader-posts", default="4000", help="cache sizes: 4000,100000")
    args = parser.parse_args()
    binary = shutil.which("newsboat")
    if binary is None:
        print("peer.py: newsboat is not installed (apt-get install newsboat); skipped")
        return 0
    if not args.reader_only:
        contenders = [
            *termnews_contenders(args),
            Plain("plain-python"),
            Floor("imports only"),
            Newsboat("newsboat", binary),
        ]
        bench(args, contenders, "newsboat")
    sizes = [int(n) for n in args.reader_posts.split(",")]
    reader_rows(binary, sizes, args.rounds, args.hosts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
