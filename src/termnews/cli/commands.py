"""The subcommands: each turns parsed arguments into service calls and printed lines."""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
from collections.abc import Callable

from termnews.cli.context import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Context, error
from termnews.cli.sync import cmd_sync


def cmd_add(args: argparse.Namespace, ctx: Context) -> int:
    source = ctx.run(ctx.service.add_source(args.url, args.title, args.tag))
    source = ctx.service.store.source(source.id) or source
    count = ctx.service.store.counts(source.id).posts
    via = f" (feed {source.feed_url})" if source.kind == "site" and source.feed_url else ""
    posts = "1 post" if count == 1 else f"{count} posts"
    skipped = f"; {source.fetch_note}" if source.fetch_note else ""
    print(f"Added [{source.id}] {source.title} — {source.kind}{via}, {posts}{skipped}")
    return EXIT_OK


def cmd_remove(args: argparse.Namespace, ctx: Context) -> int:
    source = ctx.service.remove_source(args.source)
    print(f"Removed [{source.id}] {source.title} ({source.url})")
    return EXIT_OK


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    from termnews.cli.output import format_sources

    store = ctx.service.store
    sources = store.sources()
    next_refresh = ctx.service.next_refreshes(sources)
    print(format_sources(sources, store.post_counts_by_source(), ctx.service.now(), next_refresh))
    print(f"Database: {store.path} ({store.size_bytes() / 1_048_576:.1f} MiB)")
    return EXIT_OK


def cmd_refresh(args: argparse.Namespace, ctx: Context) -> int:
    from termnews.cli.output import UpdateReporter

    service = ctx.service
    if args.source:
        source = service.find_source(args.source)
        if source is None:
            error(f"no source {args.source!r} (see `termnews list`)")
            return EXIT_USAGE
        sources = [source]
    elif args.due:
        sources = service.due_sources()
        if not sources:
            print("Nothing is due yet (see `termnews list` for each source's next refresh).")
            return EXIT_OK
    else:
        sources = service.store.sources()
    if not sources and service.config.sync is None:
        print("No sources yet: add one with `termnews add URL`.")
        return EXIT_OK
    synced = service.store.synced_sources() if service.config.sync else {}
    with UpdateReporter(sum(1 for s in sources if s.id not in synced)) as reporter:
        everything = None if not (args.source or args.due) else sources  # None: sync too
        outcome = ctx.run(service.update(everything, reporter.update))
    reporter.finish(outcome)
    failed = outcome.refresh.failed or (outcome.sync is not None and outcome.sync.error)
    return EXIT_FAILED if failed else EXIT_OK


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        error(f"{args.file}: cannot read ({exc.strerror})")
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
        error(f"{args.file}: cannot write ({exc.strerror})")
        return EXIT_FAILED
    print(f"Wrote {len(ctx.service.store.sources())} sources to {args.file}")
    return EXIT_OK


def cmd_read(args: argparse.Namespace, ctx: Context) -> int:
    from termnews.cli.output import format_document

    document = ctx.run(ctx.service.read_url(args.url))
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    text = format_document(document, args.format, width=width, links=args.links)
    sys.stdout.write(text)
    return EXIT_OK


def cmd_save(args: argparse.Namespace, ctx: Context) -> int:
    post = ctx.run(ctx.service.save_url(args.url))
    print(f"Saved: {post.title}")
    return EXIT_OK


def cmd_search(args: argparse.Namespace, ctx: Context) -> int:
    from termnews.cli.output import format_hits

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
            error(f"integrity: {line}")
        error("the database is damaged: export what you can, then move the file aside")
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
    from termnews.formats.export import export_saved

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
    "sync": cmd_sync,
}
