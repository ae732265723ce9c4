"""Document → plain text and Markdown, plus the meta line both renderers share.

Used by ``termnews read`` (``--format text|markdown``) and by the Rich renderer
in ``termnews.formats.terminal``. Web text is escaped for Markdown; links are numbered to
match ``Document.links()``. Pure functions, no I/O.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable

from termnews.dates import long_date
from termnews.document import (
    Block,
    Caption,
    Code,
    Document,
    Heading,
    Image,
    Inline,
    ListBlock,
    Paragraph,
    Quote,
    Rule,
    Table,
)

WORDS_PER_MINUTE = 230


def reading_minutes(doc: Document) -> int:
    """Minutes to read the document at an ordinary pace (at least 1)."""
    return max(1, round(doc.word_count() / WORDS_PER_MINUTE))


def meta_line(doc: Document) -> str:
    """``site · byline · date · N min read``, skipping what is unknown."""
    parts = [doc.site_name, doc.byline, long_date(doc.published)]
    parts.append(f"{reading_minutes(doc)} min read")
    return " · ".join(p for p in parts if p)


def document_to_text(doc: Document, *, width: int | None = None, links: bool = True) -> str:
    """Plain text: title, meta line, then the blocks with a blank line between them.

    With ``width`` (a terminal), text blocks are wrapped to it, keeping list and
    quote indents; without it (a pipe), each paragraph is one line. ``links``
    adds link numbers in the text and the numbered link list at the end.
    """
    numbers = {href: n for n, href in enumerate(doc.links(), 1)} if links else {}
    lines: list[str] = []
    if doc.note:
        lines.append(doc.note)
    if doc.title:
        lines.append(doc.title)
    lines.append(meta_line(doc))
    for block in doc.blocks:
        lines.append("")
        block_lines = _block_text(block, numbers, prefix="")
        if width and not isinstance(block, Code | Table):
            block_lines = [wrapped for line in block_lines for wrapped in _wrap(line, width)]
        lines.extend(block_lines)
    if numbers:
        lines.append("")
        lines.append("Links:")
        lines.extend(f"[{n}] {href}" for href, n in numbers.items())
    return "\n".join(lines) + "\n"


_LINE_PREFIX = re.compile(r"^((?:> )*)( *(?:- |\d+\. )?)")


def _wrap(line: str, width: int) -> list[str]:
    """``line`` wrapped to ``width``, continuation lines indented under its text."""
    match = _LINE_PREFIX.match(line)
    quote, marker = (match.group(1), match.group(2)) if match else ("", "")
    body = line[len(quote) + len(marker) :]
    wrapped = textwrap.wrap(
        body, max(10, width - len(quote) - len(marker)), break_on_hyphens=False
    ) or [""]
    first = quote + marker + wrapped[0]
    return [first, *(quote + " " * len(marker) + rest for rest in wrapped[1:])]


def _plain_inlines(inlines: Iterable[Inline], numbers: dict[str, int]) -> str:
    out = []
    for run in inlines:
        out.append(run.text)
        if run.href and run.href in numbers:
            out.append(f"[{numbers[run.href]}]")
    return "".join(out).replace("\n", " ")


def _block_text(block: Block, numbers: dict[str, int], prefix: str) -> list[str]:
    if isinstance(block, Paragraph | Heading | Caption):
        return [prefix + _plain_inlines(block.inlines, numbers)]
    if isinstance(block, ListBlock):
        return _list_text(block, numbers, prefix)
    if isinstance(block, Quote):
        return [line for b in block.blocks for line in _block_text(b, numbers, prefix + "> ")]
    if isinstance(block, Code):
        return [prefix + line for line in block.text.split("\n")]
    if isinstance(block, Table):
        return [prefix + "\t".join(row) for row in (block.header, *block.rows) if row]
    if isinstance(block, Image):
        return [f"{prefix}[image: {block.alt or 'no description'}]"]
    if isinstance(block, Rule):
        return [prefix + "-" * 3]
    return []


def _list_text(block: ListBlock, numbers: dict[str, int], prefix: str) -> list[str]:
    lines = []
    for index, item in enumerate(block.items):
        marker = f"{block.start + index}. " if block.ordered else "- "
        lines.append(prefix + marker + _plain_inlines(item.inlines, numbers))
        for child in item.children:
            lines.extend(_list_text(child, numbers, prefix + "   "))
    return lines


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|~"})


def md_escape(text: str) -> str:
    """Text safe to put in Markdown: every character with meaning is backslash-escaped."""
    return text.translate(_MD_SPECIAL)


def document_to_markdown(doc: Document) -> str:
    """The document as CommonMark (GFM tables), with web text escaped."""
    lines: list[str] = []
    if doc.note:
        lines += [f"> {md_escape(doc.note)}", ""]
    if doc.title:
        lines += [f"# {md_escape(doc.title)}", ""]
    lines += [f"*{md_escape(meta_line(doc))}*", ""]
    for block in doc.blocks:
        lines += _block_md(block)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def md_code_span(text: str) -> str:
    """``text`` as a CommonMark code span that nothing inside it can close.

    The fence is one backtick longer than the longest run of backticks in the
    text, and padded with a space where the text starts or ends with one, so
    markup in the code (``<img onerror=…>``) stays literal text.
    """
    text = text.replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ")):
        text = f" {text} "
    return f"{fence}{text}{fence}"


def _md_inlines(inlines: Iterable[Inline]) -> str:
    out = []
    for run in inlines:
        if run.code:
            piece = md_code_span(run.text)
        else:
            piece = md_escape(run.text).replace("\n", "  \n")
            core = piece.strip()
            if core and run.strong:
                piece = piece.replace(core, f"**{core}**", 1)
            if core and run.emphasis:
                piece = piece.replace(core, f"*{core}*", 1) if not run.strong else piece
        if run.href:
            piece = f"[{piece}](<{run.href.replace('>', '%3E').replace(' ', '%20')}>)"
        out.append(piece)
    return "".join(out)


def _block_md(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [_md_inlines(block.inlines)]
    if isinstance(block, Heading):
        return ["#" * min(6, max(1, block.level)) + " " + _md_inlines(block.inlines)]
    if isinstance(block, Caption):
        return [f"*{md_escape(''.join(i.text for i in block.inlines))}*"]
    if isinstance(block, ListBlock):
        return _list_md(block, indent="")
    if isinstance(block, Quote):
        inner = [line for b in block.blocks for line in [*_block_md(b), ""]][:-1]
        return [f"> {line}" if line else ">" for line in inner]
    if isinstance(block, Code):
        fence = "```"
        while fence in block.text:
            fence += "`"
        return [fence + (block.language or ""), block.text, fence]
    if isinstance(block, Table):
        return _table_md(block)
    if isinstance(block, Image):
        return [f"![{md_escape(block.alt)}](<{block.src.replace('>', '%3E')}>)"]
    if isinstance(block, Rule):
        return ["---"]
    return []


def _list_md(block: ListBlock, indent: str) -> list[str]:
    lines = []
    for index, item in enumerate(block.items):
        marker = f"{block.start + index}. " if block.ordered else "- "
        lines.append(indent + marker + _md_inlines(item.inlines))
        for child in item.children:
            lines.extend(_list_md(child, indent + " " * len(marker)))
    return lines


def _table_md(block: Table) -> list[str]:
    columns = max([len(block.header), *(len(r) for r in block.rows)], default=0)
    if not columns:
        return []

    def row(cells: tuple[str, ...]) -> str:
        padded = [md_escape(c) for c in cells] + [""] * (columns - len(cells))
        return "| " + " | ".join(padded[:columns]) + " |"

    header = block.header if block.header else tuple("" for _ in range(columns))
    return [row(header), "|" + "---|" * columns, *(row(r) for r in block.rows)]
