"""The fault matrix: every way a server can fail, refreshed at once beside one healthy source.

Each fault gives a one-line error on its own source, in bounded time and memory,
stores nothing broken (its earlier posts stay as they were) and leaves the
healthy source's refresh complete. DNS failures are covered in test_net (their
mapping from the resolver's error), since a real lookup would leave the machine.
"""

from __future__ import annotations

import gzip
import socket
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from termnews.config import Config, NetworkConfig
from termnews.models import Entry
from termnews.service import Service
from termnews.store import Store
from tests import faults
from tests.server import LoopbackServer, Response

DATA = Path(__file__).parent / "data" / "service"
RSS = (DATA / "news.rss").read_bytes()
TIMEOUT = 4.0  # seconds; generous: a busy 2-core machine answers a 404 slowly too
CAP = 1024 * 1024
CONFIG = Config(network=NetworkConfig(timeout=TIMEOUT, connect_timeout=1.0, max_bytes=CAP))


@dataclass(frozen=True)
class Fault:
    """One row of the table: how the server misbehaves and what the user reads."""

    name: str
    response: Response | None  # None: the URL comes from a raw-socket fixture
    expect: str | None  # a fragment of the one-line error; None: the source must succeed


def rss(body: bytes = RSS, **headers: str) -> Response:
    return Response(body, 200, {"Content-Type": "application/rss+xml", **headers})


