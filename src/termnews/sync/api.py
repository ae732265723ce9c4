"""The Google Reader API over httpx: login, subscriptions, item ids and contents, edit-tag.

What FreshRSS, Miniflux, Inoreader, The Old Reader and BazQux speak. Every failure
becomes a one-line ``SyncError``: wrong password, server down, 5xx, rate limits,
an answer that is not JSON. httpx is imported on first use.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from termnews import USER_AGENT
from termnews.config import NetworkConfig
from termnews.net.errors import map_exception, parse_retry_after
from termnews.sync.errors import (
    SyncAuthError,
    SyncError,
    SyncRateLimited,
    SyncServerError,
    SyncUnreachable,
)

if TYPE_CHECKING:
    import httpx

READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
IDS_PAGE = 10_000  # item ids per request (continuation for more)


class GReader:
    """A client of one Google Reader API root (``…/api/greader.php`` for FreshRSS)."""

    def __init__(self, url: str, network: NetworkConfig, auth: str | None = None) -> None:
        self.url = url.rstrip("/")
        self.network = network
        self.auth = auth
        self._client: httpx.AsyncClient | None = None
        self._token: str | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            import httpx

            self._client = httpx.AsyncClient(
                headers={"User-Agent": USER_AGENT},
                timeout=httpx.Timeout(self.network.timeout, connect=self.network.connect_timeout),
                trust_env=False,
            )
        return self._client

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _request(
        self, method: str, path: str, params: Any = None, data: Any = None
    ) -> httpx.Response:
        import httpx

        headers = {"Authorization": f"GoogleLogin auth={self.auth}"} if self.auth else {}
        url = f"{self.url}/{path}"
        try:
            response = await self._http().request(
                method, url, params=params, data=data, headers=headers
            )
        except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:  # mapped to one line
            failure = map_exception(exc, url, self.network.timeout, self.network.connect_timeout)
            host = urlsplit(self.url).netloc
            raise SyncUnreachable(f"sync: cannot reach {host}: {failure}") from None
        _check_status(response, login=path.startswith("accounts/"))
        return response

    async def _json(self, path: str, params: Any = None, data: Any = None) -> Any:
        method = "POST" if data is not None else "GET"
        response = await self._request(
            method, path, params={"output": "json", **(params or {})}, data=data
        )
        try:
            return response.json()
        except ValueError:
            raise SyncError(f"sync: the server's answer to {path} is not JSON") from None

    async def login(self, user: str, password: str) -> str:
        """ClientLogin: the auth token for ``user``; SyncAuthError on a wrong password."""
        response = await self._request(
            "POST", "accounts/ClientLogin", data={"Email": user, "Passwd": password}
        )
        for line in response.text.splitlines():
            if line.startswith("Auth="):
                self.auth = line[5:].strip()
                return self.auth
        raise SyncAuthError("sync: the server's login answer has no token")

    async def edit_token(self) -> str:
        """The short-lived token that edits need (T=); also checks the session."""
        if self._token is None:
            self._token = (await self._request("GET", "reader/api/0/token")).text.strip()
        return self._token

    async def subscriptions(self) -> list[dict[str, Any]]:
        """The subscription list: id (feed/N), title, url, categories (folders)."""
        data = await self._json("reader/api/0/subscription/list")
        subs = data.get("subscriptions") if isinstance(data, dict) else None
        return [s for s in subs or [] if isinstance(s, dict) and isinstance(s.get("id"), str)]

    async def item_ids(
        self, stream: str, *, exclude: str | None = None, since: int | None = None
    ) -> tuple[list[int], datetime | None]:
        """Every item id of a stream (following continuations) and the server's clock."""
        ids: list[int] = []
        continuation = ""
        server_time: datetime | None = None
        while True:
            params: dict[str, Any] = {"s": stream, "n": IDS_PAGE, "output": "json"}
            if exclude:
                params["xt"] = exclude
            if since:
                params["ot"] = since
            if continuation:
                params["c"] = continuation
            response = await self._request("GET", "reader/api/0/stream/items/ids", params=params)
            server_time = server_time or _server_date(response)
            try:
                data = response.json()
            except ValueError:
                raise SyncError("sync: the server's item list is not JSON") from None
            refs = data.get("itemRefs") or [] if isinstance(data, dict) else []
            ids.extend(int(r["id"]) for r in refs if str(r.get("id", "")).isdigit())
            continuation = str(data.get("continuation") or "") if isinstance(data, dict) else ""
            if not continuation or not refs:
                return ids, server_time

    async def contents(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        """The items of these ids (one request; callers batch)."""
        data = await self._json(
            "reader/api/0/stream/items/contents", data={"i": [str(i) for i in ids]}
        )
        items = data.get("items") if isinstance(data, dict) else None
        return [i for i in items or [] if isinstance(i, dict)]

    async def edit_tag(self, ids: Sequence[int], *, add: str = "", remove: str = "") -> None:
        """Add or remove a state (read, starred) on items."""
        form = {"T": await self.edit_token(), "i": [str(i) for i in ids]}
        form.update({"a": add} if add else {"r": remove})
        await self._request("POST", "reader/api/0/edit-tag", data=form)

    async def subscribe(self, url: str, title: str, folder: str | None) -> None:
        """Subscribe the account to a feed URL, in a folder when given."""
        form = {"T": await self.edit_token(), "ac": "subscribe", "s": f"feed/{url}"}
        form.update({"t": title} if title else {})
        form.update({"a": f"user/-/label/{folder}"} if folder else {})
        await self._request("POST", "reader/api/0/subscription/edit", data=form)

    async def unsubscribe(self, stream: str) -> None:
        """Unsubscribe the account from a stream (``feed/N``)."""
        form = {"T": await self.edit_token(), "ac": "unsubscribe", "s": stream}
        await self._request("POST", "reader/api/0/subscription/edit", data=form)


def _check_status(response: httpx.Response, *, login: bool) -> None:
    status = response.status_code
    if status < 400:
        return
    if status in (401, 403):
        if login:
            raise SyncAuthError("sync: login refused: wrong user or password")
        raise SyncAuthError("sync: the server refused the session: run `termnews sync login`")
    if status in (429, 503) and "retry-after" in response.headers:
        wait = parse_retry_after(response.headers.get("retry-after"))
        after = f"; try again in {wait:.0f} s" if wait else ""
        raise SyncRateLimited(f"sync: the server asks to slow down (HTTP {status}){after}", wait)
    if status == 429:
        raise SyncRateLimited("sync: the server asks to slow down (HTTP 429)")
    if status >= 500:
        raise SyncServerError(f"sync: server error (HTTP {status}); changes stay queued")
    raise SyncError(f"sync: the server refused a request (HTTP {status})")


def _server_date(response: httpx.Response) -> datetime | None:
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(response.headers.get("date", ""))
    except (TypeError, ValueError, IndexError):
        return None
