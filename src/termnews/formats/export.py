"""``termnews export --saved``: saved articles as Markdown, HTML, JSON files or one EPUB book.

Everything written comes from the web, so nothing is trusted: file names come
from ``safe_filename`` (no separators, no ``..``, no reserved or over-long
names), HTML/XHTML is built here with every string escaped, and every path is
checked to resolve inside the target folder before it is written. Files are
written atomically (temp file + rename), so re-exporting to the same folder
replaces earlier exports and never follows a planted symlink.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from termnews.dates import long_date, utcnow
from termnews.document import Document
from termnews.errors import TermnewsError
from termnews.formats.epub import (
    STYLE,
    Chapter,
    blocks_xhtml,
    build_epub,
    esc,
    link,
    web_links_only,
    xhtml_page,
)
from termnews.formats.plain import document_to_markdown, md_escape
from termnews.models import Post
from termnews.store import PostFilter, Store
from termnews.text import clean_line, strip_unsafe
from termnews.urls import is_web_url

ExportFormat = Literal["markdown", "html", "json", "epub"]
FORMATS: tuple[ExportFormat, ...] = ("markdown", "html", "json", "epub")
EPUB_NAME = "termnews-saved.epub"
EPUB_TITLE = "termnews — saved articles"
NO_PAGE_WHY = "saved without its page; showing the feed's text"


class ExportError(TermnewsError):
    """The export cannot be written (target is a file, disk error…); one line for the user."""


# --- file names ----------------------------------------------------------------------------

_UNSAFE_CHARS = re.compile(r'[/\\<>:"|?*\s]+')
_DOTS = re.compile(r"\.{2,}")
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{p}{n}" for p in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]]
)
_EDGE_TRIM = " .-"
# Unprintable code points strip_unsafe keeps; ZWJ stays (emoji sequences need it).
_NOT_PRINTABLE = re.compile("[\ud800-\udfff\ufffe\uffff\u200b\u2060]")


def safe_filename(title: str, used: set[str], suffix: str, max_len: int = 80) -> str:
    """A file name for an untrusted title that is safe on Linux, macOS and Windows.

    No separators, ``..``, control or Windows-reserved characters, no leading
    dot/dash or trailing dot/space, no reserved device names (``CON``, ``COM1``…),
    at most ``max_len`` characters *and* UTF-8 bytes before ``suffix`` (cut on a
    character boundary), never empty, and unique case-insensitively against
    ``used`` — case-insensitive because macOS and Windows folders are. The result
    (with suffix) is added to ``used``.
    """
    text = unicodedata.normalize("NFC", strip_unsafe(title or ""))
    text = _NOT_PRINTABLE.sub("", text)
    text = _UNSAFE_CHARS.sub(" ", text)
    text = _DOTS.sub(".", text).strip(_EDGE_TRIM)
    taken = {u.casefold() for u in used}
    counter = 1
    while True:
        tail = f" ({counter})" if counter > 1 else ""
        stem = _fit(text, max(1, max_len - len(tail.encode())))
        stem = stem or "article"
        if stem.split(".")[0].strip().upper() in _RESERVED:
            stem = _fit("_" + stem, max(1, max_len - len(tail.encode())))
        name = f"{stem}{tail}{suffix}"
        if name.casefold() not in taken:
            used.add(name)
            return name
        counter += 1


def _fit(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters and UTF-8 bytes, on a code point boundary."""
    text = text[:limit]
    encoded = text.encode("utf-8")
    if len(encoded) > limit:
        text = encoded[:limit].decode("utf-8", "ignore")
    return text.rstrip("\u200d").strip(_EDGE_TRIM)


# --- gathering -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SavedArticle:
    """A saved post with the document to export (the stored page, or the feed's text)."""

    post: Post
    document: Document

    @property
    def title(self) -> str:
        return clean_line(self.post.title) or clean_line(self.document.title) or self.post.url

    @property
    def source(self) -> str:
        return clean_line(self.post.source_title) or clean_line(self.document.site_name)

    @property
    def author(self) -> str:
        return clean_line(self.post.author) or clean_line(self.document.byline)

    @property
    def date(self) -> str:
        return long_date(self.post.published or self.document.published)


def saved_articles(store: Store) -> list[SavedArticle]:
    """Every saved post, newest first, with its document.

    A post saved while offline has no stored page; its feed text is exported
    instead (with a note saying so) rather than silently leaving it out.
    """
    articles = []
    for post_id in store.post_ids(PostFilter("saved")):
        post = store.post(post_id)
        if post is None:
            continue
        doc = store.document(post_id)
        if doc is None:
            from termnews.extract.article import choose_document  # lxml: import only when needed

            doc = choose_document(None, post.content, post.summary, post.url, why=NO_PAGE_WHY)
        articles.append(SavedArticle(post, doc))
    return articles


# --- export --------------------------------------------------------------------------------


