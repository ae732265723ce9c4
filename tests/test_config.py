"""config.toml: defaults, every setting, and one clear line for every mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from termnews.config import Config, ConfigError, load_config, parse_config


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "nope.toml") == Config()


def test_every_setting() -> None:
    config = parse_config(
        """
        refresh_interval_minutes = 15
        retention_days = 30
        max_posts_per_source = 500
        prefetch = "unread"
        prefetch_days = 3
        reading_width = 72
        theme = "nord"
        [network]
        concurrency = 8
        per_host = 2
        connect_timeout = 5
        timeout = 20.5
        max_bytes = 1048576
        max_redirects = 5
        [keys]
        save = "S"
        """
    )
    assert config.refresh_interval_minutes == 15 and config.prefetch == "unread"
    assert config.theme == "nord"
    assert config.network.timeout == 20.5 and config.network.connect_timeout == 5.0
    assert config.network.per_host == 2 and config.keys == {"save": "S"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("retention_days = 0", "between"),
        ("max_posts_per_source = 0", "between"),
        ("reading_width = 1e400", "between"),
        ("refresh_interval_minutes = nan", "must be a number"),
        ("prefetch_days = 9223372036854775807", "between"),
        ("retention_days = 1.5", "whole number"),
        ("retention_days = true", "wrong type"),
        ('retention_days = "ten"', "must be a number"),
        ('prefetch = "sometimes"', "prefetch must be"),
        ("colour = 3", "unknown setting"),
        ("[network]\ntimeout = 0", "between"),
        ("[network]\nmax_bytes = 0", "between"),
        ("network = 3", "must be a table"),
        ("this is not toml", "not valid TOML"),
    ],
)
def test_mistakes_are_one_line(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "config.toml"
    bad.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(bad)
