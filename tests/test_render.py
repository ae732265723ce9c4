"""Tests for rendering Documents: Rich pane, plain text, Markdown, hostile text, speed."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import UTC, datetime

from rich.console import Console

from termnews.document import (
    Caption,
    Code,
    Document,
    Heading,
    Image,
    Inline,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Rule,
    Table,
)
from termnews.formats.plain import document_to_markdown, document_to_text, reading_minutes
from termnews.formats.terminal import render_document

HOSTILE_TITLE = "[bold]x[/bold] [link=file:///etc/passwd]y[/link]"


def runs(*parts: str | Inline) -> tuple[Inline, ...]:
    return tuple(Inline(p) if isinstance(p, str) else p for p in parts)


SAMPLE = Document(
    url="https://example.org/story",
    title="Harbour opens tidal station",
    byline="Mara Quinn",
    site_name="The Courier",
    published=datetime(2024, 3, 5, 8, 30, tzinfo=UTC),
    note="Showing the feed's summary: the page could not be fetched (HTTP 404).",
    blocks=(
        Heading(2, runs("Section heading")),
        Paragraph(runs("Read ", Inline("the report", href="https://e.org/report"), " and ",
                       Inline("the map", href="https://e.org/map"), ", then ",
                       Inline("the report", href="https://e.org/report"), " again.")),
        Paragraph(runs("Some ", Inline("stressed", emphasis=True), " and ",
                       Inline("bold", strong=True), " and ", Inline("len(x)", code=True), ".")),
        ListBlock(False, (ListItem(runs("bullet one")),
                          ListItem(runs("bullet two"),
                                   (ListBlock(True, (ListItem(runs("nested seven")),), 7),)))),
        ListBlock(True, (ListItem(runs("first numbered")), ListItem(runs("second numbered"))), 3),
        Quote((Paragraph(runs("A quoted sentence.")),)),
        Code("def f():\n    return  1"),
        Table(("City", "People"), (("Oslo", "709,000"),)),
        Image("https://e.org/i.jpg", "A turbine hall"),
        Caption(runs("The hall at low tide")),
        Rule(),
    ),
)  # fmt: skip


def rendered(doc: Document, width: int = 80) -> str:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(render_document(doc, width=width))
    return console.export_text()


def test_header_note_title_meta_line() -> None:
    lines = rendered(SAMPLE).splitlines()
    assert lines[0] == SAMPLE.note
    assert lines[1] == "Harbour opens tidal station"
    assert lines[2] == "The Courier · Mara Quinn · 5 Mar 2024 · 1 min read"
    assert set(lines[3]) == {"─"}


def test_every_block_type_appears() -> None:
    out = rendered(SAMPLE)
    assert "Section heading" in out
    assert "Some stressed and bold and len(x)." in out
    assert "• bullet one" in out and "• bullet two" in out
    assert "   7. nested seven" in out  # nested list indented under its parent
    assert "3. first numbered" in out and "4. second numbered" in out
    assert "▌ A quoted sentence." in out
    assert "│ def f():" in out and "│     return  1" in out  # verbatim, boxed
    assert "City" in out and "Oslo" in out and "709,000" in out
    assert "[image: A turbine hall]" in out
    assert "The hall at low tide" in out


def test_link_numbers_match_document_links() -> None:
    out = rendered(SAMPLE)
    assert SAMPLE.links() == ["https://e.org/report", "https://e.org/map"]
    assert "Read the report[1] and the map[2], then the report[1] again." in out
    tail = out[out.index("Links") :]
    assert "[1] https://e.org/report" in tail and "[2] https://e.org/map" in tail


def test_styles_are_applied() -> None:
    console = Console(width=80, file=io.StringIO(), record=True, color_system="truecolor")
    console.print(render_document(SAMPLE))
    html = console.export_html(inline_styles=True)
    assert "font-weight: bold" in html and "font-style: italic" in html


def test_hostile_text_stays_literal() -> None:
    link = Inline("[i]click[/i]", href="https://e.org/[b]")
    blocks = (Paragraph(runs(HOSTILE_TITLE)), Paragraph((link,)))
    doc = Document(url="x", title=HOSTILE_TITLE, byline="[red]evil[/red]", blocks=blocks)
    out = rendered(doc)
    assert out.count(HOSTILE_TITLE) == 2
    assert "[red]evil[/red]" in out
    assert "[i]click[/i][1]" in out
    assert HOSTILE_TITLE in document_to_text(doc)
    assert "\\[bold\\]x\\[/bold\\]" in document_to_markdown(doc)


def test_paragraphs_wrap_at_the_readable_width() -> None:
    doc = Document(url="x", blocks=(Paragraph(runs("word " * 100)),))
    lines = rendered(doc, width=40).splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 40
    assert len([line for line in lines if "word" in line]) > 5


def test_plain_text_one_block_per_line_and_links() -> None:
    text = document_to_text(SAMPLE)
    assert "Read the report[1] and the map[2], then the report[1] again.\n" in text
    assert "- bullet two\n   7. nested seven\n" in text
    assert "> A quoted sentence." in text
    assert "City\tPeople\nOslo\t709,000" in text
    assert text.endswith("Links:\n[1] https://e.org/report\n[2] https://e.org/map\n")


def test_markdown() -> None:
    md = document_to_markdown(SAMPLE)
    assert "# Harbour opens tidal station" in md
    assert "## Section heading" in md
    assert "[the report](<https://e.org/report>)" in md
    assert "*stressed*" in md and "**bold**" in md and "`len(x)`" in md
    assert "- bullet two\n  7. nested seven" in md
    assert "3. first numbered\n4. second numbered" in md
    assert "> A quoted sentence." in md
    assert "```\ndef f():\n    return  1\n```" in md
    assert "| City | People |\n|---|---|\n| Oslo | 709,000 |" in md
    assert "![A turbine hall](<https://e.org/i.jpg>)" in md
    assert "\n---\n" in md


def test_reading_minutes() -> None:
    words = " ".join(["word"] * 2300)
    assert reading_minutes(Document(url="x", blocks=(Paragraph(runs(words)),))) == 10
    assert reading_minutes(Document(url="x")) == 1


def test_ten_thousand_words_render() -> None:
    sentence = "The quick brown fox jumps over the lazy dog near the quiet harbour wall. "
    blocks = tuple(
        Paragraph(runs(sentence * 7, Inline("a link", href=f"https://e.org/{n}")))
        for n in range(100)
    )
    doc = Document(url="x", title="Long read", blocks=blocks)
    assert doc.word_count() >= 10_000
    console = Console(width=80, file=io.StringIO())
    lines = console.render_lines(render_document(doc), console.options)  # speed: article.py
    assert len(lines) > 800
    text = "".join(segment.text for line in lines for segment in line)
    assert text.count("a link") == 100 and "Long read" in text


def test_render_does_not_import_textual() -> None:
    code = (
        "import sys, termnews.formats.terminal, termnews.extract.article;"
        " print('textual' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)  # fmt: skip
    assert result.stdout.strip() == "False"


def test_list_items_are_not_dimmed() -> None:
    doc = Document(
        url="http://x.test/", blocks=(ListBlock(False, (ListItem(runs("plain item words")),)),)
    )
    console = Console(width=80, file=io.StringIO())
    segments = list(console.render(render_document(doc)))
    words = [seg for seg in segments if "plain item words" in seg.text]
    bullets = [seg for seg in segments if seg.text.startswith("•")]
    assert words and bullets
    assert bullets[0].style is not None and bullets[0].style.dim
    assert all(not (seg.style and seg.style.dim) for seg in words)


def test_markdown_code_span_cannot_let_html_out():
    """A backtick run in inline code must not close the span early (CommonMark)."""
    from markdown_it import MarkdownIt

    from termnews.formats.plain import md_code_span

    hostile = "a`` <img src=x onerror=alert(1)> ``b"
    doc = Document(
        url="https://example.org/",
        title="Code",
        blocks=(Paragraph((Inline("see "), Inline(hostile, code=True), Inline(" end"))),),
    )
    html = MarkdownIt("commonmark").render(document_to_markdown(doc))
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    for text in ("`", "``x", "x`", " `a` ", "plain", "a```b"):
        rendered = MarkdownIt("commonmark").render(md_code_span(text))
        assert rendered.count("<code>") == 1, (text, rendered)
