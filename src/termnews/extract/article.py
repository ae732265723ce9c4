"""Page HTML → readable Document: readability-lxml picks the article, termnews cleans up.

The pipeline parses the page once with lxml and reuses that tree:

1. metadata (title, byline, date, site, lead image) from JSON-LD, ``<meta>``
   and ``<time>`` — before anything is removed (``termnews.extract.meta``);
2. ``preclean`` drops hidden elements, tracking pixels and share, newsletter,
   related and advert boxes (``termnews.extract.clean``);
3. readability-lxml scores the rest and returns the article node;
4. headings and figures readability dropped from the article are put back
   (``termnews.extract.restore``);
5. the node becomes blocks (``termnews.extract.blocks``) and ``prune_blocks``
   removes labels, bylines and pointer lines left inside the body.

Any failure surfaces as ``ExtractError`` with a one-line message, whatever the
input. ``readable_text`` is the body as plain text (what the benchmark
scores); ``choose_document`` (re-exported from ``termnews.extract.fallback``)
falls back to the feed's own content.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from termnews.document import (
    Block,
    Caption,
    Code,
    Document,
    Heading,
    ListBlock,
    Paragraph,
    Quote,
    Table,
)
from termnews.errors import TermnewsError
from termnews.extract.blocks import element_to_blocks
from termnews.extract.candidates import json_ld_blocks, trafilatura_blocks
from termnews.extract.choose import Candidate, choose, doubtful
from termnews.extract.clean import inline_text, preclean, prune_blocks
from termnews.extract.meta import Meta, extract_meta
from termnews.extract.readability_speed import MeasuredOnce, use_faster_readability
from termnews.extract.restore import number_blocks, restore
from termnews.html_parsers import parse_document, use_thread_parsers_in_readability
from termnews.text import xml_safe
from termnews.urls import absolute_http

MAX_HTML_CHARS = 8_000_000  # bigger "pages" are not articles; refuse rather than stall


class ExtractError(TermnewsError):
    """The page could not be turned into a readable document (one-line message)."""


def extract_document(html: str, url: str) -> Document:
    """The readable article of ``html`` fetched from ``url``, as a structured Document.

    Raises ``ExtractError`` — and nothing else — when the input cannot be parsed
    or holds no readable text.
    """
    try:
        return _extract(html, url)
    except ExtractError:
        raise
    except (Exception, RecursionError) as exc:  # never leak lxml/readability internals
        raise ExtractError(f"could not extract the page ({type(exc).__name__})") from None


def readable_text(html: str, url: str) -> str:
    """The article body as plain text, one block per line; "" when there is none.

    The headline, byline, date, images and captions are metadata or
    illustration, not body text, so they are left out here (the Document keeps them).
    """
    try:
        document = extract_document(html, url)
    except ExtractError:
        return ""
    return "\n".join(body_lines(document.blocks))


def body_lines(blocks: tuple[Block, ...] | list[Block]) -> list[str]:
    """One line per text block: paragraphs, headings, list items, quotes, code, table rows."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph | Heading):
            lines.append(inline_text(block.inlines))
        elif isinstance(block, ListBlock):
            lines.extend(_list_lines(block))
        elif isinstance(block, Quote):
            lines.extend(body_lines(block.blocks))
        elif isinstance(block, Code):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.extend("\t".join(row) for row in (block.header, *block.rows) if row)
    return lines


def _list_lines(block: ListBlock) -> list[str]:
    lines = []
    for item in block.items:
        if item.inlines:
            lines.append(inline_text(item.inlines))
        for child in item.children:
            lines.extend(_list_lines(child))
    return lines


# --- pipeline --------------------------------------------------------------------------


def _extract(html: str, url: str) -> Document:
    doc = parse_html(html)
    base = _base_url(doc, url)
    meta = extract_meta(doc, base)
    best = _best_candidate(html, doc, base, meta)
    blocks = best.blocks
    if not any(
        isinstance(b, Paragraph | Heading | ListBlock | Quote | Code | Table | Caption)
        for b in blocks
    ):
        raise ExtractError("the page has no readable text")
    title = meta.title or _first_heading(blocks)
    return Document(
        url=url,
        title=title,
        byline=meta.byline,
        published=meta.published,
        site_name=meta.site_name,
        lead_image=meta.lead_image,
        blocks=tuple(blocks),
    )


