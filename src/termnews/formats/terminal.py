"""Document → Rich renderables for the article pane (text and Markdown re-exported).

Web text is data: every string goes into Rich ``Text`` objects through
``Text(...)``/``append``, never through console markup, so a title such as
``[bold]x[/bold]`` shows literally. Links are shown as their text plus a number
(``[1]``) matching ``Document.links()``, listed at the end. Pure functions, no
I/O, and no Textual import: the CLI prints these too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.constrain import Constrain
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule as RichRule
from rich.style import Style
from rich.table import Table as RichTable
from rich.text import Text

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
from termnews.formats.plain import meta_line

_HEADING_STYLES = {
    1: Style(bold=True, underline=True),
    2: Style(bold=True),
    3: Style(bold=True, italic=True),
}
_H_MINOR = Style(bold=True, dim=True)
_TITLE = Style(bold=True)
_META = Style(dim=True)
_NOTE = Style(italic=True, color="yellow")
_LINK_NUMBER = Style(dim=True)
_CAPTION = Style(italic=True, dim=True)
_IMAGE = Style(dim=True, italic=True)
_QUOTE_BAR = Style(dim=True)
_CODE_BLOCK = Style(dim=True)
_MARK = Style(reverse=True, bold=True)  # a searched word: readable in every theme


# --- Rich ------------------------------------------------------------------------------


def render_document(doc: Document, width: int = 80) -> RenderableType:
    """The article pane's content: note, title, meta line, rule, blocks, link list.

    ``width`` is the readable measure: lines wrap at it even in a wider pane.
    """
    return Constrain(Group(*document_parts(doc)), width=max(20, width))


def document_parts(doc: Document, marks: Sequence[str] = ()) -> Iterator[RenderableType]:
    """``render_document``'s renderables one at a time, top to bottom.

    The reader lays out only as many as fill its first screen before painting,
    and the rest after, so a 10,000-word story opens as fast as a short one.
    ``marks`` are searched words: text words starting with one are highlighted.
    """
    sections = DocumentSections(doc, marks)
    for index in range(len(sections)):
        yield from sections.parts(index)


class DocumentSections:
    """``document_parts`` cut into sections: the header, each block, the link list.

    A section's renderables are made only when asked for, so the reader can start
    laying out in the middle of a long story (a saved reading place) without
    building what comes before it. Section 0 is the header, ``1..len(blocks)`` the
    blocks (each followed by its blank line), the last one the link list.
    """

    def __init__(self, doc: Document, marks: Sequence[str] = ()) -> None:
        self.doc = doc
        self._numbers = {href: n for n, href in enumerate(doc.links(), 1)}
        self._mark = _mark_pattern(marks)

    def __len__(self) -> int:
        return len(self.doc.blocks) + 2

    def parts(self, index: int) -> list[RenderableType]:
        """The renderables of section ``index``, top to bottom."""
        doc = self.doc
        if index == 0:
            head: list[RenderableType] = []
            if doc.note:
                head.append(Text(doc.note, style=_NOTE))  # wrapped: the reason is the useful part
            if doc.title:
                head.append(Text(doc.title, style=_TITLE))
            return [*head, Text(meta_line(doc), style=_META), RichRule(style=_META)]
        if index <= len(doc.blocks):
            return [_render_block(doc.blocks[index - 1], self._numbers, self._mark), Text()]
        return [_render_links(self._numbers)] if self._numbers else []


def _mark_pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    """Words that start with a searched word (FTS5 matches prefixes), any case."""
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE) if alternatives else None


def _render_block(
    block: Block, numbers: dict[str, int], mark: re.Pattern[str] | None = None
) -> RenderableType:
    if isinstance(block, Paragraph):
        return inline_text(block.inlines, numbers, mark=mark)
    if isinstance(block, Heading):
        style = _HEADING_STYLES.get(block.level, _H_MINOR)
        return inline_text(block.inlines, numbers, base=style, mark=mark)
    if isinstance(block, ListBlock):
        return _render_list(block, numbers, depth=0, mark=mark)
    if isinstance(block, Quote):
        inner = Group(*_spaced(_render_block(b, numbers, mark) for b in block.blocks))
        return _QuoteBar(inner)
    if isinstance(block, Code):
        body = Text(block.text, style=_CODE_BLOCK, no_wrap=True, overflow="fold")
        return Panel(body, box=box.SQUARE, border_style=_META, expand=False)
    if isinstance(block, Table):
        return _render_table(block)
    if isinstance(block, Image):
        return Text(f"[image: {block.alt or 'no description'}]", style=_IMAGE)
    if isinstance(block, Caption):
        return inline_text(block.inlines, numbers, base=_CAPTION, mark=mark)
    if isinstance(block, Rule):
        return RichRule(style=_META)
    return Text()


def inline_text(
    inlines: Iterable[Inline],
    numbers: dict[str, int],
    base: Style | None = None,
    mark: re.Pattern[str] | None = None,
) -> Text:
    """Rich Text of inline runs, each link followed by its number, e.g. ``word[3]``."""
    text = Text(style=base or "")
    for run in inlines:
        style = Style(
            italic=run.emphasis or None,
            bold=run.strong or None,
            color="cyan" if run.code else None,
            underline=bool(run.href) or None,
        )
        text.append(run.text, style=style)
        if run.href and run.href in numbers:
            text.append(f"[{numbers[run.href]}]", style=_LINK_NUMBER)
    if mark is not None:
        text.highlight_regex(mark, style=_MARK)
    return text


def _render_list(
    block: ListBlock, numbers: dict[str, int], depth: int, mark: re.Pattern[str] | None = None
) -> RenderableType:
    rows: list[RenderableType] = []
    for index, item in enumerate(block.items):
        marker = f"{block.start + index}. " if block.ordered else ("•", "◦", "▪")[depth % 3] + " "
        line = Text()
        line.append(marker, style=_META)  # only the marker is dim, not the item's words
        line.append_text(inline_text(item.inlines, numbers, mark=mark))
        rows.append(_Hanging(line, len(marker)))
        for child in item.children:
            rows.append(Padding(_render_list(child, numbers, depth + 1, mark), (0, 0, 0, 3)))
    return Group(*rows)


def _render_table(block: Table) -> RenderableType:
    columns = max([len(block.header), *(len(r) for r in block.rows)], default=0)
    table = RichTable(box=box.SIMPLE_HEAD, show_header=bool(block.header), expand=False)
    header = list(block.header) + [""] * (columns - len(block.header))
    for name in header:
        table.add_column(Text(name, style="bold"), overflow="fold")
    for row in block.rows:
        cells = list(row) + [""] * (columns - len(row))
        table.add_row(*(Text(c) for c in cells[:columns]))
    return table


def _render_links(numbers: dict[str, int]) -> RenderableType:
    lines = [Text("Links", style=Style(bold=True))]
    for href, n in numbers.items():
        line = Text(f"[{n}] ", style=_LINK_NUMBER)
        line.append(href, style=Style(dim=True))
        lines.append(line)
    return Group(*lines)


def _spaced(renderables: Iterable[RenderableType]) -> list[RenderableType]:
    out: list[RenderableType] = []
    for r in renderables:
        if out:
            out.append(Text())
        out.append(r)
    return out


class _QuoteBar:
    """A block quote: its content indented behind a dim vertical bar."""

    def __init__(self, inner: RenderableType) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        inner_options = options.update_width(max(1, options.max_width - 2))
        lines = console.render_lines(self.inner, inner_options, pad=False)
        bar = Segment("▌ ", _QUOTE_BAR)
        for line in lines:
            yield bar
            yield from line
            yield Segment.line()


class _Hanging:
    """A list item whose wrapped lines align under its text, not under the bullet."""

    def __init__(self, text: Text, indent: int) -> None:
        self.text = text
        self.indent = indent

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.segment import Segment

        width = max(1, options.max_width - self.indent)
        marker, body = self.text[: self.indent], self.text[self.indent :]
        lines = console.render_lines(body, options.update_width(width), pad=False)
        pad = Segment(" " * self.indent)
        for n, line in enumerate(lines):
            if n == 0:
                yield from marker.render(console)
            else:
                yield pad
            yield from line
            yield Segment.line()


__all__ = ["DocumentSections", "document_parts", "render_document"]
