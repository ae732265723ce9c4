"""The `a` / `P` dialog: follow a source (feed or site), or save one page to the library.

Two modes behind one URL field, switched with the radio buttons (or ctrl+t):
"Follow a source" runs ``service.add_source``, "Save a page" runs
``service.save_url``. Either runs in a worker and the dialog stays open with a
one-line error when it fails, so the user can fix the URL and try again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from termnews.models import Post, Source
from termnews.text import clean_line

if TYPE_CHECKING:
    from termnews.service import Service


def normalise_url(text: str) -> str | None:
    """A URL from what was typed: "example.com" becomes "https://example.com".

    Returns None for anything that cannot be an http(s) URL.
    """
    text = text.strip()
    if not text or any(c.isspace() for c in text):
        return None
    if "://" not in text:
        if text.split(":", 1)[0].lower() in ("file", "data", "javascript", "mailto", "ftp"):
            return None
        text = "https://" + text
    scheme, _, rest = text.partition("://")
    if scheme.lower() not in ("http", "https") or not rest or rest.startswith("/"):
        return None
    return text


Mode = Literal["source", "page"]

_WORDS: dict[str, tuple[str, str, str, str]] = {  # title, label, hint, offline
    "source": (
        "Add a source",
        "URL of a feed or a web site",
        "enter: add   ctrl+t: save a page   esc: cancel",
        "Offline: adding a source needs the network.",
    ),
    "page": (
        "Save a page",
        "URL of a page to keep in the library, readable offline",
        "enter: save   ctrl+t: follow a source   esc: cancel",
        "Offline: saving a page needs the network.",
    ),
}


class AddSourceScreen(ModalScreen[Source | Post | None]):
    """A small modal: the mode, an Input, an error line and a hint line.

    Dismisses with the new ``Source`` (follow) or the saved ``Post`` (save a page).
    """

    BINDINGS = [
        Binding("escape", "cancel", "cancel", id="add_cancel"),
        Binding("ctrl+t", "toggle_mode", "other mode", id="add_toggle_mode"),
    ]
    AUTO_FOCUS = "#add-url"

    def __init__(self, service: Service, *, mode: Mode = "source") -> None:
        super().__init__()
        self.service = service
        self.mode: Mode = mode

    def compose(self) -> Any:
        with Vertical(id="add-dialog"):
            with RadioSet(id="add-mode"):
                yield RadioButton("Follow a source", value=self.mode == "source", id="mode-source")
                yield RadioButton("Save a page", value=self.mode == "page", id="mode-page")
            yield Label("", id="add-label")
            yield Input(placeholder="https://example.com/", id="add-url")
            yield Static("", id="add-error")
            yield Static("", id="add-hint")

    def on_mount(self) -> None:
        self._show_mode()

    def _show_mode(self) -> None:
        title, label, hint, _ = _WORDS[self.mode]
        self.query_one("#add-dialog").border_title = title
        self.query_one("#add-label", Label).update(label)
        self.query_one("#add-hint", Static).update(Text(hint, style="dim"))

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.mode = "page" if event.pressed.id == "mode-page" else "source"
        self._show_mode()

    def action_toggle_mode(self) -> None:
        target = "#mode-source" if self.mode == "page" else "#mode-page"
        self.query_one(target, RadioButton).value = True  # RadioSet.Changed does the rest

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        url = normalise_url(event.value)
        if url is None:
            self._error("Not a web address: give an http:// or https:// URL.")
            return
        if self.service.offline:
            self._error(_WORDS[self.mode][3])
            return
        self.query_one("#add-error", Static).update(Text(f"Looking at {clean_line(url)}…"))
        self.remove_class("-error")
        self.query_one(Input).disabled = True
        self._add(url, self.mode)

    @work(exclusive=True, group="add-source", exit_on_error=False)
    async def _add(self, url: str, mode: Mode) -> None:
        try:
            if mode == "page":
                result: Source | Post = await self.service.save_url(url)
            else:
                result = await self.service.add_source(url)
        except Exception as exc:  # every failure is one line in the dialog, never a traceback
            self._error(clean_line(str(exc)) or exc.__class__.__name__)
            field = self.query_one(Input)
            field.disabled = False
            field.focus()
            return
        self.dismiss(result)

    def _error(self, message: str) -> None:
        self.query_one("#add-error", Static).update(Text(message, style="bold"))
        self.add_class("-error")

    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "add-source")
        self.dismiss(None)
