"""Reader mode's failure classes, one small synthetic page each, and the candidates behind them."""

from __future__ import annotations

import json
import subprocess
import sys

from termnews.document import Heading, ListBlock, Paragraph, Quote, Table
from termnews.extract.article import extract_document, readable_text
from termnews.extract.byline import title_by_agreement
from termnews.extract.candidates import trafilatura_blocks
from termnews.extract.choose import Candidate, choose
from termnews.html_parsers import parse_document

URL = "https://paper.example/2024/story"


def prose(topic: str, n: int) -> list[str]:
    """``n`` distinct sentences-long paragraphs about ``topic`` (never repeated words runs)."""
    return [
        f"Paragraph {k} about {topic}: the council met on day {k} and heard {k + 3} speakers "
        f"argue over the {topic} budget, the schedule for phase {k}, and who would pay for it."
        for k in range(n)
    ]


def ps(texts: list[str]) -> str:
    return "".join(f"<p>{t}</p>" for t in texts)


def page(body: str, head: str = "<title>Story</title>") -> str:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


# --- 1. wrong article node ------------------------------------------------------------


def test_article_split_over_sibling_containers_is_read_whole() -> None:
    parts = [prose(f"harbour part {n}", 3) for n in range(4)]
    masthead = (
        "<header><p>" + "A site about harbours and the sea, since 1990. " * 3 + "</p></header>"
    )
    body = masthead + "".join(f'<div class="segment">{ps(p)}</div>' for p in parts)
    text = readable_text(page(body), URL)
    for part in parts:
        for line in part:
            assert line in text


def test_a_longer_disagreeing_candidate_beats_a_wrong_node() -> None:
    wrong = Candidate.of("readability", [Paragraph(())])
    wrong = Candidate.of("readability", _paras(["A short teaser for another story."]))
    right = Candidate.of("trafilatura", _paras(prose("tides", 6)))
    assert choose(wrong, right, None) is right
    assert choose(right, wrong, None) is right


# --- 2. class names are not evidence ----------------------------------------------------


def test_article_in_boxes_with_boilerplate_names_is_kept() -> None:
    story = prose("bridges", 8)
    body = (
        '<div class="widget Blog"><div class="entry-content no-share">'
        f'{ps(story[:4])}<div class="read-more-content">{ps(story[4:])}</div></div></div>'
        '<div class="sidebar"><ul><li><a href="/a">Archive</a></li>'
        '<li><a href="/b">About</a></li></ul></div>'
    )
    text = readable_text(page(body), URL)
    assert all(line in text for line in story)
    assert "Archive" not in text


# --- 3. whole subtrees lost --------------------------------------------------------------


def test_unclosed_nav_does_not_swallow_the_article() -> None:
    story = prose("rivers", 6)
    body = '<nav><a href="/">Home</a> <a href="/news">News</a><article>' + ps(story) + "</article>"
    text = readable_text(page(body), URL)
    assert all(line in text for line in story)


def test_article_only_in_noscript_is_read() -> None:
    story = prose("lighthouses", 5)
    body = '<div id="app"></div><noscript>' + ps(story) + "</noscript>"
    text = readable_text(page(body), URL)
    assert all(line in text for line in story)


def test_article_only_in_json_ld_article_body_is_read() -> None:
    story = prose("ferries", 5)
    ld = {"@type": "NewsArticle", "headline": "Ferries return", "articleBody": "\n".join(story)}
    head = (
        f'<title>Ferries return</title><script type="application/ld+json">{json.dumps(ld)}</script>'
    )
    body = '<div id="root"><p>Loading…</p></div><footer><a href="/">Home</a></footer>'
    doc = extract_document(page(body, head), URL)
    text = "\n".join(
        "".join(i.text for i in b.inlines) for b in doc.blocks if hasattr(b, "inlines")
    )
    assert all(line in text for line in story)
    assert doc.title == "Ferries return"


# --- 4. the repeat filter -----------------------------------------------------------------


def test_a_paragraph_that_really_repeats_is_kept_but_a_doubled_one_goes() -> None:
    story = prose("choirs", 4)
    refrain = "And still the river runs, and still the river runs, down to the waiting sea."
    body = (
        "<article>" + ps([story[0], refrain, story[1], refrain, refrain, story[2]]) + "</article>"
    )
    text = readable_text(page(body), URL)
    assert text.count(refrain) == 2  # the second copy in a row is a rendering glitch


