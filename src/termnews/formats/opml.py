"""OPML import and export: outlines with feed URLs, folders as tags and back.

Parsing never resolves entities, loads DTDs or touches the network, so a
hostile OPML file cannot expand into gigabytes or read local files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import quoteattr

from termnews.errors import UsageError
from termnews.models import Source
from termnews.text import clean_line


class OPMLError(UsageError):
    """The file is not readable OPML; the message is one line."""


@dataclass(frozen=True, slots=True)
class OutlineFeed:
    """One feed outline: its URL, title and the folder names above it."""

    url: str
    title: str
    tags: tuple[str, ...]
    site_url: str | None = None
    is_page: bool = False  # a feedless site (termnews exports those as type="link")


def parse_opml(data: bytes) -> list[OutlineFeed]:
    """Every outline with an ``xmlUrl`` (nested folders become tags), in file order."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        recover=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise OPMLError(f"not valid OPML: {exc.msg}") from None
    if root is None or root.tag != "opml":
        raise OPMLError("not an OPML file (no <opml> root element)")
    body = root.find("body")
    if body is None:
        raise OPMLError("not an OPML file (no <body>)")
    feeds: list[OutlineFeed] = []
    seen: set[str] = set()

    def walk(element: etree._Element, folders: tuple[str, ...]) -> None:
        for outline in element.iterfind("outline"):
            title = clean_line(outline.get("title") or outline.get("text"))
            url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
            if url:
                if url not in seen:
                    seen.add(url)
                    is_page = (outline.get("type") or "").lower() == "link"
                    feeds.append(OutlineFeed(url, title, folders, outline.get("htmlUrl"), is_page))
            else:
                walk(outline, (*folders, title) if title else folders)

    walk(body, ())
    return feeds


def export_opml(sources: list[Source], title: str = "termnews subscriptions") -> str:
    """An OPML 2.0 document of the sources; their tags become nested folders.

    Feedless sites are written as ``type="link"`` outlines so an import brings
    them back as sites.
    """
    root = _Folder()
    for source in sources:
        folder = root
        for tag in source.tags:
            folder = folder.children.setdefault(tag, _Folder())
        folder.sources.append(source)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{_esc(title)}</title></head>",
        "  <body>",
        *_folder_lines(root, "    "),
        "  </body>",
        "</opml>",
        "",
    ]
    return "\n".join(lines)


@dataclass
class _Folder:
    sources: list[Source] = field(default_factory=list)
    children: dict[str, _Folder] = field(default_factory=dict)


def _folder_lines(folder: _Folder, indent: str) -> list[str]:
    lines = []
    for s in folder.sources:
        kind = "rss" if s.feed_url else "link"
        lines.append(
            f"{indent}<outline type={quoteattr(kind)} text={quoteattr(s.title)}"
            f" title={quoteattr(s.title)} xmlUrl={quoteattr(s.fetch_url)}"
            f" htmlUrl={quoteattr(s.url)}/>"
        )
    for name, child in folder.children.items():
        lines.append(f"{indent}<outline text={quoteattr(name)} title={quoteattr(name)}>")
        lines.extend(_folder_lines(child, indent + "  "))
        lines.append(f"{indent}</outline>")
    return lines


def _esc(text: str) -> str:
    return quoteattr(text)[1:-1]
