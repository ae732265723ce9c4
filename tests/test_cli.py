"""The command line as a user runs it: its exit codes, output and errors, against a real
loopback server. Most commands run in this process (fast); the tests of what only a
process shows (encodings, imports, the reader's start) start a real one."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.server import LoopbackServer, Response

DATA = Path(__file__).parent / "data" / "service"


def run(*args: str, data_dir: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``termnews ARGS`` in this process, its output captured, as a finished process."""
    from termnews.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    saved_env = {k: os.environ.get(k) for k in ("TERMNEWS_DATA_DIR", "NO_COLOR")}
    saved_sigterm = signal.getsignal(signal.SIGTERM)
    os.environ.update(TERMNEWS_DATA_DIR=str(data_dir), NO_COLOR="1")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse: --help, --version, usage errors
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        signal.signal(signal.SIGTERM, saved_sigterm)
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "cli-data"


def test_version_and_help(data_dir: Path) -> None:
    result = run("--version", data_dir=data_dir)
    assert result.returncode == 0 and result.stdout.startswith("termnews ")
    result = run("--help", data_dir=data_dir)
    assert result.returncode == 0
    for command in ("add", "remove", "list", "refresh", "import", "export-opml", "read"):
        assert command in result.stdout


def test_usage_error_exits_2(data_dir: Path) -> None:
    result = run("frobnicate", data_dir=data_dir)
    assert result.returncode == 2


def test_add_list_refresh_remove(data_dir: Path, server: LoopbackServer) -> None:
    feed = server.url("/service/news.rss")
    result = run("add", feed, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "Example News" in result.stdout and "2 posts" in result.stdout
    site = server.url("/service/site-without-feed.html")
    assert run("add", site, "--title", "Harbour", data_dir=data_dir).returncode == 0

    listing = run("list", data_dir=data_dir)
    assert listing.returncode == 0
    assert "Example News" in listing.stdout and "2 posts" in listing.stdout
    assert "Harbour" in listing.stdout and "3 posts" in listing.stdout

    refresh = run("refresh", data_dir=data_dir)
    assert refresh.returncode == 0, refresh.stderr
    assert "Refreshed 2 sources" in refresh.stdout
    assert "[2/2]" in refresh.stderr  # not a terminal: one plain line per source

    again = run("refresh", feed, data_dir=data_dir)
    assert again.returncode == 0 and "1 unchanged" in again.stdout

    removed = run("remove", feed, data_dir=data_dir)
    assert removed.returncode == 0 and "Example News" in removed.stdout
    assert "Example News" not in run("list", data_dir=data_dir).stdout


def test_failing_sources_exit_1_with_one_line_each(data_dir: Path, server: LoopbackServer) -> None:
    assert run("add", server.url("/service/news.rss"), data_dir=data_dir).returncode == 0
    server.route(
        "/later-broken.rss",
        Response((DATA / "news.rss").read_bytes(), 200, {"Content-Type": "application/rss+xml"}),
    )
    assert run("add", server.url("/later-broken.rss"), data_dir=data_dir).returncode == 0
    server.route("/later-broken.rss", Response(b"boom", 500))
    result = run("refresh", data_dir=data_dir)
    assert result.returncode == 1
    failures = [line for line in result.stderr.splitlines() if line.startswith("termnews: failed")]
    assert len(failures) == 1
    assert "later-broken" in failures[0] and "500" in failures[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("add", "not a url"), 2),
        (("add", "ftp://example.test/feed"), 2),
        (("add", "http://127.0.0.1:9/feed"), 1),
        (("remove", "12345"), 2),
        (("refresh", "12345"), 2),
        (("import", "/nonexistent/file.opml"), 2),
        (("read", "ftp://example.test/x"), 2),
        (("read", "http://127.0.0.1:9/page"), 1),
    ],
)
def test_user_mistakes_are_one_line_never_a_traceback(
    data_dir: Path, args: tuple[str, ...], code: int
) -> None:
    result = run(*args, data_dir=data_dir)
    assert result.returncode == code
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("termnews: ")


def test_import_and_export_opml(data_dir: Path, tmp_path: Path) -> None:
    result = run("import", str(DATA / "subs.opml"), data_dir=data_dir)
    assert result.returncode == 0 and "Imported 3 sources" in result.stdout
    out = tmp_path / "out.opml"
    assert run("export-opml", str(out), data_dir=data_dir).returncode == 0
    text = out.read_text()
    assert 'xmlUrl="http://deep.test/feed"' in text and 'text="Tech"' in text
    stdout = run("export-opml", data_dir=data_dir).stdout
    assert stdout == text


