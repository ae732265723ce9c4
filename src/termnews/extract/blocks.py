"""HTML elements → termnews blocks (headings, paragraphs, lists, quotes, code, tables…).

One walk over the element tree keeps a buffer of inline runs (text with its
emphasis, strong, code and link flags) and turns it into a paragraph whenever a
block element starts or ends. Every piece of web text passes through
``termnews.text.strip_unsafe``; links keep only absolute http(s) targets.
Used both for readability's article node and for a feed's content HTML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from lxml.html import HtmlElement

from termnews.document import (
    Block,
    Caption,
    Code,
    Heading,
    Image,
    Inline,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Rule,
    Table,
)
from termnews.text import clean_line, strip_unsafe
from termnews.urls import absolute_http

MAX_DEPTH = 180  # deeper nesting is flattened to text: no recursion limit, no slow walk

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SKIP = {
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "input", "button", "select", "textarea", "option", "canvas", "audio", "video",
    "head", "title", "meta", "link", "base", "source", "track", "map", "area", "dialog",
}  # fmt: skip
_CONTAINERS = {
    "div", "section", "article", "main", "header", "footer", "aside", "nav", "figure",
    "center", "body", "html", "form", "dl", "dd", "dt", "address", "details", "summary",
    "hgroup", "fieldset", "legend", "caption", "picture", "li", "tr", "td", "th",
    "tbody", "thead", "tfoot",
}  # fmt: skip
_EMPHASIS = {"em", "i", "cite", "dfn", "var"}
_STRONG = {"strong", "b"}
_CODE = {"code", "kbd", "samp", "tt"}
_SPACES = re.compile(r"[ \t\n\r\f\v\u00a0\u200b]+")
_LANG = re.compile(r"(?:^|\s)(?:language|lang)-([\w+#-]+)")
_LAZY_SRC = ("src", "data-src", "data-lazy-src", "data-original", "data-url")


@dataclass(frozen=True, slots=True)
class _Style:
    emphasis: bool = False
    strong: bool = False
    code: bool = False
    href: str | None = None


_PLAIN = _Style()


def element_to_blocks(root: HtmlElement, base_url: str) -> list[Block]:
    """The blocks of ``root`` and its descendants, in reading order."""
    builder = _Builder(base_url)
    builder.walk_children(root, _PLAIN, 0)
    builder.flush()
    return builder.blocks


class _Builder:
    """Collects blocks from a walk; ``buf`` holds the inline runs of the open paragraph."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.blocks: list[Block] = []
        self.buf: list[Inline] = []

    # -- inline buffer ----------------------------------------------------------------

    def text(self, text: str | None, style: _Style) -> None:
        if text:
            self.buf.append(Inline(text, style.emphasis, style.strong, style.code, style.href))

    def flush(self) -> None:
        inlines = normalise_inlines(self.buf)
        self.buf = []
        if inlines:
            self.blocks.append(Paragraph(inlines))

    # -- walk -------------------------------------------------------------------------

    def walk_children(self, el: HtmlElement, style: _Style, depth: int) -> None:
        self.text(el.text, style)
        for child in el:
            if isinstance(child.tag, str):
                self.walk(child, style, depth + 1)
            self.text(child.tail, style)

    def walk(self, el: HtmlElement, style: _Style, depth: int) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in _SKIP or not tag:
            return
        if depth > MAX_DEPTH:
            self.text(el.text_content(), style)
            return
        handler = _BLOCK_HANDLERS.get(tag)
        if handler is not None:
            self.flush()
            handler(self, el, depth)
        elif tag == "br":
            self._line_break()
        elif tag in _CONTAINERS:
            self.flush()
            self.walk_children(el, style, depth)
            self.flush()
        else:
            self.walk_children(el, self._inline_style(el, tag, style), depth)

    def _line_break(self) -> None:
        if self.buf and self.buf[-1].text.endswith("\n"):
            self.flush()  # two <br> in a row end the paragraph
        elif self.buf:
            self.buf.append(Inline("\n"))

    def _inline_style(self, el: HtmlElement, tag: str, style: _Style) -> _Style:
        if tag in _EMPHASIS:
            return replace(style, emphasis=True)
        if tag in _STRONG:
            return replace(style, strong=True)
        if tag in _CODE:
            return replace(style, code=True)
        if tag == "a":
            href = el.get("href")
            return replace(style, href=absolute_http(href, self.base_url) if href else None)
        return style

    # -- block elements -----------------------------------------------------------------

    def paragraph(self, el: HtmlElement, depth: int) -> None:
        self.walk_children(el, _PLAIN, depth)
        self.flush()

    def heading(self, el: HtmlElement, depth: int) -> None:
        inlines = self.inlines_of(el, depth)
        if inlines:
            self.blocks.append(Heading(_HEADINGS[el.tag.lower()], inlines))

    def caption(self, el: HtmlElement, depth: int) -> None:
        inlines = self.inlines_of(el, depth)
        if inlines:
            self.blocks.append(Caption(inlines))

    def quote(self, el: HtmlElement, depth: int) -> None:
        inner = _Builder(self.base_url)
        inner.walk_children(el, _PLAIN, depth)
        inner.flush()
        if inner.blocks:
            self.blocks.append(Quote(tuple(inner.blocks)))

    def code(self, el: HtmlElement, depth: int) -> None:
        text = strip_unsafe(el.text_content()).strip("\n").expandtabs(4)
        if text.strip():
            klass = " ".join(filter(None, [el.get("class")] + [c.get("class") for c in el]))
            match = _LANG.search(klass)
            self.blocks.append(Code(text, match.group(1) if match else None))

    def rule(self, el: HtmlElement, depth: int) -> None:
        self.blocks.append(Rule())

    def image(self, el: HtmlElement, depth: int) -> None:
        image = image_of(el, self.base_url)
        if image is not None:
            self.blocks.append(image)

    def list_(self, el: HtmlElement, depth: int) -> None:
        block = self.list_block(el, depth)
        if block is not None:
            self.blocks.append(block)

    def list_block(self, el: HtmlElement, depth: int) -> ListBlock | None:
        items = []
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if child.tag.lower() == "li":
                item = self.list_item(child, depth + 1)
                if item is not None:
                    items.append(item)
        if not items:
            return None
        ordered = el.tag.lower() == "ol"
        start = _int_attr(el.get("start"), 1) if ordered else 1
        return ListBlock(ordered, tuple(items), start)

    def list_item(self, li: HtmlElement, depth: int) -> ListItem | None:
        inner = _Builder(self.base_url)
        children: list[ListBlock] = []
        inner.text(li.text, _PLAIN)
        for child in li:
            if isinstance(child.tag, str) and child.tag.lower() in ("ul", "ol"):
                nested = inner.list_block(child, depth + 1)
                if nested is not None:
                    children.append(nested)
            elif isinstance(child.tag, str):
                inner.walk(child, _PLAIN, depth + 1)
            inner.text(child.tail, _PLAIN)
        inner.flush()
        children.extend(b for b in inner.blocks if isinstance(b, ListBlock))
        # a picture's caption in a gallery item illustrates; it is not the item's text
        inlines = _joined_inlines([b for b in inner.blocks if not isinstance(b, Caption)])
        if not inlines and not children:
            return None
        return ListItem(inlines, tuple(children))

    def table(self, el: HtmlElement, depth: int) -> None:
        if _is_layout_table(el):
            self.walk_children(el, _PLAIN, depth)
            self.flush()
            return
        rows = [_row_cells(tr) for tr in _table_rows(el)]
        rows = [r for r in rows if any(r)]
        if not rows:
            return
        header: tuple[str, ...] = ()
        first = _table_rows(el)[0]
        if first.getparent().tag == "thead" or all(
            c.tag == "th" for c in first if isinstance(c.tag, str)
        ):
            header, rows = rows[0], rows[1:]
        self.blocks.append(Table(header, tuple(rows)))

    def inlines_of(self, el: HtmlElement, depth: int) -> tuple[Inline, ...]:
        """The inline runs of ``el`` as one line (block structure inside it is flattened)."""
        inner = _Builder(self.base_url)
        inner.walk_children(el, _PLAIN, depth)
        inner.flush()
        return _joined_inlines(inner.blocks)


