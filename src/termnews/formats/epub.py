"""Document blocks → XHTML fragments, and a hand-written EPUB 3 container around them.

The HTML export and the EPUB book share one block renderer, written as XHTML so
that the same markup is valid HTML5 *and* strict XML (EPUB readers reject
anything else). Every piece of web text goes through ``esc`` — never through
string interpolation alone — and links keep only ``http``/``https`` targets, so
a hostile page cannot smuggle script, ``javascript:`` links or broken XML into
an export. Pure functions, no I/O: ``build_epub`` returns bytes.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal
from urllib.parse import quote, urlsplit

from termnews.document import (
    Block,
    Caption,
    Code,
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
from termnews.text import strip_unsafe
from termnews.urls import is_web_url

ImageMode = Literal["img", "link"]

# Characters XML 1.0 forbids even as references (strip_unsafe already drops C0/C1).
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")

# Characters that may stay as they are in a URL; everything else is percent-encoded
# (spaces and non-ASCII would make EPUB checkers reject the href).
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"

STYLE = """\
body { font-family: Georgia, serif; line-height: 1.5; max-width: 42em; margin: 2em auto;
       padding: 0 1em; }
.meta, .note, .caption { color: #555; }
.note { font-style: italic; }
pre { white-space: pre-wrap; background: #f4f4f4; padding: 0.5em; }
blockquote { border-left: 3px solid #ccc; margin-left: 0; padding-left: 1em; }
table { border-collapse: collapse; }
td, th { border: 1px solid #ccc; padding: 0.2em 0.5em; }
img { max-width: 100%; height: auto; }
"""


def esc(text: str | None) -> str:
    """Web text as XML/HTML character data or attribute value: sanitised and escaped."""
    if not text:
        return ""
    return html.escape(_NOT_XML.sub("", strip_unsafe(text)), quote=True)


def safe_href(url: str | None) -> str | None:
    """An escaped, percent-encoded ``http(s)`` URL, or None for any other scheme.

    ``javascript:``, ``data:``, ``file:`` and relative targets are dropped so an
    exported page can never run or reach anything but the web.
    """
    if not url:
        return None
    url = _NOT_XML.sub("", strip_unsafe(url)).strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return esc(quote(url, safe=_URL_SAFE))


def web_links_only(blocks: Iterable[Block]) -> tuple[Block, ...]:
    """The blocks with non-web link targets unlinked and non-web images dropped.

    For formats rendered by someone else's code (Markdown): extraction already
    keeps only http(s) links, but a stored document is still untrusted input.
    """
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph | Heading | Caption):
            block = replace(block, inlines=_web_inlines(block.inlines))
        elif isinstance(block, ListBlock):
            block = _web_list(block)
        elif isinstance(block, Quote):
            block = Quote(web_links_only(block.blocks))
        elif isinstance(block, Image) and not is_web_url(block.src):
            continue
        out.append(block)
    return tuple(out)


def _web_inlines(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    return tuple(i if is_web_url(i.href) or not i.href else replace(i, href=None) for i in inlines)


def _web_list(block: ListBlock) -> ListBlock:
    items = tuple(
        ListItem(_web_inlines(item.inlines), tuple(_web_list(c) for c in item.children))
        for item in block.items
    )
    return replace(block, items=items)


def link(url: str | None, label: str) -> str:
    """``<a>`` around an already-escaped label when the URL is safe, else the label alone."""
    href = safe_href(url)
    return f'<a href="{href}">{label}</a>' if href else label


def inlines_xhtml(inlines: Iterable[Inline]) -> str:
    """Inline runs as XHTML: emphasis, strong, code and safe links; newlines become ``<br/>``."""
    out = []
    for run in inlines:
        piece = esc(run.text).replace("\n", "<br/>")
        if run.code:
            piece = f"<code>{piece}</code>"
        if run.strong:
            piece = f"<strong>{piece}</strong>"
        if run.emphasis:
            piece = f"<em>{piece}</em>"
        out.append(link(run.href, piece) if run.href else piece)
    return "".join(out)


def blocks_xhtml(blocks: Iterable[Block], images: ImageMode = "img") -> str:
    """Blocks as an XHTML fragment. ``images="link"`` for EPUB, which forbids remote images."""
    return "\n".join(_block(b, images) for b in blocks)


def _block(block: Block, images: ImageMode) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{inlines_xhtml(block.inlines)}</p>"
    if isinstance(block, Heading):
        level = min(6, max(2, block.level))  # h1 is the article's title
        return f"<h{level}>{inlines_xhtml(block.inlines)}</h{level}>"
    if isinstance(block, Caption):
        return f'<p class="caption">{inlines_xhtml(block.inlines)}</p>'
    if isinstance(block, ListBlock):
        return _list(block)
    if isinstance(block, Quote):
        return f"<blockquote>\n{blocks_xhtml(block.blocks, images)}\n</blockquote>"
    if isinstance(block, Code):
        lang = f' class="language-{esc(block.language)}"' if block.language else ""
        return f"<pre><code{lang}>{esc(block.text)}</code></pre>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Image):
        return _image(block, images)
    if isinstance(block, Rule):
        return "<hr/>"
    return ""


def _list(block: ListBlock) -> str:
    tag = "ol" if block.ordered else "ul"
    start = f' start="{int(block.start)}"' if block.ordered and block.start != 1 else ""
    items = []
    for item in block.items:
        children = "".join(_list(c) for c in item.children)
        items.append(f"<li>{inlines_xhtml(item.inlines)}{children}</li>")
    if not items:
        return ""
    return f"<{tag}{start}>{''.join(items)}</{tag}>"


def _table(block: Table) -> str:
    head = "".join(f"<th>{esc(c)}</th>" for c in block.header)
    rows = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in block.rows)
    if not head and not rows:
        return ""
    thead = f"<thead><tr>{head}</tr></thead>" if head else ""
    tbody = f"<tbody>{rows}</tbody>" if rows else ""
    return f"<table>{thead}{tbody}</table>"


def _image(block: Image, images: ImageMode) -> str:
    alt = esc(block.alt)
    src = safe_href(block.src)
    if src and images == "img":
        return f'<p><img src="{src}" alt="{alt}" loading="lazy"/></p>'
    label = f"[image: {alt or 'no description'}]"
    if src:
        label = f'<a href="{src}">{label}</a>'
    return f'<p class="caption">{label}</p>'


# --- EPUB 3 ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Chapter:
    """One article of the book: its plain title and its body as a trusted XHTML fragment."""

    title: str
    body: str


_CONTAINER = """\
<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def xhtml_page(title: str, body: str, language: str, *, head: str = "") -> str:
    """A complete XHTML5 document (EPUB content document) around a trusted body fragment."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        f' lang="{esc(language)}" xml:lang="{esc(language)}">\n'
        f'<head>\n<meta charset="utf-8"/>\n<title>{esc(title) or "Untitled"}</title>\n'
        f"{head}</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def build_epub(
    chapters: Sequence[Chapter],
    *,
    title: str,
    identifier: str,
    modified: datetime,
    language: str = "und",
) -> bytes:
    """The EPUB 3 file as bytes: ``mimetype`` first and stored, then container, OPF, nav, chapters.

    Written by hand with ``zipfile`` rather than a library: the format is small,
    and owning every byte means every string is escaped by ``esc``.
    Chapter files are named ``c0001.xhtml``…, never after untrusted titles.
    """
    stamp = modified.strftime("%Y-%m-%dT%H:%M:%SZ")
    names = [f"c{n:04d}.xhtml" for n in range(1, len(chapters) + 1)]
    css = '<link rel="stylesheet" type="text/css" href="style.css"/>\n'
    toc = "".join(
        f'<li><a href="{n}">{esc(c.title) or "Untitled"}</a></li>'
        for n, c in zip(names, chapters, strict=True)
    )
    toc = toc or '<li><a href="nav.xhtml">(no articles)</a></li>'
    nav_body = f'<nav epub:type="toc" id="toc">\n<h1>{esc(title)}</h1>\n<ol>{toc}</ol>\n</nav>'
    manifest = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
        *(
            f'<item id="c{i}" href="{n}" media-type="application/xhtml+xml"/>'
            for i, n in enumerate(names, 1)
        ),
    ]
    spine = [
        '<itemref idref="nav"/>',
        *(f'<itemref idref="c{i}"/>' for i in range(1, len(names) + 1)),
    ]
    opf = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0"'
        f' unique-identifier="bookid" xml:lang="{esc(language)}">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f'<dc:identifier id="bookid">{esc(identifier)}</dc:identifier>\n'
        f"<dc:title>{esc(title)}</dc:title>\n"
        f"<dc:language>{esc(language)}</dc:language>\n"
        f'<meta property="dcterms:modified">{stamp}</meta>\n'
        "</metadata>\n"
        f"<manifest>\n{chr(10).join(manifest)}\n</manifest>\n"
        f"<spine>\n{chr(10).join(spine)}\n</spine>\n"
        "</package>\n"
    )
    files: list[tuple[str, str]] = [
        ("META-INF/container.xml", _CONTAINER),
        ("OEBPS/content.opf", opf),
        ("OEBPS/style.css", STYLE),
        ("OEBPS/nav.xhtml", xhtml_page(title, nav_body, language, head=css)),
    ]
    for name, chapter in zip(names, chapters, strict=True):
        files.append((f"OEBPS/{name}", xhtml_page(chapter.title, chapter.body, language, head=css)))

    date_time = (max(modified.year, 1980), modified.month, modified.day,
                 modified.hour, modified.minute, modified.second)  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        mimetype = zipfile.ZipInfo("mimetype", date_time)
        mimetype.compress_type = zipfile.ZIP_STORED
        book.writestr(mimetype, b"application/epub+zip")
        for name, text in files:
            info = zipfile.ZipInfo(name, date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            book.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()
