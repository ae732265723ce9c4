"""The `a` / `P` dialog: the URL of a source to follow (feed or site), or of a page to save.

Two modes behind one URL field, switched with the radio buttons (or ctrl+t).
The dialog only asks: it returns an ``AddRequest`` and the main screen does the
work. When that fails, the screen opens the dialog again with the URL and a
one-line error, so the user can fix the URL and try again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioButton, RadioSet, Static


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


@dataclass(frozen=True, slots=True)
class AddRequest:
    """What the dialog asks for: follow ``url`` as a source, or save it as a page."""

    url: str
    mode: Mode


_WORDS: dict[str, tuple[str, str, str]] = {  # title, label, hint
    "source": (
        "Add a source",
        "URL of a feed or a web site",
        "enter: add   ctrl+t: save a page   esc: cancel",
    ),
    "page": (
        "Save a page",
        "URL of a page to keep in the library, readable offline",
        "enter: save   ctrl+t: follow a source   esc: cancel",
    ),
}


class AddSourceScreen(ModalScreen[AddRequest | None]):
    """A small modal: the mode, an Input, an error line and a hint line.

    Dismisses with an ``AddRequest`` (a valid http(s) URL), or None when cancelled;
    ``url`` and ``error`` show a failed attempt again.
    """

    BINDINGS = [
        Binding("escape", "cancel", "cancel", id="add_cancel"),
        Binding("ctrl+t", "toggle_mode", "other mode", id="add_toggle_mode"),
    ]
    AUTO_FOCUS = "#add-url"

    def __init__(self, *, mode: Mode = "source", url: str = "", error: str = "") -> None:
        super().__init__()
        self.mode: Mode = mode
        self.url = url
        self.error = error

    def compose(self) -> Any:
        with Vertical(id="add-dialog"):
            with RadioSet(id="add-mode"):
                yield RadioButton("Follow a source", value=self.mode == "source", id="mode-source")
                yield RadioButton("Save a page", value=self.mode == "page", id="mode-page")
            yield Label("", id="add-label")
            yield Input(self.url, placeholder="https://example.com/", id="add-url")
            yield Static("", id="add-error")
            yield Static("", id="add-hint")

    def on_mount(self) -> None:
        self._show_mode()
        if self.error:
            self._error(self.error)

    def _show_mode(self) -> None:
        title, label, hint = _WORDS[self.mode]
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
        self.dismiss(AddRequest(url, self.mode))

    def _error(self, message: str) -> None:
        self.query_one("#add-error", Static).update(Text(message, style="bold"))
        self.add_class("-error")

    def action_cancel(self) -> None:
        self.dismiss(None)
