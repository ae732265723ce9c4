"""A database damaged under the running reader ends it with one line and exit code 2."""

from __future__ import annotations

import sqlite3

from tests.tui.helpers import app_for, main, settle


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
