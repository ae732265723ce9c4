"""A database damaged under the running reader ends it with one line and exit code 2."""

from __future__ import annotations

import sqlite3

from tests.tui.helpers import app_for, main, reading, settle


async def test_damaged_database_exits_with_code_2_not_a_traceback(service, ids):
    app = app_for(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        main(app)

        def broken(*args, **kwargs):
            raise sqlite3.DatabaseError("database disk image is malformed")

        service.store.rows_by_id = broken  # the next read of the sidebar hits the damage
        service.store.post_ids = broken
        await pilot.press("f")  # a filter change re-reads the list
        await settle(pilot)
    assert app.database_error == "database disk image is malformed"
    assert app.return_code == 2


async def test_another_process_holding_the_lock_never_freezes_the_reader(service, ids):
    async with reading(service, size=(100, 30)) as (pilot, screen):
        first = screen.post_list.selected_id
        locker = sqlite3.connect(service.store.path, timeout=1, isolation_level=None)
        locker.execute("BEGIN IMMEDIATE")  # a cron refresh mid-write
        try:
            await pilot.press("m")  # mark read: a write that must wait for the lock…
            await pilot.press("j")  # …while the list keeps moving
            await pilot.pause(0.2)
            assert screen.post_list.selected_id != first
        finally:
            locker.execute("ROLLBACK")
            locker.close()
        await settle(pilot)
        assert service.store.post(first).is_read  # the write went through afterwards