_BLOCK_HANDLERS: dict[str, Any] = {
    "p": _Builder.paragraph,
    "h1": _Builder.heading,
    "h2": _Builder.heading,
    "h3": _Builder.heading,
    "h4": _Builder.heading,
    "h5": _Builder.heading,
    "h6": _Builder.heading,
    "figcaption": _Builder.caption,
    "blockquote": _Builder.quote,
    "pre": _Builder.code,
    "hr": _Builder.rule,
    "img": _Builder.image,
    "ul": _Builder.list_,
    "ol": _Builder.list_,
    "table": _Builder.table,
}


# --- helpers -------------------------------------------------------------------------


def _joined_inlines(blocks: list[Block]) -> tuple[Inline, ...]:
    """The text blocks' inline runs as one line, a space between blocks (lists are left out)."""
    runs: list[Inline] = []
    for block in blocks:
        if isinstance(block, Paragraph | Heading | Caption):
            if runs:
                runs.append(Inline(" "))
            runs.extend(block.inlines)
    return normalise_inlines(runs)


def normalise_inlines(runs: list[Inline]) -> tuple[Inline, ...]:
    """Sanitise runs, collapse whitespace across them, trim the ends, merge equal styles."""
    out: list[Inline] = []
    for run in runs:
        text = strip_unsafe(run.text).replace("\u00ad", "")
        text = "\n".join(_SPACES.sub(" ", part) for part in text.split("\n"))
        if not text:
            continue
        prev_text = out[-1].text if out else "\n"
        if prev_text.endswith((" ", "\n")):
            text = text.lstrip(" ")
            if prev_text.endswith(" ") and text.startswith("\n"):
                out[-1] = replace(out[-1], text=prev_text.rstrip(" "))
        if not text:
            continue
        if out and _same_style(out[-1], run):
            out[-1] = replace(out[-1], text=out[-1].text + text)
        else:
            out.append(run if text == run.text else replace(run, text=text))  # runs are frozen
    return _trim(out)


