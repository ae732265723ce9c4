"""The reader application: ``make_app`` for tests and screenshots, ``run_app`` for the CLI.

One factory builds the app for every caller, so the CLI, the tests, the
screenshot script and the benchmarks run the same code.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.command import CommandPalette
from textual.worker import Worker, WorkerState

from termnews.tui.commands import ReaderCommands, keymap_problem
from termnews.tui.screens.main import MainScreen
from termnews.tui.typeahead import HOLD_LIMIT, HeldKeys, opens_something, push_and_focus

if TYPE_CHECKING:
    from termnews.service import Service

# Benchmarks only: exit with code 0 as soon as the first screen with posts is painted.
EXIT_AFTER_FIRST_PAINT_ENV = "TERMNEWS_EXIT_AFTER_FIRST_PAINT"


class TermnewsApp(App[int]):
    """The reader: one main screen over a ``Service``; keys remapped from config ``[keys]``."""

    CSS_PATH = "styles.tcss"
    TITLE = "termnews"
    COMMANDS = App.COMMANDS | {ReaderCommands}
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        service: Service,
        *,
        no_refresh: bool = False,
        now: Callable[[], datetime] | None = None,
        exit_after_first_paint: bool = False,
        leave: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.leave = leave  # run_app's clean-up: given, quitting skips Textual's slow exit
        self.service = service
        self.no_refresh = no_refresh
        self.now = now or service.now  # the store's clock (tests and screenshots set it)
        self.exit_after_first_paint = exit_after_first_paint
        self.keymap: dict[str, str] = dict(service.config.keys)
        self.database_error: str | None = None
        self.held_keys = HeldKeys()

    def on_mount(self) -> None:
        from termnews.paths import config_file
        from termnews.tui.theme import ThemeKeeper

        if self.keymap:
            self.set_keymap(self.keymap)
        self.themes = ThemeKeeper(self, config_file(), self._warn)
        self.themes.start(self.service.config.theme)  # before the first frame: no flash
        self.push_screen(
            MainScreen(
                self.service,
                now=self.now,
                no_refresh=self.no_refresh,
                on_first_paint=self._first_paint if self.exit_after_first_paint else None,
            )
        )

    async def on_event(self, event: events.Event) -> None:
        """Keys typed after one that opens a field or a dialog wait until it is open."""
        if not isinstance(event, events.Key):
            await super().on_event(event)
            return
        returning = event.is_forwarded  # back from the focused widget: its bindings run now
        if not returning:
            if self.held_keys.hold(event):
                return
            if opens_something(self, event):
                self.held_keys.start(event)
                self.set_timer(HOLD_LIMIT, partial(self._release_keys, event))
        await super().on_event(event)
        if returning and event is self.held_keys.opener:
            await self._release_keys(event)

    async def _release_keys(self, opener: events.Key) -> None:
        """The opener has run: the held keys go, in order, to what has focus now."""
        if self.held_keys.opener is opener:
            for key in self.held_keys.finish():
                await self.on_event(key)

    async def action_command_palette(self) -> None:  # type: ignore[override]
        """The palette, with what is typed right after ctrl+p going into its field."""
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            await push_and_focus(self, CommandPalette(id="--command-palette"))

    def _warn(self, line: str) -> None:
        self.notify(line, severity="warning", markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers (saving the theme) fail as a screen's do."""
        if event.state == WorkerState.ERROR and isinstance(event.worker.error, Exception):
            self.job_failed(event.worker.error)

    def _handle_exception(self, error: Exception) -> None:
        """A damaged database ends the reader with one line, not a traceback screen.

        Any other exception is a bug and keeps Textual's report.
        """
        from termnews.store import is_damaged_database

        if is_damaged_database(error):
            self.end_on_database_error(error)
            return
        super()._handle_exception(error)

    def job_failed(self, error: Exception) -> None:
        """A background job failed: one line, a damaged database ends the reader, a bug is a bug.

        Every screen's workers run with ``exit_on_error=False`` and report here.
        """
        import sqlite3

        from termnews.errors import TermnewsError
        from termnews.store import is_damaged_database
        from termnews.text import clean_line

        if is_damaged_database(error):
            self.end_on_database_error(error)
        elif isinstance(error, sqlite3.OperationalError):
            self.notify(
                f"Database busy ({clean_line(str(error))}): another termnews is writing;"
                " try again in a moment.",
                severity="warning",
                markup=False,
            )
        elif isinstance(error, TermnewsError):
            message = clean_line(str(error)) or type(error).__name__
            self.notify(message, severity="error", markup=False)
        else:
            self._handle_exception(error)

    def end_on_database_error(self, error: Exception) -> None:
        """Quit with exit code 2; ``run_app`` prints the one line naming the file."""
        self.database_error = str(error)
        self.exit(return_code=2)

    def quit_reader(self, position: tuple[int, float] | None) -> None:
        """`q`: the reading position written now, then out by the shortest path.

        With ``leave`` (the CLI) the store is closed, the terminal restored and the
        process ends at once (``quitting``); without it Textual exits as usual.
        """
        import sqlite3

        from termnews.errors import TermnewsError

        if position is not None:
            # A busy or damaged database must not keep the reader open.
            with contextlib.suppress(TermnewsError, sqlite3.Error):
                self.service.store.set_position(*position)
        if self.leave is None:
            self.exit(0)
        else:
            from termnews.tui.quitting import leave_now

            leave_now(self, self.leave, 0)

    def _first_paint(self) -> None:
        self.exit(0)

    async def on_unmount(self) -> None:
        from termnews.errors import TermnewsError

        # Closing the HTTP client must never turn quitting into a traceback: a socket
        # already gone (OSError) or a loop already closing (RuntimeError) is fine.
        with contextlib.suppress(TermnewsError, OSError, RuntimeError):
            await self.service.aclose()


