"""HTML page → its feeds (autodiscovery), or, for a site with no feed, its recent posts.

Feed links are ranked so the site's own main feed comes first. Recent posts are
the article links of "Recent posts"/"Latest" lists, headline lists and
``<article>`` teasers; navigation, tag, category, author, pagination, share,
comment and off-site links are left out, so a feedless news site still gives
a useful sidebar. Pure functions over lxml: no I/O.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import islice
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from termnews.dates import parse_date
from termnews.models import Entry
from termnews.text import clean_line, xml_safe
from termnews.urls import resolve_url

__all__ = ["FeedLink", "find_feed_links", "recent_posts"]

_FEED_TYPES = {
    "application/atom+xml": "atom",
    "application/rss+xml": "rss",
    "application/feed+json": "json",
    "application/json": "json",
}
_COMMENTS = re.compile(r"comment", re.IGNORECASE)

# Page furniture: dropped with everything inside before links are considered.
_CHROME_TAGS = {"nav", "script", "style", "noscript", "template", "form", "button", "select"}
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "search", "menu", "menubar"}
_CHROME_CLASS = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?|pagination|pager|paging|share|"
    r"sharing|social|tags?|tag-?cloud|tagcloud|categories|comments?|cookie|skip-link|"
    r"site-header|site-footer|footer|masthead|newsletter|subscribe)(?:$|[\s_-])",
    re.IGNORECASE,
)
# URLs that are never posts, whatever their context.
_NOT_POST_PATH = re.compile(
    r"/(?:tags?|topics?|categor(?:y|ies)|authors?|users?|profiles?|people|page|search|"
    r"login|logout|signin|signup|register|account|subscribe|newsletter|feed|rss|atom|"
    r"comments?|share|archives?|about|contact|privacy|terms|cookies|sitemap|wp-login\.php"
    r"|wp-admin)(?:/|\.|$)",
    re.IGNORECASE,
)
_NOT_POST_QUERY = re.compile(r"(?:^|&)(?:page|p|paged|share|replytocom|s|q)=", re.IGNORECASE)
_NOT_POST_REL = {"tag", "author", "category", "next", "prev", "previous", "bookmark tag"}
_GENERIC_TEXT = re.compile(
    r"^(?:read more|continue reading|more|read|comments?|\d+ comments?|permalink|link|"
    r"next|previous|older|newer|here|click here|full story|view all|see all|»|›|…)\W*$",
    re.IGNORECASE,
)
_RECENT_HEADING = re.compile(
    r"\b(?:recent|latest|newest|new posts|new articles|most read|most popular|popular|"
    r"top stories|headlines|trending|just in|more stories|more news)\b",
    re.IGNORECASE,
)
_HEADINGS = {"h1", "h2", "h3", "h4"}
# A class token naming a post block ("story", "news-card", "post--lead"), not one of
# its parts ("story__title"): BEM elements must not become the item container.
_ARTICLE_CLASS = re.compile(
    r"(?:[a-z0-9]+-)*(?:post|entry|story|article|teaser|card|hentry)(?:--[a-z0-9-]+)?",
    re.IGNORECASE,
)
_META_CLASS = re.compile(r"meta|byline|date|kicker|credit|caption", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed a page advertises: absolute URL, its title, and "atom", "rss" or "json"."""

    url: str
    title: str
    kind: str


def _parse(html: str) -> Any:
    from termnews.html_parsers import parse_document

    if not html or not html.strip():
        return None
    try:
        return parse_document(xml_safe(html))
    except Exception:  # lxml rejects some junk (e.g. only a comment): no links then
        return None


def _base(doc: Any, page_url: str) -> str:
    for base in doc.iter("base"):
        href = base.get("href")
        if href:
            return urljoin(page_url, href.strip())
    return page_url


def _site(host: str) -> str:
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def _same_site(url: str, page_url: str) -> bool:
    a = _site(urlsplit(url).hostname or "")
    b = _site(urlsplit(page_url).hostname or "")
    return bool(a) and (a == b or a.endswith("." + b) or b.endswith("." + a))


# --- feed autodiscovery --------------------------------------------------------------------


def find_feed_links(html: str, page_url: str) -> list[FeedLink]:
    """The feeds a page links with ``<link rel="alternate">``, best first.

    Best means: the site's own host, not a comments feed, Atom/RSS before JSON;
    otherwise page order.
    """
    doc = _parse(html)
    if doc is None:
        return []
    base = _base(doc, page_url)
    found: dict[str, FeedLink] = {}
    for link in doc.iter("link"):
        rels = (link.get("rel") or "").lower().split()
        kind = _FEED_TYPES.get((link.get("type") or "").split(";")[0].strip().lower())
        if "alternate" not in rels or kind is None:
            continue
        url = resolve_url(link.get("href"), base)
        if url and url not in found:
            found[url] = FeedLink(url=url, title=clean_line(link.get("title")), kind=kind)

    def rank(item: tuple[int, FeedLink]) -> tuple[int, int, int, int]:
        index, feed = item
        comments = bool(_COMMENTS.search(feed.title) or _COMMENTS.search(feed.url))
        return (not _same_site(feed.url, page_url), comments, feed.kind == "json", index)

    return [feed for _, feed in sorted(enumerate(found.values()), key=rank)]


# --- recent posts of a feedless site --------------------------------------------------------


