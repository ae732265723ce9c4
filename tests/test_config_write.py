"""Saving one setting into config.toml: the user's other settings and comments survive."""

from __future__ import annotations

from pathlib import Path

import pytest

from termnews.config import ConfigError, load_config
from termnews.config_write import save_setting

HAND_WRITTEN = """\
# my reader
refresh_interval_minutes = 15   # quick
theme = "nord"                  # was my favourite

[network]
timeout = 5.0  # seconds

[keys]
save = "S"
"""


def test_replaces_the_value_and_keeps_everything_else(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    save_setting(path, "theme", "gruvbox")
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN.replace('"nord"', '"gruvbox"')
    config = load_config(path)
    assert config.theme == "gruvbox" and config.keys == {"save": "S"}


def test_a_new_key_goes_to_the_top_level_not_into_the_last_table(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('# mine\nretention_days = 30\n\n[keys]\nsave = "S"\n', encoding="utf-8")
    save_setting(path, "theme", "textual-light")
    text = path.read_text(encoding="utf-8")
    assert text.startswith('# mine\nretention_days = 30\ntheme = "textual-light"\n')
    config = load_config(path)
    assert config.theme == "textual-light" and config.keys == {"save": "S"}


def test_creates_the_file_and_its_directory(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "config.toml"
    save_setting(path, "theme", "dracula")
    assert load_config(path).theme == "dracula"
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]  # no temporary left


def test_invalid_toml_is_one_line_and_the_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("theme = \n[keys\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML, theme not saved"):
        save_setting(path, "theme", "nord")
    assert path.read_text(encoding="utf-8") == "theme = \n[keys\n"


def test_a_symlinked_config_stays_a_symlink_and_keeps_its_mode(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "termnews.toml"
    real.parent.mkdir()
    real.write_text("retention_days = 30\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    save_setting(link, "theme", "nord")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == 'retention_days = 30\ntheme = "nord"\n'
    assert real.stat().st_mode & 0o777 == 0o640


def test_a_file_in_the_way_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "config").write_text("not a directory", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read"):
        save_setting(tmp_path / "config" / "config.toml", "theme", "nord")
