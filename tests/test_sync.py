"""Sync against a real FreshRSS: login, first sync, both directions of read/starred, offline."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from termnews.bootstrap import open_service
from termnews.cli.main import main
from termnews.store import Store
from tests.freshrss import READ, STARRED, Account, FeedServer, FreshRSS, feeds, freshrss

__all__ = ["feeds", "freshrss"]  # the session fixtures, used by name below


def configure(tmp_path: Path, account: Account, api: str | None = None) -> None:
    """Write config.toml with the account; the password comes from the environment."""
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text(
        f'prefetch = "off"\n[sync]\nservice = "greader"\nurl = "{api or account.api}"\n'
        f'user = "{account.user}"\n'
    )


@pytest.fixture
def account(freshrss: FreshRSS, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Account:
    """A new FreshRSS user, configured as termnews's sync account (password from the env)."""
    acc = freshrss.new_account()
    configure(tmp_path, acc)
    monkeypatch.setenv("TERMNEWS_SYNC_PASSWORD", acc.password)
    return acc


def store(data: Path) -> Store:
    return Store.open(data / "termnews.sqlite3")


def post_by_url(db: Store, url: str) -> int:
    row = db.conn.execute("SELECT id FROM posts WHERE url = ?", (url,)).fetchone()
    assert row, url
    return int(row[0])


def item_of(db: Store, post_id: int) -> int:
    return int(
        db.conn.execute("SELECT item_id FROM sync_items WHERE post_id = ?", (post_id,)).fetchone()[
            0
        ]
    )