def _trim(out: list[Inline]) -> tuple[Inline, ...]:
    while out and not out[-1].text.strip():
        out.pop()
    while out and not out[0].text.strip():
        out.pop(0)
    if not out:
        return ()
    if out[0].text[:1].isspace():
        out[0] = replace(out[0], text=out[0].text.lstrip())
    if out[-1].text[-1:].isspace():
        out[-1] = replace(out[-1], text=out[-1].text.rstrip())
    return tuple(
        replace(r, text=re.sub(r" *\n *", "\n", r.text)) if "\n" in r.text else r for r in out
    )


def _same_style(a: Inline, b: Inline) -> bool:
    return (a.emphasis, a.strong, a.code, a.href) == (b.emphasis, b.strong, b.code, b.href)


def image_of(el: HtmlElement, base_url: str) -> Image | None:
    """An Image block for ``<img>``, or None for tracking pixels and unusable sources."""
    if _is_pixel(el):
        return None
    for attr in _LAZY_SRC:
        src = el.get(attr)
        if src and not src.startswith("data:"):
            break
    else:
        srcset = el.get("srcset") or el.get("data-srcset") or ""
        src = srcset.split(",")[0].split()[0] if srcset.strip() else ""
    url = absolute_http(src, base_url) if src else None
    if url is None:
        return None
    return Image(url, clean_line(el.get("alt") or el.get("title") or "")[:300])


def _is_pixel(el: HtmlElement) -> bool:
    """1×1 (or 0×0, 2×2) images are tracking beacons, not pictures."""
    sizes = [_int_attr(el.get(a), 100) for a in ("width", "height")]
    return any(s <= 2 for s in sizes)


def _int_attr(value: str | None, default: int) -> int:
    if not value:
        return default
    match = re.match(r"\s*(-?\d{1,9})", value)
    return int(match.group(1)) if match else default


def _table_rows(table: HtmlElement) -> list[HtmlElement]:
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def _row_cells(tr: HtmlElement) -> tuple[str, ...]:
    return tuple(
        clean_line(cell.text_content())
        for cell in tr
        if isinstance(cell.tag, str) and cell.tag in ("td", "th")
    )


def _is_layout_table(table: HtmlElement) -> bool:
    """Tables used for page layout hold blocks or a single column: walk them as containers."""
    if table.xpath(".//table | .//p | .//div | .//ul | .//ol | .//blockquote | .//pre"):
        return True
    widths = {len(_row_cells(tr)) for tr in _table_rows(table)}
    return max(widths, default=0) <= 1
