"""Shared fixtures: an isolated data dir, a loopback HTTP server, a frozen clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server import LoopbackServer


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the real home: data and config live under tmp_path."""
    data = tmp_path / "data"
    monkeypatch.setenv("TERMNEWS_DATA_DIR", str(data))
    monkeypatch.setenv("TERMNEWS_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    return data


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    """A real HTTP server on 127.0.0.1, serving tests/data and any routes a test adds."""
    srv = LoopbackServer().start()
    try:
        yield srv
    finally:
        srv.stop()
