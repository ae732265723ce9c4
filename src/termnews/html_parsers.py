"""lxml HTML parsers, one per thread: a parser (and its string dictionary) is not thread-safe.

lxml parses with the GIL released, and every document a parser makes shares that
parser's dictionary of tag and attribute names. Two threads extracting pages with
one parser corrupted the heap (``double free or corruption``) under parallel
prefetch. So every parse in termnews goes through ``html_parser()``, which gives
each thread its own; ``use_thread_parsers_in_readability`` does the same for the
small fragments readability-lxml makes with lxml's module-wide default parser, and
``use_thread_parsers_in_trafilatura`` for trafilatura's (its module-wide ``HTML_PARSER``).

Each parser picks element classes in C (``_html_classes``): lxml.html's own
lookup is a Python call for every element proxy made, a tenth of an extraction.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlElementClassLookup,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    document_fromstring,
    fragment_fromstring,
)

_local = threading.local()


def _html_classes() -> etree.ElementNamespaceClassLookup:
    """lxml.html's element classes, chosen by tag in C rather than by a Python ``lookup``.

    The same choice as ``HtmlElementClassLookup``: its special tags (``form``,
    ``input``, ``select``, ``textarea``, ``label``) get their classes, every other
    element ``HtmlElement``, comments, PIs and entities lxml.html's classes.
    """
    fallback = etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction,
        entity=HtmlEntity,
    )  # fmt: skip
    lookup = etree.ElementNamespaceClassLookup(fallback)
    by_tag = lookup.get_namespace(None)
    for tag, cls in HtmlElementClassLookup._default_element_classes.items():
        by_tag[tag] = cls
    return lookup


def _new_parser(**options: Any) -> HTMLParser:
    parser = HTMLParser(**options)
    parser.set_element_class_lookup(_html_classes())
    return parser


def html_parser() -> HTMLParser:
    """This thread's HTML parser (UTF-8 input; comments and processing instructions dropped)."""
    parser: HTMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = _new_parser(encoding="utf-8", remove_comments=True, remove_pis=True)
        _local.parser = parser
    return parser


def parse_document(html: str) -> Any:
    """``html`` parsed into an lxml document with this thread's parser."""
    return document_fromstring(html.encode("utf-8", "replace"), parser=html_parser())


def _plain_parser() -> HTMLParser:
    """This thread's parser for readability's own fragments (``"<div/>"``, ``"<p/>"``)."""
    parser: HTMLParser | None = getattr(_local, "plain", None)
    if parser is None:
        parser = _new_parser()
        _local.plain = parser
    return parser


def _fragment(html: str, *args: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("parser", _plain_parser())
    return fragment_fromstring(html, *args, **kwargs)


def _document(html: str, *args: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("parser", _plain_parser())
    return document_fromstring(html, *args, **kwargs)


@functools.cache
def use_thread_parsers_in_readability() -> None:
    """Point readability-lxml's parsing helpers at per-thread parsers (once per process).

    readability imports ``fragment_fromstring``/``document_fromstring`` by name and
    calls them without a parser, i.e. with lxml.html's one shared ``html_parser``.
    Replacing the two names in its module is the narrowest fix; readability offers
    no parser argument.
    """
    import readability.readability as module

    module.fragment_fromstring = _fragment
    module.document_fromstring = _document


def _bytes_document(htmlobject: str) -> Any:
    """trafilatura's ``fromstring_bytes`` with this thread's parser (None when unparsable)."""
    try:
        return document_fromstring(
            htmlobject.encode("utf-8", "surrogatepass"), parser=html_parser()
        )
    except Exception:  # noqa: BLE001 - trafilatura's own helper returns None on any failure
        return None


@functools.cache
def use_thread_parsers_in_trafilatura() -> None:
    """Point trafilatura's parsing helpers at per-thread parsers (once per process).

    trafilatura parses fragments (JSON-LD bodies, its readability port's ``<div/>``)
    with lxml's shared default parser and whole strings with one module-wide
    ``HTML_PARSER``. termnews always hands it a tree it parsed itself; these names
    are the few places where trafilatura still parses on its own.
    """
    import trafilatura.baseline as baseline
    import trafilatura.external as external
    import trafilatura.readability_lxml as readability_port
    import trafilatura.utils as utils

    baseline.fragment_fromstring = _fragment
    readability_port.fragment_fromstring = _fragment
    external.fromstring_bytes = _bytes_document
    utils.fromstring_bytes = _bytes_document
