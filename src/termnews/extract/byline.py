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
    r"^(?:by|written by|posted by|words by|von|redaktion|ein artikel von|eingestellt von|"
    r"erstellt von|auteur|"
    r"ver\u00f6ffentlicht von|"
    r"verfasst von|geschrieben von|artikel von|ein beitrag von|autor(?:in)?|author|text von|text|"
    r"par|por|escrito por|publicado por|di|door|av|af|autor tekstu|tekst)(?:\s*:\s*|\s+)(.{2,60})$",
    re.I,
)
# Between the pieces of a byline line ("Von Jo Doe | 27.01.2022 - 12:45").
_PARTS = re.compile(r"\s*[|\u2022\u00b7]\s*|\s+[-\u2013\u2014]\s+")
_DIGITS = re.compile(r"[\d.:/()-]+")
_LEADING_DATE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\s*")
# Where a name ends and a date, a role or an aside begins.
_TRAILING_DATE = re.compile(
    r"(?:,?\s+(?:am|on|le|el|um|at|den)\s+\d|,?\s+(?:mo|di|mi|do|fr|sa|so|mon|tue|wed|thu|fri|sat|sun)"
    r"\w*,|,?\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|,?\s+(?:stand|vor|vom)\b|,?\s+\d|,?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|"
    r"oct|nov|dec|januar|februar|m\u00e4rz|mai|juni|juli|okt|dez)\w*\.?\s+\d|\s*\(|\s+(?:mit|with)\s|\s+(?:illustrations?|fotos?|photos?|bilder)\s+(?:von|by)\b|,\s*(?:datum|date)\b).*$",
    re.I,
)
_DOMAIN = re.compile(r"(?:^|[\s(.])[\w-]+\.(?:com|de|at|ch|org|net|cl|fr|es|pl|it|uk|eu)\b", re.I)
# The end of a label that a name follows: "By", "Autor:", "Verfasst von".
_LABEL_END = re.compile(
    r"(?:^|\s)(?:by|von|autor(?:in)?|author|verfasst von|written by|posted by|par|por|"
    r"redaktion)\s*:?\s*$",
    re.I,
)
_AUTHOR_NAMES = re.compile(r"author|byline|autor|verfasser", re.I)
_TRAILING_BY = re.compile(r"\b(?:by|von|par|por|door|di)\s+(\S.{1,58})$", re.I)
_USER_NAME = re.compile(r"^[^\W\d]+[\w.-]*\d+$")
# Text that labels something rather than names someone: form fields, comment headers, links.
_NOT_NAME = re.compile(
    r"\d{3,}|https?:|@|[|\u2022\u00a9*\u2192()]|\b(?:bio|about|more|posts|articles|name|"
    r"sagt|says|said|erforderlich|required|posted|published|publiziert|ver\u00f6ffentlicht|"
    r"alle|artikel|beitr\u00e4ge|comments?|kommentare?|reply|antworten|share|teilen|"
    r"on|am|edited|foto|photo|stand|follow|folgen|datum|date|january|januar|february|februar|march|m\u00e4rz|july|juli|"
    r"september|october|oktober|november|december|dezember|unternehmen|cookies?)\b",
    re.I,
)
# Where names belong to readers, not to the author: comments and forms.
# ... and in copyright lines and cookie banners ("Theme by …", "by Cookiebot").
_READERS = re.compile(
    r"comment|respond|reply|discussion|disqus|kommentar|copyright|cookie|consent|site-info|powered.?by",
    re.I,
)


# Headings that label a box, not a story ("Read also:", "Leggi anche:", "Sections").
_WORD = re.compile(r"\w+")
_LABEL_HEADING = re.compile(
    r"^[^\s]+(?:\s[^\s]+){0,2}\s*:$|^(?:sections|menu|navigation|about)$", re.I
)


