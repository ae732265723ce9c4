"""Exporting saved articles: safe file names and each format's content, on a real SQLite store."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree

from termnews.document import (
    Code,
    Document,
    Heading,
    Image,
    Inline,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Table,
)
from termnews.errors import TermnewsError
from termnews.formats.export import EPUB_NAME, ExportError, export_saved, safe_filename
from termnews.models import Entry
from termnews.store import Store

BASE = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
XSS = "<script>alert(1)</script>"

HOSTILE_TITLES = [
    "../../etc/passwd",
    "a/b\\c",
    "CON",
    "\x1b[2Jx",
    "T" * 300,
    "猫と犬の話 🐱🐶 " * 30,
    "Same title",
    "Same title",
    "same TITLE",
    XSS,
    "...",
    "nul.txt",
    'Why? "Because" | <yes> : *no*',
]


# --- safe_filename --------------------------------------------------------------------------


def assert_safe(name: str, suffix: str, max_len: int = 80) -> None:
    stem = name[: -len(suffix)]
    assert name.endswith(suffix)
    assert stem and not stem.startswith(".") and not stem.endswith((".", " "))
    assert ".." not in name
    assert not any(c in name for c in '/\\<>:"|?*')
    assert all(ord(c) >= 0x20 and not 0x7F <= ord(c) <= 0x9F for c in name)
    assert len(stem.encode("utf-8")) <= max_len
    assert stem.split(".")[0].split(" (")[0].upper() not in {"CON", "NUL", "PRN", "AUX", "COM1"}


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_safe_filename_is_safe(title: str) -> None:
    assert_safe(safe_filename(title, set(), ".md"), ".md")


def test_safe_filename_examples() -> None:
    assert safe_filename("../../etc/passwd", set(), ".md") == "etc passwd.md"
    assert safe_filename("a/b\\c", set(), ".md") == "a b c.md"
    assert safe_filename("CON", set(), ".md") == "_CON.md"
    assert safe_filename("com1.report", set(), ".md") == "_com1.report.md"
    assert safe_filename("\x1b[2Jx", set(), ".md") == "x.md"
    assert safe_filename("", set(), ".md") == "article.md"
    assert safe_filename(" ./\\.. ", set(), ".md") == "article.md"
    assert safe_filename("Café 猫 🐱", set(), ".md") == "Café 猫 🐱.md"


def test_safe_filename_cuts_utf8_on_a_character_boundary() -> None:
    name = safe_filename("猫" * 100, set(), ".md", max_len=80)
    stem = name.removesuffix(".md")
    assert stem == "猫" * 26  # 3 bytes each: 78 bytes ≤ 80
    assert len(safe_filename("x" * 300, set(), ".md").encode()) == 80 + 3


def test_safe_filename_unique_case_insensitively_and_records_used() -> None:
    used: set[str] = {"index.html"}
    names = [safe_filename(t, used, ".html") for t in ("Index", "a", "A", "a", "x" * 200)]
    names.append(safe_filename("x" * 200, used, ".html"))
    assert names[:4] == ["Index (2).html", "a.html", "A (2).html", "a (3).html"]
    assert len({n.casefold() for n in names}) == len(names)
    assert names[-1].endswith(" (2).html") and len(names[-1].encode()) <= 80 + 5
    assert used >= set(names)


# --- a real store ---------------------------------------------------------------------------


def article_doc(url: str, marker: str) -> Document:
    return Document(
        url=url,
        title=f"Page title {marker}",
        byline="Ann Author",
        site_name="Example Site",
        published=BASE,
        blocks=(
            Heading(2, (Inline(f"Section {marker}"),)),
            Paragraph(
                (
                    Inline(f"Body text {marker} with "),
                    Inline("a link", href="https://example.test/x?a=1&b=2"),
                    Inline(" and "),
                    Inline("a bad link", href="javascript:alert(1)"),
                    Inline(f" and {XSS} & more", strong=True),
                )
            ),
            ListBlock(False, (ListItem((Inline("item one"),)), ListItem((Inline("item two"),)))),
            Quote((Paragraph((Inline("quoted words"),)),)),
            Code("if a < b && c > d:\n    pass", "python"),
            Table(("h<1>", "h2"), (("c&1", "c2"),)),
            Image("https://example.test/img.png?x=1&y=2", alt='alt "text" <b>'),
            Image("data:image/png;base64,AAAA", alt="inline data"),
        ),
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "t.sqlite3")
    yield s
    s.close()


@pytest.fixture
def saved(store: Store) -> dict[str, int]:
    """Hostile-titled saved posts with documents, one saved with no document, one unsaved."""
    src = store.add_source("https://example.test/", "Example <Feed>", "feed")
    entries = [
        Entry(
            identity=f"id{i}",
            url=f"https://example.test/post/{i}",
            title=title,
            author="Feed Author",
            published=BASE + timedelta(hours=i),
            summary=f"<p>Summary {i}</p>",
        )
        for i, title in enumerate(HOSTILE_TITLES)
    ]
    entries.append(
        Entry(
            identity="nodoc",
            url="https://example.test/nodoc",
            title="Saved offline",
            published=BASE + timedelta(days=1),
            content="<p>Feed-only text about alpacas.</p>",
        )
    )
    entries.append(
        Entry(
            identity="unsaved",
            url="https://example.test/unsaved",
            title="Not saved at all",
            published=BASE + timedelta(days=2),
        )
    )
    store.upsert_posts(src.id, entries)
    ids: dict[str, int] = {}
    for entry in entries:
        post = store.post_by_url(entry.url)
        assert post is not None
        ids[entry.identity] = post.id
        if entry.identity == "unsaved":
            store.put_document(post.id, article_doc(entry.url, "UNSAVED"))
            continue
        store.set_saved(post.id)
        if entry.identity != "nodoc":
            store.put_document(post.id, article_doc(entry.url, entry.identity))
    return ids


def saved_count() -> int:
    return len(HOSTILE_TITLES) + 1


def all_inside(paths: list[Path], folder: Path) -> None:
    root = folder.resolve()
    for path in paths:
        assert path.resolve().parent == root
        assert path.is_file()


# --- formats --------------------------------------------------------------------------------


def test_markdown_export(store: Store, saved: dict[str, int], tmp_path: Path) -> None:
    out = tmp_path / "out" / "md"
    paths = export_saved(store, out, "markdown")
    assert len(paths) == saved_count()
    all_inside(paths, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)
    assert len({p.name.casefold() for p in paths}) == len(paths)
    for path in paths:
        assert_safe(path.name, ".md")
    # newest first: the feed-only post was published last of the saved ones
    assert paths[0].name == "Saved offline.md"
    nodoc = paths[0].read_text()
    assert "Feed-only text about alpacas." in nodoc
    assert "saved without its page" in nodoc
    text = "\n".join(p.read_text() for p in paths)
    assert "Body text id0 with" in text
    assert "- URL: <https://example.test/post/0>" in text
    assert "- Source: Example \\<Feed\\>" in text
    assert "- Author: Feed Author" in text
    assert "- Date: 1 Nov 2026" in text
    assert "UNSAVED" not in text and "Not saved at all" not in text
    assert "javascript:" not in text and "data:image" not in text
    assert "a bad link" in text and "![alt" in text
    assert "\x1b" not in text


def test_html_export_escapes_everything(store: Store, saved: dict[str, int], tmp_path: Path):
    out = tmp_path / "html"
    paths = export_saved(store, out, "html")
    assert len(paths) == saved_count() + 1
    all_inside(paths, out)
    assert paths[-1].name == "index.html"
    index = paths[-1].read_text()
    assert XSS not in index and "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    for path in paths:
        page = path.read_text()
        assert "<script" not in page and "javascript:" not in page and "data:image" not in page
        etree.fromstring(page.encode())  # well-formed, so nothing broke out of its element
    xss_page = next(p for p in paths if "script" in p.name).read_text()
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>" in xss_page
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in xss_page
    assert 'href="https://example.test/x?a=1&amp;b=2"' in xss_page
    assert 'src="https://example.test/img.png?x=1&amp;y=2"' in xss_page
    assert 'alt="alt &quot;text&quot; &lt;b&gt;"' in xss_page
    assert "a bad link" in xss_page and "[image: inline data]" in xss_page
    assert "Example &lt;Feed&gt;" in index and "1 Nov 2026" in index
    # every article is linked from the index by its (percent-encoded) file name
    tree = etree.fromstring(index.encode())
    hrefs = tree.xpath("//x:li/x:a/@href", namespaces={"x": "http://www.w3.org/1999/xhtml"})
    assert len(hrefs) == saved_count()
    from urllib.parse import unquote

    assert {unquote(h) for h in hrefs} == {p.name for p in paths[:-1]}


def test_json_export_round_trips(store: Store, saved: dict[str, int], tmp_path: Path) -> None:
    paths = export_saved(store, tmp_path / "json", "json")
    assert len(paths) == saved_count()
    by_url = {}
    for path in paths:
        data = json.loads(path.read_text())
        by_url[data["url"]] = data
        assert set(data) >= {"url", "title", "source", "saved_at", "published", "document"}
        assert data["saved_at"]
    post_id = saved["id0"]
    data = by_url["https://example.test/post/0"]
    assert Document.from_dict(data["document"]) == store.document(post_id)
    assert data["title"] == "../../etc/passwd" and data["source"] == "Example <Feed>"
    assert data["published"] == BASE.isoformat()
    nodoc = Document.from_dict(by_url["https://example.test/nodoc"]["document"])
    assert "alpacas" in " ".join(i.text for b in nodoc.blocks for i in getattr(b, "inlines", ()))
    assert "https://example.test/unsaved" not in by_url


def test_epub_export(store: Store, saved: dict[str, int], tmp_path: Path) -> None:
    out = tmp_path / "book"
    paths = export_saved(store, out, "epub")
    assert paths == [out.resolve() / EPUB_NAME]
    with zipfile.ZipFile(paths[0]) as book:
        assert book.testzip() is None
        first = book.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert first.extra == b""
        assert book.read("mimetype") == b"application/epub+zip"
        names = book.namelist()
        assert "META-INF/container.xml" in names and "OEBPS/nav.xhtml" in names
        trees = {
            n: etree.fromstring(book.read(n), etree.XMLParser(resolve_entities=False))
            for n in names
            if n.endswith((".xml", ".xhtml", ".opf"))
        }
        chapters = sorted(n for n in names if re.fullmatch(r"OEBPS/c\d+\.xhtml", n))
        assert len(chapters) == saved_count()
        opf = book.read("OEBPS/content.opf").decode()
        nav = book.read("OEBPS/nav.xhtml").decode()
        bodies = [book.read(n).decode() for n in chapters]
    ns = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
    package = trees["OEBPS/content.opf"]
    assert package.get("version") == "3.0"
    uid = package.get("unique-identifier")
    assert package.xpath(f"//dc:identifier[@id='{uid}']/text()", namespaces=ns)[0].startswith(
        "urn:uuid:"
    )
    assert package.xpath("//dc:title/text()", namespaces=ns) == ["termnews — saved articles"]
    assert package.xpath("//dc:language/text()", namespaces=ns)
    assert package.xpath("//opf:meta[@property='dcterms:modified']/text()", namespaces=ns)
    spine = package.xpath("//opf:spine/opf:itemref/@idref", namespaces=ns)
    assert len(spine) == saved_count() + 1
    assert all(f"OEBPS/{h}" in names for h in package.xpath("//opf:item/@href", namespaces=ns))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in nav and XSS not in nav
    assert "Feed-only text about alpacas." in bodies[0]
    for marker, body in zip(
        [f"id{i}" for i in reversed(range(len(HOSTILE_TITLES)))], bodies[1:], strict=True
    ):
        assert f"Body text {marker} with" in body
        assert "<img" not in body and "javascript:" not in body and XSS not in body
    assert "UNSAVED" not in opf + nav + "".join(bodies)
    assert "xml" in opf


def test_epub_passes_zipfile_module_test(store: Store, saved: dict[str, int], tmp_path: Path):
    import subprocess
    import sys

    (path,) = export_saved(store, tmp_path, "epub")
    result = subprocess.run(
        [sys.executable, "-m", "zipfile", "-t", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


# --- folders --------------------------------------------------------------------------------


def test_refuses_a_file_as_the_folder(store: Store, saved: dict[str, int], tmp_path: Path):
    target = tmp_path / "a-file"
    target.write_text("keep me")
    with pytest.raises(ExportError) as info:
        export_saved(store, target, "markdown")
    assert isinstance(info.value, TermnewsError)
    assert "\n" not in str(info.value) and "not a folder" in str(info.value)
    assert target.read_text() == "keep me"


def test_nothing_saved_writes_nothing(store: Store, tmp_path: Path) -> None:
    assert export_saved(store, tmp_path / "empty", "epub") == []
    assert (tmp_path / "empty").is_dir()


def test_re_export_replaces_files_and_never_follows_symlinks(
    store: Store, saved: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "again"
    first = export_saved(store, out, "markdown")
    assert export_saved(store, out, "markdown") == first
    assert len(list(out.iterdir())) == len(first)
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched")
    first[0].unlink()
    first[0].symlink_to(victim)
    with pytest.raises(ExportError):
        export_saved(store, out, "markdown")
    assert victim.read_text() == "untouched"


def test_unknown_format_is_an_export_error(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ExportError):
        export_saved(store, tmp_path, "pdf")  # type: ignore[arg-type]
