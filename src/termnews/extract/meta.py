"""Article metadata from a parsed page: title, byline, date, site name, lead image.

Sources, most trusted first: JSON-LD (``NewsArticle``/``Article``…), ``<meta>``
tags (Open Graph, ``article:``, ``name=author``, Twitter, Dublin Core), then the
page itself (``<time datetime>``, ``<h1>``, ``<title>``). Everything returned is
sanitised single-line text; dates are aware UTC datetimes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from termnews.dates import parse_date
from termnews.extract.byline import (
    headline_byline,
    publisher_not_author,
    title_by_agreement,
    visible_byline,
)
from termnews.text import clean_line, html_to_line
from termnews.urls import absolute_http

_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "blogposting",
    "reportagenews",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "scholarlyarticle",
    "techarticle",
    "liveblogposting",
    "socialmediaposting",
    "posting",
    "report",
    "webpage",
}
_WORDS = re.compile(r"\w+")
_KICKER_TAGS = {"span", "div", "small", "p", "strong", "b"}
_BY_PREFIX = re.compile(r"^\s*(?:by|written by|posted by|von|par|por)\s*[:\-]?\s+", re.I)
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " / ", " « ", " » ")


@dataclass(slots=True)
class Meta:
    """Metadata gathered from one page; empty strings when not found."""

    title: str = ""
    byline: str = ""
    published: datetime | None = None
    site_name: str = ""
    lead_image: str | None = None
    body: str = ""  # JSON-LD ``articleBody``: a candidate for the article text


def extract_meta(doc: HtmlElement, url: str) -> Meta:
    """Collect the page's metadata from JSON-LD, ``<meta>`` tags and the markup."""
    tags = _meta_tags(doc)
    ld = _json_ld_article(doc)
    site = _first_line(
        ld.get("publisher_name"), tags.get("og:site_name"), tags.get("application-name")
    )
    sources = _title_sources(doc, ld, tags, site)
    headings, in_article, headline = _headings(doc, "\n".join(_key(v) for v in sources))
    title = title_by_agreement(sources, headings, in_article=in_article)
    byline = _byline(ld.get("author"), tags)
    if not byline or publisher_not_author(byline, site):
        byline = visible_byline(doc) or byline
    printed = headline_byline(headline) if headline is not None else ""
    if printed and (not byline or _someone_else(printed, byline)):
        byline = printed  # the page prints another name under its headline than metadata's
    published = _first_date(
        ld.get("datePublished"),
        tags.get("article:published_time"),
        tags.get("og:published_time"),
        tags.get("datepublished"),
        tags.get("date"),
        tags.get("dc.date"),
        tags.get("dc.date.issued"),
        tags.get("pubdate"),
        tags.get("sailthru.date"),
        tags.get("parsely-pub-date"),
        _time_element(doc),
        ld.get("dateModified"),
        tags.get("article:modified_time"),
    )
    image = absolute_http(
        _first_line(
            tags.get("og:image"),
            tags.get("og:image:url"),
            tags.get("twitter:image"),
            ld.get("image"),
        ),
        url,
    )
    body = ld.get("articleBody")
    return Meta(
        title=title, byline=byline, published=published, site_name=site, lead_image=image,
        body=body if isinstance(body, str) else "",
    )  # fmt: skip


# --- <meta> tags ---------------------------------------------------------------------


def _someone_else(printed: str, byline: str) -> bool:
    """The printed byline is a full name sharing no word with metadata's, or one word more."""
    words, named = set(_WORDS.findall(printed.casefold())), set(_WORDS.findall(byline.casefold()))
    if len(words) < 2 or not _WORDS.fullmatch(printed.replace(" ", "").replace(".", "")):
        return False
    return not words & named or (named < words and len(words) == len(named) + 1)


def _meta_tags(doc: HtmlElement) -> dict[str, str]:
    """``property``/``name``/``itemprop`` → ``content`` for every ``<meta>``; first wins."""
    found: dict[str, str] = {}
    for meta in doc.iter("meta"):
        content = meta.get("content")
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = meta.get(attr)
            if key:
                found.setdefault(key.strip().lower(), content)
    return found