def _confirmed(heading: str, values: list[str]) -> bool:
    """More than half of the heading's words are in one of the metadata titles."""
    words = set(_WORD.findall(heading.casefold()))
    return any(len(words & set(_WORD.findall(v.casefold()))) > len(words) / 2 for v in values)


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
    headings = [h for h in headings if not _LABEL_HEADING.match(h)]
    values = [v for v in (clean_line(s) for s in sources if s) if v]
    if in_article and headings and (not values or _confirmed(headings[0], values)):
        return headings[0]  # the headline the reader sees above the story
    visible = {_norm(h) for h in headings}
    weights = [2] * len(values) + [
        6 if in_article else 4 if _confirmed(h, values) else 2 for h in headings
    ]
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
    """The author's name as printed on the page, or "" when none looks like a name.

    Marked-up names first (``itemprop=author``, ``rel=author``, an author or
    byline element: there a lowercase user name counts too), then a name right
    after a "By"/"Autor:" label, then a short "By …" line.
    """
    for el in doc.xpath(
        "//*[@itemprop='author'] | //a[contains(concat(' ', @rel, ' '), ' author ')]"
    )[:8]:
        named = el.xpath(".//*[@itemprop='name']")
        name = _name(_text(named[0] if named else el), marked=True)
        if name and not _among_readers(el):
            return name
    for el in doc.iter("span", "div", "p", "a", "address", "strong", "li"):
        names = f"{el.get('class') or ''} {el.get('id') or ''}"
        if not _AUTHOR_NAMES.search(names) or len(el) > 12:
            continue
        if (name := _name(_text(el), marked=True)) and not _among_readers(el):
            return name
    return _labelled_name(doc) or _by_line(doc)


def _labelled_name(doc: HtmlElement) -> str:
    """A link or bold name right after a "By"/"Autor:" label ("Autor: <a>Name</a> Tags: …")."""
    for el in doc.iter("a", "strong", "b", "span"):
        before = el.getprevious()
        label = (before.tail if before is not None else el.getparent().text) or ""
        if before is not None and not label.strip():  # "<strong>Autor:</strong> <a>Name</a>"
            label = before.text_content()
        if not label.strip() or len(label.strip()) > 25 or not _LABEL_END.search(label):
            continue  # a label, not a sentence that happens to end in "by"
        # a lowercase user name only after a label that says so ("Autor: jdoe", not "by human")
        name = _name(_text(el), marked=label.rstrip().endswith(":"))
        if name and not _among_readers(el):
            return name
    return ""


def _by_line(doc: HtmlElement) -> str:
    """A short line that starts with "By"/"Von"/"Verfasst von:" and goes on with a name."""
    for el in doc.iter("p", "span", "div", "address", "em", "strong"):
        if len(el) > 4 or el.find(".//div") is not None or el.find(".//p") is not None:
            continue  # a byline line is short: a "By", a name, perhaps a link or two
        text = _text(el)
        if len(text) > 100:
            continue
        for part in _PARTS.split(text):
            if _led_by_label(part) and (name := _name(part)) and not _among_readers(el):
                return name
    return ""


def _led_by_label(part: str) -> bool:
    """ "By Jo", or a "von"/"by" after at most two words and a date ("Gespeichert von jo am …")."""
    part = part.strip()
    if _BY_LINE.match(part):
        return True
    match = _TRAILING_BY.search(part)
    if match is None:
        return False
    before = _DIGITS.sub(" ", part[: match.start()]).split()
    return len(before) <= 2


def publisher_not_author(byline: str, site: str) -> bool:
    """True when the metadata's "author" is the publication: its site name or a domain."""
    key = _norm(byline)
    return bool(key) and (key == _norm(site) or bool(_DOMAIN.search(byline)))


def _text(el: HtmlElement) -> str:
    """The element's text with a space between its pieces ("von<a>Jo</a>" is "von Jo")."""
    return " ".join(" ".join(el.itertext()).split())


def _among_readers(el: HtmlElement) -> bool:
    """True inside a comment thread or a form: names there are the readers'."""
    for ancestor in (el, *el.iterancestors()):
        if ancestor.tag in ("body", "html"):
            break  # the page's own classes ("cookies-not-set") say nothing about one element
        if ancestor.tag == "form":
            return True
        names = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
        if names.strip() and _READERS.search(names):
            return True
    return False


