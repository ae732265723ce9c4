"""Sync failures are one line each and keep the queue: 5xx, rate limits, bad answers, bad config.

A loopback server plays a broken or overloaded sync server here (what FreshRSS
cannot be made to do on demand); sync behaviour itself is tested against the
real FreshRSS in test_sync.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from termnews.cli.main import main
from termnews.config import SyncConfig, parse_config
from termnews.errors import ConfigError
from termnews.sync.account import save_token
from tests.server import LoopbackServer, Response


def use_server(tmp_path: Path, data: Path, api: str) -> None:
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text(f'[sync]\nurl = "{api}"\nuser = "me"\n')
    save_token(data, SyncConfig(url=api, user="me"), "me/secret-token")


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (Response(b"busy", 503), "server error (HTTP 503); changes stay queued"),
        (Response(b"", 429, {"Retry-After": "120"}), "slow down (HTTP 429); try again in 120 s"),
        (Response(b"no", 401), "refused the session: run `termnews sync login`"),
    ],
)
def test_server_failures_are_one_line(
    server: LoopbackServer,
    tmp_path: Path,
    isolated_dirs: Path,
    capsys,
    answer: Response,
    message: str,
) -> None:
    server.route("/api/reader/api/0/token", answer)
    use_server(tmp_path, isolated_dirs, server.url("/api"))
    assert main(["sync"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert "secret-token" not in err


def test_an_answer_that_is_not_json_is_one_line(
    server: LoopbackServer, tmp_path: Path, isolated_dirs: Path, capsys
) -> None:
    server.route("/api/reader/api/0/token", Response(b"tok"))
    server.route("/api/reader/api/0/subscription/list", Response(b"<html>oops</html>"))
    use_server(tmp_path, isolated_dirs, server.url("/api"))
    assert main(["sync"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not JSON" in err


def test_server_down_is_one_line_and_refresh_goes_on(
    server: LoopbackServer, tmp_path: Path, isolated_dirs: Path, capsys
) -> None:
    use_server(tmp_path, isolated_dirs, "http://127.0.0.1:9/api")  # nothing listens on 9
    assert main(["sync"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot reach 127.0.0.1:9" in err
    assert main(["add", server.url("/feeds/rss20.xml")]) == 0
    assert main(["refresh"]) == 1  # the local source refreshed; the sync failed
    out = capsys.readouterr()
    assert "Refreshed 1 sources" in out.out and "Sync failed" in out.err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[sync]\nservice = "fever"\nurl = "http://x/api"\nuser = "u"', 'must be "greader"'),
        ('[sync]\nurl = "x.org/api"\nuser = "u"', "http(s) API address"),
        ('[sync]\nurl = "http://x/api"', "user is missing"),
        ('[sync]\nurl = "http://x/api"\nuser = "u"\npasswd = "p"', "unknown setting"),
        ('sync = "yes"', "must be a table"),
    ],
)
def test_bad_sync_config_is_one_line(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_config(text)


def test_refresh_honours_the_servers_retry_after(
    server: LoopbackServer, tmp_path: Path, isolated_dirs: Path, capsys
) -> None:
    server.route("/api/reader/api/0/token", Response(b"", 429, {"Retry-After": "3600"}))
    use_server(tmp_path, isolated_dirs, server.url("/api"))
    assert main(["refresh"]) == 1
    assert "slow down (HTTP 429)" in capsys.readouterr().err
    assert len(server.hits("/api/reader/api/0/token")) == 1
    assert main(["refresh"]) == 1  # within the hour: the server is not asked again
    assert "asked to wait" in capsys.readouterr().err
    assert len(server.hits("/api/reader/api/0/token")) == 1
