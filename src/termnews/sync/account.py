"""The sync account: the password (a command or an environment variable) and the stored token.

The password is read only to log in and never printed or logged; what stays on
disk is the server's auth token, in the data directory with mode 0600, bound to
the server URL and user it was issued for.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from termnews.config import SyncConfig
from termnews.errors import ConfigError
from termnews.sync.errors import SyncAuthError

PASSWORD_ENV = "TERMNEWS_SYNC_PASSWORD"
TOKEN_FILE = "sync-token.json"
COMMAND_TIMEOUT = 60.0


def read_password(config: SyncConfig) -> str:
    """The password: ``$TERMNEWS_SYNC_PASSWORD``, else the first line of ``password_command``."""
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    if not config.password_command.strip():
        raise SyncAuthError(f"sync: no password: set password_command in [sync] or ${PASSWORD_ENV}")
    try:
        done = subprocess.run(
            config.password_command,
            shell=True,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ConfigError("[sync] password_command took too long") from None
    except OSError as exc:
        raise ConfigError(f"[sync] password_command cannot run ({exc.strerror})") from None
    if done.returncode != 0:
        raise ConfigError(f"[sync] password_command failed (exit status {done.returncode})")
    line = (done.stdout.splitlines() or [""])[0].strip()
    if not line:
        raise ConfigError("[sync] password_command printed no password")
    return line


def token_path(data_dir: Path) -> Path:
    """Where the auth token lives: beside the database."""
    return data_dir / TOKEN_FILE


def load_token(data_dir: Path, config: SyncConfig) -> str | None:
    """The stored token for this server and user, or None (none, unreadable, another account)."""
    try:
        data = json.loads(token_path(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    if data.get("url") != config.url or data.get("user") != config.user:
        return None
    auth = data.get("auth")
    return auth if isinstance(auth, str) and auth else None


def save_token(data_dir: Path, config: SyncConfig, auth: str) -> Path:
    """Write the token atomically, readable by the user only (0600)."""
    path = token_path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, json.dumps({"url": config.url, "user": config.user, "auth": auth}).encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, path)
    return path


def forget_token(data_dir: Path) -> bool:
    """Delete the stored token; True when there was one."""
    try:
        token_path(data_dir).unlink()
    except FileNotFoundError:
        return False
    return True
