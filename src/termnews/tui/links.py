"""The reader's web commands: follow a link (number keys, `L` picker), back, browser, copy.

``Links`` is the main screen's controller for them, as ``Updates`` is for
refresh: the screen binds the keys and calls in here. Following a link opens
the page as a post (``Service.open_url_as_post``) and remembers where the
reader was (``History``), so `backspace` / `h` goes back there at the same
place. A page that fails is one line and changes nothing else: the article
stays, and the network is judged from refreshes only (no "offline" badge).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from termnews.errors import TermnewsError
from termnews.text import clean_line
from termnews.tui import jobs
from termnews.tui.history import History
from termnews.urls import is_web_url

if TYPE_CHECKING:
    from textual.app import App

    from termnews.models import Post
    from termnews.service import Service
    from termnews.tui.screens.link_picker import LinkChoice
    from termnews.tui.widgets.article_view import ArticleView

NOT_WEB = "Not following: only http and https links can be opened."
NO_BROWSER = "Not opening: only http and https links go to the browser."


class Host(Protocol):
    """What ``Links`` needs of the screen it works for (the main screen)."""

    service: Service

    @property
    def app(self) -> App[Any]: ...

    @property
    def article(self) -> ArticleView: ...

    def notify(self, message: str, **kwargs: Any) -> None: ...

    def needs_network(self, what: str) -> bool: ...

    def open_post(self, post_id: int, position: float | None = None) -> None: ...

    async def reload_posts(self) -> None: ...

    def _work(self, group: str, job: jobs.Job, *args: object, exclusive: bool = True) -> None: ...

    def _current_post(self) -> Post | None: ...


def copied_words(url: str) -> str:
    """What `y` says: the address as it went to the clipboard."""
    return f"Copied {clean_line(url)}"


class Links:
    """Following links, going back, the browser and the clipboard, for one screen."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.history = History()

    # -- following -----------------------------------------------------------------

    def follow_number(self, number: int) -> None:
        """`1`–`9`: link ``number`` of the open article, as a post."""
        url, words = jobs.link_to_follow(self.host.article.document, number)
        if url is None:
            self.host.notify(words)
        else:
            self.follow(url, words)

    def follow(self, url: str, words: str = "Opening the link…") -> None:
        """Open ``url`` as a post in a worker (the "article" group: moving on cancels it)."""
        if not is_web_url(url):
            self.host.notify(NOT_WEB)
        elif self.host.needs_network("following a link"):
            self.host.notify(words)
            self.host._work("article", self._follow, url)

    async def _follow(self, url: str) -> None:
        """Open a linked page as a post; a page that fails is one line, never "offline"."""
        try:
            post = await self.host.service.open_url_as_post(url)
        except TermnewsError as exc:
            self.host.notify(f"Could not open the link: {clean_line(str(exc))}", severity="warning")
            return
        article = self.host.article
        if article.post_id is not None and article.post_id != post.id:
            self.history.push(article.post_id, article.fraction)
        await self.host.reload_posts()
        self.host.open_post(post.id)  # last: it cancels the "article" group, this worker included

    def back(self) -> None:
        """`backspace` / `h`: the article the last link was followed from, where it was."""
        place = self.history.pop()
        if place is None:
            self.host.notify("Nothing to go back to: follow a link first (L lists them).")
        else:
            self.host.open_post(place.post_id, position=place.fraction)

    # -- the picker ----------------------------------------------------------------

    async def pick(self) -> None:
        """`L`: every link of the open article; the choice comes back to ``chosen``."""
        from termnews.tui.screens.link_picker import LinkPickerScreen, link_items
        from termnews.tui.typeahead import push_and_focus

        article = self.host.article
        if article.document is None or article.post is None:
            self.host.notify("Open an article first: links are numbered in its text.")
            return
        items = link_items(article.document)
        if not items:
            self.host.notify("This article has no links.")
            return
        title = clean_line(article.post.title)
        await push_and_focus(self.host.app, LinkPickerScreen(items, title), self.chosen)

    def chosen(self, choice: LinkChoice | None) -> None:
        """Do what the picker was asked: open as a post, in the browser, or copy."""
        if choice is None:
            return
        url = choice.link.url
        if choice.how == "post":
            self.follow(url, f"Opening link {choice.link.number}…")
        elif choice.how == "browser":
            self.browse(url)
        else:
            self.copy(url)

    # -- the browser and the clipboard ---------------------------------------------

    def _post_with_address(self, *, browser: bool = False) -> Post | None:
        """The current post when its URL can go to the clipboard (or the browser)."""
        post = self.host._current_post()
        if problem := jobs.address_problem(post, browser=browser):
            self.host.notify(problem)
        return post if problem is None else None

    def browse_post(self) -> None:
        """`o`: the current post in the web browser."""
        if post := self._post_with_address(browser=True):
            self.browse(post.url)

    def browse(self, url: str) -> None:
        if not is_web_url(url):
            self.host.notify(NO_BROWSER)
        else:
            self.host._work("browser", self._open_browser, url, exclusive=False)

    async def _open_browser(self, url: str) -> None:
        if not await jobs.open_in_browser(url):
            self.host.notify("No web browser could be started.", severity="warning")

    def copy_post(self) -> None:
        """`y`: the current post's address to the clipboard."""
        if post := self._post_with_address():
            self.copy(post.url)

    def copy(self, url: str) -> None:
        self.host.app.copy_to_clipboard(url)
        self.host.notify(copied_words(url))