def _byline(ld_author: Any, tags: dict[str, str]) -> str:
    names = _author_names(ld_author)
    for n in "12345":  # Twitter cards: label "Written by"/"Verfasst von", data the name
        label = (tags.get(f"twitter:label{n}") or "").casefold()
        if not names and ("by" in label.split() or "von" in label.split()):
            names = [clean_line(tags.get(f"twitter:data{n}"))]
    if not names:
        for key in (
            "author",
            "article:author",
            "byl",
            "parsely-author",
            "sailthru.author",
            "dc.creator",
            "twitter:creator",
        ):
            value = clean_line(tags.get(key))
            if value and not value.startswith(("http:", "https:", "@")):
                names = [value]
                break
    cleaned = []
    for name in names:
        name = _BY_PREFIX.sub("", html_to_line(name))
        if name and name not in cleaned:
            cleaned.append(name)
    return ", ".join(cleaned)[:200]


def _author_names(value: Any) -> list[str]:
    """Names from a JSON-LD ``author``: a string, a Person/Organization, or a list of them."""
    if isinstance(value, str):
        return [value] if not value.startswith(("http:", "https:")) else []
    if isinstance(value, dict):
        name = value.get("name")
        return [name] if isinstance(name, str) else []
    if isinstance(value, list):
        return [n for item in value[:10] for n in _author_names(item)]
    return []


# --- JSON-LD -------------------------------------------------------------------------


def _json_ld_article(doc: HtmlElement) -> dict[str, Any]:
    """The first Article-like JSON-LD object, flattened to the few fields we use."""
    for script in doc.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "", strict=False)
        except (ValueError, RecursionError):
            continue
        item = _find_article(data, depth=0)
        if item is not None:
            flat = _flatten_article(item)
            flat["author"] = _resolve_ids(flat["author"], data)
            return flat
    return {}


def _resolve_ids(author: Any, data: Any) -> Any:
    """``{"@id": …}`` author references replaced by the ``@graph`` node they point at."""
    graph = data.get("@graph") if isinstance(data, dict) else data
    if not isinstance(graph, list):
        return author
    nodes = {n.get("@id"): n for n in graph[:200] if isinstance(n, dict) and n.get("@id")}
    refs = author if isinstance(author, list) else [author]
    resolved = [
        nodes.get(r["@id"], r) if isinstance(r, dict) and "name" not in r else r for r in refs
    ]
    return resolved if isinstance(author, list) else resolved[0]


def _find_article(data: Any, depth: int) -> dict[str, Any] | None:
    if depth > 4:
        return None
    if isinstance(data, list):
        for entry in data[:50]:
            found = _find_article(entry, depth + 1)
            if found is not None:
                return found
        return None
    if not isinstance(data, dict):
        return None
    kinds = data.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds) and (
        "headline" in data or "datePublished" in data or "author" in data
    ):
        return data
    for key in ("@graph", "mainEntity", "mainEntityOfPage"):
        if key in data:
            found = _find_article(data[key], depth + 1)
            if found is not None:
                return found
    return None


def _flatten_article(item: dict[str, Any]) -> dict[str, Any]:
    publisher = item.get("publisher")
    if isinstance(publisher, list) and publisher:
        publisher = publisher[0]
    image = item.get("image")
    if isinstance(image, list) and image:
        image = image[0]
    if isinstance(image, dict):
        image = image.get("url")
    return {
        "headline": item.get("headline") if isinstance(item.get("headline"), str) else None,
        "author": item.get("author") or item.get("creator"),
        "datePublished": item.get("datePublished"),
        "dateModified": item.get("dateModified"),
        "publisher_name": publisher.get("name") if isinstance(publisher, dict) else None,
        "image": image if isinstance(image, str) else None,
        "articleBody": item.get("articleBody") or item.get("text"),
    }


# --- the page itself -----------------------------------------------------------------


