"""The title by agreement of the page's sources, and the byline printed on the page.

A page names its article several times: JSON-LD ``headline``, ``og:title``,
``<title>`` (often "Headline | Site") and ``<h1>`` (sometimes the site's or a
section's heading). The title is the text most of them agree on, whole or as a
part between separators. The byline, when no metadata names the author, comes
from the visible byline: ``itemprop=author``, ``rel=author``, an author/byline
element, or a "By …" line — short text shaped like a name, read before the
clean-up removes it from the body.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from termnews.text import clean_line

# Separators between a headline and a site or section name (dashes and colons inside
# headlines are too common to split on, except a spaced ASCII hyphen).
_SEPARATORS = re.compile(r"\s+(?:\||-|::|·|//|/|«|»|›|‹)\s+|_")
_BY_LINE = re.compile(
    r"^(?:by|written by|posted by|words by|von|eingestellt von|erstellt von|auteur|"
    r"ver\u00f6ffentlicht von|"
    r"verfasst von|geschrieben von|artikel von|ein beitrag von|autor(?:in)?|author|text|"
    r"par|por|escrito por|publicado por|di|door|av|af|autor tekstu|tekst)(?:\s*:\s*|\s+)(.{2,60})$",
    re.I,
)
_AUTHOR_NAMES = re.compile(r"author|byline|autor|verfasser", re.I)
_TRAILING_BY = re.compile(r"\b(?:by|von|par|por|door|di)\s+(\S.{1,58})$", re.I)
# Text that labels something rather than names someone: form fields, comment headers, links.
_NOT_NAME = re.compile(
    r"\d{3,}|https?:|@|[|\u2022\u00a9*\u2192()]|\b(?:bio|about|more|posts|articles|name|"
    r"sagt|says|said|erforderlich|required|posted|published|publiziert|ver\u00f6ffentlicht|"
    r"alle|artikel|beitr\u00e4ge|comments?|kommentare?|reply|antworten|share|teilen|"
    r"on|am|edited|foto|photo)\b",
    re.I,
)
# Where names belong to readers, not to the author: comments and forms.
_READERS = re.compile(r"comment|respond|reply|discussion|disqus|kommentar", re.I)


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def title_by_agreement(
    sources: list[str], headings: list[str] | None = None, *, in_article: bool = False
) -> str:
    """The title most sources agree on: a whole value, or one part of "Headline | Site".

    ``headings`` (the page's ``<h1>`` texts) vote too, and count more when they
    stand inside the article (``in_article``): the headline a reader sees. A tie
    goes to the source named first. A "Headline - Site" value no heading
    confirms whole is cut to its longest part.
    """
    headings = [h for h in (clean_line(h) for h in headings or []) if h]
    visible = {_norm(h) for h in headings}
    values = [v for v in (clean_line(s) for s in sources if s) if v]
    weights = [2] * len(values) + [6 if in_article else 2] * len(headings)
    values += headings
    if not values:
        return ""
    parts = [[p.strip() for p in _SEPARATORS.split(v) if p.strip()] for v in values]
    best, best_key = values[0], (0, 0)
    for rank, option in enumerate(
        o for n, v in enumerate(values) for o in [v, *(parts[n] if len(parts[n]) > 1 else [])]
    ):
        key = _norm(option)
        if len(key) < 3:
            continue
        score = sum(
            w if _norm(v) == key else 1 if key in map(_norm, parts[n]) else 0
            for n, (v, w) in enumerate(zip(values, weights, strict=True))
        )
        if (score, -rank) > best_key:
            best, best_key = option, (score, -rank)
    pieces = [p.strip() for p in _SEPARATORS.split(best) if p.strip()]
    if len(pieces) > 1 and _norm(best) not in visible:
        longest = max(pieces, key=len)
        if len(longest.split()) >= 2:
            return longest
    return best


def visible_byline(doc: HtmlElement) -> str:
    """The author's name as printed on the page, or "" when none looks like a name."""
    for el in doc.xpath(
        "//*[@itemprop='author'] | //a[contains(concat(' ', @rel, ' '), ' author ')]"
    )[:8]:
        named = el.xpath(".//*[@itemprop='name']")
        name = _name(_text(named[0] if named else el))
        if name and not _among_readers(el):
            return name
    for el in doc.iter("span", "div", "p", "a", "address", "strong", "li"):
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        if _AUTHOR_NAMES.search(names) and (name := _name(_text(el))) and not _among_readers(el):
            return name
    for el in doc.iter("p", "span", "div", "address", "em", "strong"):
        if len(el) > 4 or el.find(".//div") is not None or el.find(".//p") is not None:
            continue  # a byline line is short: a "By", a name, perhaps a link or two
        text = _text(el)
        if len(text) <= 80 and (match := _BY_LINE.match(text)):
            name = _name(match.group(1))
            if name and not _among_readers(el):
                return name
    return ""


def _text(el: HtmlElement) -> str:
    """The element's text with a space between its pieces ("von<a>Jo</a>" is "von Jo")."""
    return " ".join(" ".join(el.itertext()).split())


def _among_readers(el: HtmlElement) -> bool:
    """True inside a comment thread or a form: names there are the readers'."""
    for ancestor in (el, *el.iterancestors()):
        if ancestor.tag == "form":
            return True
        names = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
        if names.strip() and _READERS.search(names):
            return True
    return False


def _name(text: str) -> str:
    """``text`` as a person's or desk's name (1-6 words, no links or dates), else ""."""
    text = " ".join(text.split()).strip(" ,.:;-–—")
    match = _BY_LINE.match(text) or _TRAILING_BY.search(text)
    if match:
        text = match.group(1).strip(" ,.:;-–—")
    words = text.split()
    prefix_only = _BY_LINE.match(f"{text} X")
    if prefix_only and prefix_only.group(1) == "X":
        return ""  # only the "By" of a byline whose name is elsewhere
    if not 1 <= len(words) <= 6 or len(text) > 60 or _NOT_NAME.search(text):
        return ""
    if not any(w[:1].isupper() for w in words) and not any(ord(c) > 0x2E80 for c in text):
        return ""
    return clean_line(text)
