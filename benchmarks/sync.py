"""Sync against a real FreshRSS: a first sync of 10,000 items, then an incremental one.

The FreshRSS test server (tests/freshrss.py starts it) subscribes to feeds served
from loopback. Two syncs are timed with ``Service.sync``:

* first       — every subscription and item new (10,000 items by default),
* incremental — 100 changes: half made on the server (read/starred), half here.

Each is printed beside a reference measured in the same run: the bare API calls
the same sync needs (ids and contents, or ids and one edit-tag), made with plain
httpx and nothing stored; the ratio is what termnews adds on top. Aims: first
sync under 30 s, incremental under 2 s, on the 2-core development machine.

    uv run python benchmarks/sync.py [--feeds 20] [--items 500]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
from tests.freshrss import READ, STARRED, Account, FeedServer, FreshRSS  # noqa: E402
from tests.server import LoopbackServer  # noqa: E402

from termnews.config import Config, SyncConfig  # noqa: E402
from termnews.service import Service  # noqa: E402
from termnews.store import Store  # noqa: E402
from termnews.sync.account import save_token  # noqa: E402


def reference_first(account: Account) -> float:
    """Seconds for the API calls alone: all ids, then all contents in batches of 250."""
    start = time.perf_counter()
    ids = sorted(account.ids())
    with account._client() as client:
        for i in range(0, len(ids), 250):
            form = {"i": [str(x) for x in ids[i : i + 250]]}
            client.post("stream/items/contents", params={"output": "json"}, data=form).json()
    return time.perf_counter() - start


def reference_incremental(account: Account, some: list[int]) -> float:
    """Seconds for an incremental sync's calls: ids (new, unread, starred) and an edit-tag."""
    with account._client() as client:
        start = time.perf_counter()
        for params in ({"ot": str(int(time.time()) - 60)}, {"xt": READ}, {"s": STARRED}):
            query = {"s": "user/-/state/com.google/reading-list", "n": 100000, **params}
            client.get("stream/items/ids", params=query).json()
        token = client.get("token").text.strip()
        client.post("edit-tag", data={"T": token, "i": [str(i) for i in some], "a": READ})
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--items", type=int, default=500, help="items per feed")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="termnews-bench-sync-") as tmp:
        root = Path(tmp)
        server = FreshRSS(root / "freshrss").start()
        loopback = LoopbackServer().start()
        try:
            run(server, FeedServer(loopback), root, args.feeds, args.items)
        finally:
            loopback.stop()
            server.stop(purge=True)


def run(server: FreshRSS, feeds: FeedServer, root: Path, n_feeds: int, per_feed: int) -> None:
    account = server.new_account()
    t0 = time.perf_counter()
    for n in range(n_feeds):
        account.subscribe(feeds.feed(per_feed, f"Feed {n}"), f"Folder {n % 3}")
    total = len(account.ids())
    print(f"setup: {n_feeds} feeds, {total} items on the server ({time.perf_counter() - t0:.1f} s)")

    data = root / "data"
    sync = SyncConfig(url=server.api, user=account.user)
    config = Config(prefetch="off", sync=sync)
    store = Store.open(data / "termnews.sqlite3")
    auth = (
        httpx.post(
            f"{server.api}/accounts/ClientLogin",
            data={"Email": account.user, "Passwd": account.password},
        )
        .text.split("Auth=")[1]
        .strip()
    )
    save_token(data, sync, auth)
    service = Service(store, config)

    reference = reference_first(account)
    start = time.perf_counter()
    summary = asyncio.run(service.sync())
    first = time.perf_counter() - start
    assert summary.new_items == total, summary
    print(
        f"first sync:  {first:6.2f} s for {summary.new_items} items "
        f"(reference, API calls only: {reference:.2f} s; ratio {first / reference:.1f}×)"
    )

    items = sorted(store.item_states())
    there, here = items[:50], items[50:100]
    account.edit_tag(there[:25], add=READ)
    account.edit_tag(there[25:], add=STARRED)
    posts = [store.item_states()[i].post_id for i in here]
    store.set_read([p for p in posts[:25] if p is not None])
    for p in posts[25:]:
        if p is not None:
            store.set_saved(p)
    reference = reference_incremental(account, items[100:150])
    account.edit_tag(items[100:150], remove=READ)  # undo the reference's edit
    start = time.perf_counter()
    summary = asyncio.run(service.sync())
    incremental = time.perf_counter() - start
    changes = summary.pulled_changes + summary.pushed_changes
    print(
        f"incremental: {incremental:6.2f} s for {changes} changes "
        f"({summary.pulled_changes} pulled, {summary.pushed_changes} pushed; "
        f"reference: {reference:.2f} s; ratio {incremental / reference:.1f}×)"
    )


if __name__ == "__main__":
    main()