def _name(text: str, *, marked: bool = False) -> str:
    """``text`` as a person's or desk's name (1-6 words, no links or dates), else "".

    The name is the part of a byline line that is left once separators, dates
    and "By" are taken off ("By Jo Doe | 21 Feb 2020" → "Jo Doe"). A lowercase
    user name counts only when the markup or a "By" label says it is a name.
    """
    for part in _PARTS.split(" ".join(text.split())):
        part = _LEADING_DATE.sub("", part.strip(" ,.:;-–—|•·"))
        match = _BY_LINE.match(part) or _TRAILING_BY.search(part)
        if match:
            part = match.group(1)
        part = _TRAILING_DATE.sub("", part).strip(" ,.:;-–—")
        if name := _name_shaped(part, marked or bool(match), labelled=bool(match)):
            return name
    return ""


def _name_shaped(text: str, lowercase_ok: bool, *, labelled: bool = False) -> str:
    words = text.split()
    prefix_only = not labelled and _BY_LINE.match(f"{text} Xx")
    if prefix_only and prefix_only.group(1) == "Xx":
        return ""  # only the "By" of a byline whose name is elsewhere
    if not 1 <= len(words) <= 6 or len(text) > 60:
        return ""
    if _NOT_NAME.search(_USER_NAME.sub("", text) if lowercase_ok and len(words) == 1 else text):
        return ""  # (a marked account name may carry digits: "freeman1984")
    if (
        len(words) > 1
        and len(words[0]) <= 2
        and words[0].islower()
        and any(w[:1].isupper() for w in words[1:])
    ):
        return ""  # "in Uncategorized", "mehr Artikel": a phrase, not a name
    has_capital = any(w[:1].isupper() for w in words) or any(ord(c) > 0x2E80 for c in text)
    if not has_capital and not (lowercase_ok and len(words) == 1 and len(text) >= 3):
        return ""
    return clean_line(text)


_DATE_ONLY = re.compile(r"^[\d\s./:,-]+(?:uhr|h)?$", re.I)
_BODY_CHARS = 250  # paragraphs this long are the story: the byline line comes before it


def headline_byline(headline: HtmlElement) -> str:
    """The name on a short byline line between the headline and the story's first paragraph.

    That line is what the reader sees as the author, so it wins over metadata that
    names someone else (a page's editor, a CMS account). It counts only when it
    says it is a byline: a "By"/"Von" label, or a date and a name alone on the line.
    """
    after_label, body = False, 0
    for el in headline.xpath("following::*[position() <= 40]"):
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "noscript"):
            continue
        if el.tag in ("h1", "h2"):
            return ""
        # a byline is one short line; a box of lines is read line by line
        line = len(el) <= 4 and el.find(".//p") is None and el.find(".//div") is None
        if el.tag != "p" and not line:
            continue  # (a box's text is not read: on a big page that is most of the page)
        text = _text(el)
        body += len(text) if el.tag == "p" else 0
        if body >= _BODY_CHARS:
            return ""
        if not line or len(text) > 100 or not text or _among_readers(el):
            continue
        label = _BY_LINE.match(f"{text} Xx")
        if label and label.group(1) == "Xx":
            after_label = True  # "By" alone: the name is the next line ("<p>By</p><p>Jo</p>")
            continue
        parts = [p for p in _PARTS.split(text) if p.strip(" ,.:;")]
        names = [_name(p) for p in parts if _led_by_label(p)]
        if after_label:
            names.insert(0, _name(text, marked=True))
            after_label = False
        if len(parts) == 2 and _DATE_ONLY.match(parts[0]):
            names.append(_name(parts[1]))
        for name in names:
            if not name:
                return ""  # the byline line names no one ("von Redaktion"): look no further
            lower = sum(not w[:1].isupper() for w in name.split())
            if lower == 0 or lower == 1 < len(name.split()):
                return name  # not an account ("von admin") nor a phrase ("Bar bei der Za")
    return ""
