"""Fetcher against real loopback servers: limits, redirects, errors, caps, concurrency."""

from __future__ import annotations

import asyncio
import gzip
import socket
import ssl
import subprocess
import sys
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from email.utils import formatdate
from functools import cache
from pathlib import Path

import brotli
import pytest

from termnews import USER_AGENT
from termnews.config import NetworkConfig
from termnews.net.client import (
    ConnectError,
    DNSError,
    Fetcher,
    FetchError,
    FetchResult,
    FetchTimeout,
    HTTPStatusError,
    InvalidURL,
    ProtocolError,
    TLSError,
    TooLarge,
    TooManyRedirects,
    map_exception,
    parse_retry_after,
)
from termnews.urls import validate_url
from tests import faults
from tests.server import LoopbackServer, RequestInfo, Response

MiB = 1024 * 1024


@pytest.fixture
async def fetcher() -> Fetcher:
    async with Fetcher(timeout=5, connect_timeout=2) as f:
        yield f


@cache
def gzip_bomb() -> bytes:
    """100 MiB of zeros, gzipped to about 100 KB."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(MiB)
    return b"".join([comp.compress(zeros) for _ in range(100)] + [comp.flush()])


# --- basics ------------------------------------------------------------------------


async def test_get_returns_body_headers_and_sends_user_agent(server, fetcher) -> None:
    url = server.route("/hello", Response(b"hi there", headers={"Content-Type": "text/plain"}))
    result = await fetcher.get(url)
    assert isinstance(result, FetchResult)
    assert (result.status, result.content, result.url) == (200, b"hi there", url)
    assert result.content_type == "text/plain"
    assert result.headers["content-type"] == "text/plain"
    assert result.not_modified is False
    sent = server.hits("/hello")[0].headers
    assert sent["user-agent"] == USER_AGENT
    assert {"gzip", "deflate", "br"} <= {e.strip() for e in sent["accept-encoding"].split(",")}


async def test_accept_header_is_sent(server, fetcher) -> None:
    url = server.route("/a", Response(b"x"))
    await fetcher.get(url, accept="application/rss+xml")
    assert server.hits("/a")[0].headers["accept"] == "application/rss+xml"


async def test_text_uses_http_charset(server, fetcher) -> None:
    body = "Новости дня".encode("cp1251")
    url = server.route("/ru", Response(body, headers={"Content-Type": "text/html; charset=cp1251"}))
    assert (await fetcher.get(url)).text == "Новости дня"


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send
        ("br", brotli.compress),
    ],
    ids=["gzip", "deflate-zlib", "deflate-raw", "br"],
)
async def test_compressed_bodies_are_decoded(server, fetcher, encoding, compress) -> None:
    body = b"<rss>" + b"news " * 50_000 + b"</rss>"
    url = server.route("/c", Response(compress(body), headers={"Content-Encoding": encoding}))
    assert (await fetcher.get(url)).content == body


async def test_corrupt_gzip_is_a_protocol_error(server, fetcher) -> None:
    url = server.route(
        "/bad", Response(b"\x1f\x8bnot gzip at all", headers={"Content-Encoding": "gzip"})
    )
    with pytest.raises(ProtocolError):
        await fetcher.get(url)


async def test_unasked_content_encoding_is_a_protocol_error(server, fetcher) -> None:
    url = server.route("/z", Response(b"xx", headers={"Content-Encoding": "zstd"}))
    with pytest.raises(ProtocolError, match="zstd"):
        await fetcher.get(url)


async def test_fetcher_is_lazy_and_reusable_after_close(server) -> None:
    url = server.route("/x", Response(b"x"))
    fetcher = Fetcher(NetworkConfig(timeout=5))
    assert fetcher._transport is None
    assert (await fetcher.get(url)).content == b"x"
    await fetcher.aclose()
    assert fetcher._transport is None
    assert (await fetcher.get(url)).content == b"x"
    await fetcher.aclose()


def test_importing_net_does_not_import_httpx_or_textual() -> None:
    code = (
        "import sys, termnews.net.client, termnews.net.decode, termnews.feeds.parse,"
        " termnews.feeds.discover;"
        "print('httpx' in sys.modules, 'textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# --- conditional GET -----------------------------------------------------------------


async def test_conditional_get_with_etag_gets_304(server, fetcher, tmp_path) -> None:
    (tmp_path / "feed.xml").write_bytes(b"<rss><channel><title>t</title></channel></rss>")
    server.root = tmp_path
    first = await fetcher.get(server.url("/feed.xml"))
    assert first.status == 200 and first.etag and first.last_modified
    second = await fetcher.get(server.url("/feed.xml"), etag=first.etag)
    assert second.status == 304
    assert second.not_modified is True
    assert second.content == b""
    assert server.hits("/feed.xml")[1].headers["if-none-match"] == first.etag


async def test_conditional_get_with_last_modified_gets_304(server, fetcher, tmp_path) -> None:
    (tmp_path / "feed.xml").write_bytes(b"<rss/>")
    server.root = tmp_path
    first = await fetcher.get(server.url("/feed.xml"))
    second = await fetcher.get(server.url("/feed.xml"), last_modified=first.last_modified)
    assert second.not_modified and second.content == b""
    sent = server.hits("/feed.xml")[1].headers
    assert sent["if-modified-since"] == first.last_modified
    assert "if-none-match" not in sent
    assert "if-modified-since" not in server.hits("/feed.xml")[0].headers


# --- redirects -------------------------------------------------------------------------


def _redirect(location: str, status: int = 302) -> Response:
    return Response(b"", status, {"Location": location})


async def test_redirect_chain_is_followed_to_the_final_url(server, fetcher) -> None:
    server.route("/one", _redirect("/two", 301))
    server.route("/two", _redirect(server.url("/three"), 308))
    final = server.route("/three", Response(b"done"))
    result = await fetcher.get(server.url("/one"))
    assert (result.url, result.content) == (final, b"done")


async def test_a_cookie_set_on_a_redirect_goes_with_the_next_hop(server, fetcher) -> None:
    """A consent wall: the first answer sets a cookie and sends the reader back."""
    feed = server.url("/walled.rss")
    server.route(
        "/walled.rss",
        lambda info: (
            Response(b"<rss/>", 200)
            if "consent=yes" in info.headers.get("cookie", "")
            else Response(b"", 302, {"Location": "/consent", "Set-Cookie": "consent=yes; Path=/"})
        ),
    )
    server.route("/consent", _redirect(feed))
    result = await fetcher.get(feed)
    assert result.content == b"<rss/>"
    assert [h.path for h in server.hits("/walled.rss")] == ["/walled.rss", "/walled.rss"]
    assert "consent=yes" in server.hits("/consent")[0].headers.get("cookie", "")


async def test_redirect_loop_is_too_many_redirects(server, fetcher) -> None:
    server.route("/loop", _redirect("/loop"))
    with pytest.raises(TooManyRedirects) as info:
        await fetcher.get(server.url("/loop"))
    assert str(info.value) == "too many redirects (more than 10)"
    assert len(server.hits("/loop")) == 11


async def test_exactly_max_redirects_is_allowed(server) -> None:
    for i in range(3):
        server.route(f"/r{i}", _redirect(f"/r{i + 1}"))
    server.route("/r3", Response(b"end"))
    async with Fetcher(max_redirects=3, timeout=5) as f:
        assert (await f.get(server.url("/r0"))).content == b"end"
    async with Fetcher(max_redirects=2, timeout=5) as f:
        with pytest.raises(TooManyRedirects, match="more than 2"):
            await f.get(server.url("/r0"))


@pytest.mark.parametrize(
    "target", ["file:///etc/passwd", "javascript:alert(1)", "data:text/plain,hi", "ftp://x/y"]
)
async def test_redirect_to_other_schemes_is_refused(server, fetcher, target) -> None:
    url = server.route("/evil", _redirect(target))
    with pytest.raises(InvalidURL, match="redirect refused"):
        await fetcher.get(url)


async def test_redirect_without_location_is_a_protocol_error(server, fetcher) -> None:
    url = server.route("/noloc", Response(b"", 302))
    with pytest.raises(ProtocolError):
        await fetcher.get(url)


# --- HTTP errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (404, "HTTP 404 Not Found"),
        (410, "HTTP 410 Gone"),
        (500, "HTTP 500 Internal Server Error"),
        (503, "HTTP 503 Service Unavailable"),
    ],
)
async def test_error_statuses(server, fetcher, status, message) -> None:
    url = server.route("/e", Response(b"oops", status))
    with pytest.raises(HTTPStatusError) as info:
        await fetcher.get(url)
    assert info.value.status == status
    assert str(info.value) == message
    assert info.value.retry_after is None


async def test_429_retry_after_seconds(server, fetcher) -> None:
    url = server.route("/slow", Response(b"", 429, {"Retry-After": "120"}))
    with pytest.raises(HTTPStatusError) as info:
        await fetcher.get(url)
    assert info.value.status == 429
    assert str(info.value) == "HTTP 429 Too Many Requests"
    assert info.value.retry_after == 120.0


async def test_503_retry_after_http_date(server, fetcher) -> None:
    when = formatdate(time.time() + 3600, usegmt=True)
    url = server.route("/later", Response(b"", 503, {"Retry-After": when}))
    with pytest.raises(HTTPStatusError) as info:
        await fetcher.get(url)
    assert 3500 < info.value.retry_after <= 3600


def test_parse_retry_after_rejects_garbage() -> None:
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("0") == 0.0
    assert parse_retry_after(formatdate(time.time() - 100, usegmt=True)) == 0.0


# --- network failures ----------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_connection_refused(fetcher) -> None:
    with pytest.raises(ConnectError) as info:
        await fetcher.get(f"http://127.0.0.1:{_closed_port()}/")
    assert str(info.value) == "connection refused"


async def test_read_timeout(server) -> None:
    url = server.route("/wait", Response(b"late", delay=3))  # answering would succeed
    async with Fetcher(timeout=0.5, connect_timeout=0.5) as f:
        with pytest.raises(FetchTimeout) as info:
            await f.get(url)
    assert str(info.value) == "timed out after 0.5 s"


async def test_drip_server_stops_at_the_overall_deadline(server) -> None:
    # A byte every 50 ms never trips the per-read timeout; only the whole-request deadline.
    url = server.route("/drip", Response(b"x" * 400, drip=0.05))
    start = time.monotonic()
    async with Fetcher(timeout=0.6, connect_timeout=0.5) as f:
        with pytest.raises(FetchTimeout, match="timed out after 0.6 s"):
            await f.get(url)
    assert time.monotonic() - start < 10  # the whole body would take 20 s


@pytest.fixture
def fault_server(request) -> Iterator[faults.FaultServer]:
    srv = faults.FaultServer(request.param).start()
    yield srv
    srv.stop()


@pytest.mark.parametrize("fault_server", [faults.reset], indirect=True)
async def test_connection_reset(fault_server, fetcher) -> None:
    with pytest.raises(ConnectError, match="connection reset"):
        await fetcher.get(fault_server.url())


@pytest.mark.parametrize("fault_server", [faults.close_silently], indirect=True)
async def test_close_without_answer(fault_server, fetcher) -> None:
    with pytest.raises(ProtocolError, match="without answering"):
        await fetcher.get(fault_server.url())


@pytest.mark.parametrize("fault_server", [faults.garbage], indirect=True)
async def test_garbage_response(fault_server, fetcher) -> None:
    with pytest.raises(ProtocolError):
        await fetcher.get(fault_server.url())


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    made = faults.self_signed_cert(tmp_path_factory.mktemp("tls"))
    if made is None:
        pytest.skip("needs the openssl command line tool to make a test certificate")
    return made


async def test_tls_self_signed_certificate_is_rejected(certificate) -> None:
    srv = faults.FaultServer(faults.answer_ok, tls=faults.tls_context(*certificate)).start()
    try:
        async with Fetcher(timeout=5) as f:
            with pytest.raises(TLSError) as info:
                await f.get(srv.url())
        assert str(info.value).startswith("TLS error: certificate verify failed")
        # The same server is fine for a client that trusts the certificate.
        trusting = ssl.create_default_context(cafile=str(certificate[0]))
        async with Fetcher(timeout=5, verify=trusting) as f:
            assert (await f.get(srv.url())).content == b"ok"
    finally:
        srv.stop()


def _raised_from(outer: type[BaseException], cause: BaseException, message: str) -> BaseException:
    try:
        try:
            raise cause
        except BaseException as inner:
            raise outer(message) from inner
    except BaseException as exc:  # noqa: BLE001 - returning the chained exception
        return exc


def test_dns_failure_maps_to_dns_error() -> None:
    # Real name lookups would leave the machine, so the mapping is tested on the
    # exception chain httpx produces for an unresolvable host.
    import httpx

    gai = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    exc = _raised_from(httpx.ConnectError, gai, "[Errno -2] Name or service not known")
    err = map_exception(exc, "http://example.invalid/feed", 30, 10)
    assert isinstance(err, DNSError)
    assert str(err) == "host not found: example.invalid"


def test_unknown_exceptions_still_become_fetch_errors() -> None:
    err = map_exception(RuntimeError("weird\nthing"), "http://x/", 30, 10)
    assert type(err) is FetchError
    assert "\n" not in str(err)


# --- size caps -----------------------------------------------------------------------


async def test_gzip_bomb_stops_at_the_cap_with_bounded_memory(server) -> None:
    url = server.route("/bomb", Response(gzip_bomb(), headers={"Content-Encoding": "gzip"}))
    async with Fetcher(max_bytes=MiB, timeout=10) as f:
        tracemalloc.start()
        try:
            with pytest.raises(TooLarge) as info:
                await f.get(url)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert str(info.value) == "page larger than 1 MiB"
    assert peak < 8 * MiB, f"peak {peak / MiB:.1f} MiB"


async def test_plain_body_over_the_cap(server) -> None:
    url = server.route("/big", Response(b"x" * (MiB + 1)))
    async with Fetcher(max_bytes=MiB) as f:
        with pytest.raises(TooLarge, match="page larger than 1 MiB"):
            await f.get(url)


async def test_body_exactly_at_the_cap_is_fine(server) -> None:
    url = server.route(
        "/full", Response(gzip.compress(b"y" * MiB), headers={"Content-Encoding": "gzip"})
    )
    async with Fetcher(max_bytes=MiB) as f:
        assert len((await f.get(url)).content) == MiB


def test_default_cap_message() -> None:
    assert str(TooLarge("page larger than 20 MiB")) == "page larger than 20 MiB"
    assert Fetcher().max_bytes == 20 * MiB
    assert Fetcher().max_redirects == 10


# --- URLs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.COM", "http://example.com/"),
        ("  https://example.com:443/a?b=1#c ", "https://example.com/a?b=1#c"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        ("https://bücher.de/", "https://xn--bcher-kva.de/"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ],
)
def test_validate_url_normalises(url, expected) -> None:
    assert validate_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "",
        "example.com",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/html,hi",
        "mailto:a@b.c",
        "ftp://example.com/",
        "http://",
        "http:///path",
        "http://exa mple.com/",
        "http://example.com/a b",
        "http://example.com:99999/",
        "http://ex\x1bample.com/",
    ],
)
def test_validate_url_rejects(url) -> None:
    with pytest.raises(InvalidURL):
        validate_url(url)


def test_one_fetcher_across_event_loops(server) -> None:
    url = server.route("/loops", Response(b"ok"))
    fetcher = Fetcher(per_host=1, timeout=5)

    async def twice() -> list[bytes]:
        results = await asyncio.gather(fetcher.get(url), fetcher.get(url))
        return [r.content for r in results]

    assert asyncio.run(twice()) == [b"ok", b"ok"]
    assert asyncio.run(twice()) == [b"ok", b"ok"]
    asyncio.run(fetcher.aclose())


async def test_invalid_url_is_raised_before_any_io(fetcher) -> None:
    with pytest.raises(InvalidURL):
        await fetcher.get("file:///etc/passwd")
    assert fetcher._transport is None


# --- concurrency -------------------------------------------------------------------------


class InFlight:
    """A route handler that counts requests being served at the same moment."""

    def __init__(self, hold: float = 0.15) -> None:
        self.hold = hold
        self.now = 0
        self.peak = 0
        self.lock = threading.Lock()

    def __call__(self, info: RequestInfo) -> Response:
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
        time.sleep(self.hold)
        with self.lock:
            self.now -= 1
        return Response(b"ok")


async def test_per_host_limit(server) -> None:
    counter = InFlight()
    url = server.route("/busy", counter)
    async with Fetcher(concurrency=16, per_host=2, timeout=10) as f:
        results = await asyncio.gather(*(f.get(f"{url}?n={i}") for i in range(8)))
    assert all(r.content == b"ok" for r in results)
    assert counter.peak == 2


async def test_global_limit_across_hosts(server) -> None:
    other = LoopbackServer(host="127.0.0.2").start()
    try:
        counter = InFlight()
        urls = [server.route("/busy", counter), other.route("/busy", counter)]
        async with Fetcher(concurrency=3, per_host=4, timeout=10) as f:
            await asyncio.gather(*(f.get(f"{urls[i % 2]}?n={i}") for i in range(12)))
        assert counter.peak == 3
    finally:
        other.stop()


async def test_one_slow_host_does_not_block_others(server) -> None:
    other = LoopbackServer(host="127.0.0.2").start()
    try:
        release = threading.Event()

        def stuck(info: RequestInfo) -> Response:
            release.wait(20)  # the slow host answers only once the fast one has
            return Response(b"s")

        slow = server.route("/slow", stuck)
        fast = other.route("/fast", Response(b"f"))
        async with Fetcher(concurrency=4, per_host=1, timeout=30) as f:
            slow_tasks = [asyncio.create_task(f.get(f"{slow}?{i}")) for i in range(3)]
            await asyncio.sleep(0.05)
            try:
                assert (await asyncio.wait_for(f.get(fast), 15)).content == b"f"
                assert not any(task.done() for task in slow_tasks)
            finally:
                release.set()
            assert [(await t).content for t in slow_tasks] == [b"s"] * 3
    finally:
        other.stop()


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u0085", "\u009b"])
def test_validate_url_rejects_disguising_characters(char: str) -> None:
    with pytest.raises(InvalidURL):
        validate_url(f"http://example.test/x{char}gnp.exe")


async def test_connections_are_reused_across_many_hosts() -> None:
    """A refresh over many hosts keeps one connection per host slot alive for the next."""
    servers = [LoopbackServer(host=f"127.0.0.{i}").start() for i in range(2, 10)]
    try:
        for srv in servers:
            srv.route("/f", Response(b"ok", 200, {"Content-Type": "text/plain"}, delay=0.05))
        urls = [srv.url("/f") for srv in servers for _ in range(4)]
        async with Fetcher(NetworkConfig(concurrency=16, per_host=4)) as fetcher:
            for _ in range(3):
                await asyncio.gather(*(fetcher.get(u) for u in urls))
        connections = {(srv.base, r.client_port) for srv in servers for r in srv.requests}
        assert len(connections) <= 8 * 4, f"{len(connections)} connections for 96 requests"
    finally:
        for srv in servers:
            srv.stop()
