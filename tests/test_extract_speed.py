"""The speed-ups around readability-lxml and lxml give exactly the results of the originals."""

from __future__ import annotations

import logging
import random

import lxml.html
import pytest
from lxml.etree import tounicode

from termnews.extract.article import _reader_class
from termnews.html_parsers import _plain_parser, html_parser, parse_document

WORDS = ["council", "budget", "river", "school", "vote", "bridge", "tax", "park", "mayor"]
LINK_TEXT = ["read more", "home", "next story", "share", "more about the vote"]
CLASSES = ["", "content", "sidebar", "post-body", "related", "comment", "entry", "footer"]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(3, 40))]
    return " ".join(words) + rng.choice([".", ", and more,", ", then, again.", ":"])


def nested_box(rng: random.Random, depth: int) -> str:
    """A box of paragraphs, links, lists and boxes inside boxes: readability's dear case."""
    parts = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.random()
        if depth and kind < 0.35:
            parts.append(nested_box(rng, depth - 1))
        elif kind < 0.6:
            links = "".join(
                f' <a href="/{k}">{rng.choice(LINK_TEXT)}</a>' for k in range(rng.randint(0, 3))
            )
            parts.append(f"<p>{sentence(rng)}{links} {sentence(rng)}</p>")
        elif kind < 0.75:
            items = "".join(
                f'<li><a href="/i{k}">{rng.choice(LINK_TEXT)}</a> {sentence(rng)}</li>'
                for k in range(rng.randint(1, 5))
            )
            parts.append(f"<ul>{items}</ul>")
        elif kind < 0.85:
            parts.append(f"<h2>{sentence(rng)}</h2>")
        elif kind < 0.92:
            parts.append(f"{sentence(rng)}<br><span>{sentence(rng)}</span>")
        else:  # inline only, a picture buried in a link: a <div> readability makes a <p>
            parts.append(f'<div><a href="/p"><img src="/i.jpg"></a> <em>{sentence(rng)}</em></div>')
    tag = rng.choice(["div", "div", "section", "article", "aside"])
    return f'<{tag} class="{rng.choice(CLASSES)}">{"".join(parts)}</{tag}>'


def nested_pages(count: int) -> list[str]:
    rng = random.Random(11)
    return [
        f"<html><body>{''.join(nested_box(rng, 5) for _ in range(rng.randint(1, 3)))}</body></html>"
        for _ in range(count)
    ]


def readability_pair() -> tuple[type, type]:
    """readability's own Document and termnews's measured-once one, on the same parsed tree."""
    import copy

    from readability import Document as Readability

    faster = _reader_class()  # also swaps readability's module helpers for the faster ones

    class Original(Readability):  # readability's own methods; only the tree handling shared
        def _parse(self, input: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
            self.encoding = "utf-8"
            return copy.deepcopy(input)

    return Original, faster


def test_measured_once_scores_and_chooses_exactly_as_readability(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import readability.readability as module

    from termnews.extract.readability_speed import replaced, replaced_patterns

    original, faster = readability_pair()
    for page in nested_pages(120):
        slow_reader, fast_reader = original(parse_document(page)), faster(parse_document(page))
        slow_reader._html(True)
        fast_reader._html(True)
        slow = slow_reader.score_paragraphs()
        fast = fast_reader.score_paragraphs()
        assert [tounicode(e) for e in slow] == [tounicode(e) for e in fast]
        assert [c["content_score"] for c in slow.values()] == [
            c["content_score"] for c in fast.values()
        ]
        for el in slow_reader.html.iter("div", "section", "p", "li"):
            assert fast_reader.get_link_density(el) == slow_reader.get_link_density(el)
        with monkeypatch.context() as unpatched:  # readability's own helpers, for the reference
            for name, function in replaced.items():
                unpatched.setattr(module, name, function)
            for key, pattern in replaced_patterns.items():
                unpatched.setitem(module.REGEXES, key, pattern)
            whole_slow = original(parse_document(page)).summary(html_partial=True)
        whole_fast = faster(parse_document(page))
        whole_fast.summary(html_partial=True)
        assert tounicode(whole_fast.article_node, method="html") == whole_slow


def test_a_changed_box_is_measured_again() -> None:
    original, faster = readability_pair()
    reader = faster(parse_document("<html><body><div><p>x</p></div></body></html>"))
    doc = reader._html(True)
    import readability.readability as module

    box = doc.find(".//div")
    assert module.text_length(box) == 1
    box.append(lxml.html.fragment_fromstring('<a href="/">read more</a>'))
    module.text_length(doc.find(".//p"))  # another measurement in between: the note is gone
    assert reader.get_link_density(box) == original(doc).get_link_density(box) == 9 / 10


def test_debug_descriptions_are_readabilitys_own_when_debug_logging_is_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import readability.readability as module

    from termnews.extract.readability_speed import replaced

    _reader_class()
    doc = parse_document('<html><body><div id="main" class="a b"><p>text</p></div></body></html>')
    p = doc.find(".//p")
    assert module.describe(p) == ""  # debug logging off: nothing is made
    with caplog.at_level(logging.DEBUG, logger="readability.readability"):
        assert module.describe(p) == replaced["describe"](p) != ""
        assert module.text_content(p) == replaced["text_content"](p) == "text"


def test_thread_parsers_make_lxml_htmls_element_classes() -> None:
    page = (
        "<html><body><form action='/'><label>l</label><input name='q'>"
        "<select><option>o</option></select><textarea>t</textarea></form>"
        "<p>a<b>b</b></p><svg><path d='M0'/></svg></body></html>"
    )
    ours = parse_document(page)
    theirs = lxml.html.document_fromstring(page)
    assert [(e.tag, type(e)) for e in ours.iter()] == [(e.tag, type(e)) for e in theirs.iter()]
    assert {type(e).__name__ for e in ours.iter()} >= {"FormElement", "InputElement"}
    assert type(html_parser().makeelement("textarea", {})) is lxml.html.TextareaElement
    assert ours.find(".//form").inputs["q"].name == "q"  # lxml.html's form API works
    comment = lxml.html.fragment_fromstring("<div><!-- c --></div>", parser=_plain_parser())[0]
    assert isinstance(comment, lxml.html.HtmlComment)


def test_preclean_lengths_are_the_joined_text_lengths() -> None:
    from lxml import etree

    from termnews.extract.preclean import _Lengths

    for page in nested_pages(30):
        doc = lxml.html.document_fromstring(
            page.replace("<p>", "<p><!-- a comment --> <?pi x?>"), parser=_plain_parser()
        )
        etree.strip_elements(doc, etree.Comment, etree.ProcessingInstruction, with_tail=False)
        sizes = _Lengths(doc)
        for el in doc.iter():
            assert sizes.total(el) == len("".join(el.itertext()).strip())
            assert sizes.linked(el) == sum(len("".join(a.itertext()).strip()) for a in el.iter("a"))