def make_app(
    service: Service,
    *,
    no_refresh: bool = False,
    now: Callable[[], datetime] | None = None,
    leave: Callable[[], None] | None = None,
) -> TermnewsApp:
    """The app over a service (tests and screenshots pass a frozen ``now``).

    ``leave`` (the CLI's clean-up) makes `q` end the process at once.
    """
    return TermnewsApp(
        service,
        no_refresh=no_refresh,
        now=now,
        exit_after_first_paint=os.environ.get(EXIT_AFTER_FIRST_PAINT_ENV) == "1",
        leave=leave,
    )


def run_app(data_dir: Path | None, *, demo: bool, offline: bool, no_refresh: bool) -> int:
    """Run the reader until the user quits; returns the exit code.

    ``demo`` runs on bundled sample posts in a temporary directory, offline.
    A bad config or an unusable database is one line on stderr and exit code 2.
    """
    from termnews.bootstrap import open_service
    from termnews.config import ConfigError, load_config
    from termnews.store import StoreError

    try:
        config = load_config()
    except ConfigError as exc:
        print(f"termnews: {exc}", file=sys.stderr)
        return 2
    problem = keymap_problem(config.keys)
    if problem:
        print(f"termnews: config.toml: {problem}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="termnews-demo-") as tmp:
        demo_database = Path(tmp) / "termnews.sqlite3" if demo else None
        try:
            service = open_service(
                data_dir, offline=offline or demo, config=config, database=demo_database
            )
        except StoreError as exc:
            print(f"termnews: {exc}", file=sys.stderr)
            return 2
        store = service.store
        if demo:
            from termnews.demo import seed_demo

            seed_demo(store, now=service.now())  # dates hours and days before now
            no_refresh = True

        def leave() -> None:
            store.close()
            shutil.rmtree(tmp, ignore_errors=True)  # os._exit skips the with-block's clean-up

        try:
            app = make_app(service, no_refresh=no_refresh, leave=leave)
            code = app.run()
        finally:
            store.close()
    if app.database_error:
        print(
            f"termnews: {store.path}: {app.database_error} (run `termnews doctor`)", file=sys.stderr
        )
        return 2
    return int(code or app.return_code or 0)
