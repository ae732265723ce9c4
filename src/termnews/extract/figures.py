"""Picture captions without ``<figcaption>``: the short text that sits in a box with an image.

Many templates caption a picture with a ``<div>`` or ``<span>`` next to the
``<img>`` ("legend", "img-metadata", a bare span), or put a heading-like line
in a teaser card around a picture. Readers and the benchmarks alike count
that text as illustration, not as the story. The evidence is the shape, not a
class name: a small box (at most a few hundred characters of text, no
paragraph of prose) whose content is one or two pictures and a few short
lines. Those lines become ``<figcaption>``, which the rest of the pipeline
keeps as a Caption, outside the body text.
"""

from __future__ import annotations

from lxml.html import HtmlElement

CAPTION_MAX = 300  # characters of text in a picture's box for it to be a caption
LINE_MAX = 200  # a longer line beside a picture is a lead paragraph, not its caption
PROSE_LINE = 160  # a paragraph this long inside the box makes it prose, not a caption
_UP = 4  # ancestors of a picture searched for its box
# Elements that are text in their own right: a picture inside one is inline illustration.
_TEXT_BLOCKS = {"p", "li", "td", "th", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre"}
_BOUNDARY = {"body", "html", "article", "main"}


def mark_picture_captions(doc: HtmlElement) -> None:
    """Turn the short text lines beside each picture into ``<figcaption>`` elements, in place."""
    done: set[HtmlElement] = set()
    for img in list(doc.iter("img", "picture")):
        box = _picture_box(img)
        if box is None or box in done:
            continue
        done.add(box)
        for child in list(box):
            if not isinstance(child.tag, str) or child.tag in ("img", "picture", "figcaption"):
                continue
            if child.find(".//img") is not None or child.tag in ("script", "style"):
                continue
            if 0 < len("".join(child.itertext()).strip()) <= LINE_MAX:
                child.tag = "figcaption"


def _picture_box(img: HtmlElement) -> HtmlElement | None:
    """The nearest ancestor of ``img`` that holds text, when it is shaped like a figure."""
    box = img.getparent()
    for _ in range(_UP):
        if box is None or box.tag in _BOUNDARY or box.tag in _TEXT_BLOCKS:
            return None
        text = "".join(box.itertext()).strip()
        if text:
            break
        box = box.getparent()
    else:
        return None
    if box is None or len(text) > CAPTION_MAX or (box.text or "").strip():
        return None
    if sum(1 for _ in box.iter("img")) > 2:
        return None
    for el in box.iter("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table"):
        if el.tag != "p" or len(el.text_content()) >= PROSE_LINE:
            return None
    return box
