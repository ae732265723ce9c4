"""Building a working termnews: configuration, the store and the service, in one place.

The CLI, the reader, the tests and the screenshot script all start here, so they
run the same code with the same defaults.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from termnews.dates import Clock, utcnow

if TYPE_CHECKING:
    from termnews.config import Config
    from termnews.service import Service


def open_service(
    data_dir: str | Path | None = None,
    *,
    offline: bool = False,
    config: Config | None = None,
    clock: Clock = utcnow,
    database: Path | None = None,
) -> Service:
    """The service over the database of ``data_dir`` (or ``database``), with the user's config.

    Raises ConfigError for a bad config.toml and StoreError for an unusable database.
    """
    from termnews.config import load_config
    from termnews.paths import database_path
    from termnews.service import Service
    from termnews.store import Store

    config = config if config is not None else load_config()
    store = Store.open(database or database_path(data_dir), clock)
    return Service(store, config, offline=offline)
