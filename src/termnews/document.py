"""Readable documents: the article of a page as metadata and typed blocks with inline runs.

Produced by the extractor, stored as JSON by the store, drawn by the renderers.
Kept apart from ``models`` so start-up (which only needs sources and posts)
does not pay for creating these classes. No I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Inline:
    """A run of text with its inline style; ``href`` is an absolute link target."""

    text: str
    emphasis: bool = False
    strong: bool = False
    code: bool = False
    href: str | None = None


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    inlines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Paragraph:
    inlines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class ListItem:
    """One list item: its own text, then any nested lists."""

    inlines: tuple[Inline, ...]
    children: tuple[ListBlock, ...] = ()


@dataclass(frozen=True, slots=True)
class ListBlock:
    ordered: bool
    items: tuple[ListItem, ...]
    start: int = 1


@dataclass(frozen=True, slots=True)
class Quote:
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Code:
    """Preformatted text, shown verbatim."""

    text: str
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Image:
    src: str
    alt: str = ""


@dataclass(frozen=True, slots=True)
class Caption:
    inlines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    pass


Block = Heading | Paragraph | ListBlock | Quote | Code | Table | Image | Caption | Rule


@dataclass(frozen=True, slots=True)
class Document:
    """The readable article of one page: metadata and a list of blocks.

    ``note`` says, in one line, why the document is not the extracted page
    (for example "Page could not be fetched: HTTP 404; showing the feed's summary").
    """

    url: str
    title: str = ""
    byline: str = ""
    published: datetime | None = None
    site_name: str = ""
    lead_image: str | None = None
    blocks: tuple[Block, ...] = ()
    note: str | None = None

    def links(self) -> list[str]:
        """Unique link targets in reading order; link ``n`` is ``links()[n - 1]``."""
        seen: dict[str, None] = {}
        for inline in iter_inlines(self.blocks):
            if inline.href and inline.href not in seen:
                seen[inline.href] = None
        return list(seen)

    def word_count(self) -> int:
        return sum(len(text.split()) for text in iter_texts(self.blocks))

    def with_note(self, note: str | None) -> Document:
        return replace(self, note=note)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; ``from_dict`` reverses it exactly."""
        return {
            "url": self.url,
            "title": self.title,
            "byline": self.byline,
            "published": self.published.isoformat() if self.published else None,
            "site_name": self.site_name,
            "lead_image": self.lead_image,
            "note": self.note,
            "blocks": [_block_to_dict(b) for b in self.blocks],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        published = data.get("published")
        return cls(
            url=data.get("url", ""),
            title=data.get("title", ""),
            byline=data.get("byline", ""),
            published=datetime.fromisoformat(published) if published else None,
            site_name=data.get("site_name", ""),
            lead_image=data.get("lead_image"),
            note=data.get("note"),
            blocks=tuple(_block_from_dict(b) for b in data.get("blocks", ())),
        )


def iter_inlines(blocks: tuple[Block, ...] | list[Block]) -> Any:
    """Yield every inline run of the blocks, depth first, in reading order."""
    for block in blocks:
        if isinstance(block, Heading | Paragraph | Caption):
            yield from block.inlines
        elif isinstance(block, ListBlock):
            yield from _iter_list_inlines(block)
        elif isinstance(block, Quote):
            yield from iter_inlines(block.blocks)


def _iter_list_inlines(block: ListBlock) -> Any:
    for item in block.items:
        yield from item.inlines
        for child in item.children:
            yield from _iter_list_inlines(child)


def iter_texts(blocks: tuple[Block, ...] | list[Block]) -> Any:
    """Yield the text of every block (inline runs, code, table cells)."""
    for block in blocks:
        if isinstance(block, Code):
            yield block.text
        elif isinstance(block, Table):
            yield " ".join(block.header)
            for row in block.rows:
                yield " ".join(row)
        elif isinstance(block, Quote):
            yield from iter_texts(block.blocks)
        elif isinstance(block, Heading | Paragraph | Caption | ListBlock):
            yield from (i.text for i in iter_inlines([block]))


# --- (de)serialisation of blocks ---------------------------------------------------


def _inlines_to_list(inlines: tuple[Inline, ...]) -> list[dict[str, Any]]:
    out = []
    for i in inlines:
        d: dict[str, Any] = {"t": i.text}
        if i.emphasis:
            d["em"] = True
        if i.strong:
            d["b"] = True
        if i.code:
            d["code"] = True
        if i.href:
            d["href"] = i.href
        out.append(d)
    return out


def _inlines_from_list(items: list[dict[str, Any]]) -> tuple[Inline, ...]:
    return tuple(
        Inline(
            text=d.get("t", ""),
            emphasis=bool(d.get("em")),
            strong=bool(d.get("b")),
            code=bool(d.get("code")),
            href=d.get("href"),
        )
        for d in items
    )


def _list_to_dict(block: ListBlock) -> dict[str, Any]:
    return {
        "type": "list",
        "ordered": block.ordered,
        "start": block.start,
        "items": [
            {
                "inlines": _inlines_to_list(item.inlines),
                "children": [_list_to_dict(c) for c in item.children],
            }
            for item in block.items
        ],
    }


def _list_from_dict(d: dict[str, Any]) -> ListBlock:
    return ListBlock(
        ordered=bool(d.get("ordered")),
        start=int(d.get("start", 1)),
        items=tuple(
            ListItem(
                inlines=_inlines_from_list(item.get("inlines", [])),
                children=tuple(_list_from_dict(c) for c in item.get("children", [])),
            )
            for item in d.get("items", [])
        ),
    )


def _block_to_dict(block: Block) -> dict[str, Any]:
    match block:
        case Heading(level, inlines):
            return {"type": "heading", "level": level, "inlines": _inlines_to_list(inlines)}
        case Paragraph(inlines):
            return {"type": "paragraph", "inlines": _inlines_to_list(inlines)}
        case Caption(inlines):
            return {"type": "caption", "inlines": _inlines_to_list(inlines)}
        case ListBlock():
            return _list_to_dict(block)
        case Quote(blocks):
            return {"type": "quote", "blocks": [_block_to_dict(b) for b in blocks]}
        case Code(text, language):
            return {"type": "code", "text": text, "language": language}
        case Table(header, rows):
            return {"type": "table", "header": list(header), "rows": [list(r) for r in rows]}
        case Image(src, alt):
            return {"type": "image", "src": src, "alt": alt}
        case Rule():
            return {"type": "rule"}
    raise TypeError(f"not a block: {block!r}")


def _block_from_dict(d: dict[str, Any]) -> Block:
    kind = d.get("type")
    if kind == "heading":
        return Heading(int(d.get("level", 2)), _inlines_from_list(d.get("inlines", [])))
    if kind == "paragraph":
        return Paragraph(_inlines_from_list(d.get("inlines", [])))
    if kind == "caption":
        return Caption(_inlines_from_list(d.get("inlines", [])))
    if kind == "list":
        return _list_from_dict(d)
    if kind == "quote":
        return Quote(tuple(_block_from_dict(b) for b in d.get("blocks", [])))
    if kind == "code":
        return Code(d.get("text", ""), d.get("language"))
    if kind == "table":
        return Table(tuple(d.get("header", [])), tuple(tuple(r) for r in d.get("rows", [])))
    if kind == "image":
        return Image(d.get("src", ""), d.get("alt", ""))
    if kind == "rule":
        return Rule()
    raise ValueError(f"unknown block type: {kind!r}")


__all__ = [
    "Block",
    "Caption",
    "Code",
    "Document",
    "Heading",
    "Image",
    "Inline",
    "ListBlock",
    "ListItem",
    "Paragraph",
    "Quote",
    "Rule",
    "Table",
    "iter_inlines",
    "iter_texts",
]
