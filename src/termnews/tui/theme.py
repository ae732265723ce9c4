"""The theme that stays: the one in config.toml at start, the palette's choice saved there.

Textual's palette ("Theme") sets ``App.theme``; every change after start-up is
written to ``theme = "…"`` in config.toml (``config_write`` keeps the rest of the
file), so the next start looks the same. A name Textual does not know is one
line and the default theme, never a crash.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.theme import Theme

from termnews.errors import ConfigError
from termnews.text import clean_line


def unknown_theme_words(name: str, default: str) -> str:
    """The line shown when config.toml names a theme that does not exist."""
    return f'config.toml: no theme called "{clean_line(name)}"; using {default}.'


class ThemeKeeper:
    """Applies the configured theme and saves each later choice to config.toml.

    Saves run one at a time, in order, in a thread (the file may sit on a slow
    disk); the last choice is the one the file keeps.
    """

    def __init__(
        self,
        app: App[Any],
        path: Path,
        notify: Callable[[str], None],
    ) -> None:
        self.app = app
        self.path = path
        self.notify = notify
        self.saved = app.theme  # the name the file has (or the default when it names none)
        self._lock = asyncio.Lock()

    def start(self, configured: str) -> None:
        """Use ``configured`` (or say why not), then listen for the palette's choices."""
        if configured and configured in self.app.available_themes:
            self.app.theme = self.saved = configured
        elif configured:
            self.notify(unknown_theme_words(configured, self.app.theme))
        self.app.theme_changed_signal.subscribe(self.app, self._changed)

    def _changed(self, theme: Theme) -> None:
        if theme.name != self.saved:
            self.saved = theme.name
            self.app.run_worker(self._save(theme.name), group="theme", exit_on_error=False)

    async def _save(self, name: str) -> None:
        from termnews.config_write import save_setting

        async with self._lock:  # in the order chosen: the file ends with the last choice
            if name != self.saved:
                return  # a later choice is on its way
            try:
                await asyncio.to_thread(save_setting, self.path, "theme", name)
            except ConfigError as exc:
                self.notify(f"Theme not saved: {clean_line(str(exc))}")
