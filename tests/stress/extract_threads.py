"""Child-process stress: read many distinct pages in threads at once, as prefetch does.

Every candidate runs: readability, trafilatura (always, not only when doubtful) and
JSON-LD bodies given as HTML (which trafilatura parses as fragments).

Run as ``python -m tests.stress.extract_threads ROUNDS THREADS``; exits 0 when every
page was read. A heap corruption in C (lxml's parser dictionaries shared between
threads) kills the process instead, with SIGABRT or SIGSEGV, which the test sees
as a failed child rather than a dead test run. Pages carry many distinct attribute
names: they grow the parser's string dictionary while other threads use it.
"""

from __future__ import annotations

import sys
import threading

BASE = "https://example.org/"


def page(seed: int) -> str:
    """A listing page: 40 teasers, each with 40 attribute names no other page uses."""
    items = []
    for n in range(40):
        attrs = " ".join(f'data-a{seed}x{n}x{k}="{k}"' for k in range(40))
        items.append(
            f'<div class="c{seed}-{n}" {attrs}><h2><a href="/p/{seed}/{n}">Post {n} title'
            f" words</a></h2><p>Some teaser text {n} with a few more words in it.</p>"
            f'<time datetime="2026-11-0{n % 9 + 1}">Nov</time></div>'
        )
    return (
        f"<html><head><title>Page {seed}</title></head>"
        f"<body><article>{''.join(items)}</article></body></html>"
    )


def article(seed: int) -> str:
    """An article: 12 paragraphs and a div of text, each with its own attribute names."""
    body = "".join(
        f'<p class="p{seed}-{n}" '
        + " ".join(f'data-b{seed}x{n}x{k}="{k}"' for k in range(20))
        + f">Paragraph {n} of story {seed}, long enough to count as the article's text.</p>"
        for n in range(12)
    )
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Story '
        f'{seed}", "articleBody": "<p>Body {seed} held in JSON-LD as HTML.</p>"}}</script>'
    )
    return (
        f"<html><head><title>Story {seed}</title>{ld}</head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>Story {seed}</h1>{body}<div data-d{seed}='1'>A closing line of text"
        f" in a div<br>and its tail.</div></article></body></html>"
    )


def main(rounds: int, threads: int) -> int:
    from termnews.extract.article import extract_document
    from termnews.extract.candidates import trafilatura_blocks
    from termnews.extract.fallback import feed_html_blocks
    from termnews.feeds.discover import find_feed_links, recent_posts
    from termnews.html_parsers import parse_document

    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for r in range(rounds):
                seed = worker * 100_000 + r
                extract_document(article(seed), BASE)
                trafilatura_blocks(parse_document(article(seed + 50_000)), BASE)  # always
                html = page(seed)
                feed_html_blocks(html, BASE)
                find_feed_links(html, BASE)
                recent_posts(html, BASE)
        except BaseException as exc:  # a Python error fails the run too, reported below
            errors.append(exc)

    pool = [threading.Thread(target=work, args=(w,)) for w in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    if errors:
        print(f"{len(errors)} workers failed: {errors[0]!r}", file=sys.stderr)
        return 1
    print(f"ok: {rounds * threads} pages in {threads} threads")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]), int(sys.argv[2])))
