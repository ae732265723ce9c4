"""User configuration: config.toml (tomllib) read into frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

from termnews.errors import ConfigError

PrefetchMode = Literal["new", "unread", "off"]


@dataclass(frozen=True, slots=True)
class NetworkConfig:
    """Fetching limits (PRODUCT.md, "Fetching")."""

    concurrency: int = 16
    per_host: int = 4
    connect_timeout: float = 10.0
    timeout: float = 30.0
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 10


@dataclass(frozen=True, slots=True)
class SyncConfig:
    """A Google Reader API account (``[sync]``); the password is never stored here."""

    service: str = "greader"
    url: str = ""
    user: str = ""
    password_command: str = ""


@dataclass(frozen=True, slots=True)
class Config:
    """Everything a user can set in config.toml."""

    network: NetworkConfig = field(default_factory=NetworkConfig)
    refresh_interval_minutes: int = 30
    retention_days: int = 90
    max_posts_per_source: int = 2000
    prefetch: PrefetchMode = "new"
    prefetch_days: int = 7
    reading_width: int = 80
    theme: str = ""  # a Textual theme name; "" is Textual's default (the reader checks the name)
    keys: dict[str, str] = field(default_factory=dict)
    sync: SyncConfig | None = None  # None without a [sync] section: nothing syncs


# Sensible bounds for every number: a typo must not delete the cache or stop every fetch.
LIMITS: dict[str, tuple[float, float]] = {
    "refresh_interval_minutes": (1, 7 * 24 * 60),
    "retention_days": (1, 100 * 365),
    "max_posts_per_source": (10, 1_000_000),
    "prefetch_days": (0, 10 * 365),
    "reading_width": (20, 400),
    "concurrency": (1, 256),
    "per_host": (1, 64),
    "connect_timeout": (0.1, 600),
    "timeout": (0.5, 3600),
    "max_bytes": (1024, 2**31),
    "max_redirects": (0, 50),
}


def _coerce(cls: type, table: dict[str, Any], where: str) -> Any:
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in known:
            raise ConfigError(f"{where}: unknown setting {key!r}")
        default = getattr(cls(), name)
        if isinstance(default, bool) or default is None:
            values[name] = value
        elif isinstance(default, int | float) and not isinstance(value, bool):
            values[name] = _number(key, name, value, type(default), where)
        elif isinstance(default, str) and isinstance(value, str):
            values[name] = value
        elif isinstance(default, dict) and isinstance(value, dict):
            bad = [k for k, v in value.items() if not isinstance(v, str) or not v.strip()]
            if bad:
                raise ConfigError(f'{where}: [{key}] {bad[0]} must be a key name like "ctrl+s"')
            values[name] = {str(k): v.strip() for k, v in value.items()}
        else:
            raise ConfigError(f"{where}: {key} has the wrong type ({type(value).__name__})")
    return cls(**values)


def _number(key: str, name: str, value: Any, kind: type, where: str) -> float | int:
    """A finite number within the field's bounds; whole numbers where the field is whole."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        raise ConfigError(f"{where}: {key} must be a number, not {value!r}")
    low, high = LIMITS.get(name, (0, float("inf")))
    if not low <= value <= high:
        raise ConfigError(f"{where}: {key} must be between {low:g} and {high:g}, not {value!r}")
    if kind is int and value != int(value):
        raise ConfigError(f"{where}: {key} must be a whole number, not {value!r}")
    return kind(value)


def parse_config(text: str, where: str = "config.toml") -> Config:
    """Parse the TOML text of a config file; raise ConfigError with one line on any problem."""
    import tomllib  # only when there is a file: start-up without one skips it

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML ({exc})") from None
    network = data.pop("network", {})
    if not isinstance(network, dict):
        raise ConfigError(f"{where}: [network] must be a table")
    sync = data.pop("sync", None)
    config = _coerce(Config, data, where)
    net = _coerce(NetworkConfig, network, f"{where} [network]")
    if config.prefetch not in ("new", "unread", "off"):
        raise ConfigError(f'{where}: prefetch must be "new", "unread" or "off"')
    return replace(config, network=net, sync=_sync_config(sync, where))


def _sync_config(table: Any, where: str) -> SyncConfig | None:
    """``[sync]``: a Google Reader API server, its URL and user; None when absent."""
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [sync] must be a table")
    sync: SyncConfig = _coerce(SyncConfig, table, f"{where} [sync]")
    if sync.service != "greader":
        raise ConfigError(f'{where} [sync]: service must be "greader", not {sync.service!r}')
    if not sync.url.startswith(("http://", "https://")):
        raise ConfigError(f"{where} [sync]: url must be the server's http(s) API address")
    if not sync.user.strip():
        raise ConfigError(f"{where} [sync]: user is missing")
    return replace(sync, url=sync.url.rstrip("/"), user=sync.user.strip())


def load_config(path: Path | None = None) -> Config:
    """Read config.toml; a missing file means the defaults."""
    if path is None:
        from termnews.paths import config_file

        path = config_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    return parse_config(text, str(path))
