"""A real HTTP server on 127.0.0.1 for tests: static files from tests/data plus scripted routes.

Tests never touch the internet; everything about fetching runs against this.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).parent / "data"

CONTENT_TYPES = {
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".json": "application/feed+json",
    ".html": "text/html; charset=utf-8",
    ".opml": "text/x-opml",
}


@dataclass
class Response:
    """What a route answers: status, headers, body; ``delay`` seconds before answering."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drip: float = 0.0  # seconds between bytes of the body (a slow server)


Handler = Callable[["RequestInfo"], Response]


@dataclass
class RequestInfo:
    """One request as the server saw it; tests assert on these."""

    path: str
    headers: dict[str, str]
    method: str = "GET"
    client_port: int = 0  # one port per TCP connection: shows keep-alive reuse


class _QuietServer(ThreadingHTTPServer):
    """Clients that hang up early (timeouts, size caps) are expected, not worth a traceback."""

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1:0 with routes tests can add.

    Unrouted paths are served from ``tests/data`` with ETag/Last-Modified and
    conditional GET (304) support, like a well-behaved web server.
    """

    def __init__(self, host: str = "127.0.0.1", root: Path = DATA) -> None:
        self.root = root
        self.routes: dict[str, Handler | Response] = {}
        self.requests: list[RequestInfo] = []
        self._lock = threading.Lock()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server naming
                server._handle(self)

            def do_HEAD(self) -> None:  # noqa: N802
                server._handle(self)

        self.httpd = _QuietServer((host, 0), _Handler)
        self.httpd.daemon_threads = True
        # A short poll interval makes stop() (and so every test using the fixture) fast.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def base(self) -> str:
        return f"http://{self.httpd.server_address[0]}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + (path if path.startswith("/") else "/" + path)

    def route(self, path: str, answer: Handler | Response) -> str:
        """Serve ``answer`` at ``path``; returns the full URL."""
        self.routes[path] = answer
        return self.url(path)

    def hits(self, path: str) -> list[RequestInfo]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def start(self) -> LoopbackServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- request handling ---------------------------------------------------------

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        info = RequestInfo(
            path=h.path,
            headers={k.lower(): v for k, v in h.headers.items()},
            method=h.command,
            client_port=h.client_address[1],
        )
        with self._lock:
            self.requests.append(info)
        answer = self.routes.get(h.path) or self.routes.get(h.path.split("?")[0])
        try:
            if answer is None:
                response = self._static(info)
            elif callable(answer):
                response = answer(info)
            else:
                response = answer
            self._send(h, response)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _static(self, info: RequestInfo) -> Response:
        rel = info.path.split("?")[0].lstrip("/")
        path = (self.root / rel).resolve()
        if not path.is_file() or self.root.resolve() not in path.parents:
            return Response(b"not found", 404, {"Content-Type": "text/plain"})
        body = path.read_bytes()
        etag = f'"{abs(hash(body)) & 0xFFFFFFFF:x}"'
        last_modified = "Wed, 04 Nov 2026 10:00:00 GMT"
        headers = {
            "Content-Type": CONTENT_TYPES.get(path.suffix, "application/octet-stream"),
            "ETag": etag,
            "Last-Modified": last_modified,
        }
        if info.headers.get("if-none-match") == etag or (
            "if-none-match" not in info.headers
            and info.headers.get("if-modified-since") == last_modified
        ):
            return Response(b"", 304, headers)
        if "gzip" in info.headers.get("accept-encoding", ""):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        return Response(body, 200, headers)

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, response: Response) -> None:
        if response.delay:
            time.sleep(response.delay)
        h.send_response(response.status)
        headers = {k.lower(): v for k, v in response.headers.items()}
        for key, value in response.headers.items():
            h.send_header(key, value)
        if "content-length" not in headers and "transfer-encoding" not in headers:
            h.send_header("Content-Length", str(len(response.body)))
        h.end_headers()
        if h.command == "HEAD" or response.status in (204, 304):
            return
        if response.drip:
            for i in range(len(response.body)):
                h.wfile.write(response.body[i : i + 1])
                h.wfile.flush()
                time.sleep(response.drip)
        else:
            h.wfile.write(response.body)
