"""Headlines, bylines and picture captions, one small synthetic page per failure class."""

from __future__ import annotations

from lxml.html import HtmlElement

from termnews.extract.article import extract_document, readable_text
from termnews.extract.byline import visible_byline
from termnews.extract.preclean import _Lengths
from termnews.html_parsers import parse_document

URL = "https://paper.example/2024/story"


def prose(topic: str, n: int) -> str:
    """``n`` distinct paragraphs about ``topic``."""
    return "".join(
        f"<p>Paragraph {k} about {topic}: the council met on day {k} and heard {k + 3} "
        f"speakers argue over the {topic} budget, the schedule for phase {k}, and the cost.</p>"
        for k in range(n)
    )


def page(body: str, head: str = "<title>Story</title>") -> str:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


def doc_of(html: str) -> HtmlElement:
    return parse_document(html)


# --- headlines ----------------------------------------------------------------------------


def test_kicker_before_the_headline_is_not_part_of_the_title() -> None:
    head = "<title>Ferries stop for the winter | Harbour Daily</title>"
    body = (
        '<article><h1><span class="kicker">Harbour</span>Ferries stop for the winter</h1>'
        f"{prose('ferries', 4)}</article>"
    )
    assert extract_document(page(body, head), URL).title == "Ferries stop for the winter"


def test_kicker_that_the_metadata_carries_too_stays() -> None:
    head = '<meta property="og:title" content="Editor\'s letter: goodbye, old harbour">'
    body = (
        "<article><h1><span>Editor's letter:</span> goodbye, old harbour</h1>"
        f"{prose('letters', 4)}</article>"
    )
    assert extract_document(page(body, head), URL).title == "Editor's letter: goodbye, old harbour"


def test_visible_headline_beats_a_differently_worded_og_title() -> None:
    head = (
        '<meta property="og:title" content="Ferry timetable: winter stop">'
        "<title>Ferry timetable: winter stop - Harbour Daily</title>"
    )
    body = f"<article><h1>The winter stop of the ferry timetable</h1>{prose('ferry', 4)}</article>"
    assert extract_document(page(body, head), URL).title == "The winter stop of the ferry timetable"


def test_a_masthead_is_not_the_headline_and_a_blog_post_is_titled_by_its_h2() -> None:
    head = "<title>seaside notes » Number two: the lighthouse</title>"
    body = (
        '<h1><a href="https://paper.example/">seaside notes</a></h1>'
        f"<h2>Number two: the lighthouse</h2>{prose('lighthouses', 4)}"
    )
    assert extract_document(page(body, head), URL).title == "Number two: the lighthouse"


def test_a_label_heading_is_not_the_title() -> None:
    head = "<title>Tides rise along the coast - Harbour Daily</title>"
    body = f"<article><h1>Read also:</h1>{prose('tides', 4)}</article>"
    assert extract_document(page(body, head), URL).title == "Tides rise along the coast"


# --- bylines ------------------------------------------------------------------------------


def test_byline_line_with_a_date_after_the_name() -> None:
    html = page(f'<div class="author">By Jane Roe Feb 21, 2020</div>{prose("x", 1)}')
    assert visible_byline(doc_of(html)) == "Jane Roe"


def test_byline_pieces_split_at_separators() -> None:
    html = page("<small><strong>Verfasst von: seebaer | 31. Dezember 2008</strong></small>")
    assert visible_byline(doc_of(html)) == "seebaer"  # a user name, lowercase: "von:" says so
    html = page("<div><strong>Ein Artikel von Pamela Roe | 27.01.2022 - 12:45</strong></div>")
    assert visible_byline(doc_of(html)) == "Pamela Roe"


def test_user_name_in_author_markup() -> None:
    html = page('<span class="author vcard"><a class="url fn n" href="/u/marc">marc</a></span>')
    assert visible_byline(doc_of(html)) == "marc"


def test_a_lowercase_word_outside_author_markup_is_not_a_name() -> None:
    html = page("<p>by december</p><p>This was all written by the team of seven people</p>")
    assert visible_byline(doc_of(html)) == ""


def test_name_after_an_author_label_in_a_longer_line() -> None:
    html = page(
        '<p>Autor: <a href="/a/kf">Klaus Fried</a> Tags: <a href="/t/1">buses</a>, '
        '<a href="/t/2">history</a>, <a href="/t/3">Leipzig</a></p>'
    )
    assert visible_byline(doc_of(html)) == "Klaus Fried"
    html = page('<p><strong>Autor:</strong> <a href="/a/kf">Klaus Fried</a><br>Tags: ...</p>')
    assert visible_byline(doc_of(html)) == "Klaus Fried"


def test_credits_and_cookie_banners_name_nobody() -> None:
    html = page(
        '<div class="site-info">Theme by <a href="https://themes.example">ThemeWorks</a></div>'
        '<div class="cookie-banner">Consent by <a href="/c">Cookie Control</a></div>'
    )
    assert visible_byline(doc_of(html)) == ""


def test_a_publisher_named_as_author_gives_way_to_the_printed_byline() -> None:
    head = '<meta name="author" content="harbour-daily.com"><title>Tides</title>'
    body = f'<article><h1>Tides</h1><p class="byline">By Ann Sand</p>{prose("tides", 4)}</article>'
    assert extract_document(page(body, head), URL).byline == "Ann Sand"