def export_saved(store: Store, directory: Path, fmt: ExportFormat) -> list[Path]:
    """Write every saved article into ``directory`` in ``fmt``; returns the written paths.

    Creates the folder when missing; raises ExportError when the path is a file
    or cannot be written. Nothing saved means nothing written.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (choose {', '.join(FORMATS)})")
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise ExportError(f"cannot export to {directory}: it exists and is not a folder")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        root = directory.resolve(strict=True)
    except OSError as exc:
        raise ExportError(f"cannot create {directory}: {exc.strerror or exc}") from None
    articles = saved_articles(store)
    if not articles:
        return []
    if fmt == "epub":
        return [_write(root, EPUB_NAME, _epub(articles))]
    suffix = {"markdown": ".md", "html": ".html", "json": ".json"}[fmt]
    used: set[str] = {"index.html"} if fmt == "html" else set()
    named = [(safe_filename(a.title, used, suffix), a) for a in articles]
    render = {"markdown": _markdown, "html": _html_page, "json": _json}[fmt]
    paths = [_write(root, name, render(a).encode("utf-8")) for name, a in named]
    if fmt == "html":
        paths.append(_write(root, "index.html", _html_index(named).encode("utf-8")))
    return paths


def _umask() -> int:
    """The process's umask (reading it means setting it: set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write(root: Path, name: str, data: bytes) -> Path:
    """Write ``root/name`` atomically, refusing any path that resolves outside ``root``."""
    path = root / name
    if path.parent != root or path.resolve().parent != root:
        raise ExportError(f"refusing to write {name!r} outside {root}")
    try:
        fd, tmp = tempfile.mkstemp(dir=root, prefix=".termnews-export-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; an export is a normal file
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


# --- formats -------------------------------------------------------------------------------


def _markdown(article: SavedArticle) -> str:
    """A header with title, source, author, date and URL, then the body as Markdown."""
    lines = [f"# {md_escape(article.title)}", ""]
    for label, value in (("Source", article.source), ("Author", article.author)):
        if value:
            lines.append(f"- {label}: {md_escape(value)}")
    if article.date:
        lines.append(f"- Date: {article.date}")
    url = clean_line(article.post.url)
    if is_web_url(url):
        lines.append(f"- URL: <{url.replace('>', '%3E').replace(' ', '%20')}>")
    elif url:
        lines.append(f"- URL: {md_escape(url)}")
    lines.append("")
    # The header already carries title and metadata; keep only "N min read" from the body.
    doc = article.document
    blocks = web_links_only(doc.blocks)
    body = replace(doc, title="", site_name="", byline="", published=None, blocks=blocks)
    return "\n".join(lines) + "\n" + document_to_markdown(body)


def _json(article: SavedArticle) -> str:
    """The post's fields plus the full document (``Document.from_dict`` reverses it)."""
    post = article.post
    data: dict[str, Any] = {
        "url": post.url,
        "title": article.title,
        "source": article.source,
        "author": article.author,
        "published": post.published.isoformat() if post.published else None,
        "saved_at": post.saved_at.isoformat() if post.saved_at else None,
        "document": article.document.to_dict(),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _article_xhtml(article: SavedArticle, images: Literal["img", "link"]) -> str:
    """The article as an XHTML fragment: title, meta line, URL, note, then the blocks."""
    meta = " · ".join(esc(p) for p in (article.source, article.author, article.date) if p)
    parts = [f"<h1>{esc(article.title)}</h1>"]
    if meta:
        parts.append(f'<p class="meta">{meta}</p>')
    parts.append(f'<p class="meta">{link(article.post.url, esc(article.post.url))}</p>')
    if article.document.note:
        parts.append(f'<p class="note">{esc(article.document.note)}</p>')
    parts.append(blocks_xhtml(article.document.blocks, images=images))
    return "<article>\n" + "\n".join(parts) + "\n</article>"


# No scripts, frames or forms even if an escape were ever missed; images may load.
_HTML_HEAD = (
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';'
    " img-src http: https:; style-src 'unsafe-inline'\"/>\n"
    '<meta name="referrer" content="no-referrer"/>\n'
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>\n'
    f"<style>\n{STYLE}</style>\n"
)


def _standalone(title: str, body: str) -> str:
    """A standalone HTML5 page (also well-formed XML, so it parses either way)."""
    page = xhtml_page(title, body, "und", head=_HTML_HEAD)
    return page.split("\n", 1)[1]  # drop the XML declaration: browsers want <!DOCTYPE first


def _html_page(article: SavedArticle) -> str:
    back = '<p class="meta"><a href="index.html">← All saved articles</a></p>'
    return _standalone(article.title, back + "\n" + _article_xhtml(article, "img"))


def _html_index(named: list[tuple[str, SavedArticle]]) -> str:
    """``index.html``: every article's title linking to its file, with source and date."""
    items = []
    for name, article in named:
        meta = " · ".join(esc(p) for p in (article.source, article.date) if p)
        meta = f' <span class="meta">— {meta}</span>' if meta else ""
        items.append(f'<li><a href="{esc(quote(name))}">{esc(article.title)}</a>{meta}</li>')
    body = f"<h1>{esc(EPUB_TITLE)}</h1>\n<ul>\n" + "\n".join(items) + "\n</ul>"
    return _standalone(EPUB_TITLE, body)


def _epub(articles: list[SavedArticle]) -> bytes:
    chapters = [Chapter(a.title, _article_xhtml(a, "link")) for a in articles]
    return build_epub(
        chapters,
        title=EPUB_TITLE,
        identifier=f"urn:uuid:{uuid.uuid4()}",
        modified=utcnow(),
    )


__all__ = [
    "EPUB_NAME",
    "FORMATS",
    "ExportError",
    "ExportFormat",
    "SavedArticle",
    "export_saved",
    "safe_filename",
    "saved_articles",
]
