"""Before readability chooses the article: what is never article text, removed from the page.

Hidden elements, tracking pixels, scripts, and boxes whose class or id says
share/newsletter/related/advert/comments go, so they can neither win nor ride
along. A name alone is not evidence, though: a box so named that wraps the
story, holds much of the page's prose, or carries the story on after its
paragraphs stays. Those tests need each element's text length and linked text
length; ``_Lengths`` measures an element once and remembers it, instead of
re-reading a subtree's text (and every link's in it) each time a box is tested.
"""

from __future__ import annotations

import functools
import re

from lxml import etree
from lxml.html import HtmlElement

from termnews.extract.figures import mark_picture_captions

_ALWAYS_DROP = (
    "script", "style", "template", "svg", "iframe", "object", "embed",
    "button", "input", "select", "textarea", "dialog", "canvas", "link",
)  # fmt: skip
# Dropped unless they hold the page's prose: an unclosed <nav> swallows the article,
# and some pages put their whole text in <noscript>.
_DROP_UNLESS_PROSE = ("nav", "noscript")
PROSE_BOX = 400  # characters of unlinked text that make a box worth keeping
BOX_LINK_SHARE = 0.3  # ... when at most this share of its text is in links

_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.I)

# Class/id words of boxes that are never the article (matched as a whole word part).
_BOILERPLATE_WORDS = re.compile(
    r"(?:^|[\s_-])(?:"
    r"share|sharing|sharebar|social|socials|newsletter|newsletters|subscribe|subscription|"
    r"signup|sign-up|related|recommended|recommendations|outbrain|taboola|breadcrumbs?|"
    r"comments?|disqus|advert|advertisement|adverts|ads|ad|adslot|ad-slot|dfp|gpt-ad|"
    r"sponsored|sponsor|promo|promoted|popular|most-read|trending|more-stories|read-more|"
    r"readmore|also-read|read-also|more-from|tags|tag-list|taglist|byline|bylines|dateline|"
    r"author-bio|authorbio|author-info|about-author|sidebar|widget|cookie|cookies|"
    r"modal|popup|toolbar|print-only|sr-only|screen-reader-text|visually-hidden|"
    r"visuallyhidden|skip-link|rating|reactions?|next-article|prev-article"
    r")(?:$|[\s_-])",
    re.I,
)
_PROTECTED_TAGS = {"html", "body", "article", "main"}
# Class/id words of picture captions and credits outside <figcaption>.
_CAPTION_WORDS = re.compile(
    r"(?:^|[\s_-])(?:caption|captions|captiontext|credit|credits|photocredit|figcaption|"
    r"cutline|image-desc|img-desc)(?:$|[\s_-])",
    re.I,
)
_CAPTION_TAGS = {"div", "p", "span", "small", "em", "figcaption", "cite"}


class _Lengths:
    """Characters of text and of linked text under elements, each measured at most once.

    Only the elements a rule asks about are measured (a box with a boilerplate
    name, a ``<nav>``), with lxml's own text collection; the answers are kept, so
    nested boxes and repeated questions cost nothing more.
    """

    def __init__(self, doc: HtmlElement) -> None:
        self._total: dict[HtmlElement, int] = {}
        self._linked: dict[HtmlElement, int] = {}
        self.wraps_article: set[HtmlElement] = set()
        marked = [*doc.iter("article", "main"), *doc.xpath("//*[@itemprop='articleBody']")]
        for el in marked:
            self.wraps_article.update(el.iterancestors())

    def total(self, el: HtmlElement) -> int:
        """Characters of ``el``'s text, ends stripped."""
        size = self._total.get(el)
        if size is None:
            # XPath's string(), in C: the same text as joining itertext() once comments
            # and PIs are gone (preclean strips them first), a few times cheaper
            size = self._total[el] = len(el.text_content().strip())
        return size

    def linked(self, el: HtmlElement) -> int:
        """Characters of ``el``'s text inside links."""
        size = self._linked.get(el)
        if size is None:
            size = self._linked[el] = sum(self.total(a) for a in el.iter("a"))
        return size

    def prose(self, el: HtmlElement) -> int:
        """Characters of ``el``'s text outside links: prose, as opposed to link lists."""
        return max(0, self.total(el) - self.linked(el))

    def is_prose_box(self, el: HtmlElement) -> bool:
        """Much text, few links: what an article looks like, whatever the box is called."""
        total, prose = self.total(el), self.prose(el)
        return prose >= PROSE_BOX and total > 0 and (total - prose) / total <= BOX_LINK_SHARE


def preclean(doc: HtmlElement) -> None:
    """Remove never-article elements from the parsed page, in place."""
    etree.strip_elements(doc, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    etree.strip_elements(doc, *_ALWAYS_DROP, with_tail=False)
    sizes = _Lengths(doc)
    page_prose = sizes.prose(doc)
    dropped = False
    for el in list(doc.iter(*_DROP_UNLESS_PROSE)):
        if not _holds_article(el, page_prose, sizes) and not sizes.is_prose_box(el):
            dropped = _drop(el) or dropped
    if dropped:
        sizes = _Lengths(doc)  # the boxes below are judged on what is left
    doomed = []
    for el in doc.iter("*"):
        if _is_hidden(el) or (el.tag == "img" and _is_pixel_img(el)):
            doomed.append(el)
            continue
        names = f"{el.get('class') or ''} {el.get('id') or ''}".strip()
        if not names or el.tag in _PROTECTED_TAGS:
            continue
        if el.tag in _CAPTION_TAGS and _CAPTION_WORDS.search(names):
            _mark_caption(el, sizes)
            continue
        if not _boilerplate_named(names):
            continue
        if el.get("itemprop") == "articleBody" or _holds_article(el, page_prose, sizes):
            continue
        if _continues_prose(el, sizes):
            continue  # a name alone is not evidence: the story's text goes on in this box
        doomed.append(el)
    for el in doomed:
        _drop(el)
    mark_picture_captions(doc)


@functools.lru_cache(maxsize=4096)
def _boilerplate_named(names: str) -> bool:
    """Whether a class/id names boilerplate; remembered, as pages repeat a few class names."""
    return _BOILERPLATE_WORDS.search(names) is not None


def _mark_caption(el: HtmlElement, sizes: _Lengths) -> None:
    """A short, picture-free caption or credit element becomes a ``<figcaption>``."""
    if sizes.total(el) < 600 and el.find(".//img") is None and el.find(".//p//p") is None:
        el.tag = "figcaption"


def _is_hidden(el: HtmlElement) -> bool:
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _is_pixel_img(el: HtmlElement) -> bool:
    for attr in ("width", "height"):
        value = (el.get(attr) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) <= 2:
            return True
    return False


def _holds_article(el: HtmlElement, page_prose: int, sizes: _Lengths) -> bool:
    """True when a boilerplate-named element wraps the story (``content-with-sidebar``)."""
    if el in sizes.wraps_article:
        return True
    return page_prose > 0 and sizes.prose(el) > 0.3 * page_prose


def _continues_prose(el: HtmlElement, sizes: _Lengths) -> bool:
    """A prose box right after the story's own paragraphs ("read more", "segment 2")."""
    before = el.getprevious()
    if before is None:
        return False
    if before.tag == "p":
        follows_prose = sizes.prose(before) >= 80
    else:
        follows_prose = sum(1 for p in before.iterchildren("p") if sizes.prose(p) >= 80) >= 2
    return follows_prose and sizes.is_prose_box(el)


def _drop(el: HtmlElement) -> bool:
    if el.getparent() is None:
        return False
    el.drop_tree()
    return True


__all__ = ["preclean"]
