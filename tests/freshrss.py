"""A real FreshRSS server for the sync tests, its feeds served from a loopback server.

The service is ``<repo>/../shared/services/freshrss`` (CI copies shared/ beside the
clone) or ``$TERMNEWS_FRESHRSS_DIR``. Its first start installs PHP with apt. When
PHP cannot be had the sync tests skip with one reason, except under CI (``$CI``),
where they must run. Each test gets a FreshRSS user of its own, so tests do not
see each other's subscriptions. The checks here talk to the API with plain httpx:
they are the test's eyes on the server, not the code under test.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import httpx
import pytest

from tests.server import LoopbackServer, Response

REPO = Path(__file__).resolve().parent.parent
SERVICE_ENV = "TERMNEWS_FRESHRSS_DIR"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
READING_LIST = "user/-/state/com.google/reading-list"
_users = itertools.count(1)


def service_dir() -> Path:
    """Where the FreshRSS service scripts are."""
    override = os.environ.get(SERVICE_ENV)
    return Path(override) if override else REPO.parent / "shared" / "services" / "freshrss"


@dataclass
class Account:
    """A FreshRSS user and a small API client to check what the server holds."""

    api: str  # the Google Reader API root
    user: str
    password: str

    def _client(self) -> httpx.Client:
        auth = httpx.post(
            f"{self.api}/accounts/ClientLogin",
            data={"Email": self.user, "Passwd": self.password},
            timeout=30,
        )
        auth.raise_for_status()
        token = next(x[5:] for x in auth.text.splitlines() if x.startswith("Auth="))
        return httpx.Client(
            base_url=f"{self.api}/reader/api/0/",
            headers={"Authorization": f"GoogleLogin auth={token}"},
            timeout=60,
        )

    def subscribe(self, url: str, folder: str | None = None) -> None:
        """Subscribe on the server (FreshRSS fetches the feed at once)."""
        form = {"ac": "subscribe", "s": f"feed/{url}"}
        if folder:
            form["a"] = f"user/-/label/{folder}"
        with self._client() as c:
            c.post("subscription/edit", data=form).raise_for_status()

    def subscriptions(self) -> list[dict]:
        with self._client() as c:
            return c.get("subscription/list", params={"output": "json"}).json()["subscriptions"]

    def ids(self, stream: str = READING_LIST, **params: str) -> set[int]:
        """Item ids of a stream (``xt``/``it`` filters as keyword arguments)."""
        with self._client() as c:
            got = c.get("stream/items/ids", params={"s": stream, "n": 100000, **params}).json()
        return {int(r["id"]) for r in got.get("itemRefs", [])}

    def edit_tag(self, ids: set[int] | list[int], add: str = "", remove: str = "") -> None:
        with self._client() as c:
            token = c.get("token").text.strip()
            form = {
                "T": token,
                "i": [str(i) for i in ids],
                **({"a": add} if add else {"r": remove}),
            }
            c.post("edit-tag", data=form).raise_for_status()

    def items(self) -> dict[int, dict]:
        """Every item of the reading list by id (with its categories)."""
        ids = sorted(self.ids())
        out: dict[int, dict] = {}
        with self._client() as c:
            for start in range(0, len(ids), 200):
                form = {"i": [str(i) for i in ids[start : start + 200]]}
                got = c.post("stream/items/contents", params={"output": "json"}, data=form)
                for item in got.json()["items"]:
                    out[int(item["id"].rsplit("/", 1)[1], 16)] = item
        return out


class FreshRSS:
    """One running FreshRSS instance (start.sh / stop.sh), with users made on demand."""

    def __init__(self, state: Path) -> None:
        self.state = state
        self.scripts = service_dir()
        self.url = ""

    def start(self) -> FreshRSS:
        done = subprocess.run(
            ["bash", str(self.scripts / "start.sh"), str(self.state)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode != 0:
            raise RuntimeError(f"FreshRSS did not start: {done.stderr.strip()[-500:]}")
        self.url = done.stdout.split()[1]
        return self

    def stop(self, purge: bool = False) -> None:
        args = ["bash", str(self.scripts / "stop.sh"), str(self.state)]
        subprocess.run(args + (["--purge"] if purge else []), capture_output=True, timeout=60)

    def _group(self) -> int:
        return int((self.state / "freshrss-server.pid").read_text().strip())

    def freeze(self) -> None:
        """Stop the server's processes (SIGSTOP): requests wait, unanswered, in the socket."""
        os.killpg(self._group(), signal.SIGSTOP)

    def kill(self) -> None:
        """SIGKILL the server's process group: what it had not answered is never done."""
        group = self._group()
        os.killpg(group, signal.SIGKILL)
        deadline = time.monotonic() + 30  # a timeout only
        while time.monotonic() < deadline:
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)

    @property
    def api(self) -> str:
        return f"{self.url}/api/greader.php"

    def new_account(self) -> Account:
        """A fresh user with no subscriptions (0.4 s of PHP)."""
        user, password = f"sync{os.getpid()}n{next(_users)}", "sync-api-password"
        subprocess.run(
            ["php", "cli/create-user.php", "--user", user, "--password", "web-password-1",
             "--api-password", password, "--language", "en"],
            cwd=self.state, check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        return Account(self.api, user, password)


def php_unavailable(scripts: Path) -> str | None:
    """Why FreshRSS cannot run here, or None."""
    if not (scripts / "start.sh").exists():
        return f"no FreshRSS service at {scripts} (set ${SERVICE_ENV})"
    if shutil.which("php") is None and os.geteuid() != 0 and shutil.which("sudo") is None:
        return "PHP is not installed and apt needs root"
    return None


@pytest.fixture(scope="session")
def freshrss() -> Iterator[FreshRSS]:
    """The session's FreshRSS server, stopped (and its state removed) at the end."""
    reason = php_unavailable(service_dir())
    if reason and not os.environ.get("CI"):
        pytest.skip(f"sync tests need the FreshRSS test server: {reason}")
    state = Path(tempfile.mkdtemp(prefix="termnews-freshrss-"))
    server = FreshRSS(state)
    try:
        server.start()
    except RuntimeError as exc:
        server.stop(purge=True)
        if os.environ.get("CI"):
            raise
        pytest.skip(f"sync tests need the FreshRSS test server: {exc}")
    try:
        yield server
    finally:
        server.stop(purge=True)


@pytest.fixture(scope="session")
def feeds() -> Iterator[FeedServer]:
    """A loopback server for the feeds FreshRSS subscribes to, for the whole session."""
    srv = LoopbackServer().start()
    try:
        yield FeedServer(srv)
    finally:
        srv.stop()


class FeedServer:
    """Makes RSS feeds on the loopback server; article links point at a real page."""

    def __init__(self, server: LoopbackServer) -> None:
        self.server = server
        self._names = itertools.count(1)

    def feed(self, items: int, title: str = "") -> str:
        """A new feed with ``items`` recent items; returns its URL."""
        name = f"feed{next(self._names)}"
        base = self.server.base
        now = datetime.now(UTC)
        parts = []
        for n in range(items):
            when = format_datetime(now - timedelta(minutes=n + 1))
            link = f"{base}/pages/news_article.html?{name}-{n}"
            parts.append(
                f"<item><title>{escape(name)} item {n}</title><link>{escape(link)}</link>"
                f"<guid>{name}-{n}</guid><pubDate>{when}</pubDate>"
                f"<description>Body of {name} item {n}</description></item>"
            )
        body = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{escape(title or name)}</title><link>{base}/</link>"
            f"<description>test</description>{''.join(parts)}</channel></rss>"
        ).encode()
        headers = {"Content-Type": "application/rss+xml"}
        return self.server.route(f"/{name}.xml", Response(body, 200, headers))
