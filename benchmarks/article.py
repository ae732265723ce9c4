"""Opening a cached 10,000-word article, to its first paint (target ≤ 100 ms).

uv run python benchmarks/article.py
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from termnews.document import Document, Heading, Inline, ListBlock, ListItem, Paragraph
from termnews.models import Entry
from termnews.store import Store


def big_document(words: int = 10_000) -> Document:
    """About ``words`` words in paragraphs of 100, a heading every tenth, some links and lists."""
    blocks: list = []
    sentence = "The reader keeps every saved article as clean text on the local disk and "
    n = 0
    while n * 100 < words:
        if n % 10 == 0:
            blocks.append(Heading(2, (Inline(f"Section {n // 10 + 1}"),)))
        runs = (
            Inline(sentence * 6),
            Inline("a link", href=f"https://example.com/{n}"),
            Inline(" " + "words " * 12, emphasis=n % 3 == 0),
        )
        blocks.append(Paragraph(runs))
        if n % 15 == 7:
            items = tuple(ListItem((Inline(f"Point {i} about reading"),)) for i in range(4))
            blocks.append(ListBlock(False, items))
        n += 1
    return Document(
        url="https://example.com/big", title="A very long article", blocks=tuple(blocks)
    )


async def measure(store: Store, post_id: int) -> tuple[float, int]:
    from termnews.service import Service
    from termnews.tui.app import make_app

    app = make_app(Service(store, offline=True), no_refresh=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        painted = asyncio.Event()
        start = time.perf_counter()
        screen.open_post(post_id)  # type: ignore[attr-defined]
        screen.call_after_refresh(painted.set)
        await painted.wait()
        elapsed = time.perf_counter() - start
        assert screen.article.document is not None  # type: ignore[attr-defined]
        words = screen.article.document.word_count()  # type: ignore[attr-defined]
    return elapsed, words


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "a.sqlite3")
        source = store.add_source("https://example.com/", "Example", "feed")
        store.upsert_posts(source.id, [Entry("big", "https://example.com/big", "Big")])
        post = store.post_by_url("https://example.com/big")
        assert post is not None
        store.put_document(post.id, big_document())
        runs = [asyncio.run(measure(store, post.id)) for _ in range(3)]
        store.close()
    best = min(r[0] for r in runs)
    print(f"article: cached document of {runs[0][1]:,} words, open to first paint")
    print(f"  best of 3: {best * 1000:6.1f} ms  target ≤ 100 ms  ratio {best / 0.100:.2f}")
    return 0 if best <= 0.100 else 1


if __name__ == "__main__":
    raise SystemExit(main())
