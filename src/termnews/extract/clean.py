"""termnews's clean-up around readability: what it leaves behind, removed.

Two passes. Before readability chooses the article, ``preclean`` (in
``termnews.extract.preclean``, re-exported here) drops what is never article
text, so it can neither win nor ride along. After conversion to blocks,
``prune_blocks`` removes what
survives inside the body: "Advertisement" labels, "Read also:" lines,
link-only paragraphs, bylines and datelines, duplicates and empty blocks.
The rules are general (words and shapes), never tuned to particular sites.
"""

from __future__ import annotations

import re

from termnews.document import (
    Block,
    Caption,
    Heading,
    Image,
    Inline,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
)
from termnews.extract.preclean import preclean  # re-exported: the first of the two passes

# "… (Image: GETTY)" — a caption that lost its markup.
_CREDIT_SUFFIX = re.compile(
    r"\((?:image|images|photo|photos|picture|pic|credit|source|foto)s?\s*:[^()]{1,80}\)\s*$",
    re.I,
)

# Whole-block texts that label ads or interrupt the story.
_AD_LABEL = re.compile(
    r"^(?:advertisement|advertisements|advertising|advert|ad|ads|sponsored|sponsored content|"
    r"werbung|anzeige|publicidad|publicit\u00e9|reklama|pubblicit\u00e0|publicidade|"
    r"paid content|promoted|promoted content|partner content|"
    r"(?:story|article|text) continues below(?: this)?(?: advertisement| ad)?|"
    r"continue reading(?: below| the main story| the story)?|"
    r"scroll (?:down )?to continue(?: with content| reading)?|"
    r"advertisement[\s:-]+(?:scroll|continue).*|"
    r"skip (?:ad|advertisement)|close ad|report (?:this )?ad)$",
    re.I,
)
# Short lines that point elsewhere or ask for something: not the story.
_BOILERPLATE_LINE = re.compile(
    r"^(?:(?:read (?:more|also|next|the full)|also read|see also|related|more|recommended|"
    r"don't miss|do not miss|watch|listen|trending|top stories|photo|image|picture|credit|"
    r"source|image source|(?:image|photo) credit)\s*[:|»>]|"
    r"click here|tap here|sign up (?:for|to)|subscribe (?:to|for|now)|follow (?:us|me) on|"
    r"share (?:this|on|via)|like us on|join us on|download (?:our|the) app|"
    r"get (?:our|the latest)|all rights reserved|copyright ©|©|getty images$|"
    r"this (?:article|story) (?:was|is) (?:originally|first) published|"
    r"originally published|the post .* appeared first on|"
    # the same pointers and asks in the other languages of the news (German, Spanish,
    # French, Polish, Italian, Portuguese)
    r"lesen sie (?:auch|mehr|weiter)|mehr zum thema|mehr (?:themen|dazu)\s*:|"
    r"weitere (?:themen|artikel|beitr\u00e4ge)|das k\u00f6nnte sie (?:auch )?interessieren|"
    r"zum weiterlesen|auch interessant\s*:|teilen sie (?:dies|diesen|den)|"
    r"m\u00f6chten sie (?:den|diesen) artikel teilen|war (?:der|dieser) artikel|"
    r"keine kommentare|alle angaben ohne gew\u00e4hr|"
    r"(?:le|te) puede interesar|lea (?:tambi\u00e9n|m\u00e1s)|lee tambi\u00e9n|"
    r"ver tambi\u00e9n|art\u00edculos relacionados|noticias relacionadas|"
    r"(?:\u00e0 )?lire aussi|voir aussi|sur le m\u00eame sujet|"
    r"czytaj (?:te\u017c|tak\u017ce|wi\u0119cej)|zobacz (?:te\u017c|tak\u017ce|r\u00f3wnie\u017c)|"
    r"leggi anche|leia tamb\u00e9m|veja tamb\u00e9m|"
    r"(?:aktualisiert|ver\u00f6ffentlicht|erstellt|publiziert|ge\u00e4ndert) am\b|"
    r"(?:release date|last modified|last updated|publication date)(?:\s*:|$))",
    re.I,
)
_BYLINE_LINE = re.compile(r"^(?:by|written by|posted by|reporting by)\s+\S", re.I)
_DATE_LINE = re.compile(
    r"^(?:published|updated|posted|last updated|first published|modified|created|on)?\s*:?\s*"
    r"(?:\w+,?\s+)?(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*\w*,?\s*)?"
    r"(?:(?:\w+day,?\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?,?\s+\d{4}"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}\.\d{1,2}\.\d{2,4}|\d{1,2}:\d{2})"
    r"(?:[\s,|at-]*\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*[a-z]{0,4})?\s*$",
    re.I,
)
_WORDS = re.compile(r"\w+")


# --- after conversion to blocks ----------------------------------------------------------