def test_a_person_named_as_author_keeps_the_metadata_when_no_byline_is_under_the_headline() -> None:
    head = '<meta name="author" content="Bo Berg"><title>Tides</title>'
    body = f'<article><h1>Tides</h1>{prose("tides", 4)}<p class="byline">By Ann Sand</p></article>'
    assert extract_document(page(body, head), URL).byline == "Bo Berg"


def test_the_byline_under_the_headline_wins_over_metadata_naming_someone_else() -> None:
    head = '<meta name="author" content="Bo Berg"><title>Tides</title>'
    body = f"<article><h1>Tides</h1><p>By Ann Sand</p>{prose('tides', 4)}</article>"
    assert extract_document(page(body, head), URL).byline == "Ann Sand"
    one_word = '<meta name="author" content="Ann"><title>Tides</title>'
    assert extract_document(page(body, one_word), URL).byline == "Ann Sand"  # the fuller name


def test_a_date_and_a_name_alone_on_the_line_under_the_headline_is_a_byline() -> None:
    body = f"<main><h1>Tides</h1><p>12.03.2021 - Ann Sand</p>{prose('tides', 4)}</main>"
    assert extract_document(page(body), URL).byline == "Ann Sand"


def test_a_by_label_on_its_own_line_is_followed_by_the_name() -> None:
    byline = '<div class="who"><div><p>By</p></div><div><p class="n">Ann Sand</p></div></div>'
    body = f"<article><h1>Tides</h1>{byline}{prose('tides', 4)}</article>"
    assert extract_document(page(body), URL).byline == "Ann Sand"


def test_an_account_name_under_the_headline_gives_way_to_the_author_line() -> None:
    head = '<meta name="author" content="Bo Berg"><title>Tides</title>'
    lines = "<p>Saved by admin on 7 May 2021</p><p>A post by Ann Sand</p>"
    body = f"<article><h1>Tides</h1>{lines}{prose('tides', 4)}</article>"
    assert extract_document(page(body, head), URL).byline == "Ann Sand"


def test_byline_name_ends_before_a_credit_for_pictures() -> None:
    html = page("<h1>Tides</h1><p><em>Text von Ann Sand Illustration von Bo Berg</em></p>")
    assert visible_byline(doc_of(html)) == "Ann Sand"


def test_a_by_label_alone_in_an_author_element_is_not_a_name() -> None:
    html = page(
        '<p><span class="meta-author-prep">By</span> <span class="author">Daniel</span></p>'
    )
    assert visible_byline(doc_of(html)) == "Daniel"


def test_a_category_phrase_in_a_byline_is_not_a_name_and_an_account_may_have_digits() -> None:
    html = page('<div class="byline">10.05.2019 · by <a>jo1984</a> · in Uncategorized</div>')
    assert visible_byline(doc_of(html)) == "jo1984"


def test_a_page_class_that_says_powered_is_not_a_footer() -> None:
    html = page(
        '<div class="layout-builder-powered-page"><span class="byline">Ann Sand</span></div>'
    )
    assert visible_byline(doc_of(html)) == "Ann Sand"


# --- picture captions without <figcaption> --------------------------------------------------


def test_caption_beside_a_picture_is_not_body_text() -> None:
    caption = "The old pier at dawn, seen from the harbour wall"
    body = (
        f"<article>{prose('piers', 3)}"
        f'<div class="pic"><img src="/pier.jpg"><div class="legend">{caption}</div></div>'
        f"{prose('boats', 3)}</article>"
    )
    text = readable_text(page(body), URL)
    assert caption not in text
    assert "Paragraph 2 about boats" in text


def test_a_lead_paragraph_beside_a_picture_stays() -> None:
    lead = (
        "The harbour board voted on Monday to close the old pier for two years while the "
        "engineers rebuild its foundations, which the winter storms had washed away, and "
        "the ferries will use the new quay until the work is done."
    )
    body = f'<article><div class="top"><img src="/pier.jpg"><div>{lead}</div></div>'
    body += f"{prose('piers', 4)}</article>"
    assert lead in readable_text(page(body), URL)


# --- the measure behind pre-clean -------------------------------------------------------------


def test_lengths_count_text_and_linked_text_and_remember_them() -> None:
    doc = doc_of(
        page(
            "<div><p>Twelve chars <a href='/x'>link</a> end</p>"
            "<ul><li><a href='/y'>more</a></li></ul></div>"
        )
    )
    sizes = _Lengths(doc)
    div = doc.find(".//div")
    p, ul = div.find("p"), div.find("ul")
    assert sizes.total(p) == len("Twelve chars link end")
    assert sizes.linked(p) == len("link")
    assert sizes.total(ul) == sizes.linked(ul) == len("more")
    assert sizes.prose(div) == len("Twelve chars link endmore") - len("linkmore")
    p.text = "changed"
    assert sizes.total(p) == len("Twelve chars link end")  # measured once, not again


def test_captions_in_a_gallery_list_are_not_body_text() -> None:
    body = (
        f"<article>{prose('piers', 3)}<ul class='gallery'>"
        "<li><figure><img src='/a.jpg'><figcaption>The pier at dawn</figcaption></figure></li>"
        "<li><figure><img src='/b.jpg'><figcaption>The pier at dusk</figcaption></figure></li>"
        f"</ul>{prose('boats', 3)}</article>"
    )
    text = readable_text(page(body), URL)
    assert "The pier at dawn" not in text and "The pier at dusk" not in text
    assert "Paragraph 2 about boats" in text
