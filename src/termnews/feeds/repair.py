"""Repairs to a feed's text before feedparser reads it: what its loose parser gets wrong.

A document that is not well-formed XML falls to feedparser's loose parser,
which reads HTML entities without their ``;`` (``&lang=`` in a link becomes
``〈=``, ``&copy=`` becomes ``©=``) and adds a ``;`` to ``Q&A``. Escaping the
bare ampersands first makes most such feeds well-formed, so the strict parser
reads them as written. Each repair leaves well-formed input unchanged.
"""

from __future__ import annotations

import re

from termnews.feeds.sniff import root_start

__all__ = ["repair_feed_text"]

# A bare "&": not the start of a complete reference. CDATA sections, comments and
# processing instructions are matched first and kept as they are.
_AMPERSAND = re.compile(
    r"(<!\[CDATA\[.*?\]\]>|<!--.*?-->|<\?.*?\?>)|&(?!#[0-9]+;|#x[0-9a-fA-F]+;|[A-Za-z_:][\w.:-]*;)",
    re.DOTALL,
)
# An RSS <link> with text and a url/uri attribute (e.g. an AT Protocol URI):
# feedparser prefers the attribute to the text, which is the item's web link.
_LINK_ATTRIBUTE = re.compile(
    r"(<link\b[^>]*?\s)(uri|url)(\s*=\s*(?:\"[^\"]*\"|'[^']*')[^>]*>)(?=\s*[^<\s])"
)

# Namespace URIs written with spaces around them (" http://…/ ") name another namespace.
_PADDED_NAMESPACE = re.compile(r"""(\sxmlns(?::[\w.-]+)?\s*=\s*)(["'])\s*([^"']*?)\s*\2""")
_PREFIX_USED = re.compile(r"</?([A-Za-z_][\w.-]*):[A-Za-z_]")
_PREFIX_DECLARED = re.compile(r"xmlns:([A-Za-z_][\w.-]*)\s*=")
# Prefixes feeds use without declaring them, and the namespaces they always mean.
_KNOWN_NAMESPACES = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "georss": "http://www.georss.org/georss",
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "media": "http://search.yahoo.com/mrss/",
    "slash": "http://purl.org/rss/1.0/modules/slash/",
    "sy": "http://purl.org/rss/1.0/modules/syndication/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
}


def repair_feed_text(text: str) -> str:
    """The feed with bare ampersands escaped and RSS link text preferred to attributes."""
    if "&" in text:
        text = _AMPERSAND.sub(lambda m: m.group(1) or "&amp;", text)
    if "<link" in text and ("uri" in text or "url" in text):
        text = _LINK_ATTRIBUTE.sub(r"\1data-\2\3", text)
    if "xmlns" in text:
        text = _PADDED_NAMESPACE.sub(r"\1\2\3\2", text)
    return _declare_prefixes(text)


def _declare_prefixes(text: str) -> str:
    """Declare, on the root element, prefixes the document uses but never declares.

    Without a declaration the document is not well-formed and loses every item
    to the loose parser; known prefixes get their real namespace.
    """
    used = set(_PREFIX_USED.findall(text)) - {"xml", "xmlns"}
    missing = used - set(_PREFIX_DECLARED.findall(text))
    if not missing:
        return text
    start = root_start(text)
    name = re.compile(r"<[A-Za-z_][\w.:-]*").match(text, start)
    if name is None:
        return text
    declarations = "".join(
        f' xmlns:{p}="{_KNOWN_NAMESPACES.get(p.lower(), "urn:x-undeclared:" + p)}"'
        for p in sorted(missing)
    )
    return text[: name.end()] + declarations + text[name.end() :]
