"""The ``termnews`` command line: arguments, the reader when run bare, errors as exit codes.

Only the reader imports Textual; every other command starts without it. Errors
are one line on stderr and an exit code: 0 success, 1 some sources failed or the
action failed, 2 usage error or an unusable database.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import signal
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from termnews import __version__
from termnews.cli.context import EXIT_FAILED, EXIT_PIPE, EXIT_USAGE, Context, error
from termnews.errors import ConfigError, DiskFull, StoreError, TermnewsError, UsageError
from termnews.net.errors import InvalidURL


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; global options work before or after the subcommand."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="keep the database here (default: platform data dir, or $TERMNEWS_DATA_DIR)",
    )
    common.add_argument(
        "--offline",
        action="store_true",
        default=argparse.SUPPRESS,
        help="no network: read what is cached",
    )
    parser = argparse.ArgumentParser(
        prog="termnews",
        parents=[common],
        description="A terminal news reader: recent posts, clean articles, offline library.",
    )
    parser.add_argument("--version", action="version", version=f"termnews {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="open the reader on bundled sample posts (no network)"
    )
    parser.add_argument(
        "--no-refresh", action="store_true", help="do not refresh sources when the reader starts"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("add", parents=[common], help="follow a feed or a site")
    p.add_argument("url")
    p.add_argument("--title", help="name it yourself")
    p.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")
    p = sub.add_parser("remove", parents=[common], help="stop following a source (URL or ID)")
    p.add_argument("source", metavar="URL|ID")
    sub.add_parser("list", parents=[common], help="sources, post counts, last refresh and error")
    p = sub.add_parser("refresh", parents=[common], help="fetch new posts now")
    p.add_argument("source", nargs="?", metavar="URL|ID")
    p.add_argument(
        "--due", action="store_true", help="only the sources whose schedule says so (for cron)"
    )
    p = sub.add_parser("import", parents=[common], help="add the feeds of an OPML file")
    p.add_argument("file", type=Path)
    p = sub.add_parser("export-opml", parents=[common], help="write sources as OPML")
    p.add_argument("file", nargs="?", type=Path, help="default: standard output")
    p = sub.add_parser("read", parents=[common], help="print the readable text of a page")
    p.add_argument("url")
    p.add_argument("--format", choices=["text", "markdown", "json"], default="text")
    p.add_argument("--links", action="store_true", help="number the links and list them")
    p = sub.add_parser("save", parents=[common], help="save any page to the offline library")
    p.add_argument("url")
    p = sub.add_parser("search", parents=[common], help="full-text search of cached posts")
    p.add_argument("query", nargs="+")
    p.add_argument("--saved", action="store_true", help="only saved posts")
    p.add_argument("--limit", type=int, default=20)
    p = sub.add_parser("export", parents=[common], help="write saved articles as files")
    p.add_argument("directory", type=Path, metavar="DIR")
    p.add_argument("--saved", action="store_true", help="the saved library (the default)")
    p.add_argument("--format", choices=["markdown", "html", "json", "epub"], default="markdown")
    sub.add_parser("doctor", parents=[common], help="integrity check, sizes and counts")
    p = sub.add_parser("sync", parents=[common], help="two-way sync with the [sync] server")
    p.add_argument("action", nargs="?", choices=["login", "logout"], help="or sync now")
    return parser


def run() -> None:
    """The ``termnews`` script: ``main``, then out without the interpreter's teardown.

    By then everything is done: the store closed, the HTTP client and parser
    workers stopped, output flushed. Tearing down the few hundred modules a
    refresh imports would cost a short refresh a tenth of its CPU (~20 ms).
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = _closed_pipe()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line's work; returns the exit code (tests call this in-process)."""
    for stream in (sys.stdout, sys.stderr):  # web text must never crash a narrow encoding
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    data_dir = getattr(args, "data_dir", None)
    offline = bool(getattr(args, "offline", False))
    try:
        if args.command is None:
            return _launch_reader(
                data_dir, demo=args.demo, offline=offline, no_refresh=args.no_refresh
            )
        _terminate_as_interrupt()
        from termnews.cli.commands import COMMANDS

        ctx = Context(data_dir, offline)
        try:
            code = COMMANDS[args.command](args, ctx)
        finally:
            ctx.close()  # connections closed now, the WAL merged: not at garbage collection
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
        return code
    except DiskFull as exc:
        error(str(exc))
        return EXIT_FAILED
    except (StoreError, ConfigError, UsageError, InvalidURL) as exc:
        error(str(exc))
        return EXIT_USAGE
    except TermnewsError as exc:
        error(str(exc))
        return EXIT_FAILED
    except sqlite3.Error as exc:
        error(f"database error: {exc} (run `termnews doctor`)")
        return EXIT_USAGE
    except KeyboardInterrupt:
        error("interrupted")
        return 130
    except BrokenPipeError:
        return _closed_pipe()


def _closed_pipe() -> int:
    """The reader of our output went away (``termnews list | head -1``): stop quietly.

    Standard output is pointed at /dev/null so the interpreter's last flush cannot
    fail again; the exit code is the shell's for a command ended by SIGPIPE.
    """
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return EXIT_PIPE


def _terminate_as_interrupt() -> None:
    """SIGTERM unwinds like Ctrl-C, so the HTTP client and parser workers are closed."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError):  # not the main thread (tests): keep the default
        signal.signal(signal.SIGTERM, interrupt)


def _launch_reader(data_dir: str | None, *, demo: bool, offline: bool, no_refresh: bool) -> int:
    from termnews.tui.app import run_app

    return run_app(
        Path(data_dir) if data_dir else None, demo=demo, offline=offline, no_refresh=no_refresh
    )
