"""Two-way sync with a Google Reader API server (FreshRSS, Miniflux, Inoreader, …).

The local store stays the offline truth: local changes are queued in SQLite and
pushed when the server can be reached; the server's subscriptions, items and
states are pulled into the store. ``run_sync`` is what the service calls.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from termnews.config import NetworkConfig, SyncConfig
from termnews.service.results import SyncProgress, SyncSummary
from termnews.store import Store
from termnews.sync.account import forget_token, load_token, read_password, save_token
from termnews.sync.api import GReader
from termnews.sync.errors import SyncAuthError, SyncError


async def login(config: SyncConfig, network: NetworkConfig, data_dir: Path) -> Path:
    """Check the credentials with the server and store its auth token (mode 0600)."""
    api = GReader(config.url, network)
    try:
        auth = await api.login(config.user, read_password(config))
        await api.edit_token()  # the token works, not only the password
    finally:
        await api.aclose()
    return save_token(data_dir, config, auth)


def logout(data_dir: Path) -> bool:
    """Forget the stored token; True when there was one."""
    return forget_token(data_dir)


async def run_sync(
    store: Store,
    config: SyncConfig,
    network: NetworkConfig,
    *,
    retention_days: int,
    progress: Callable[[SyncProgress], None] | None = None,
) -> SyncSummary:
    """One sync; raises SyncError (one line) when it cannot finish, nothing queued is lost."""
    from termnews.sync.engine import Syncer

    data_dir = store.path.parent
    auth = load_token(data_dir, config)
    if auth is None:
        raise SyncAuthError("sync: not logged in: run `termnews sync login`")
    api = GReader(config.url, network, auth)
    try:
        # The user and API path name the account; a new host or port is the same server moved.
        account = f"{urlsplit(config.url).path}\n{config.user}"
        counts = await Syncer(store, api, account, retention_days, progress).run()
    finally:
        await api.aclose()
    return SyncSummary(
        subscriptions=counts.subscriptions,
        new_items=counts.new_items,
        pulled_changes=counts.pulled,
        pushed_changes=counts.pushed,
        queued=len(store.queued_changes()),
    )


__all__ = ["SyncAuthError", "SyncError", "login", "logout", "run_sync"]
