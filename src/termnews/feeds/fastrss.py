"""A fast path for plain RSS 2.0: lxml finds the fields, feedparser's own steps treat them.

feedparser's SAX handler costs ~0.3 ms an entry, most of a cold refresh. A
well-formed RSS 2.0 document whose channel and items use only the core
elements, ``content:encoded`` and ``dc:creator`` (none of them twice in one
item) is read here with lxml; each field's text then goes through the steps
feedparser's ``pop`` applies (strip, URI resolution, HTML sanitising with its
sanitizer, its encoding repairs), and the result has the keys of feedparser's
entry dictionary, less ``published_parsed``: ``parse._published`` asks
feedparser's date parsers only when its own reading fails, so each date is
parsed once. HTML fields that feedparser's passes would leave unchanged
(``plainmarkup``) skip them, and a feed of such fields is read without
importing feedparser at all (~50 ms of a refresh's first body). So
``parse._xml_entry`` turns both into the same entries (``tests/test_fastrss.py``
compares them). Anything else — Atom,
RSS 1.0, other namespaced elements, ``xml:base``, a DOCTYPE, an XML error —
returns None and feedparser reads the document.
"""

from __future__ import annotations

import contextlib
import functools
import re
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from termnews.feeds.feedparser_setup import feedparser
from termnews.feeds.plainmarkup import SAFE_TAGS, PlainMarkup

__all__ = ["read_plain_rss"]

# Channel children that change nothing the fast path reads (feedparser keeps them apart).
_CHANNEL_OTHER = frozenset(
    {
        "description", "language", "copyright", "managingEditor", "webMaster", "pubDate",
        "lastBuildDate", "category", "generator", "docs", "ttl", "rating", "skipHours",
        "skipDays", "cloud",
    }
)  # fmt: skip
_LINK_ATTRIBUTES = frozenset({"rel", "href", "type"})
_CHANNEL_NESTED = frozenset({"skipHours", "skipDays"})  # their <hour>, <day>: nothing read
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
_ATOM_LINK = "{http://www.w3.org/2005/Atom}link"
_ITEM_READ = frozenset(
    {"title", "link", "guid", "pubDate", "description", "author", _CONTENT, _CREATOR}
)
# feedparser's reading of an e-mail address in an author line (``_sync_author_detail``)
_EMAIL = re.compile(
    r"(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))"
    r"([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"
)
_ITEM_OTHER = frozenset({"category", "comments", "enclosure"})
_DECLARATION = re.compile(r"^<\?xml[^>]*\?>")
_LOOKS_ENCODED = re.compile(r"[\x80-\xff]")  # latin-1 text that may be UTF-8 read wrongly


class _Unsupported(Exception):
    """The document uses something only feedparser reads."""


def read_plain_rss(text: str, url: str) -> dict[str, Any] | None:
    """feedparser's result keys (``version``, ``feed``, ``entries``) for a plain RSS 2.0
    document, or None when feedparser must read it."""
    if "xml:base" in text or "<!DOCTYPE" in text or "<!ENTITY" in text:
        return None
    head = text[:200].lstrip()
    if head.startswith("<?xml"):
        declaration = _DECLARATION.match(head)
        if declaration is None:
            return None
        text = text.lstrip()[declaration.end() :]  # the text is decoded: drop its encoding
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    try:
        return _read(root, url)
    except _Unsupported:
        return None


def _read(root: Any, url: str) -> dict[str, Any]:
    if root.tag != "rss" or root.get("version") != "2.0" or len(root) != 1:
        raise _Unsupported
    channel = root[0]
    if channel.tag != "channel" or channel.attrib:
        raise _Unsupported
    steps = _Steps(url)
    feed: dict[str, Any] = {}
    entries: list[dict[str, Any]] = []
    for child in channel:
        tag = child.tag
        if tag == "item":
            entries.append(_item(child, steps))
        elif tag in ("title", "link") and tag not in feed:
            _plain(child)
            if tag == "title":
                feed["title"], kind = steps.text(child.text, "title", "text/plain")
                feed["title_detail"] = {"type": kind}
            else:
                feed["link"] = steps.text(child.text, "link")[0]
        elif tag == _ATOM_LINK:  # rel="self" (the feed's own address) changes nothing read
            if child.get("rel") != "self" or len(child) or set(child.attrib) - _LINK_ATTRIBUTES:
                raise _Unsupported
        elif tag not in _CHANNEL_OTHER or len(child) and tag not in _CHANNEL_NESTED:
            raise _Unsupported
    return {"version": "rss20", "bozo": 0, "feed": feed, "entries": entries}


