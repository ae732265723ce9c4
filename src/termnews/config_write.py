"""Writing one setting into config.toml, keeping everything else the user wrote.

The reader saves what the user chose in it (the theme) into the file they edit by
hand, so the file's other settings, comments, order and layout must survive:
tomlkit edits the parsed document in place and writes it back as it was. The
write is atomic (a temporary file renamed over the old one) and follows a
symlinked config to its target, so a dotfiles checkout stays a checkout.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from termnews.errors import ConfigError


def save_setting(path: Path, key: str, value: str) -> None:
    """Set the top-level ``key = "value"`` in the TOML file at ``path`` (created if missing).

    Raises ``ConfigError`` (one line) when the file is not valid TOML — it is then
    left untouched, the user's text matters more than the setting — or cannot be
    read or written.
    """
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    target = path.resolve()
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    try:
        document = tomlkit.parse(text)
        document[key] = value
        new_text = tomlkit.dumps(document)
    except TOMLKitError as exc:
        raise ConfigError(f"{path}: not valid TOML, {key} not saved ({exc})") from None
    try:
        _replace_atomically(target, new_text)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write ({exc.strerror or exc})") from None


def _replace_atomically(target: Path, text: str) -> None:
    """Write ``text`` beside ``target`` and rename it over: never a half-written config."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode: int | None = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
