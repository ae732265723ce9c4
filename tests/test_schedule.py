"""The refresh schedule: interval stretched by how often a source publishes, Retry-After
honoured, backing off while a source fails; ``refresh --due`` and ``list`` follow it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from termnews.config import Config
from termnews.models import Entry, Source
from termnews.service import Service
from termnews.service.schedule import MAX_INTERVAL, next_refresh, refresh_interval
from termnews.store import Store
from tests.test_cli import run

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
BASE = timedelta(minutes=30)
HOUR = 3600.0


def source(**fields: object) -> Source:
    return Source(1, "https://a.example/feed", "A", "feed", **fields)  # type: ignore[arg-type]


def posts_every(seconds: float, count: int = 10, now: datetime = NOW) -> list[float]:
    return [now.timestamp() - n * seconds for n in range(count)]


def test_interval_follows_how_often_a_source_publishes() -> None:
    assert refresh_interval(posts_every(600), BASE) == BASE  # busy: the configured interval
    assert refresh_interval(posts_every(24 * HOUR), BASE) == timedelta(hours=6)
    assert refresh_interval(posts_every(7 * 24 * HOUR), BASE) == MAX_INTERVAL  # weekly
    assert refresh_interval([], BASE) == BASE  # no history: nothing to stretch by
    assert refresh_interval(posts_every(7 * 24 * HOUR), timedelta(hours=20)) == timedelta(hours=20)


def test_next_refresh_after_a_success_error_and_retry_after() -> None:
    assert next_refresh(source(), [], BASE) is None  # never fetched: due at once
    ok = source(last_refresh=NOW)
    assert next_refresh(ok, posts_every(24 * HOUR), BASE) == NOW + timedelta(hours=6)
    # Failing for two hours since the last success: wait as long again.
    failing = source(last_refresh=NOW - timedelta(hours=2), last_error_at=NOW)
    assert next_refresh(failing, [], BASE) == NOW + timedelta(hours=2)
    failing_long = source(last_refresh=NOW - timedelta(days=9), last_error_at=NOW)
    assert next_refresh(failing_long, [], BASE) == NOW + timedelta(hours=24)
    waiting = source(last_refresh=NOW, retry_after=NOW + timedelta(hours=20))
    assert next_refresh(waiting, posts_every(600), BASE) == NOW + timedelta(hours=20)


def test_due_sources_and_the_cli(tmp_path: Path) -> None:
    """The CLI runs on the real clock, so this test's times are relative to it."""
    data = tmp_path / "cli-data"
    now = datetime.now(UTC)
    store = Store.open(data / "termnews.sqlite3")
    busy = store.add_source("https://busy.example/feed", "Busy", "feed")
    weekly = store.add_source("https://weekly.example/feed", "Weekly", "feed")
    fresh = store.add_source("https://fresh.example/feed", "Fresh", "feed")
    for src, gap in ((busy, 600.0), (weekly, 7 * 24 * HOUR)):
        store.upsert_posts(
            src.id,
            [Entry(f"{src.id}-{n}", f"{src.url}{n}", "t", published=datetime.fromtimestamp(t, UTC))
             for n, t in enumerate(posts_every(gap, now=now))],
        )  # fmt: skip
        store.record_fetch_ok(src.id, etag=None, last_modified=None, when=now - timedelta(hours=1))
    service = Service(store, Config())
    assert [s.title for s in service.due_sources()] == ["Busy", "Fresh"]  # weekly waits 12 h
    store.close()
    listed = run("list", data_dir=data).stdout
    assert "next now" in listed and ("next in 11 h" in listed or "next in 12 h" in listed)
    assert fresh.id
