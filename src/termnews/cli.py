"""The ``termnews`` command: subcommands for scripts and cron, or the reader when run bare.

Only the reader imports Textual; every other command starts without it. Errors
are one line on stderr and an exit code: 0 success, 1 some sources failed or the
action failed, 2 usage error or an unusable database.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import signal
import sqlite3
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from termnews import __version__
from termnews.config import ConfigError, load_config
from termnews.errors import TermnewsError, UsageError
from termnews.net_errors import InvalidURL
from termnews.store import StoreError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


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
    p = sub.add_parser("import", parents=[common], help="add the feeds of an OPML file")
    p.add_argument("file", type=Path)
    p = sub.add_parser("export-opml", parents=[common], help="write sources as OPML")
    p.add_argument("file", nargs="?", type=Path, help="default: standard output")
    p = sub.add_parser("read", parents=[common], help="print the readable text of a page")
    p.add_argument("url")
    p.add_argument("--format", choices=["text", "markdown", "json"], default="text")
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``termnews`` script; returns the exit code."""
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
        handler = COMMANDS[args.command]
        return handler(args, Context(data_dir, offline))
    except (StoreError, ConfigError, UsageError, InvalidURL) as exc:
        _error(str(exc))
        return EXIT_USAGE
    except TermnewsError as exc:
        _error(str(exc))
        return EXIT_FAILED
    except sqlite3.Error as exc:
        _error(f"database error: {exc} (run `termnews doctor`)")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _error("interrupted")
        return 130


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


class Context:
    """What a command needs: the service over the opened store (opened on first use)."""

    def __init__(self, data_dir: str | None, offline: bool) -> None:
        self.data_dir = data_dir
        self.offline = offline
        self._service: Any = None

    @property
    def service(self) -> Any:
        if self._service is None:
            from termnews.paths import database_path
            from termnews.service import Service
            from termnews.store import Store

            store = Store.open(database_path(self.data_dir))
            self._service = Service(store, load_config(), offline=self.offline)
        return self._service

    def run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        """Run a coroutine of the service, closing the HTTP client afterwards."""

        async def runner() -> Any:
            try:
                return await coro
            finally:
                await self.service.aclose()

        return asyncio.run(runner())


def _error(message: str) -> None:
    from termnews.text import clean_line

    print(f"termnews: {clean_line(message)}", file=sys.stderr)


# -- commands --------------------------------------------------------------------------


def cmd_add(args: argparse.Namespace, ctx: Context) -> int:
    source = ctx.run(ctx.service.add_source(args.url, args.title, args.tag))
    count = ctx.service.store.counts(source.id).posts
    via = f" (feed {source.feed_url})" if source.kind == "site" and source.feed_url else ""
    posts = "1 post" if count == 1 else f"{count} posts"
    print(f"Added [{source.id}] {source.title} — {source.kind}{via}, {posts}")
    return EXIT_OK


def cmd_remove(args: argparse.Namespace, ctx: Context) -> int:
    source = ctx.service.remove_source(args.source)
    print(f"Removed [{source.id}] {source.title} ({source.url})")
    return EXIT_OK


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    from termnews.cli_output import format_sources

    store = ctx.service.store
    print(format_sources(store.sources(), store.post_counts_by_source()))
    print(f"Database: {store.path} ({store.size_bytes() / 1_048_576:.1f} MiB)")
    return EXIT_OK


def cmd_refresh(args: argparse.Namespace, ctx: Context) -> int:
    from termnews.cli_output import RefreshReporter

    service = ctx.service
    if args.source:
        source = service.find_source(args.source)
        if source is None:
            _error(f"no source {args.source!r} (see `termnews list`)")
            return EXIT_USAGE
        sources = [source]
    else:
        sources = service.store.sources()
    if not sources:
        print("No sources yet: add one with `termnews add URL`.")
        return EXIT_OK
    with RefreshReporter(len(sources)) as reporter:
        summary = ctx.run(service.refresh(sources, reporter.update))
    reporter.summarise(summary)
    service.prune()
    if service.config.prefetch != "off" or service.store.counts().saved:
        fetched = ctx.run(service.prefetch())
        if fetched.fetched or fetched.failed:
            print(
                f"Downloaded {fetched.fetched} articles for offline reading"
                f" ({fetched.failed} could not be fetched; retried later)."
            )
    return EXIT_FAILED if summary.failed else EXIT_OK


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        _error(f"{args.file}: cannot read ({exc.strerror})")
        return EXIT_USAGE
    result = ctx.service.import_opml(data)
    skipped = f", {result.skipped} skipped (not http/https)" if result.skipped else ""
    print(
        f"Imported {len(result.added)} sources ({result.known} already followed{skipped})."
        " Run `termnews refresh` to fetch them."
    )

    return EXIT_OK


def cmd_export_opml(args: argparse.Namespace, ctx: Context) -> int:
    text = ctx.service.export_opml()
    if args.file is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        args.file.write_text(text, encoding="utf-8")
    except OSError as exc:
        _error(f"{args.file}: cannot write ({exc.strerror})")
        return EXIT_FAILED
    print(f"Wrote {len(ctx.service.store.sources())} sources to {args.file}")
    return EXIT_OK


def cmd_read(args: argparse.Namespace, ctx: Context) -> int:
    from termnews.cli_output import format_document

    document = ctx.run(ctx.service.read_url(args.url))
    sys.stdout.write(format_document(document, args.format))
    return EXIT_OK


def cmd_save(args: argparse.Namespace, ctx: Context) -> int:
    post = ctx.run(ctx.service.save_url(args.url))
    print(f"Saved: {post.title}")
    return EXIT_OK


def cmd_search(args: argparse.Namespace, ctx: Context) -> int:
    from termnews.cli_output import format_hits

    hits = ctx.service.store.search(" ".join(args.query), saved_only=args.saved, limit=args.limit)
    if not hits:
        print("No matches.")
        return EXIT_OK
    print(format_hits(hits))
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.service.store
    print(f"Database: {store.path}")
    print(f"Schema version: {store.schema_version}")
    print(f"Size: {store.size_bytes() / 1_048_576:.1f} MiB")
    try:
        problems = store.integrity_check()
    except sqlite3.DatabaseError as exc:
        problems = [str(exc)]
    if problems != ["ok"]:
        for line in problems[:20]:
            _error(f"integrity: {line}")
        _error("the database is damaged: export what you can, then move the file aside")
        return EXIT_FAILED
    counts = store.counts()
    print(f"Sources: {len(store.sources())}")
    print(
        f"Posts: {counts.posts} ({counts.unread} unread, {counts.saved} saved,"
        f" {counts.documents} readable offline)"
    )
    print("Integrity: ok")
    return EXIT_OK


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    from termnews.export import export_saved

    paths = export_saved(ctx.service.store, args.directory, args.format)
    if not paths:
        print("Nothing saved yet: save posts with `s` in the reader or `termnews save URL`.")
        return EXIT_OK
    files = "1 file" if len(paths) == 1 else f"{len(paths)} files"
    what = "an EPUB" if args.format == "epub" else files
    print(f"Wrote {what} to {args.directory}")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, Context], int]] = {
    "add": cmd_add,
    "remove": cmd_remove,
    "list": cmd_list,
    "refresh": cmd_refresh,
    "import": cmd_import,
    "export-opml": cmd_export_opml,
    "read": cmd_read,
    "save": cmd_save,
    "search": cmd_search,
    "export": cmd_export,
    "doctor": cmd_doctor,
}
