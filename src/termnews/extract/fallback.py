"""Falling back to the feed's own text when the page gives nothing worth reading.

A page may fail to download, be a paywall stub, or extract to a few lines
while the feed carried the whole post. ``choose_document`` picks what to show
and says why in ``Document.note``.
"""

from __future__ import annotations

from lxml import etree

from termnews.document import Document, Paragraph
from termnews.extract.blocks import element_to_blocks
from termnews.extract.clean import preclean, prune_blocks
from termnews.html_parsers import parse_document
from termnews.text import clean_line

MIN_PAGE_WORDS = 60  # fewer words than this is not an article
FEED_RATIO = 0.5  # a page with less than half the feed's words lost the story


def choose_document(
    doc: Document | None,
    feed_content: str,
    feed_summary: str,
    url: str,
    reason: str | None = None,
    why: str | None = None,
) -> Document:
    """The document to show for a post: the extracted page, or the feed's text with a note.

    ``doc`` is the page's extracted document, or None when the page could not be
    fetched or extracted (``reason`` then says why in a few words, e.g.
    "HTTP 404"; ``why``, when given, replaces the whole clause after the colon).
    The page wins unless it is missing, shorter than
    ``MIN_PAGE_WORDS``, or far shorter than the feed's full content; then the
    feed's content (else summary) HTML is converted with the same block
    conversion, without readability, and ``note`` says which and why.
    """
    feed_doc, which = _feed_document(feed_content, feed_summary, url)
    if doc is not None:
        words = doc.word_count()
        feed_words = feed_doc.word_count() if feed_doc else 0
        if words >= MIN_PAGE_WORDS and words >= FEED_RATIO * feed_words:
            return doc
        if feed_doc is None or feed_words <= words:
            return doc
        why = "the page had too little readable text"
        merged = Document(
            url=url, title=doc.title, byline=doc.byline, published=doc.published,
            site_name=doc.site_name, lead_image=doc.lead_image, blocks=feed_doc.blocks,
        )  # fmt: skip
        return merged.with_note(_note(which, why))
    why = clean_line(why) or (
        f"the page could not be fetched ({clean_line(reason)})"
        if reason
        else "the page could not be fetched"
    )
    if feed_doc is None:
        return Document(
            url=url, note=clean_line(f"Nothing to show: {why}, and the feed has no text.")
        )
    return feed_doc.with_note(_note(which, why))


def _note(which: str, why: str) -> str:
    return clean_line(f"Showing the feed's {which}: {why}.")


def _feed_document(content: str, summary: str, url: str) -> tuple[Document | None, str]:
    """The feed's content as a Document (or its summary when there is no content)."""
    for html, which in ((content, "content"), (summary, "summary")):
        blocks = feed_html_blocks(html, url)
        if blocks:
            return Document(url=url, blocks=tuple(blocks)), which
    return None, ""


def feed_html_blocks(html: str, url: str) -> list:
    """Blocks of a feed's HTML fragment (or plain text), cleaned but not readability-scored."""
    if not html or not html.strip():
        return []
    if "<" not in html:
        html = "".join(f"<p>{_escape(p)}</p>" for p in html.split("\n\n"))
    try:
        root = parse_document(f"<div>{html}</div>")
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return []
    try:
        preclean(root)
        blocks = prune_blocks(element_to_blocks(root, url), "", "")
    except (Exception, RecursionError):
        return []
    return blocks if any(isinstance(b, Paragraph) for b in blocks) or blocks else []


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
