"""An article laid out section by section at one width, outwards from any section.

A reading place is how far into the text the top of the view is (0.0–1.0), by
sizes estimated from the text alone: it is found without laying anything out,
and it survives a different width. Reopening a long story at a place lays out
the sections around it first; the rest follows, below it and then above it,
while the reader already reads. Rich only: no Textual here.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from rich.console import Console, ConsoleOptions
from rich.segment import Segment

from termnews.document import (
    Block,
    Caption,
    Code,
    Document,
    Heading,
    ListBlock,
    Paragraph,
    Quote,
    Table,
    iter_texts,
)
from termnews.formats.terminal import DocumentSections

Line = list[Segment]


NOMINAL_WIDTH = 72  # columns a nominal line holds: sizes are lines at no width in particular


def _lines(text: str) -> int:
    return sum(1 + len(line) // NOMINAL_WIDTH for line in text.split("\n"))


def _block_size(block: Block) -> int:
    """About how many lines a block takes at a reading width, its blank line included.

    Lines rather than characters: an old saved position (a share of the height)
    then finds nearly the same text, and the percentage before the layout is
    complete is nearly the final one.
    """
    if isinstance(block, Paragraph | Heading | Caption):  # most blocks: kept quick
        return 2 + sum(len(run.text) for run in block.inlines) // NOMINAL_WIDTH
    if isinstance(block, ListBlock | Table):
        return 1 + sum(_lines(text) for text in iter_texts([block]))
    if isinstance(block, Quote):
        return sum(_block_size(inner) for inner in block.blocks)
    if isinstance(block, Code):
        return 3 + _lines(block.text)
    return 1 + _lines("".join(iter_texts([block])))


def section_sizes(doc: Document) -> list[int]:
    """Each section's size in nominal lines (at least 1), in ``DocumentSections`` order."""
    head = 3 + _lines(doc.title) + (_lines(doc.note) if doc.note else 0)
    links = doc.links()
    return [head, *(_block_size(block) for block in doc.blocks), 2 + len(links) if links else 1]


class Layout:
    """The laid-out run of sections (``lo`` to ``hi``) and their lines, top to bottom.

    Sections laid out once keep their lines, so starting again elsewhere (``g``,
    ``G`` before the layout is complete) reuses them.
    """

    def __init__(self, sections: DocumentSections, console: Console, options: ConsoleOptions):
        self.sections = sections
        self.console = console
        self.options = options
        self.sizes = section_sizes(sections.doc)
        self.starts = list(accumulate(self.sizes, initial=0))  # characters before each section
        self.count = len(self.sizes)
        self._cache: list[list[Line] | None] = [None] * self.count
        self.lines: list[Line] = []  # the run's lines; the pane shows this very list
        self.lo = self.hi = 0

    @property
    def complete(self) -> bool:
        """Every section is laid out and in the run: the height is the article's."""
        return self.lo == 0 and self.hi == self.count

    def _section(self, index: int) -> list[Line]:
        lines = self._cache[index]
        if lines is None:
            lines = []
            for part in self.sections.parts(index):
                lines.extend(self.console.render_lines(part, self.options, pad=False))
            self._cache[index] = lines
        return lines

    def start_at(self, place: float) -> int:
        """Make the run the one section holding ``place``; the line it starts on, in the run."""
        target = max(0.0, min(1.0, place)) * self.starts[-1]
        index = max(0, min(self.count - 1, bisect_right(self.starts, target) - 1))
        lines = self._section(index)
        self.lo, self.hi = index, index + 1
        self.lines[:] = lines
        within = (target - self.starts[index]) / self.sizes[index]
        return min(len(lines), round(within * len(lines)))

    def down(self, lines: int | None = None, sections: int | None = None) -> int:
        """Add sections below the run until ``lines`` lines or ``sections`` sections are added."""
        added = 0
        for count in range(1, self.count - self.hi + 1):
            new = self._section(self.hi)
            self.lines.extend(new)
            self.hi += 1
            added += len(new)
            if (lines is not None and added >= lines) or count == sections:
                break
        return added

    def up(self, lines: int | None = None, sections: int | None = None) -> int:
        """Add sections above the run, as ``down``; the number of lines added above."""
        above: list[Line] = []
        for count in range(1, self.lo + 1):
            self.lo -= 1
            above[0:0] = self._section(self.lo)
            if (lines is not None and len(above) >= lines) or count == sections:
                break
        self.lines[0:0] = above
        return len(above)

    def place_at(self, line: int) -> float:
        """The reading place of the run's line ``line`` (past the end: the end)."""
        start = 0
        for index in range(self.lo, self.hi):
            height = len(self._section(index))
            if line < start + height:
                within = (line - start) / height
                return (self.starts[index] + within * self.sizes[index]) / self.starts[-1]
            start += height
        return self.starts[self.hi] / self.starts[-1]
