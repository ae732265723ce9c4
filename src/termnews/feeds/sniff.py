"""Is this body a feed? A cheap look at its start, and the Unicode form of XML without a BOM.

The bytes decide over the Content-Type, which is often wrong both ways (feeds
served as text/html, pages as application/xml); a feed Content-Type only
breaks ties. XML is read past its prolog (declaration, comments, processing
instructions, DOCTYPE) to the root element, however long the prolog is.
"""

from __future__ import annotations

import json
import re

from termnews.net.decode import normalise_charset

__all__ = ["looks_like_feed", "xml_codec"]

_FEED_MIMES = ("rss+xml", "atom+xml", "rdf+xml", "feed+json")
_JSON_MIMES = ("/json", "+json")
_FEED_ROOTS = {"rss", "feed", "rdf", "channel"}
_HTML_ROOTS = {"html", "head", "body"}
JSONFEED_VERSION = "jsonfeed.org/version/"
_HEAD_CHARS = 65536  # how far the root element is looked for
# XML 1.0 Appendix F: the first four bytes of a document with no BOM.
_UNICODE_STARTS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_EBCDIC_START = b"\x4c\x6f\xa7\x94"  # "<?xm" in EBCDIC
_PROLOG = re.compile(
    r"\s+|<\?.*?\?>|<!--.*?-->|<!doctype(?:[^\[>]|\[.*?\])*>", re.IGNORECASE | re.DOTALL
)
_ROOT = re.compile(r"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_XML_BASE = re.compile(r"""\sxml:base\s*=\s*(["'])(.*?)\1""", re.DOTALL)
_DECLARED = re.compile(r"""^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def xml_codec(content: bytes) -> str | None:
    """The codec of an XML document without a BOM whose first bytes say UTF-16/32 or EBCDIC.

    ``3C 00 3F 00`` can only be UTF-16 LE, whatever a header claims. For EBCDIC
    the declaration (readable once the family is known) names the code page.
    """
    for start, codec in _UNICODE_STARTS:
        if content.startswith(start):
            return codec
    if content.startswith(_EBCDIC_START):
        declared = _DECLARED.match(content[:200].decode("cp500", "replace"))
        return (normalise_charset(declared.group(1)) if declared else None) or "cp500"
    return None


def head_text(content: bytes) -> str:
    """The start of a body as text, well enough to find its root element."""
    head = content[: _HEAD_CHARS * 4]
    codec = xml_codec(head)
    if codec is None:
        for bom, name in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                          (b"\xfe\xff", "utf-16-be")):  # fmt: skip
            if head.startswith(bom):
                head, codec = head[len(bom) :], name
                break
    if codec is None:
        return head[:_HEAD_CHARS].decode("latin-1")
    return head.decode(codec, "ignore")[:_HEAD_CHARS].lstrip("\ufeff")


def root_start(text: str) -> int:
    """Where the root element's start tag begins: past the prolog, however long."""
    pos = 0
    while (match := _PROLOG.match(text, pos)) and match.end() > pos:
        pos = match.end()
    return pos


def root_name(text: str) -> str | None:
    """The local name of the first element after the prolog, lower-cased; None if none."""
    root = _ROOT.match(text, root_start(text))
    return root.group(2).lower() if root else None


def root_base(text: str) -> str:
    """The root element's own absolute ``xml:base``, or "": a base that the document,
    not its address, sets (relative Atom ids resolve against it and stay stable)."""
    start = root_start(text)
    tag = text[start : text.find(">", start) + 1]
    match = _XML_BASE.search(tag)
    base = match.group(2).strip() if match else ""
    return base if base.startswith(("http://", "https://")) else ""


def looks_like_feed(content: bytes, content_type: str | None) -> bool:
    """A cheap sniff: is this a feed (True) or a web page / other data (False)?"""
    mime = (content_type or "").split(";")[0].strip().lower()
    text = head_text(content).lstrip("\ufeff \t\r\n")
    if text.startswith("{"):
        return _is_json_feed(content, mime)
    if not text.startswith("<"):
        return False
    root = root_name(text)
    if root in _FEED_ROOTS:
        return True
    return mime.endswith(_FEED_MIMES) and root is not None and root not in _HTML_ROOTS


def _is_json_feed(content: bytes, mime: str) -> bool:
    if mime.endswith("feed+json"):
        return True
    try:
        data = json.loads(content)
    except (ValueError, RecursionError):
        return False
    return is_json_feed_object(data)


def is_json_feed_object(data: object) -> bool:
    """A JSON Feed: an object whose version names the spec, or (a version such as "1.1"
    written without the URL) an object with a version and an ``items`` list."""
    if not isinstance(data, dict):
        return False
    version = data.get("version")
    if isinstance(version, str) and JSONFEED_VERSION in version.replace("\\/", "/"):
        return True
    return isinstance(version, str | int | float) and isinstance(data.get("items"), list)