def prune_blocks(blocks: list[Block], title: str, byline: str) -> list[Block]:
    """Drop ad labels, boilerplate lines, bylines/datelines, the headline, and doubled blocks.

    A repeated paragraph stays (refrains, updates, quoted lines are real text);
    only a block right after its own copy, or a quote repeating a paragraph
    (a pull quote), goes. A list of links stays when prose follows it (a content
    list); before the first or after the last long paragraph it is a "Related" box.
    """
    seen: set[str] = set()
    title_key = _key(title)
    byline_key = _key(byline)
    out: list[Block] = []
    previous = ""
    for block in blocks:
        kept = _prune_block(block, title_key, byline_key, seen)
        if kept is None:
            continue
        key = _key(inline_text(kept.inlines)) if isinstance(kept, Paragraph | Heading) else ""
        if len(key) > 40 and key == previous:
            continue  # a long paragraph right after its own copy: the page rendered it twice
        previous = key
        if isinstance(kept, Paragraph) and len(key) > 40:
            seen.add(key)
        out.append(kept)
    return _drop_trailing_headings(_drop_outer_link_lists(out))


def _prune_block(block: Block, title_key: str, byline_key: str, seen: set[str]) -> Block | None:
    if isinstance(block, Quote):
        inner = [b for b in (_prune_block(x, "", "", seen) for x in block.blocks) if b]
        inner = [b for b in inner if not (isinstance(b, Paragraph) and _key(
            inline_text(b.inlines)) in seen)]  # fmt: skip
        return Quote(tuple(inner)) if inner else None
    if isinstance(block, ListBlock):
        return _prune_list(block)
    if not isinstance(block, Paragraph | Heading | Caption):
        return block
    text = inline_text(block.inlines)
    key = _key(text)
    if not key:
        return None
    if isinstance(block, Heading) and block.level == 1 and title_key and key == title_key:
        return None
    if isinstance(block, Paragraph) and _CREDIT_SUFFIX.search(text) and len(text) < 400:
        block = Caption(block.inlines)
    if is_boilerplate_text(text, block.inlines, byline_key) or (title_key and key == title_key):
        return None
    return block


def _drop_outer_link_lists(blocks: list[Block]) -> list[Block]:
    """Link lists outside the span of long paragraphs are "Related"/"More" boxes: drop them."""
    prose = [n for n, b in enumerate(blocks) if isinstance(b, Paragraph) and _is_prose(b)]
    if not prose:
        return blocks
    first, last = prose[0], prose[-1]
    return [
        b
        for n, b in enumerate(blocks)
        if first <= n <= last or not (isinstance(b, ListBlock) and _is_link_list(b))
    ]


def _is_prose(block: Paragraph) -> bool:
    return len(inline_text(block.inlines)) >= 120 and _link_share(block.inlines) < 0.5


def is_boilerplate_text(text: str, inlines: tuple[Inline, ...], byline_key: str = "") -> bool:
    """True for one block of text that is a label, a pointer elsewhere, or a byline/date."""
    stripped = text.strip().strip(".:!|-–—•·*").strip()
    if _AD_LABEL.match(stripped):
        return True
    short = len(text) < 160
    if short and _BOILERPLATE_LINE.match(stripped):
        return True
    if short and (_BYLINE_LINE.match(stripped) or _DATE_LINE.match(stripped)):
        return True
    if byline_key and short and _key(text) in (byline_key, "by" + byline_key):
        return True
    return short and _link_share(inlines) > 0.8 and len(_WORDS.findall(text)) < 25


def _link_share(inlines: tuple[Inline, ...]) -> float:
    total = sum(len(i.text.strip()) for i in inlines)
    linked = sum(len(i.text.strip()) for i in inlines if i.href)
    return linked / total if total else 0.0


def _prune_list(block: ListBlock) -> ListBlock | None:
    """A list without its empty and advert items (link lists are judged by position)."""
    items = [item for item in block.items if item.inlines or item.children]
    kept = tuple(
        ListItem(item.inlines, item.children)
        for item in items
        if not _AD_LABEL.match(inline_text(item.inlines).strip())
    )
    return ListBlock(block.ordered, kept, block.start) if kept else None


def _is_link_list(block: ListBlock) -> bool:
    """Two or more items, each a short link and nothing else: a list of pointers elsewhere."""
    items = block.items
    return len(items) >= 2 and all(
        not item.children
        and _link_share(item.inlines) > 0.9
        and len(inline_text(item.inlines)) < 120
        for item in items
    )


def _drop_trailing_headings(blocks: list[Block]) -> list[Block]:
    """A heading with nothing after it ("Related stories") introduced something removed."""
    while blocks and isinstance(blocks[-1], Heading | Image):
        blocks.pop()
    return blocks


def inline_text(inlines: tuple[Inline, ...]) -> str:
    """The plain text of inline runs, line breaks turned into spaces."""
    return "".join(i.text for i in inlines).replace("\n", " ")


def _key(text: str) -> str:
    return "".join(_WORDS.findall(text.lower()))


__all__ = ["inline_text", "is_boilerplate_text", "preclean", "prune_blocks"]