def _is_chrome(el: Any) -> bool:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _CHROME_TAGS - {"nav"}:
        return True
    if tag in ("body", "html", "main", "article"):
        return False
    if tag == "nav" or (el.get("role") or "").lower() in _CHROME_ROLES:
        return not _holds_recent_list(el)
    if tag in ("header", "footer") and not _inside(el, {"article"}):
        return not _holds_recent_list(el)
    names = f"{el.get('class') or ''} {el.get('id') or ''}"
    return bool(names.strip()) and bool(_CHROME_CLASS.search(names)) and not _holds_recent_list(el)


def _holds_recent_list(el: Any) -> bool:
    """True for a navigation block or footer that carries a "Recent posts" list (blog
    widgets wrap theirs in ``<nav>``): it is kept, its own menus still go."""
    if _RECENT_HEADING.search((el.get("aria-label") or "")[:80]):
        return True
    labels = islice(el.iter(*_HEADINGS), 8)
    return any(_RECENT_HEADING.search(h.text_content()[:80]) for h in labels)


def _inside(el: Any, tags: set[str]) -> bool:
    return any(a.tag in tags for a in el.iterancestors())


def _strip_chrome(doc: Any) -> None:
    doomed = [el for el in doc.iter() if isinstance(el.tag, str) and _is_chrome(el)]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


def _is_post_url(url: str, page: str) -> bool:
    parts = urlsplit(url)
    if parts.path in ("", "/") or url == page:
        return False
    if _NOT_POST_PATH.search(parts.path) or _NOT_POST_QUERY.search(parts.query):
        return False
    return not re.fullmatch(
        r"/[^/]*\.(?:xml|rss|atom|json|jpe?g|png|gif|webp|svg|pdf|zip)", parts.path
    )


def _headline(text: str) -> bool:
    if len(text) < 8 or _GENERIC_TEXT.match(text):
        return False
    return " " in text or not text.isascii()  # CJK headlines have no spaces


def _is_article_class(classes: str | None) -> bool:
    return any(_ARTICLE_CLASS.fullmatch(token) for token in (classes or "").split())


def _heading_text(el: Any) -> str:
    """The text of the heading that labels a list or box (its own or just before it)."""
    for child in islice(el.iterchildren(), 4):  # a label comes first; keeps big pages linear
        if child.tag in _HEADINGS or child.tag in ("header", "summary", "strong"):
            return child.text_content()
    prev = el.getprevious()
    if prev is not None and prev.tag in (*_HEADINGS, "p", "div", "span", "strong"):
        return prev.text_content()
    return ""


def _context(a: Any) -> tuple[bool, bool, bool, Any]:
    """(in a heading, in an article teaser, in a recent-posts list, the item container)."""
    in_heading = any(h.tag in _HEADINGS for h in a.iter()) or False
    in_article = in_recent = False
    container = None
    for depth, anc in enumerate(a.iterancestors()):
        tag = anc.tag
        if tag in _HEADINGS and depth < 3:
            in_heading = True
        if tag == "article" or (depth < 4 and _is_article_class(anc.get("class"))):
            in_article = True
            container = container if container is not None else anc
        if tag == "li" and container is None:
            container = anc
        if tag in ("ul", "ol", "section", "aside", "div", "nav") and _RECENT_HEADING.search(
            (anc.get("aria-label") or _heading_text(anc))[:80]
        ):
            in_recent = True
        if tag in ("body", "main"):
            break
    return in_heading, in_article, in_recent, container


def _date_near(container: Any, a: Any) -> datetime | None:
    scope = container if container is not None else a.getparent()
    if scope is None or len(scope.xpath(".//a[@href]")) > 6:
        return None
    for time_el in scope.iter("time"):
        when = parse_date(time_el.get("datetime") or time_el.text_content())
        if when is not None:
            return when
    return None


def _teaser(container: Any) -> str:
    if container is None or container.tag == "li":
        return ""
    for p in container.iter("p"):
        if _META_CLASS.search(p.get("class") or "") or next(p.iter("time"), None) is not None:
            continue  # the byline/date line, not the standfirst
        text = clean_line(p.text_content())
        if len(text) > 30:
            return f"<p>{html_lib.escape(text)}</p>"
    return ""


def recent_posts(html: str, page_url: str) -> list[Entry]:
    """The posts a page lists (for sites without a feed), in page order, without duplicates.

    Identity is the absolute URL without its fragment.
    """
    doc = _parse(html)
    if doc is None:
        return []
    base = _base(doc, page_url)
    page = urldefrag(resolve_url(page_url, page_url) or page_url)[0]
    _strip_chrome(doc)
    posts: dict[str, Entry] = {}
    for a in doc.iter("a"):
        url = urldefrag(resolve_url(a.get("href"), base))[0]
        if not url or not _same_site(url, page_url) or not _is_post_url(url, page):
            continue
        rels = set((a.get("rel") or "").lower().split())
        if rels & _NOT_POST_REL or _CHROME_CLASS.search(a.get("class") or ""):
            continue
        title = clean_line(a.text_content())
        if not _headline(title):
            continue
        in_heading, in_article, in_recent, container = _context(a)
        if not (in_heading or in_article or in_recent):
            continue
        published = _date_near(container, a)
        if url in posts:
            if posts[url].published is None and published is not None:
                posts[url] = replace(posts[url], published=published)
            continue
        posts[url] = Entry(
            identity=url, url=url, title=title, published=published, summary=_teaser(container)
        )
    return list(posts.values())
