"""Extraction quality and speed: the corpus scorer on ``termnews.extract.article.readable_text``.

Prints F1, precision, recall (4-gram shingles, the article-extraction-benchmark
metric) and p50/p95 milliseconds per page, then times rendering a 10,000-word
document. The corpus lives outside the repo, at ``../shared/corpus/extraction``
by default; pass ``--data DIR`` to score another copy (or the held-out half).

    uv run python benchmarks/extraction.py [--data DIR] [--extractor MODULE:FUNC]
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "corpus" / "extraction"


def score(data: Path, extractor: str, bootstrap: int) -> int:
    """Run the corpus's own scorer (stdlib-only) in this environment."""
    scorer = data / "score.py"
    if not scorer.is_file():
        print(f"error: no score.py in {data}", file=sys.stderr)
        return 2
    cmd = [sys.executable, str(scorer), "--data", str(data), "--extractor", extractor,
           "--n-bootstrap", str(bootstrap)]  # fmt: skip
    return subprocess.run(cmd, cwd=REPO, check=False).returncode


def time_render(words: int = 10_000, repeat: int = 5) -> None:
    """Median time to render a long document to lines at width 80."""
    from rich.console import Console

    from termnews.document import Document, Inline, Paragraph
    from termnews.formats.terminal import render_document

    sentence = "The quick brown fox jumps over the lazy dog near the quiet harbour wall. "
    count = words // 100 + 1
    blocks = tuple(
        Paragraph((Inline(sentence * 7), Inline("a link", href=f"https://e.org/{n}")))
        for n in range(count)
    )
    doc = Document(url="https://e.org/", title="Long read", blocks=blocks)
    console = Console(width=80, file=io.StringIO())
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        lines = console.render_lines(render_document(doc), console.options)
        times.append((time.perf_counter() - start) * 1000)
    print(f"render: {doc.word_count()} words -> {len(lines)} lines at width 80, "
          f"median {statistics.median(times):.1f} ms (min {min(times):.1f})")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="corpus folder")
    parser.add_argument("--extractor", default="termnews.extract.article:readable_text")
    parser.add_argument("--n-bootstrap", type=int, default=200)
    parser.add_argument("--no-render", action="store_true", help="skip the render timing")
    args = parser.parse_args(argv)
    status = score(args.data.resolve(), args.extractor, args.n_bootstrap)
    if not args.no_render:
        time_render()
    return status


if __name__ == "__main__":
    sys.exit(main())