def test_login_good_and_bad_password(
    account: Account, isolated_dirs: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("TERMNEWS_SYNC_PASSWORD", "not-the-password")
    assert main(["sync", "login"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "wrong user or password" in err
    assert not (isolated_dirs / "sync-token.json").exists()

    monkeypatch.setenv("TERMNEWS_SYNC_PASSWORD", account.password)
    assert main(["sync", "login"]) == 0
    out = capsys.readouterr()
    token = isolated_dirs / "sync-token.json"
    assert token.stat().st_mode & 0o777 == 0o600
    assert account.password not in out.out + out.err + token.read_text()
    assert main(["sync", "logout"]) == 0
    assert not token.exists()


def test_password_command_is_run_and_never_printed(
    account: Account, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.delenv("TERMNEWS_SYNC_PASSWORD")
    config = tmp_path / "config" / "config.toml"
    config.write_text(config.read_text() + f"password_command = \"echo '{account.password}'\"\n")
    assert main(["sync", "login"]) == 0
    config.write_text(config.read_text().replace(account.password, "wrong"))
    assert main(["sync", "login"]) == 1
    out = capsys.readouterr()
    assert account.password not in out.out + out.err and "wrong" not in out.err.split(":")[0]


def test_first_sync_pulls_subscriptions_folders_items_and_state(
    account: Account, feeds: FeedServer, isolated_dirs: Path, capsys
) -> None:
    urls = [feeds.feed(5, "Alpha"), feeds.feed(3, "Beta"), feeds.feed(4, "Gamma")]
    account.subscribe(urls[0], "Tech")
    account.subscribe(urls[1], "Tech")
    account.subscribe(urls[2], "News")
    items = account.items()
    assert len(items) == 12
    read_one, star_one = sorted(items)[:2]
    account.edit_tag([read_one], add=READ)
    account.edit_tag([star_one], add=STARRED)

    assert main(["sync"]) == 0
    assert "Synced 3 subscriptions: 12 new items" in capsys.readouterr().out
    db = store(isolated_dirs)
    sources = {s.title: s for s in db.sources()}
    assert set(sources) == {"Alpha", "Beta", "Gamma"}
    assert sources["Alpha"].tags == ("Tech",) and sources["Gamma"].tags == ("News",)
    assert db.counts().posts == 12
    states = db.item_states()
    assert set(states) == set(items)
    read_post = db.post(states[read_one].post_id or 0)
    star_post = db.post(states[star_one].post_id or 0)
    assert read_post is not None and read_post.is_read and not read_post.is_saved
    assert star_post is not None and star_post.is_saved
    assert star_post.has_document  # a starred item is saved: its page downloaded
    assert db.counts().unread == 11
    assert db.queued_changes() == []  # pulled state is not queued back

    assert main(["sync"]) == 0  # incremental: nothing new
    assert "0 new items, 0 changes pulled, 0 pushed" in capsys.readouterr().out


def test_local_read_and_saved_reach_the_server(
    account: Account, feeds: FeedServer, isolated_dirs: Path
) -> None:
    url = feeds.feed(4)
    account.subscribe(url)
    assert main(["sync"]) == 0
    db = store(isolated_dirs)
    first, second, third, _ = sorted(db.post_ids())
    db.set_read([first, second])
    db.set_saved(third)
    db.set_read([second], read=False)
    assert len(db.queued_changes()) == 4

    assert main(["sync"]) == 0
    assert account.ids(it=READ) == {item_of(db, first)}
    assert account.ids(STARRED) == {item_of(db, third)}
    assert db.queued_changes() == []


def test_server_changes_reach_termnews(
    account: Account, feeds: FeedServer, isolated_dirs: Path
) -> None:
    account.subscribe(feeds.feed(3))
    assert main(["sync"]) == 0
    db = store(isolated_dirs)
    a, b, c = sorted(db.post_ids())
    db.set_read([c])
    assert main(["sync"]) == 0
    account.edit_tag([item_of(db, a)], add=READ)
    account.edit_tag([item_of(db, b)], add=STARRED)
    account.edit_tag([item_of(db, c)], remove=READ)

    assert main(["sync"]) == 0
    posts = {i: db.post(i) for i in (a, b, c)}
    assert posts[a].is_read and not posts[a].is_saved
    assert posts[b].is_saved and posts[b].has_document and not posts[b].is_read
    assert not posts[c].is_read
    assert db.queued_changes() == []


def test_changes_made_while_the_server_is_down_are_pushed_later(
    account: Account,
    feeds: FeedServer,
    freshrss: FreshRSS,
    isolated_dirs: Path,
    tmp_path: Path,
    capsys,
) -> None:
    account.subscribe(feeds.feed(3))
    assert main(["sync"]) == 0
    db = store(isolated_dirs)
    a, b, _c = sorted(db.post_ids())
    freshrss.stop()
    try:
        db.set_read([a])
        db.set_saved(b)
        capsys.readouterr()
        assert main(["sync"]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "cannot reach" in err and "Traceback" not in err
        assert len(db.queued_changes()) == 2
        assert main(["refresh"]) == 1  # the reader's path: the sync fails, nothing else does
        assert len(db.queued_changes()) == 2
    finally:
        freshrss.start()
    if freshrss.api != account.api:  # a new port: the account moved
        account.api = freshrss.api
        configure(tmp_path, account)
        assert main(["sync", "login"]) == 0
    assert main(["sync"]) == 0
    assert account.ids(it=READ) == {item_of(db, a)}
    assert account.ids(STARRED) == {item_of(db, b)}
    assert db.queued_changes() == []


def test_subscriptions_added_and_removed_here_reach_the_server(
    account: Account, feeds: FeedServer, isolated_dirs: Path
) -> None:
    account.subscribe(feeds.feed(2))
    assert main(["sync"]) == 0
    new = feeds.feed(3, "Added here")
    assert main(["add", new, "--tag", "Later"]) == 0
    assert main(["sync"]) == 0
    subs = {s["url"]: s for s in account.subscriptions()}
    assert new in subs and subs[new]["categories"][0]["label"] == "Later"
    db = store(isolated_dirs)
    source = db.source_by_url(new)
    assert source is not None and source.id in db.synced_sources()

    assert main(["remove", str(source.id)]) == 0
    assert main(["sync"]) == 0
    assert new not in {s["url"] for s in account.subscriptions()}
    assert db.queued_changes() == []


def test_synced_sources_are_not_fetched_by_termnews(
    account: Account, feeds: FeedServer, isolated_dirs: Path, capsys
) -> None:
    url = feeds.feed(2)
    account.subscribe(url)
    assert main(["sync"]) == 0
    path = url.removeprefix(feeds.server.base)
    before = len(feeds.server.hits(path))
    assert main(["refresh"]) == 0  # Service.update: syncs, refreshes only local sources
    assert "Synced 1 subscriptions" in capsys.readouterr().out
    assert len(feeds.server.hits(path)) == before
    source = store(isolated_dirs).sources()[0]
    assert source.last_refresh is not None and source.last_error is None
    # The reader's own refresh (Service.refresh) leaves them to the server too.
    service = open_service()
    asyncio.run(service.refresh())
    assert len(feeds.server.hits(path)) == before


def test_without_sync_nothing_is_queued(tmp_path: Path) -> None:
    db = Store.open(tmp_path / "t.sqlite3")
    source = db.add_source("http://127.0.0.1:9/feed.xml", "F", "feed", "http://127.0.0.1:9/f")
    from termnews.models import Entry

    db.upsert_posts(source.id, [Entry("g1", "http://127.0.0.1:9/1", "One")])
    db.set_read(db.post_ids())
    db.set_saved(db.post_ids()[0])
    db.remove_source(source.id)
    assert db.queued_changes() == []


def test_no_sync_section_is_a_usage_error(capsys) -> None:
    assert main(["sync"]) == 2
    assert "no [sync] section" in capsys.readouterr().err


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_not_logged_in_without_password_is_one_line(
    account: Account, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.delenv("TERMNEWS_SYNC_PASSWORD")
    assert main(["sync"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no password" in err


KILLABLE_SYNC = (
    "import termnews.sync.engine as engine\n"
    "engine.EDIT_BATCH = 1  # one request per change: a long push to kill halfway\n"
    "from termnews.cli.main import main\n"
    "raise SystemExit(main(['sync']))\n"
)


def test_sync_killed_halfway_loses_no_queued_change(
    account: Account, feeds: FeedServer, freshrss: FreshRSS, isolated_dirs: Path, tmp_path: Path
) -> None:
    """SIGKILL mid-push, with the server frozen so the request in flight is never done."""
    import signal
    import subprocess
    import sys
    import time

    account.subscribe(feeds.feed(20))
    assert main(["sync"]) == 0
    db = store(isolated_dirs)
    posts = db.post_ids()
    db.set_read(posts)
    items = {item_of(db, p) for p in posts}
    assert len(db.queued_changes()) == 20

    log = freshrss.state / "freshrss-server.log"
    edits_before = log.read_text().count("/edit-tag")
    proc = subprocess.Popen([sys.executable, "-c", KILLABLE_SYNC], env=dict(os.environ))
    try:
        deadline = time.monotonic() + 120  # a timeout only, far beyond a push of 20 edits
        while log.read_text().count("/edit-tag") < edits_before + 3 and proc.poll() is None:
            assert time.monotonic() < deadline, "the sync never pushed"
            time.sleep(0.01)
        freshrss.freeze()  # the next edit-tag waits in the socket, unanswered
        time.sleep(0.5)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait() == -signal.SIGKILL
    finally:
        freshrss.kill()  # the request in flight dies with it
        freshrss.start()
    if freshrss.api != account.api:  # a new port: the account moved
        account.api = freshrss.api
        configure(tmp_path, account)
        assert main(["sync", "login"]) == 0

    on_server = account.ids(it=READ)
    still_queued = {int(c.target) for c in db.queued_changes()}
    assert on_server and still_queued, "killed before or after the push: not halfway"
    assert on_server | still_queued == items  # every change is pushed or still queued

    assert main(["sync"]) == 0
    assert account.ids(it=READ) == items
    assert db.queued_changes() == []


def test_both_sides_changed_the_newest_change_wins(
    account: Account, feeds: FeedServer, isolated_dirs: Path
) -> None:
    from datetime import UTC, datetime, timedelta

    from termnews.config import load_config

    account.subscribe(feeds.feed(2))
    assert main(["sync"]) == 0
    db = store(isolated_dirs)
    older, newer = sorted(db.post_ids())
    db.set_read([newer])
    assert main(["sync"]) == 0  # newer is read on both sides now
    # older: read and unread again here, then read on the server → the server's is newer.
    db.set_read([older])
    db.set_read([older], read=False)
    account.edit_tag([item_of(db, older)], add=READ)
    # newer: unread on the server, then unread and read again here an hour later.
    account.edit_tag([item_of(db, newer)], remove=READ)
    later = datetime.now(UTC) + timedelta(hours=1)
    service = open_service(config=load_config(), clock=lambda: later)
    service.store.set_read([newer], read=False)
    service.store.set_read([newer])

    summary = asyncio.run(service.sync())
    assert summary.error is None and summary.pulled_changes == 1
    post_older, post_newer = db.post(older), db.post(newer)
    assert post_older is not None and post_older.is_read  # the server's change won
    assert post_newer is not None and post_newer.is_read  # the local change won
    assert account.ids(it=READ) == {item_of(db, older), item_of(db, newer)}
    assert db.queued_changes() == []


def test_another_account_starts_afresh_and_keeps_the_posts(
    account: Account,
    feeds: FeedServer,
    freshrss: FreshRSS,
    isolated_dirs: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    account.subscribe(feeds.feed(2, "First account's"))
    assert main(["sync"]) == 0
    other = freshrss.new_account()
    other.subscribe(feeds.feed(1, "Second account's"))
    configure(tmp_path, other)
    monkeypatch.setenv("TERMNEWS_SYNC_PASSWORD", other.password)
    assert main(["sync"]) == 0
    db = store(isolated_dirs)
    synced = db.synced_sources()
    titles = {s.title: s.id in synced for s in db.sources()}
    assert titles == {"First account's": False, "Second account's": True}
    assert db.counts().posts == 3


def test_update_reports_sync_progress_then_its_summary(
    account: Account, feeds: FeedServer, isolated_dirs: Path
) -> None:
    from termnews.service import RefreshSummary, SyncProgress, SyncSummary

    account.subscribe(feeds.feed(3))
    assert main(["sync", "login"]) == 0
    events: list[object] = []
    service = open_service()
    outcome = asyncio.run(service.update(progress=events.append))
    kinds = [type(e) for e in events]
    assert SyncProgress in kinds and kinds.index(SyncSummary) < kinds.index(RefreshSummary)
    items = [e for e in events if isinstance(e, SyncProgress) and e.stage == "items"]
    assert (items[-1].done, items[-1].total) == (3, 3)
    assert outcome.sync is not None and outcome.sync.new_items == 3 and outcome.sync.error is None
