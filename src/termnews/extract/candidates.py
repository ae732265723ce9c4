"""The further article candidates beside readability's: trafilatura's body and JSON-LD's text.

trafilatura (imported lazily: it costs ~170 ms) gets a copy of the tree termnews
parsed with this thread's parser, so it never parses the page with a shared
parser; its XML body (``head``, ``p``, ``list``/``item``, ``quote``, ``code``,
``table``/``row``/``cell``, ``hi``, ``ref``, ``graphic``) is rebuilt as HTML
elements and converted by the same ``element_to_blocks`` as every other path,
so the Document keeps headings, lists, quotes, code, tables and numbered links.
The JSON-LD ``articleBody`` is plain text: one paragraph per line.
"""

from __future__ import annotations

import functools
import html
from typing import Any

from lxml.html import HtmlElement

from termnews.document import Block, Paragraph
from termnews.extract.blocks import element_to_blocks
from termnews.extract.fallback import feed_html_blocks
from termnews.html_parsers import html_parser, use_thread_parsers_in_trafilatura

# trafilatura XML tag → HTML tag (``head`` and ``list`` depend on ``rend``, below).
_TAGS = {
    "p": "p", "item": "li", "quote": "blockquote", "code": "pre", "table": "table",
    "row": "tr", "lb": "br", "div": "div", "del": "s", "graphic": "img", "ref": "a",
}  # fmt: skip
_HI = {"#b": "strong", "#i": "em", "#t": "code", "#code": "code", "#u": "span"}


@functools.cache
def _trafilatura() -> Any:
    """trafilatura's ``bare_extraction``, imported on first use, its parsers made per-thread."""
    import logging

    import trafilatura

    use_thread_parsers_in_trafilatura()
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its warnings are not ours
    return trafilatura.bare_extraction


def trafilatura_blocks(doc: HtmlElement, base_url: str) -> list[Block]:
    """trafilatura's article body of the (uncleaned) tree ``doc`` as blocks; [] when none."""
    bare_extraction = _trafilatura()
    try:
        result = bare_extraction(
            doc, url=base_url or None, fast=True, include_comments=False,
            include_formatting=True, include_links=True, include_images=True,
            include_tables=True, with_metadata=False,
        )  # fmt: skip
    except Exception:  # noqa: BLE001 - a third-party failure only loses this candidate
        return []
    body = getattr(result, "body", None)
    if body is None:
        return []
    return element_to_blocks(_as_html(body), base_url)


def _as_html(node: Any) -> HtmlElement:
    """A copy of trafilatura's XML element tree as HTML elements of this thread's parser."""
    parser = html_parser()
    root = parser.makeelement("div", {})
    stack = [(node, root)]
    while stack:
        source, target = stack.pop()
        target.text = source.text
        for child in source:
            if not isinstance(child.tag, str):
                continue
            copy = parser.makeelement(*_html_tag(child))
            copy.tail = child.tail
            target.append(copy)
            stack.append((child, copy))
    return root


def _html_tag(el: Any) -> tuple[str, dict[str, str]]:
    tag, rend = el.tag, el.get("rend") or ""
    if tag == "head":
        level = rend[1:] if rend[:1] == "h" and rend[1:].isdigit() else "2"
        return f"h{min(6, max(2, int(level)))}", {}
    if tag == "list":
        return ("ol" if rend == "ol" else "ul"), {}
    if tag == "hi":
        return _HI.get(rend, "span"), {}
    if tag == "cell":
        return ("th" if el.get("role") == "head" else "td"), {}
    if tag == "ref":
        return "a", {"href": el.get("target") or ""}
    if tag == "graphic":
        attrs = {"src": el.get("src") or ""}
        if el.get("alt"):
            attrs["alt"] = el.get("alt")
        return "img", attrs
    if tag == "quote" and el.get("rend") == "code":
        return "pre", {}
    return _TAGS.get(tag, "span"), {}


def json_ld_blocks(body: str, base_url: str) -> list[Block]:
    """The JSON-LD ``articleBody`` text (sometimes HTML) as paragraphs, one per line."""
    if not body.strip():
        return []
    if "</p>" in body or "<br" in body:
        return [b for b in feed_html_blocks(body, base_url) if b]
    lines = (" ".join(line.split()) for line in html.unescape(body).splitlines())
    root = html_parser().makeelement("div", {})
    for line in lines:
        if line:
            p = html_parser().makeelement("p", {})
            p.text = line
            root.append(p)
    return [b for b in element_to_blocks(root, base_url) if isinstance(b, Paragraph)]