FAULTS = [
    Fault("404", Response(b"gone", 404), "HTTP 404"),
    Fault("410", Response(b"gone", 410), "HTTP 410"),
    Fault("500", Response(b"oops", 500), "HTTP 500"),
    Fault("503", Response(b"busy", 503), "HTTP 503"),
    Fault("429", Response(b"slow down", 429, {"Retry-After": "120"}), "HTTP 429"),
    Fault("redirect-loop", Response(b"", 302, {"Location": "/fault/redirect-loop"}), "redirect"),
    Fault("redirect-file", Response(b"", 302, {"Location": "file:///etc/passwd"}), "file"),
    Fault("read-timeout", Response(RSS, 200, delay=TIMEOUT + 2), "timed out"),
    Fault(
        "drip", Response(RSS, 200, {"Content-Type": "application/rss+xml"}, drip=0.5), "timed out"
    ),
    Fault("huge", rss(b"<rss>" + b" " * (CAP + 10) + b"</rss>"), "larger than"),
    Fault(
        "gzip-bomb",
        rss(gzip.compress(b"\0" * (64 * CAP)), **{"Content-Encoding": "gzip"}),
        "larger than",
    ),
    Fault("truncated-xml", rss(RSS[: len(RSS) // 3]), None),
    Fault(
        "html-not-feed",
        Response(
            b"<!doctype html><html><body><p>Hello</p></body></html>",
            200,
            {"Content-Type": "text/html"},
        ),
        "not a feed",
    ),
    Fault("binary", rss(bytes(range(256)) * 50), "not a feed"),
    Fault("empty", rss(b""), "not a feed"),
    Fault("wrong-type-but-feed", Response(RSS, 200, {"Content-Type": "text/plain"}), None),
    Fault("bogus-charset", rss(**{"Content-Type": "application/rss+xml; charset=bogus-9"}), None),
    Fault("invalid-utf8", rss(RSS.replace(b"Boxing is", b"Box\xff\xfeing is")), None),
    Fault("refused", None, "refused"),
    Fault("reset", None, "connection"),
    Fault("garbage", None, "did not answer in HTTP"),
    Fault("connect-timeout", None, "could not connect within"),
    Fault("tls-self-signed", None, "TLS"),
]


@pytest.fixture
def raw_urls(tmp_path: Path) -> Iterator[dict[str, str]]:
    """URLs for the faults below HTTP: refused, reset, garbage, connect timeout, bad TLS."""
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    refused_port = closed.getsockname()[1]
    closed.close()
    servers = [faults.FaultServer(faults.reset).start(), faults.FaultServer(faults.garbage).start()]
    urls = {
        "refused": f"http://127.0.0.1:{refused_port}/feed",
        "reset": servers[0].url("/feed"),
        "garbage": servers[1].url("/feed"),
    }
    # A listener that never accepts, its backlog filled: new connections hang in SYN.
    full = socket.socket()
    full.bind(("127.0.0.1", 0))
    full.listen(0)
    fillers = []
    for _ in range(4):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(full.getsockname())
        fillers.append(s)
    urls["connect-timeout"] = f"http://127.0.0.1:{full.getsockname()[1]}/feed"
    cert = faults.self_signed_cert(tmp_path)
    if cert is not None:
        tls = faults.FaultServer(faults.answer_ok, tls=faults.tls_context(*cert)).start()
        servers.append(tls)
        urls["tls-self-signed"] = tls.url("/feed")
    yield urls
    for server in servers:
        server.stop()
    for s in [*fillers, full]:
        s.close()


async def test_fault_matrix(
    tmp_path: Path, server: LoopbackServer, raw_urls: dict[str, str]
) -> None:
    store = Store.open(tmp_path / "t.sqlite3")
    service = Service(store, CONFIG)
    good = store.add_source(
        server.route("/good.rss", rss()), "good", "feed", server.url("/good.rss")
    )
    sources = {}
    for fault in FAULTS:
        if fault.response is None:
            if fault.name not in raw_urls:
                continue  # no openssl on this machine
            url = raw_urls[fault.name]
        else:
            url = server.route(f"/fault/{fault.name}", fault.response)
        source = store.add_source(url, fault.name, "feed", url)
        # Each faulty source already holds a post: a failed refresh must not touch it.
        store.upsert_posts(source.id, [Entry(f"old-{fault.name}", "http://old.test/x", "Old")])
        sources[fault.name] = source
    before = {name: store.post(store.post_ids_for_source(s.id)[0]) for name, s in sources.items()}

    tracemalloc.start()
    started = time.monotonic()
    summary = await service.refresh()
    elapsed = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    await service.aclose()

    # The behaviour is a timeout: slow faults (drip, read timeout) end at the deadline,
    # far sooner than they would by themselves (a wide margin for a busy machine).
    assert elapsed < TIMEOUT * 5 + 10, f"refresh took {elapsed:.1f} s"
    assert peak < 48 * 1024 * 1024, f"peak memory {peak / 1e6:.0f} MB"
    results = {r.source.title: r for r in summary.results}
    assert results["good"].error is None and store.counts(good.id).posts == 2
    for fault in FAULTS:
        if fault.name not in sources:
            continue
        result = results[fault.name]
        if fault.expect is None:
            assert result.error is None, f"{fault.name}: {result.error}"
            continue
        assert result.error, f"{fault.name} should fail"
        assert "\n" not in result.error and len(result.error) < 200, result.error
        assert fault.expect.lower() in result.error.lower(), f"{fault.name}: {result.error}"
        stored = store.source(sources[fault.name].id)
        assert stored.last_error == result.error and stored.last_error_at is not None
        post = store.post(before[fault.name].id)
        assert post == before[fault.name], f"{fault.name} changed a stored post"
    assert store.source(sources["429"].id).retry_after is not None
    for name, result in results.items():  # shown with -s: the messages a user reads
        print(f"{name:20s} {result.error or 'ok'}")
    assert store.integrity_check() == ["ok"]


def test_truncated_and_bad_bytes_still_give_their_posts(tmp_path: Path) -> None:
    """The benign faults above succeed because the text is still readable: check what it says."""
    from termnews.feeds.parse import parse_feed

    feed = parse_feed(
        RSS.replace(b"Boxing is", b"Box\xff\xfeing is"),
        "http://x.test/f",
        "application/rss+xml; charset=bogus-9",
    )
    assert [e.title for e in feed.entries][0] == "Tips for becoming a good boxer"
    # The two bad bytes become replacement characters; every word around them survives.
    assert (
        feed.entries[0].summary == "<p>Box\ufffd\ufffding is a sport of patience and footwork.</p>"
    )
