"""Tests for page → Document extraction, its clean-up rules, metadata and the feed fallback."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml.html import fromstring

from termnews.document import (
    Caption,
    Code,
    Document,
    Heading,
    Image,
    Inline,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Table,
)
from termnews.extract.article import ExtractError, choose_document, extract_document, readable_text
from termnews.extract.clean import preclean, prune_blocks
from termnews.text import is_printable_safe

PAGES = Path(__file__).parent / "data" / "pages"
URL = "https://example.org/news/2024/story.html"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def texts(doc: Document) -> list[str]:
    return ["".join(i.text for i in b.inlines) for b in doc.blocks if hasattr(b, "inlines")]


def of_type(doc: Document, kind: type) -> list:
    return [b for b in doc.blocks if isinstance(b, kind)]


# --- the typical news page ------------------------------------------------------------

NEWS_PARAGRAPHS = [
    "The small harbour town of Port Ellery switched on its first tidal power station on "
    "Tuesday, ending a decade of planning, protest and patient engineering.",
    "The station sits beneath the old fish market and uses four slow turbines that turn with "
    "the incoming and outgoing tide, producing power for roughly two thousand homes.",
    "Engineers said the hardest part was not the turbines themselves but the silt, which "
    "settles in the channels every winter and has to be cleared without disturbing the seals.",
    "Local fishermen, who opposed the first design, now say the station has brought new work "
    "to the harbour: three boats are under contract to carry divers and parts.",
    "The town council expects the station to pay for itself within eleven years, sooner if "
    "electricity prices stay high through the coming winters.",
    "A second, larger station is planned for the estuary, but the council said it would wait "
    "for a full year of data from Port Ellery before asking for permission.",
]


def test_news_page_readable_text_is_exactly_the_article() -> None:
    text = readable_text(page("news_article.html"), "https://courier.example/news/tidal")
    assert text == "\n".join(NEWS_PARAGRAPHS)


def test_news_page_document_keeps_metadata_figure_and_caption() -> None:
    doc = extract_document(page("news_article.html"), "https://courier.example/news/tidal")
    assert doc.title == "Harbour town opens its first tidal power station"
    assert doc.byline == "Mara Quinn"
    assert doc.site_name == "The Coastal Courier"
    assert doc.published == datetime(2024, 3, 5, 8, 30, tzinfo=UTC)
    assert doc.lead_image == "https://courier.example/images/tidal-lead.jpg"
    # readability drops the lead figure outside the body; the clean-up puts it back
    assert doc.blocks[0] == Image(
        "https://courier.example/images/tidal.jpg", "The turbine hall at low tide"
    )
    assert isinstance(doc.blocks[1], Caption)
    assert texts(doc)[1:] == NEWS_PARAGRAPHS


# --- block types ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def blocks_doc() -> Document:
    return extract_document(page("blocks.html"), URL)


def test_headings_keep_their_level(blocks_doc: Document) -> None:
    headings = [(h.level, h.inlines[0].text) for h in of_type(blocks_doc, Heading)]
    assert headings == [(2, "A second-level heading"), (3, "A third-level heading")]


def test_inline_styles_and_links(blocks_doc: Document) -> None:
    para = next(p for p in of_type(blocks_doc, Paragraph) if "Plain text" in p.inlines[0].text)
    runs = {i.text: i for i in para.inlines}
    assert runs["emphasis"].emphasis
    assert runs["strong words"].strong
    assert runs["inline_code()"].code
    assert runs["a relative link"].href == "https://example.org/docs/page"
    # unsafe schemes lose the link but keep the text
    joined = "".join(i.text for i in para.inlines)
    for label in ("a script link", "a data link", "a file link"):
        assert label in joined
    hrefs = [i.href for i in para.inlines if i.href]
    assert hrefs == ["https://example.org/docs/page"]


def test_lists_nested_ordered_with_start(blocks_doc: Document) -> None:
    bullets, numbered = of_type(blocks_doc, ListBlock)
    assert not bullets.ordered
    assert [i.inlines[0].text for i in bullets.items] == [
        "First bullet point in the list",
        "Second bullet point with a nested list",
    ]
    nested = bullets.items[1].children[0]
    assert nested.ordered and nested.start == 4
    assert [i.inlines[0].text for i in nested.items] == ["Nested item four", "Nested item five"]
    assert numbered.ordered and numbered.start == 3


def test_quote_code_table_image_caption_rule(blocks_doc: Document) -> None:
    (quote,) = of_type(blocks_doc, Quote)
    assert quote.blocks[0].inlines[0].text.startswith("A quoted paragraph")
    (code,) = of_type(blocks_doc, Code)
    assert code.text == 'def greet(name):\n    return f"hello {name}"'
    assert code.language == "python"
    (table,) = of_type(blocks_doc, Table)
    assert table.header == ("City", "Population")
    assert table.rows == (("Oslo", "709,000"), ("Bergen", "291,000"))
    (image,) = of_type(blocks_doc, Image)
    assert image == Image("https://example.org/img/harbour.jpg", "The harbour at dawn")
    (caption,) = of_type(blocks_doc, Caption)
    assert [(i.text, i.emphasis) for i in caption.inlines] == [
        ("The harbour at ", False),
        ("dawn", True),
        (".", False),
    ]
    assert len(of_type(blocks_doc, Rule)) == 1


def test_readable_text_leaves_out_images_and_captions(blocks_doc: Document) -> None:
    text = readable_text(page("blocks.html"), URL)
    assert "A second-level heading" in text
    assert "Oslo\t709,000" in text
    assert "harbour at dawn" not in text
    assert "Every block type" not in text  # the headline is metadata, not body


# --- metadata ---------------------------------------------------------------------------


def test_metadata_from_json_ld() -> None:
    doc = extract_document(page("meta_jsonld.html"), URL)
    assert doc.title == "Bridge reopens after repairs"
    assert doc.byline == "Ada Lovelace, Charles Babbage"
    assert doc.published == datetime(2023, 7, 14, 22, 0, tzinfo=UTC)
    assert doc.site_name == "Example Gazette"
    assert doc.lead_image == "https://example.org/lead.jpg"


def test_metadata_from_time_element_and_h1() -> None:
    doc = extract_document(page("meta_time.html"), URL)
    assert doc.published == datetime(2022, 12, 1, 22, 15, tzinfo=UTC)
    assert doc.title == "Quiet night at the observatory"


def test_metadata_from_open_graph() -> None:
    doc = extract_document(page("news_article.html"), URL)
    assert doc.site_name == "The Coastal Courier"
    assert doc.published is not None and doc.published.tzinfo is UTC


# --- clean-up rules -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cleanup_text() -> str:
    return readable_text(page("cleanup.html"), URL)


@pytest.mark.parametrize(
    "unwanted",
    ["HIDDEN-ATTRIBUTE", "ARIA-HIDDEN", "DISPLAY-NONE", "Advertisement", "Sponsored",
     "Tweet this", "newsletter", "Read also", "Related link"],
)  # fmt: skip
def test_cleanup_removes(cleanup_text: str, unwanted: str) -> None:
    assert unwanted not in cleanup_text


def test_cleanup_keeps_the_story(cleanup_text: str) -> None:
    lines = cleanup_text.split("\n")
    assert [line.split()[0] for line in lines] == ["Opening", "Second", "Third", "Fourth"]


def test_preclean_rules_one_by_one() -> None:
    html = """<html><body><div id="story">
      <p>keep one</p><p hidden>h1</p><span aria-hidden="true">h2</span>
      <p style="display:none">h3</p><p style="visibility: hidden">h4</p>
      <img src="a.gif" width="1" height="1"><img src="b.jpg" width="600">
      <div class="share-tools">s</div><div class="newsletter">n</div>
      <div class="related-articles">r</div><div id="ad-slot-2">a</div>
      <section class="comments">c</section><p>keep two</p></div></body></html>"""
    doc = fromstring(html)
    preclean(doc)
    assert doc.text_content().split() == ["keep", "one", "keep", "two"]
    assert [img.get("src") for img in doc.iter("img")] == ["b.jpg"]


def test_preclean_spares_a_wrapper_with_a_boilerplate_name() -> None:
    prose = "<p>" + "A long sentence of real article prose, " * 8 + "</p>"
    doc = fromstring(
        f"<html><body><div class='content-with-sidebar'>{prose * 4}</div>"
        "<div class='sidebar'><a href='/x'>Link</a></div></body></html>"
    )
    preclean(doc)
    assert "real article prose" in doc.text_content()
    assert "Link" not in doc.text_content()


def test_prune_blocks_drops_labels_bylines_dates_and_repeats() -> None:
    def p(text: str, href: str | None = None) -> Paragraph:
        return Paragraph((Inline(text, href=href),))

    long = "A paragraph long enough to be checked for repeats in the body."
    blocks = [p("The Headline"), p("By Jane Doe"), p("Updated 5:27 am, November 20, 2019"),
              p("ADVERTISEMENT"), p(long), p(long), p("Read more: other things"),
              p("Another story", href="https://e.org/x"), p("Body text stays."),
              p("More than 100 people came."), p("Watch out for ice.")]  # fmt: skip
    kept = prune_blocks(blocks, title="The Headline", byline="Jane Doe")
    assert [b.inlines[0].text for b in kept] == [
        long, "Body text stays.", "More than 100 people came.", "Watch out for ice."
    ]  # fmt: skip


# --- errors and hostile input -----------------------------------------------------------------


@pytest.mark.parametrize("bad", ["", "   \n ", "<html></html>", "<!-- only a comment -->"])
def test_empty_input_raises_extract_error(bad: str) -> None:
    with pytest.raises(ExtractError):
        extract_document(bad, URL)
    assert readable_text(bad, URL) == ""


def test_deep_nesting_is_an_error_or_a_document_never_a_crash() -> None:
    html = "<div>" * 50_000 + "deep text" + "</div>" * 50_000
    try:
        doc = extract_document(html, URL)
    except ExtractError:
        return
    assert isinstance(doc, Document)


def test_xml_declaration_and_bytes_are_accepted() -> None:
    body = page("meta_time.html")
    doc = extract_document('<?xml version="1.0" encoding="iso-8859-1"?>\n' + body, URL)
    assert doc.title == "Quiet night at the observatory"
    assert extract_document(body.encode(), URL).title == doc.title  # type: ignore[arg-type]


def test_control_characters_and_escapes_are_stripped() -> None:
    prose = "Ordinary words, and more words, to make a paragraph of some length. " * 4
    hostile = "\x1b[2J\x1b]0;pwned\x07\u202etail"
    html = f"<html><body><article><p>{prose}{hostile}</p></article></body></html>"
    text = readable_text(html, URL)
    assert "Ordinary words" in text
    assert is_printable_safe(text) and "\x1b" not in text and "pwned" not in text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(
    st.text(),
    st.binary().map(lambda b: b.decode("latin-1")),
    st.lists(st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<a href='javascript:x'>",
                              "<table>", "<tr><td>", "<ul><li>", "<pre>", "<br>", "text ",
                              "<h2>", "&amp;", "<!--", "-->", "\x00", "<script>", "]]>"]),
             max_size=80).map("".join),
))  # fmt: skip
def test_any_input_gives_a_document_or_extract_error(html: str) -> None:
    try:
        doc = extract_document(html, URL)
    except ExtractError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(doc, Document)
    assert isinstance(readable_text(html, URL), str)


# --- feed fallback ------------------------------------------------------------------------------


FEED_HTML = "<p>The feed carried <b>the whole post</b>.</p><p>" + "More words here. " * 40 + "</p>"


def test_fallback_when_page_could_not_be_fetched() -> None:
    doc = choose_document(None, FEED_HTML, "<p>short</p>", URL, reason="HTTP 404")
    assert doc.note == "Showing the feed's content: the page could not be fetched (HTTP 404)."
    assert texts(doc)[0] == "The feed carried the whole post."


def test_fallback_uses_summary_when_no_content() -> None:
    doc = choose_document(None, "", "Just a summary line.", URL, reason="timed out")
    assert doc.note == "Showing the feed's summary: the page could not be fetched (timed out)."
    assert texts(doc) == ["Just a summary line."]


def test_fallback_when_page_is_far_shorter_than_the_feed() -> None:
    stub = Document(url=URL, title="Paywalled", blocks=(Paragraph((Inline("Subscribe."),)),))
    doc = choose_document(stub, FEED_HTML, "", URL, reason=None)
    assert doc.title == "Paywalled"
    assert doc.note and doc.note.startswith("Showing the feed's content")
    assert "whole post" in " ".join(texts(doc))


def test_page_wins_when_it_has_the_story() -> None:
    page_doc = extract_document(page("news_article.html"), URL)
    assert choose_document(page_doc, "<p>teaser</p>", "", URL, None) is page_doc


def test_nothing_anywhere_says_so() -> None:
    doc = choose_document(None, "", "", URL, reason="HTTP 500")
    assert doc.blocks == () and doc.note and "HTTP 500" in doc.note


def test_the_faster_readability_clean_gives_readabilitys_own_results() -> None:
    import random

    import readability.readability as module

    from termnews.extract.readability_speed import clean, replaced

    readability_clean = replaced.get("clean", module.clean)
    assert readability_clean.__module__ == "readability.readability"  # the original, unpatched
    rng = random.Random(7)
    pieces = ["a", "bc", " ", "  ", "\t", "\n", "\r\n", "\xa0", " " * 300, "\n" * 260, "\t \n"]
    pieces += ["\t\t", " \t", "\u2003", " " * 254, "\n" * 254, "\r", "\x0b"]
    samples = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(6000)]
    samples += ["x" + " " * 254 + "y", "x" + "\n" * 255 + "y", "a\t\tb", "a \t b", " \n a\xa0 \n"]
    for text in samples:
        assert clean(text) == readability_clean(text), repr(text)