# --- 5. link lists -------------------------------------------------------------------------


def test_content_list_of_links_stays_and_trailing_related_box_goes() -> None:
    story = prose("rail lines", 4)
    content = "".join(f'<li><a href="/line/{n}">Line {n} to the coast</a></li>' for n in range(4))
    related = "".join(f'<li><a href="/other/{n}">Other story {n}</a></li>' for n in range(4))
    body = f"<article>{ps(story[:2])}<ul>{content}</ul>{ps(story[2:])}<ul>{related}</ul></article>"
    doc = extract_document(page(body), URL)
    lists = [b for b in doc.blocks if isinstance(b, ListBlock)]
    assert len(lists) == 1 and len(lists[0].items) == 4
    assert "Line 0 to the coast" in readable_text(page(body), URL)
    assert "Other story" not in readable_text(page(body), URL)


# --- 6. emptied pages ------------------------------------------------------------------------


def test_a_page_whose_every_box_has_a_boilerplate_name_is_not_emptied() -> None:
    story = prose("gardens", 5)
    body = f'<div class="promo"><div class="social-sharing">{ps(story)}</div></div>'
    assert all(line in readable_text(page(body), URL) for line in story)


# --- 7. metadata --------------------------------------------------------------------------------


def test_title_by_agreement_not_the_site_heading() -> None:
    head = (
        "<title>Gulls return to the pier | Harbour Daily</title>"
        '<meta property="og:title" content="Gulls return to the pier | Harbour Daily">'
    )
    body = "<h1>Harbour Daily</h1><article><h1>Gulls return to the pier</h1>"
    body += ps(prose("gulls", 4)) + "</article>"
    assert extract_document(page(body, head), URL).title == "Gulls return to the pier"


def test_title_sources_vote() -> None:
    assert title_by_agreement(["CDPATH replacements - anarcat"], ["CDPATH replacements"]) == (
        "CDPATH replacements"
    )
    assert title_by_agreement(["News | Floods close the valley road"]) == (
        "Floods close the valley road"
    )
    whole = "Storm – and then the calm"
    assert title_by_agreement([whole, whole], [whole]) == whole


def test_visible_byline_becomes_metadata_and_leaves_the_body() -> None:
    story = prose("bees", 4)
    body = f"<article><h1>Bees</h1><p>By Jane Roe</p>{ps(story)}</article>"
    doc = extract_document(page(body), URL)
    assert doc.byline == "Jane Roe"
    assert "By Jane Roe" not in readable_text(page(body), URL)


# --- the trafilatura candidate keeps structure -----------------------------------------------


def test_trafilatura_candidate_keeps_headings_lists_quotes_code_tables_and_links() -> None:
    story = prose("ports", 4)
    body = (
        f"<article>{ps(story[:2])}<h2>The second part</h2>"
        '<p>See <a href="/map">the map of the port</a> for the berths and the long quay.</p>'
        "<ul><li>first berth by the quay</li><li>second berth by the wall</li></ul>"
        "<blockquote><p>We will open in spring, said the harbour master to us.</p></blockquote>"
        "<pre>quay = berth + 1\nwall = quay * 2</pre>"
        "<table><tr><th>Berth</th><th>Length</th></tr><tr><td>A</td><td>120 m</td></tr></table>"
        f"{ps(story[2:])}</article>"
    )
    blocks = trafilatura_blocks(parse_document(page(body)), URL)
    kinds = {type(b) for b in blocks}
    assert {Paragraph, Heading, ListBlock, Quote, Table} <= kinds
    links = [i.href for b in blocks if isinstance(b, Paragraph) for i in b.inlines if i.href]
    assert "https://paper.example/map" in links


