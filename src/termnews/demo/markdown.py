"""A tiny Markdown reader for the bundled demo articles (no network, no dependency).

Only the subset the demo articles use: front matter, headings, paragraphs,
flat lists, block quotes, fenced code, rules, and **strong**, *emphasis*,
`code` and [links](https://…) inline.
"""

from __future__ import annotations

import re
from datetime import datetime

from termnews.document import (
    Block,
    Code,
    Document,
    Heading,
    Inline,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Rule,
)

_INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)")
_ORDERED = re.compile(r"^(\d+)\.\s+")


def parse_inlines(text: str) -> tuple[Inline, ...]:
    """Inline runs of one paragraph of the subset."""
    runs: list[Inline] = []
    pos = 0
    for match in _INLINE.finditer(text):
        if match.start() > pos:
            runs.append(Inline(text[pos : match.start()]))
        strong, em, code, label, href = match.groups()
        if strong is not None:
            runs.append(Inline(strong, strong=True))
        elif em is not None:
            runs.append(Inline(em, emphasis=True))
        elif code is not None:
            runs.append(Inline(code, code=True))
        else:
            runs.append(Inline(label, href=href))
        pos = match.end()
    if pos < len(text):
        runs.append(Inline(text[pos:]))
    return tuple(runs)


def parse_blocks(lines: list[str]) -> tuple[Block, ...]:
    """Blocks of a Markdown body (the subset)."""
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if not stripped:
            i += 1
        elif stripped.startswith("```"):
            language = stripped[3:].strip() or None
            end = i + 1
            while end < len(lines) and not lines[end].strip().startswith("```"):
                end += 1
            blocks.append(Code("\n".join(lines[i + 1 : end]), language))
            i = end + 1
        elif stripped.startswith("#"):
            level = len(stripped) - len(stripped.lstrip("#"))
            blocks.append(Heading(min(level, 6), parse_inlines(stripped[level:].strip())))
            i += 1
        elif stripped == "---":
            blocks.append(Rule())
            i += 1
        elif stripped.startswith(">"):
            quoted: list[str] = []
            while i < len(lines) and lines[i].strip().startswith(">"):
                quoted.append(lines[i].strip()[1:].lstrip())
                i += 1
            blocks.append(Quote(parse_blocks(quoted)))
        elif stripped.startswith(("- ", "* ")) or _ORDERED.match(stripped):
            ordered = bool(_ORDERED.match(stripped))
            start = int(_ORDERED.match(stripped).group(1)) if ordered else 1  # type: ignore[union-attr]
            items: list[ListItem] = []
            while i < len(lines) and lines[i].strip():
                item = lines[i].strip()
                if ordered and _ORDERED.match(item):
                    items.append(ListItem(parse_inlines(_ORDERED.sub("", item, count=1))))
                elif not ordered and item.startswith(("- ", "* ")):
                    items.append(ListItem(parse_inlines(item[2:])))
                elif items:  # a continuation line of the previous item
                    last = items[-1]
                    items[-1] = ListItem(last.inlines + parse_inlines(" " + item))
                i += 1
            blocks.append(ListBlock(ordered, tuple(items), start))
        else:
            para: list[str] = []
            while i < len(lines) and lines[i].strip() and not _starts_block(lines[i].strip()):
                para.append(lines[i].strip())
                i += 1
            blocks.append(Paragraph(parse_inlines(" ".join(para))))
    return tuple(blocks)


def _starts_block(line: str) -> bool:
    return line.startswith(("#", ">", "```", "- ", "* ")) or bool(_ORDERED.match(line))


def parse_article(text: str, url: str) -> tuple[dict[str, str], Document]:
    """Front matter (``key: value`` lines up to ``+++``) and the document."""
    head, _, body = text.partition("\n+++\n")
    meta = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip()
    published = datetime.fromisoformat(meta["published"]) if meta.get("published") else None
    document = Document(
        url=url,
        title=meta.get("title", ""),
        byline=meta.get("author", ""),
        published=published,
        site_name=meta.get("source", ""),
        blocks=parse_blocks(body.splitlines()),
    )
    return meta, document
