"""Putting back what readability drops from the article: subheadings and figures.

readability-lxml scores paragraphs, so it loses a lead figure just outside the
winning element, figure captions in low-scoring wrappers, and subheadings with
an unlucky class name. Before it runs, ``number_blocks`` tags the page's block
elements with their document order; afterwards ``restore`` finds headings and
figures of the same article that sit before or between kept paragraphs but
were not kept, and inserts copies at the right place.
"""

from __future__ import annotations

import copy

from lxml.html import HtmlElement

from termnews.extract.clean import is_boilerplate_text

ATTR = "data-tn-i"
_NUMBERED = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "ul", "ol",
             "blockquote", "pre", "table", "img")  # fmt: skip
_RESTORABLE = {"h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "ul", "ol"}


def number_blocks(doc: HtmlElement) -> list[HtmlElement]:
    """Tag block elements with their order; return them, indexable by that number."""
    found: list[HtmlElement] = []
    for el in doc.iter(*_NUMBERED):
        el.set(ATTR, str(len(found)))
        found.append(el)
    return found


def restore(node: HtmlElement, numbered: list[HtmlElement]) -> None:
    """Insert into ``node`` the dropped headings and figures that belong to its article."""
    kept = _kept_numbers(node)
    paragraphs = sorted(n for n, el in kept.items() if el.tag == "p")
    if not paragraphs:
        return
    first, last = paragraphs[0], paragraphs[-1]
    scope = _article_scope(numbered[first], numbered[last])
    if scope is None:
        return
    start = _scope_start(scope, numbered, first)
    _restore_lead(node, numbered, kept, first)
    for number in range(start, last):
        original = numbered[number]
        if number in kept or original.tag not in _RESTORABLE:
            continue
        if _inside_kept(original, kept) or _inside_restorable(original, scope):
            continue
        if original.tag in ("ul", "ol") and not _between_kept(original, kept):
            continue  # a list is the story's only with kept paragraphs on both sides
        if original.tag.startswith("h") and number < first:
            continue  # a heading above the story is the headline or a section label
        text = " ".join(original.text_content().split())
        if original.tag.startswith("h") and (not text or is_boilerplate_text(text, ())):
            continue
        _insert_before_next(node, kept, number, copy.deepcopy(original))


_LEAD_MIN_CHARS = 80  # shorter lines under a headline are bylines, dates, kickers
_PICTURES = ("img", "picture", "svg")
_SUBTITLE_WORDS = 15  # a subtitle this long is prose even without a final stop
_LEAD_MAX = 2  # a standfirst is a paragraph or two
_NOT_LEAD = {"nav", "aside", "footer", "form", "li", "figure", "a", "table", "button"}
_SENTENCE_END = (".", "!", "?", "…", ":", '"', "“", "”", "»", "«", ")")


def _restore_lead(
    node: HtmlElement, numbered: list[HtmlElement], kept: dict[int, HtmlElement], first: int
) -> None:
    """Put back the standfirst: prose paragraphs between the headline and the kept story.

    readability often keeps the body's container and leaves the intro paragraph
    in the header above it. A paragraph counts when it stands after the page's
    headline with only pictures, subheadings and short lines (byline, date)
    between it and the story, reads as prose (long, ends a sentence, few links)
    and sits in no navigation, list or aside.
    """
    headline = next((n for n in range(first - 1, -1, -1) if numbered[n].tag == "h1"), None)
    if headline is None or first - headline > 30:
        return
    leads: list[HtmlElement] = []
    for number in range(first - 1, headline, -1):
        el = numbered[number]
        if number in kept or _inside_kept(el, kept):
            continue
        if el.tag != "p":
            if el.tag in ("ul", "ol", "blockquote", "pre", "table"):
                break  # a list or a box above the story: not the intro
            continue
        text = " ".join(el.text_content().split())
        if len(text) < _LEAD_MIN_CHARS:
            continue
        if not _prose(el, text) or len(leads) == _LEAD_MAX:
            break
        leads.append(el)
    anchor = kept[first]
    for el in reversed(leads):
        element = copy.deepcopy(el)
        element.tail = None
        anchor.addprevious(element)


def _prose(el: HtmlElement, text: str) -> bool:
    """A sentence (or a long subtitle) with few links, outside navigation and asides."""
    if any(a.tag in _NOT_LEAD for a in (el, *el.iterancestors())) or _beside_picture(el):
        return False
    linked = sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))
    sentence = text.endswith(_SENTENCE_END) or len(text.split()) >= _SUBTITLE_WORDS
    return sentence and linked < 0.2 * len(text) and not is_boilerplate_text(text, ())


def _beside_picture(el: HtmlElement) -> bool:
    """Right after an uncaptioned picture (the paragraph's or its wrapper's neighbour).

    Such a paragraph is the picture's caption; after a ``<figure>`` with its own
    caption it is text again.
    """
    parent = el.getparent()
    for side in (el.getprevious(), parent.getprevious() if parent is not None else None):
        if side is None or side.tag == "figure" or side.find(".//figcaption") is not None:
            continue
        if side.tag in _PICTURES or side.find(".//img") is not None:
            return True
    return False


def _between_kept(el: HtmlElement, kept: dict[int, HtmlElement]) -> bool:
    before, after = el.getprevious(), el.getnext()
    return all(
        side is not None and side.tag == "p" and (side.get(ATTR) or "").isdigit()
        and int(side.get(ATTR)) in kept
        for side in (before, after)
    )  # fmt: skip


def _kept_numbers(node: HtmlElement) -> dict[int, HtmlElement]:
    kept: dict[int, HtmlElement] = {}
    for el in node.iter(*_NUMBERED):
        value = el.get(ATTR)
        if value is not None and value.isdigit():
            kept[int(value)] = el
    return kept


def _article_scope(first: HtmlElement, last: HtmlElement) -> HtmlElement | None:
    """The ``<article>`` holding the kept text, else the lowest common ancestor."""
    for ancestor in first.iterancestors("article"):
        return ancestor
    last_ancestors = set(last.iterancestors())
    for ancestor in first.iterancestors():
        if ancestor in last_ancestors:
            return ancestor
    return None


def _scope_start(scope: HtmlElement, numbered: list[HtmlElement], first: int) -> int:
    """Figures before the first paragraph count only inside a real ``<article>``."""
    if scope.tag != "article":
        return first
    for el in scope.iter(*_NUMBERED):
        value = el.get(ATTR)
        if value is not None and value.isdigit():
            return int(value)
    return first


def _inside_kept(original: HtmlElement, kept: dict[int, HtmlElement]) -> bool:
    for ancestor in original.iterancestors():
        value = ancestor.get(ATTR)
        if value is not None and value.isdigit() and int(value) in kept:
            return True
    return False


def _inside_restorable(original: HtmlElement, scope: HtmlElement) -> bool:
    """A figcaption inside a figure is restored with its figure, not on its own."""
    for ancestor in original.iterancestors():
        if ancestor is scope:
            return False
        if ancestor.tag in _RESTORABLE:
            return True
    return True  # outside the article scope


def _insert_before_next(
    node: HtmlElement, kept: dict[int, HtmlElement], number: int, element: HtmlElement
) -> None:
    following = [n for n in kept if n > number]
    if not following:
        return
    anchor = kept[min(following)]
    element.tail = None
    anchor.addprevious(element)
    kept[number] = element