def _time_element(doc: HtmlElement) -> str | None:
    """``datetime`` of the publication ``<time>``: ``pubdate``/``itemprop`` first, else first."""
    first = None
    for time_el in doc.iter("time"):
        value = time_el.get("datetime")
        if not value:
            continue
        if time_el.get("pubdate") is not None or time_el.get("itemprop") == "datePublished":
            return value
        if first is None:
            first = value
    return first


def _headings(doc: HtmlElement, named: str) -> tuple[list[str], bool, HtmlElement | None]:
    """The ``<h1>`` headlines, those inside the article (``<article>``, ``<main>``) if any are.

    A masthead (an ``<h1>`` that is a link home or a logo) names the site, not
    the story, and a kicker before the headline ("Immobilienkrise", "Nach
    Corona-Lockerungen") is not part of it, unless the metadata titles
    (``named``) carry it too.
    """
    h1s = [h for h in list(doc.iter("h1"))[:6] if not _masthead(h)]
    inside = [h for h in h1s if any(a.tag in ("article", "main") for a in h.iterancestors())]
    texts = [t for t in (headline_text(h, named) for h in (inside or h1s)[:3]) if t]
    if not texts:  # no headline but the masthead: blogs title their posts with <h2>
        texts = [clean_line(h.text_content()) for h in list(doc.iter("h2"))[:1]]
        texts = [t for t in texts if _key(t) and _key(t) in named]
    return texts, bool(inside), (inside or h1s or [None])[0]


def _key(text: str) -> str:
    return "".join(_WORDS.findall(text.casefold()))


def _masthead(h1: HtmlElement) -> bool:
    if h1.find(".//img") is not None:
        return True
    link = h1.find(".//a[@href]")
    if (
        link is None
        or link.get("href", "").startswith("#")
        or not link.get("href", "").strip()
        or clean_line(link.text_content()) != clean_line(h1.text_content())
    ):
        return False
    return urlsplit(link.get("href", "")).path.strip("/") == ""


def headline_text(h1: HtmlElement, named: str = "") -> str:
    """The ``<h1>``'s text without a leading kicker element (a short label in its own span)."""
    whole = clean_line(h1.text_content())
    kids = [k for k in h1 if isinstance(k.tag, str)]
    if (h1.text or "").strip() or not kids or kids[0].tag not in _KICKER_TAGS:
        return whole
    kicker = clean_line(kids[0].text_content())
    rest = whole[len(kicker) :].strip(" :|-\u2013\u2014") if whole.startswith(kicker) else ""
    if _key(whole) in named:
        return whole  # the metadata titles carry the kicker too: it is part of the headline
    if kicker and len(kicker.split()) <= 6 and len(rest.split()) >= 2:
        return rest
    return whole


def _title_sources(
    doc: HtmlElement, ld: dict[str, Any], tags: dict[str, str], site: str
) -> list[str]:
    """Every place the page names its article: metadata first, then ``<title>`` and ``<h1>``."""
    sources = [
        ld.get("headline"), tags.get("og:title"), tags.get("twitter:title"),
        tags.get("dc.title"), tags.get("title"),
    ]  # fmt: skip
    values = [html_to_line(s) for s in sources if isinstance(s, str)]
    title_el = doc.find(".//title")
    if title_el is not None:
        values.append(clean_line(title_el.text_content()))
    values = [v[:500] for v in values if v and v.casefold() != site.casefold()]
    return values


def strip_site_suffix(title: str, site: str) -> str:
    """``"Story headline | Site"`` → ``"Story headline"`` (the longest part wins)."""
    for sep in _TITLE_SEPARATORS:
        if sep in title:
            parts = [p.strip() for p in title.split(sep)]
            if site and any(p.lower() == site.lower() for p in parts):
                parts = [p for p in parts if p.lower() != site.lower()]
            best = max(parts, key=len)
            if len(best.split()) >= 3:
                return best
    return title


# --- values --------------------------------------------------------------------------


def _first_line(*values: Any) -> str:
    for value in values:
        if isinstance(value, str):
            line = html_to_line(value)
            if line:
                return line[:500]
    return ""


def _first_date(*values: Any) -> datetime | None:
    for value in values:
        if isinstance(value, str):
            parsed = parse_date(value)
            if parsed is not None:
                return parsed
    return None