def test_reader_start_up_does_not_import_trafilatura() -> None:
    code = (
        "import sys; import termnews.extract.article, termnews.cli.main, termnews.service;"
        "assert 'trafilatura' not in sys.modules, 'trafilatura imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _paras(texts: list[str]) -> list:
    from termnews.document import Inline

    return [Paragraph((Inline(t),)) for t in texts]


def test_article_continued_in_a_read_more_box_is_kept_despite_long_comments() -> None:
    story = prose("tunnels", 8)
    comments = "".join(f'<div class="reply"><p>{c}</p></div>' for c in prose("a reader's view", 14))
    body = (
        f'<div class="post"><div class="entry">{ps(story[:3])}</div>'
        f'<div class="read-more-content">{ps(story[3:])}</div></div>'
        f'<section class="responses">{comments}</section>'
    )
    text = readable_text(page(body), URL)
    assert all(line in text for line in story)


def test_a_commenter_or_a_form_label_is_not_the_byline() -> None:
    story = prose("owls", 4)
    body = (
        f"<article><h1>Owls</h1>{ps(story)}</article>"
        '<div class="comments"><p>By Ann Reader</p><span class="author">Bob Commenter</span></div>'
        '<form><label class="author">Name (required)</label></form>'
    )
    assert extract_document(page(body), URL).byline == ""


def test_pointer_lines_and_ad_labels_in_other_languages_are_not_the_story() -> None:
    story = prose("Flüsse", 4)
    asides = ["Das könnte Sie auch interessieren!", "Lea también: otra noticia", "Werbung"]
    asides += ["23.10.2018", "19:49", "Aktualisiert am"]
    body = f"<article>{ps(story[:2] + asides + story[2:])}</article>"
    text = readable_text(page(body), URL)
    assert all(line in text for line in story)
    assert not any(aside in text for aside in asides)


def test_byline_from_a_json_ld_graph_reference_a_card_label_or_a_posted_line() -> None:
    story = ps(prose("moths", 4))
    graph = {
        "@graph": [
            {"@type": "Article", "headline": "Moths", "author": {"@id": "#p1"}},
            {"@type": "Person", "@id": "#p1", "name": "Ida Graph"},
        ]
    }
    head = f'<script type="application/ld+json">{json.dumps(graph)}</script>'
    assert extract_document(page(f"<article>{story}</article>", head), URL).byline == "Ida Graph"
    card = (
        '<meta name="twitter:label1" content="Verfasst von">'
        '<meta name="twitter:data1" content="Karl Karte">'
    )
    assert extract_document(page(f"<article>{story}</article>", card), URL).byline == "Karl Karte"
    posted = '<div class="page-meta-author">Posted on May 2, 2024 by Pia Post</div>'
    assert extract_document(page(f"<article>{posted}{story}</article>"), URL).byline == "Pia Post"


def test_the_standfirst_in_the_header_above_the_story_is_read() -> None:
    lead = "The harbour board will close the old pier for a year while its divers rebuild it."
    nav = "Sections, weather and the full list of ferry timetables for the week ahead."
    header = (
        f'<header><h1>Pier closes</h1><p class="x">By Ann Sand</p><p class="s">{lead}</p>'
        f'<img src="/pier.jpg"></header>'
    )
    body = f'<div class="story">{ps(prose("piers", 10))}</div>'
    html = page(f"<nav><ul><li><p>{nav}</p></li></ul></nav><article>{header}{body}</article>")
    text = readable_text(html, URL)
    assert text.startswith(lead)
    assert nav not in text
    assert "By Ann Sand" not in text


def test_a_link_line_under_the_headline_is_not_a_standfirst() -> None:
    teaser = "Read the story about the ferries, the piers and the harbour board this year."
    header = f'<header><h1>Pier closes</h1><p><a href="/other">{teaser}</a></p></header>'
    body = f'<div class="story">{ps(prose("piers", 10))}</div>'
    text = readable_text(page(f"<article>{header}{body}</article>"), URL)
    assert teaser not in text


def test_a_long_subtitle_without_a_final_stop_is_a_standfirst_but_a_short_kicker_is_not() -> None:
    subtitle = (
        "Divers will rebuild the old pier over the winter while the harbour board "
        "moves the ferries to the north quay for a year"
    )
    header = f"<header><h1>Pier closes</h1><p>{subtitle}</p><p>Harbour news today</p></header>"
    body = f'<div class="story">{ps(prose("piers", 10))}</div>'
    text = readable_text(page(f"<article>{header}{body}</article>"), URL)
    assert text.startswith(subtitle)
    assert "Harbour news today" not in text


def test_a_caption_beside_the_lead_picture_is_not_a_standfirst() -> None:
    caption = "Divers at work under the old pier on Tuesday morning, seen from the harbour wall."
    header = (
        f'<header><h1>Pier closes</h1><img src="/pier.jpg"><div class="c"><p>{caption}</p></div>'
        "</header>"
    )
    body = f'<div class="story">{ps(prose("piers", 10))}</div>'
    text = readable_text(page(f"<article>{header}{body}</article>"), URL)
    assert caption not in text
    assert text.startswith("Paragraph 0 about piers")
