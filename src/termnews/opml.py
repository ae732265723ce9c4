"""OPML import and export: outlines with feed URLs, folders as tags and back.

Parsing never resolves entities, loads DTDs or touches the network, so a
hostile OPML file cannot expand into gigabytes or read local files.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from termnews.errors import TermnewsError
from termnews.models import Source
from termnews.text import clean_line


class OPMLError(TermnewsError):
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
    """An OPML 2.0 document of the sources; the first tag of each becomes its folder."""
    folders: dict[str, list[Source]] = {}
    for source in sources:
        folders.setdefault(source.tags[0] if source.tags else "", []).append(source)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{_esc(title)}</title></head>",
        "  <body>",
    ]
    for folder, members in folders.items():
        indent = "    "
        if folder:
            lines.append(f"    <outline text={quoteattr(folder)} title={quoteattr(folder)}>")
            indent = "      "
        for s in members:
            kind = "rss" if s.feed_url else "link"
            lines.append(
                f"{indent}<outline type={quoteattr(kind)} text={quoteattr(s.title)}"
                f" title={quoteattr(s.title)} xmlUrl={quoteattr(s.fetch_url)}"
                f" htmlUrl={quoteattr(s.url)}/>"
            )
        if folder:
            lines.append("    </outline>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _esc(text: str) -> str:
    return quoteattr(text)[1:-1]