def _item(item: Any, steps: _Steps) -> dict[str, Any]:
    """One item as feedparser's entry dictionary (the keys ``parse._xml_entry`` reads)."""
    if item.attrib:
        raise _Unsupported
    entry: dict[str, Any] = {}
    seen: set[str] = set()
    for child in item:
        tag = child.tag
        if tag in _ITEM_OTHER:
            _plain(child, attributes=True)  # an enclosure with media:* inside is not plain
            continue
        key = "author" if tag == _CREATOR else tag  # one author line an item, either way
        if tag not in _ITEM_READ or key in seen:
            raise _Unsupported
        seen.add(key)
        if tag == "guid":
            if set(child.attrib) - {"isPermaLink"}:
                raise _Unsupported
            _plain(child, attributes=True)
            is_link = child.get("isPermaLink", "true") == "true"
            entry["id"] = steps.text(child.text, "id")[0]
            entry.setdefault("guidislink", is_link and "link" not in entry)
            if is_link:
                entry.setdefault("link", entry["id"])
            continue
        _plain(child)
        if tag == "title":
            entry["title"], kind = steps.text(child.text, "title", "text/plain")
            entry["title_detail"] = {"type": kind}
        elif tag == "link":
            link = steps.text(child.text, "link")[0]
            # feedparser's repair of "&amp;" in an item's link (entities read twice)
            link = re.sub("&([A-Za-z0-9_]+);", r"&\g<1>", link.replace("&amp;", "&"))
            entry["link"] = link
            entry.setdefault("links", []).append(
                {"rel": "alternate", "type": "text/html", **({"href": link} if link else {})}
            )
        elif tag == "pubDate":
            entry["published"] = steps.text(child.text, "published")[0]
        elif tag == "description":
            entry["summary"], kind = steps.text(child.text, "description", "text/html")
            entry["summary_detail"] = {"type": kind}
        elif tag == _CONTENT:
            value, kind = steps.text(child.text, "content", "text/html")
            entry["content"] = [{"type": kind, "value": value}]
            entry.setdefault("summary", value)  # a later <description> replaces it
        else:  # author, dc:creator
            entry["author"] = steps.text(child.text, "author")[0]
            _author_detail(entry)
    return entry


def _author_detail(entry: dict[str, Any]) -> None:
    """The name (and e-mail) feedparser reads from an author line."""
    author = entry["author"]
    if not author:
        return
    match = _EMAIL.search(author)
    email = match.group(0) if match else None
    if email:
        for cruft in (email, "()", "<>", "&lt;&gt;"):
            author = author.replace(cruft, "")
        author = author.strip()
        author = author[1:] if author.startswith("(") else author
        author = (author[:-1] if author.endswith(")") else author).strip()
    detail: dict[str, str] = {}
    if author or email:
        entry.setdefault("author_detail", detail)
    if author:
        detail["name"] = author
    if email:
        detail["email"] = email


def _plain(element: Any, *, attributes: bool = False) -> None:
    """Only text inside (no child elements, comments or instructions), and no attributes."""
    if len(element) or (element.attrib and not attributes):
        raise _Unsupported


# feedparser's own values (``tests/test_fastrss.py`` compares them with the installed
# feedparser), here so that a plain feed is read without importing it (~50 ms at the first
# body): its elements whose markup it resolves and sanitises (``can_contain_relative_uris``
# and ``can_contain_dangerous_markup``, the same set), its HTML types, the first test of
# ``looks_like_html`` (a close tag or an entity), the characters its ``_cp1252`` maps, and
# ``urls._urifixer`` with ``urls._urljoin``.
_MARKUP_ELEMENTS = frozenset(
    {"content", "copyright", "description", "info", "rights", "subtitle", "summary",
     "tagline", "title"}
)  # fmt: skip
_HTML_TYPES = frozenset({"application/xhtml+xml", "text/html"})
_MAY_BE_HTML = re.compile(r"</(\w+)>|&#?\w+;")
_C1 = re.compile("[\x80-\x9f]")
_URIFIXER = re.compile("^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")
_PLAIN = PlainMarkup(frozenset(SAFE_TAGS))


def _urljoin(base: str, uri: str) -> str:
    """feedparser's ``urls._urljoin``: extra slashes after the scheme dropped, then joined."""
    uri = _URIFIXER.sub(r"\1\3", uri)
    try:
        return urljoin(base, uri)
    except ValueError:
        return ""


class _Steps:
    """What feedparser does to an element's text when it ends (``_FeedParserMixin.pop``).

    feedparser itself is imported only for text its steps may change: HTML that is not
    plain markup, a title that may be HTML, C1 characters.
    """

    def __init__(self, url: str) -> None:
        # feedparser's base, make_safe_absolute_uri("", url) or make_safe_absolute_uri(url),
        # is the URL itself (or "" for none)
        self.base = url

    @functools.cached_property
    def _feedparser(self) -> Any:
        """feedparser's mixin, urls and sanitizer modules, imported (and set up) now."""
        feedparser()
        from feedparser import mixin, sanitizer, urls

        return mixin, urls, sanitizer

    def text(self, raw: str | None, element: str, kind: str = "") -> tuple[str, str]:
        """The element's value and its content type as feedparser leaves them."""
        out = (raw or "").strip()
        if element in ("link", "comments") and out:  # can_be_relative_uri, less "id"
            out = _urljoin(self.base, out)
        if (
            kind == "text/plain"
            and _MAY_BE_HTML.search(out)  # else looks_like_html says no at once
            and self._feedparser[0]._FeedParserMixin.looks_like_html(out)
        ):
            kind = "text/html"
        if kind in _HTML_TYPES and _PLAIN.is_plain(out):
            # Both passes would give it back as it is (the sanitizer strips and folds CR-LF).
            if element in _MARKUP_ELEMENTS:
                out = out.replace("\r\n", "\n")
        elif kind in _HTML_TYPES and element in _MARKUP_ELEMENTS:
            _mixin, urls, sanitizer = self._feedparser
            out = urls.resolve_relative_uris(out, self.base, "utf-8", kind)
            out = sanitizer._sanitize_html(out, "utf-8", kind)
        if _LOOKS_ENCODED.search(out):
            with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
                out = out.encode("iso-8859-1").decode("utf-8")  # UTF-8 read as latin-1
        if _C1.search(out):
            out = out.translate(self._feedparser[0]._cp1252)
        return out, kind
