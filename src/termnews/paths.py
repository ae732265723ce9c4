"""Where termnews keeps its files: platformdirs, moved by --data-dir or TERMNEWS_DATA_DIR."""

from __future__ import annotations

import os
from pathlib import Path

from termnews import APP_NAME

DATA_DIR_ENV = "TERMNEWS_DATA_DIR"
CONFIG_DIR_ENV = "TERMNEWS_CONFIG_DIR"
DATABASE_NAME = "termnews.sqlite3"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: ``override``, else ``$TERMNEWS_DATA_DIR``, else platformdirs."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """The configuration directory (``$TERMNEWS_CONFIG_DIR`` or platformdirs)."""
    env = os.environ.get(CONFIG_DIR_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    return config_dir() / "config.toml"


def database_path(override: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(override) / DATABASE_NAME
