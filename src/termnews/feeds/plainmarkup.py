"""Markup that feedparser's HTML steps give back unchanged, recognised without running them.

feedparser re-serialises every HTML field twice through its sgmllib parser
(``resolve_relative_uris``, then ``_sanitize_html``): ~0.6 ms an item, a third
of the fast path's parsing. For most summaries both passes are the identity:
text with at most the named entities ``&amp; &lt; &gt; &quot; &apos;`` and
properly nested, attribute-free start and end tags of common elements the
sanitizer keeps (no ``<br>`` — it becomes ``<br />`` — no comments, CDATA,
declarations, character references, stray ``<``/``>``, case or spaces inside a
tag). Such text comes back as it went in (less the sanitizer's strip and
CR-LF folding); anything else goes through feedparser's steps.
``tests/test_plainmarkup.py`` checks the claim against feedparser itself.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["SAFE_TAGS", "PlainMarkup", "safe_tags"]

# Elements the sanitizer keeps as they are: attribute-free, with an end tag, and no
# start_/do_/end_ handler in feedparser's classes (``tests/test_plainmarkup.py`` checks
# with ``safe_tags`` that the installed feedparser keeps each of them).
SAFE_TAGS = (
    "p", "b", "i", "em", "strong", "u", "s", "small", "sub", "sup", "code", "pre", "kbd",
    "samp", "var", "cite", "q", "abbr", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
    "h1", "h2", "h3", "h4", "h5", "h6", "div", "span", "figure", "figcaption",
    "del", "ins", "strike", "big", "center", "address", "article", "aside", "section",
    "header", "footer", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption",
)  # fmt: skip

_TEXT = r"[^<>&]"
_ENTITY = r"&(?:amp|lt|gt|quot|apos);"
_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)>")


def safe_tags(classes: tuple[Any, ...]) -> frozenset[str]:
    """The ``SAFE_TAGS`` each of feedparser's HTML ``classes`` passes through untouched."""
    kept = set(SAFE_TAGS)
    for cls in classes:
        acceptable = getattr(cls, "acceptable_elements", None)
        if acceptable is not None:
            kept &= set(acceptable)
        kept -= set(getattr(cls, "unacceptable_elements_with_end_tag", ()))
        kept -= set(getattr(cls, "elements_no_end_tag", ()))
        kept = {
            tag
            for tag in kept
            if not any(hasattr(cls, f"{kind}_{tag}") for kind in ("start", "do", "end"))
        }
    return frozenset(kept)


def _pattern(tags: frozenset[str]) -> re.Pattern[str]:
    names = "|".join(sorted(tags, key=len, reverse=True))
    return re.compile(rf"(?:{_TEXT}|{_ENTITY}|</?(?:{names})>)*")


class PlainMarkup:
    """``is_plain(text)``: feedparser's URI and sanitizer passes leave ``text`` as it is."""

    def __init__(self, tags: frozenset[str]) -> None:
        self._tags = tags
        self._whole = _pattern(tags)

    def is_plain(self, text: str) -> bool:
        """True when ``text`` is made only of plain text, safe entities and safe tags,
        nested properly and all closed (sgmllib closes or drops the rest)."""
        if self._whole.fullmatch(text) is None:
            return False
        if "<" not in text:
            return True
        open_tags: list[str] = []
        for closing, name in _TAG.findall(text):
            if not closing:
                open_tags.append(name)
            elif not open_tags or open_tags.pop() != name:
                return False
        return not open_tags
