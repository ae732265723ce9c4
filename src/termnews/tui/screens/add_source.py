"""The `a` dialog: type a URL, termnews works out whether it is a feed or a site.

The dialog runs ``service.add_source`` in a worker and stays open with a
one-line error when it fails, so the user can fix the URL and try again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from termnews.models import Source
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


class AddSourceScreen(ModalScreen[Source | None]):
    """A small modal: an Input, a hint line and an error line."""

    BINDINGS = [Binding("escape", "cancel", "cancel", id="add_cancel")]

    def __init__(self, service: Service) -> None:
        super().__init__()
        self.service = service

    def compose(self) -> Any:
        with Vertical(id="add-dialog") as box:
            box.border_title = "Add a source"
            yield Label("URL of a feed or a web site")
            yield Input(placeholder="https://example.com/", id="add-url")
            yield Static("", id="add-error")
            yield Static(Text("enter: add   esc: cancel", style="dim"), id="add-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        url = normalise_url(event.value)
        if url is None:
            self._error("Not a web address: give an http:// or https:// URL.")
            return
        if self.service.offline:
            self._error("Offline: adding a source needs the network.")
            return
        self.query_one("#add-error", Static).update(Text(f"Looking at {clean_line(url)}…"))
        self.query_one(Input).disabled = True
        self._add(url)

    @work(exclusive=True, group="add-source", exit_on_error=False)
    async def _add(self, url: str) -> None:
        try:
            source = await self.service.add_source(url)
        except Exception as exc:  # every failure is one line in the dialog, never a traceback
            self._error(clean_line(str(exc)) or exc.__class__.__name__)
            field = self.query_one(Input)
            field.disabled = False
            field.focus()
            return
        self.dismiss(source)

    def _error(self, message: str) -> None:
        self.query_one("#add-error", Static).update(Text(message, style="bold"))
        self.add_class("-error")

    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "add-source")
        self.dismiss(None)