def test_bad_opml_is_one_line(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.opml"
    bad.write_text("<opml><body><outline")
    result = run("import", str(bad), data_dir=data_dir)
    assert result.returncode == 2 and "not valid OPML" in result.stderr


def test_corrupt_database_exit_2_and_untouched(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    db = data_dir / "termnews.sqlite3"
    db.write_bytes(b"garbage" * 100)
    result = run("list", data_dir=data_dir)
    assert result.returncode == 2
    assert str(db) in result.stderr and "Traceback" not in result.stderr
    assert db.read_bytes() == b"garbage" * 100


def test_data_dir_flag_moves_the_database(tmp_path: Path, server: LoopbackServer) -> None:
    moved = tmp_path / "elsewhere"
    result = run(
        "--data-dir",
        str(moved),
        "add",
        server.url("/service/news.rss"),
        data_dir=tmp_path / "unused",
    )
    assert result.returncode == 0, result.stderr
    assert (moved / "termnews.sqlite3").exists()
    assert not (tmp_path / "unused").exists()


def test_read_prints_the_article(data_dir: Path, server: LoopbackServer) -> None:
    result = run("read", server.url("/service/article.html"), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "Start with footwork drills" in result.stdout
    assert "© Example News" not in result.stdout


def test_non_tui_commands_do_not_import_textual(data_dir: Path) -> None:
    code = (
        "import sys; from termnews.cli import main; main(['list']);"
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    env = {**os.environ, "TERMNEWS_DATA_DIR": str(data_dir)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr


def test_save_search_export_doctor(data_dir: Path, server: LoopbackServer, tmp_path: Path) -> None:
    saved = run("save", server.url("/service/article.html"), data_dir=data_dir)
    assert saved.returncode == 0, saved.stderr
    assert "Tips for becoming a good boxer" in saved.stdout

    found = run("search", "footwork", data_dir=data_dir)
    assert found.returncode == 0 and "Tips for becoming a good boxer" in found.stdout
    assert "«footwork»" in found.stdout
    assert run("search", "--saved", "footwork", data_dir=data_dir).returncode == 0
    nothing = run("search", "zeppelin", data_dir=data_dir)
    assert nothing.returncode == 0 and nothing.stdout == "No matches.\n"

    out = tmp_path / "export"
    result = run("export", "--saved", "--format", "markdown", str(out), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    [md] = list(out.glob("*.md"))
    assert "footwork drills" in md.read_text()
    result = run("export", "--saved", "--format", "epub", str(out), data_dir=data_dir)
    assert result.returncode == 0 and (out / "termnews-saved.epub").exists()
    check = subprocess.run(
        [sys.executable, "-m", "zipfile", "-t", str(out / "termnews-saved.epub")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0

    doctor = run("doctor", data_dir=data_dir)
    assert doctor.returncode == 0 and "Integrity: ok" in doctor.stdout
    assert "1 saved" in doctor.stdout


def test_offline_refresh_is_one_line(data_dir: Path, server: LoopbackServer) -> None:
    assert run("add", server.url("/service/news.rss"), data_dir=data_dir).returncode == 0
    result = run("--offline", "refresh", data_dir=data_dir)
    assert result.returncode == 1
    assert result.stderr.strip() == "termnews: offline: refreshing needs the network"


def test_damaged_database_is_diagnosed_not_a_traceback(
    data_dir: Path, server: LoopbackServer
) -> None:
    assert run("add", server.url("/service/news.rss"), data_dir=data_dir).returncode == 0
    assert run("doctor", data_dir=data_dir).returncode == 0
    db = data_dir / "termnews.sqlite3"
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    data = bytearray(db.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data), page):  # keep the header page, smash the rest
        data[offset : offset + 300] = bytes(range(256)) + bytes(44)
    db.write_bytes(bytes(data))
    for args in (("doctor",), ("list",), ("search", "boxer"), ("refresh",)):
        result = run(*args, data_dir=data_dir)
        assert "Traceback" not in result.stderr, (args, result.stderr)
        assert result.returncode in (1, 2), args
        assert result.stderr.strip(), args


def test_non_utf8_terminal_gets_replacement_characters(
    data_dir: Path, server: LoopbackServer
) -> None:
    assert run("add", server.url("/feeds/windows1251.xml"), data_dir=data_dir).returncode == 0
    env = {**os.environ, "TERMNEWS_DATA_DIR": str(data_dir), "PYTHONIOENCODING": "latin-1"}
    result = subprocess.run(
        [sys.executable, "-m", "termnews", "list"], capture_output=True, env=env, check=False
    )
    assert result.returncode == 0 and b"Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('[keys]\nsave = "S"', "would run both"),
        ('[keys]\nbogus = "x"', "no such command"),
        ("[keys]\nsave = 5", "must be a key name"),
        ("retention_days = 0", "between"),
    ],
)
def test_reader_refuses_bad_config_in_one_line(
    data_dir: Path, tmp_path: Path, config: str, message: str
) -> None:
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "config.toml").write_text(config)
    env = {
        **os.environ,
        "TERMNEWS_DATA_DIR": str(data_dir),
        "TERMNEWS_CONFIG_DIR": str(tmp_path / "cfg"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "termnews", "--no-refresh"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
