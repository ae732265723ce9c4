"""Choosing between article candidates by what can be measured, never by site.

Each candidate (trafilatura's body, readability's node, the JSON-LD
``articleBody``) is measured the same way: its prose length, the share of its
text inside links, and how much of it another candidate also found (word
4-gram shingles, the overlap a reader would call "the same article").
``doubtful`` says when the cheap first candidate is not clearly good enough, so
the dearer one runs only then; ``choose`` picks the winner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from termnews.document import Block, Caption, Code, Heading, ListBlock, Paragraph, Quote, Table
from termnews.extract.clean import inline_text

_WORDS = re.compile(r"\w+")

MIN_GOOD_CHARS = 1200  # a body this long that agrees with the page is clearly an article
PAGE_SHARE = 0.6  # a candidate with less of the page's prose than this may have lost part
LONGER = 1.4  # the other candidate must be this much longer to win on length
CONTAINS = 0.5  # ... and hold this share of the first one's text
DISAGREE = 0.5  # candidates sharing less than this of each other found different things
LINKY = 0.5  # a candidate with more of its text in links than this is a link list
LD_MIN_CHARS = 400  # a JSON-LD body shorter than this is a teaser, not the article
LD_LOST = 0.5  # candidates holding less of the JSON-LD body than this lost the article


@dataclass(slots=True)
class Candidate:
    """One candidate body and its measured properties."""

    name: str
    blocks: list[Block]
    chars: int = 0
    link_share: float = 0.0
    shingles: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, name: str, blocks: list[Block]) -> Candidate:
        """Measure ``blocks``: characters of text, share in links, shingle set."""
        text, linked = _text_and_linked(blocks)
        return cls(
            name, blocks, len(text.strip()),
            linked / len(text) if text else 0.0, shingles(text),
        )  # fmt: skip

    def holds(self, other: Candidate) -> float:
        """The share of ``other``'s shingles that this candidate also has (0 when empty)."""
        if not other.shingles:
            return 0.0
        return len(self.shingles & other.shingles) / len(other.shingles)


def shingles(text: str) -> set[int]:
    """Hashes of the word 4-grams of ``text`` (case-folded)."""
    words = _WORDS.findall(text.casefold())
    if len(words) < 4:
        return {hash(tuple(words))} if words else set()
    return {hash(tuple(words[i : i + 4])) for i in range(len(words) - 3)}


def doubtful(first: Candidate, page_prose: int, ld: Candidate | None) -> bool:
    """True when ``first`` is not clearly the article, so a second opinion is worth its cost."""
    if first.chars == 0 or first.link_share > LINKY:
        return True
    if ld is not None and ld.chars >= LD_MIN_CHARS:
        return first.holds(ld) < 0.8
    if first.chars < MIN_GOOD_CHARS:
        return True
    return page_prose > 0 and first.chars < PAGE_SHARE * page_prose


def choose(first: Candidate, second: Candidate | None, ld: Candidate | None) -> Candidate:
    """The best candidate: ``first`` unless another is clearly more of the same article.

    ``second`` wins when it is much longer and holds most of ``first`` (``first``
    lost part of the article), when the two found different things and ``second``
    has more text (``first`` chose a wrong node: a masthead, a teaser, a box), or
    when ``first`` is empty or a link list and ``second`` is not. The JSON-LD body
    wins when every DOM candidate lost it (article text only in a script).
    """
    best = first
    if (
        second is not None
        and second.chars
        and (
            best.chars == 0
            or (
                second.holds(best) < DISAGREE
                and best.holds(second) < DISAGREE
                and second.chars > best.chars
            )
            or (best.link_share > LINKY >= second.link_share)
            or (
                second.chars > LONGER * best.chars
                and second.holds(best) >= CONTAINS
                and second.link_share <= LINKY
            )
        )
    ):
        best = second
    lost = ld is not None and ld.chars >= LD_MIN_CHARS and best.holds(ld) < LD_LOST
    if ld is not None and lost and (ld.chars > best.chars or best.holds(ld) < 0.2):
        best = ld
    return best


def _text_and_linked(blocks: list[Block]) -> tuple[str, int]:
    parts: list[str] = []
    linked = 0
    for block in blocks:
        if isinstance(block, Paragraph | Heading | Caption):
            parts.append(inline_text(block.inlines))
            linked += sum(len(i.text) for i in block.inlines if i.href)
        elif isinstance(block, ListBlock):
            for item in _items(block):
                parts.append(inline_text(item))
                linked += sum(len(i.text) for i in item if i.href)
        elif isinstance(block, Quote):
            text, inner = _text_and_linked(list(block.blocks))
            parts.append(text)
            linked += inner
        elif isinstance(block, Code):
            parts.append(block.text)
        elif isinstance(block, Table):
            parts.extend(" ".join(row) for row in (block.header, *block.rows))
    return "\n".join(parts), linked


def _items(block: ListBlock) -> list[tuple]:
    out: list[tuple] = []
    for item in block.items:
        out.append(item.inlines)
        for child in item.children:
            out.extend(_items(child))
    return out