def _best_candidate(html: str, doc: HtmlElement, base: str, meta: Meta) -> Candidate:
    """readability's article first; trafilatura's (dearer) only when that one is doubtful.

    The clean-up edits ``doc``, and trafilatura wants the page whole: it gets a
    fresh parse, made only when it runs (cheaper than copying every page's tree).
    """
    page_prose = _page_prose(doc)
    ld = Candidate.of("json-ld", _pruned(json_ld_blocks(meta.body, base), meta))
    first = Candidate.of("readability", _readability_blocks(doc, base, meta))
    second = None
    if doubtful(first, page_prose, ld):
        pristine = parse_html(html)
        second = Candidate.of("trafilatura", _pruned(trafilatura_blocks(pristine, base), meta))
    return choose(first, second, ld)


def _readability_blocks(doc: HtmlElement, base: str, meta: Meta) -> list[Block]:
    """readability-lxml's article node, cleaned before and after (changes ``doc``)."""
    preclean(doc)
    numbered = number_blocks(doc)
    node = _article_node(doc, base)
    restore(node, numbered)
    return _pruned(element_to_blocks(node, base), meta)


def _pruned(blocks: list[Block], meta: Meta) -> list[Block]:
    return prune_blocks(blocks, meta.title, meta.byline) if blocks else []


def _page_prose(doc: HtmlElement) -> int:
    """Characters of paragraph text on the page: how much article there could be."""
    return sum(len(p.text_content().strip()) for p in doc.iter("p"))


def parse_html(html: str | bytes) -> HtmlElement:
    """Parse a page (text or bytes) into an lxml tree, or raise ExtractError."""
    if isinstance(html, bytes | bytearray):
        html = bytes(html).decode("utf-8", "replace")
    if not isinstance(html, str):
        raise ExtractError("the page is not text")
    if not html.strip():
        raise ExtractError("the page is empty")
    if len(html) > MAX_HTML_CHARS:
        raise ExtractError("the page is too large to read")
    try:
        doc = parse_document(xml_safe(html))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ExtractError(f"the page could not be parsed ({type(exc).__name__})") from None
    if doc is None or not isinstance(doc.tag, str):
        raise ExtractError("the page could not be parsed")
    return doc


def _base_url(doc: HtmlElement, url: str) -> str:
    base = doc.find(".//base[@href]")
    if base is not None:
        resolved = absolute_http(base.get("href", ""), url)
        if resolved:
            return resolved
    return url


def _first_heading(blocks: list[Block]) -> str:
    for block in blocks:
        if isinstance(block, Heading):
            return inline_text(block.inlines)
    return ""


def _article_node(doc: HtmlElement, url: str) -> HtmlElement:
    """readability-lxml's choice of article element (the body if it finds none)."""
    reader = _reader_class()(doc, url=url)
    try:
        reader.summary(html_partial=True)
    except Exception:
        node = None
    else:
        node = reader.article_node
    if node is None:
        body = doc.find("body")
        return body if body is not None else doc
    return node


@functools.cache
def _reader_class() -> Any:
    """A readability Document that works on our tree and hands back elements, not HTML.

    Imported lazily (readability costs ~85 ms to import). ``_parse`` copies the
    already-cleaned tree instead of re-parsing and re-cleaning it (readability
    retries on a fresh copy); ``get_clean_html`` keeps the article node so it
    need not be parsed again.
    """
    from lxml.etree import tounicode
    from readability import Document as Readability

    use_thread_parsers_in_readability()
    use_faster_readability()

    class _Reader(MeasuredOnce, Readability):
        article_node: HtmlElement | None = None

        def _parse(self, input: HtmlElement) -> HtmlElement:
            self.encoding = "utf-8"
            return copy.deepcopy(input)

        def get_clean_html(self) -> str:
            self.article_node = self.html
            return tounicode(self.html, method="html")

    return _Reader


from termnews.extract.fallback import choose_document  # noqa: E402  (re-export)

__all__ = [
    "ExtractError",
    "body_lines",
    "choose_document",
    "extract_document",
    "parse_html",
    "readable_text",
]
