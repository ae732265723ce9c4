"""Extraction quality and speed on both dev sets, termnews against its references, in one run.

Scores, in this process and one run, ``termnews`` (``extract_document``),
readability-lxml alone and trafilatura alone on:

- ``../shared/corpus/extraction`` — token 4-gram F1 against hand-checked bodies,
  with that folder's own ``score.py`` (the article-extraction-benchmark metric);
- ``../shared/corpus/extraction-snippets`` — required/forbidden snippets, with that
  folder's ``score.py`` (trafilatura's own evaluation), plus title exact and byline
  for termnews where the annotation has them.

Prints F1, precision, recall, p50 and p95 milliseconds per page for each system;
times are wall clock around each call only, the systems taking turns on each
page, so compare systems within one run.
``--dump DIR`` writes each system's texts (and termnews's misses) for study.

    uv run python benchmarks/extraction.py [--extraction DIR] [--snippets DIR] [--dump DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"

Extractor = Callable[[str, str], tuple[str, str, str]]  # -> (text, title, byline)


def load_scorer(folder: Path) -> ModuleType:
    """The corpus's own stdlib-only ``score.py``, imported as a module."""
    path = folder / "score.py"
    spec = importlib.util.spec_from_file_location(f"score_{folder.name}", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"error: no score.py in {folder}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def termnews_extractor() -> Extractor:
    """termnews's whole extraction, all candidates included: text, title and byline."""
    from termnews.extract.article import ExtractError, body_lines, extract_document

    def run(html: str, url: str) -> tuple[str, str, str]:
        try:
            doc = extract_document(html, url)
        except ExtractError:
            return "", "", ""
        return "\n".join(body_lines(doc.blocks)), doc.title, doc.byline

    return run


def readability_extractor() -> Extractor:
    """readability-lxml alone: ``Document(html).summary()`` as text, one line per block."""
    from lxml.html import fromstring
    from readability import Document

    def run(html: str, url: str) -> tuple[str, str, str]:
        summary = Document(html, url=url).summary(html_partial=True)
        root = fromstring(summary)
        lines = [" ".join(el.text_content().split()) for el in root.iter(*_BLOCK_TAGS)]
        return "\n".join(line for line in lines if line), "", ""

    return run


_BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "td", "blockquote")


def trafilatura_extractor() -> Extractor:
    """trafilatura alone, as its README's comparison runs it (comments left out)."""
    import trafilatura

    def run(html: str, url: str) -> tuple[str, str, str]:
        return trafilatura.extract(html, include_comments=False) or "", "", ""

    return run


def timed(
    systems: dict[str, Extractor], pages: list[tuple[str, str]]
) -> dict[str, tuple[list[Any], list[float], int]]:
    """Run every system over (html, url) pages, page by page in turn, after one warm-up call.

    The systems take turns on each page, so a machine that gets busier or quieter
    during the run slows them alike (run one after the other, the first system
    met a different machine from the last). Per system: results, ms, errors.
    """
    runs: dict[str, tuple[list[Any], list[float], int]] = {}
    for func in systems.values():
        with contextlib.suppress(Exception):  # a warm-up crash is counted in the run below
            func(*pages[0])
    outs: dict[str, list[Any]] = {name: [] for name in systems}
    times: dict[str, list[float]] = {name: [] for name in systems}
    errors = dict.fromkeys(systems, 0)
    for html, url in pages:
        for name, func in systems.items():
            start = time.perf_counter()
            try:
                outs[name].append(func(html, url))
            except Exception:  # noqa: BLE001 - an extractor crash is an empty answer
                outs[name].append(("", "", ""))
                errors[name] += 1
            times[name].append((time.perf_counter() - start) * 1000)
    for name in systems:
        runs[name] = (outs[name], times[name], errors[name])
    return runs


def pct(times: list[float], q: int) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[q - 1]


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _names(value: Any) -> set[str]:
    items = (
        value if isinstance(value, list) else re.split(r"\s*(?:,|;|&|\band\b|\bund\b)\s*", value)
    )
    return {_norm(n) for n in items if _norm(n)}


def byline_right(truth: Any, byline: str) -> bool:
    """Every annotated author name is in the byline, and the byline names nobody else."""
    want, got = _names(truth), _names(byline)
    return bool(want) and want == got


def score_extraction(folder: Path, systems: dict[str, Extractor], dump: Path | None) -> None:
    scorer = load_scorer(folder)
    pages = scorer.load_pages([folder])
    inputs = [(p.html(), p.url) for p in pages]
    print(f"\n{folder.name}: {len(pages)} pages, token 4-gram F1 (score.py)")
    print(f"{'system':<14}{'F1':>7}{'prec':>7}{'recall':>7}{'p50 ms':>8}{'p95 ms':>8}"
          f"{'err':>5}{'empty':>6}")  # fmt: skip
    runs = timed(systems, inputs)
    for name in systems:
        out, times, errors = runs[name]
        scores = [scorer.PageScore(p.truth, o[0]) for p, o in zip(pages, out, strict=True)]
        m = scorer.aggregate(scores)
        empty = sum(1 for o in out if not o[0].strip())
        print(_row(name, m, times, errors, empty))
        if dump:
            per_page = {
                p.item_id: {"text": o[0], "p": s.precision, "r": s.recall}
                for p, o, s in zip(pages, out, scores, strict=True)
            }
            _write(dump / f"extraction-{name}.json", per_page)


def score_snippets(folder: Path, systems: dict[str, Extractor], dump: Path | None) -> None:
    scorer = load_scorer(folder)
    pages = scorer.load_pages([folder])
    inputs = [(p.html(), p.url) for p in pages]
    print(f"\n{folder.name}: {len(pages)} pages, with/without snippets (score.py)")
    print(f"{'system':<14}{'F1':>7}{'prec':>7}{'recall':>7}{'p50 ms':>8}{'p95 ms':>8}"
          f"{'err':>5}{'empty':>6}{'title':>7}{'byline':>7}")  # fmt: skip
    runs = timed(systems, inputs)
    for name in systems:
        out, times, errors = runs[name]
        counts = [scorer.count_item(p.item, o[0]) for p, o in zip(pages, out, strict=True)]
        m = scorer.aggregate(counts)
        empty = sum(1 for o in out if not o[0].strip())
        titles = [(p.item["title"], o[1]) for p, o in zip(pages, out, strict=True)
                  if p.item.get("title")]  # fmt: skip
        authors = [(p.item["author"], o[2]) for p, o in zip(pages, out, strict=True)
                   if p.item.get("author")]  # fmt: skip
        line = _row(name, m, times, errors, empty)
        if name == "termnews":
            title_ok = sum(_norm(t) == _norm(got) for t, got in titles) / max(1, len(titles))
            by_ok = sum(byline_right(t, got) for t, got in authors) / max(1, len(authors))
            line += f"{title_ok:7.1%}{by_ok:7.1%}"
        print(line, flush=True)
        if dump:
            per_page = {
                p.item["id"]: {
                    "text": o[0],
                    "title": o[1],
                    "byline": o[2],
                    "counts": c,
                    **scorer.page_detail(p.item, o[0]),
                }  # fmt: skip
                for p, o, c in zip(pages, out, counts, strict=True)
            }
            _write(dump / f"snippets-{name}.json", per_page)


def _row(name: str, m: dict[str, float], times: list[float], errors: int, empty: int) -> str:
    scores = f"{m['f1']:7.3f}{m['precision']:7.3f}{m['recall']:7.3f}"
    speed = f"{statistics.median(times):8.1f}{pct(times, 95):8.1f}"
    return f"{name:<14}{scores}{speed}{errors:5d}{empty:6d}"


def _write(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extraction", type=Path, default=CORPUS / "extraction")
    parser.add_argument("--snippets", type=Path, default=CORPUS / "extraction-snippets")
    parser.add_argument("--only", choices=("termnews", "readability", "trafilatura"),
                        action="append", help="score only these systems (repeatable)")  # fmt: skip
    parser.add_argument("--dump", type=Path, help="write texts and misses to DIR")
    args = parser.parse_args(argv)
    sys.dont_write_bytecode = True
    makers = {"termnews": termnews_extractor, "readability": readability_extractor,
              "trafilatura": trafilatura_extractor}  # fmt: skip
    systems = {n: make() for n, make in makers.items() if not args.only or n in args.only}
    if args.extraction.is_dir():
        score_extraction(args.extraction.resolve(), systems, args.dump)
    if args.snippets.is_dir():
        score_snippets(args.snippets.resolve(), systems, args.dump)
    return 0


if __name__ == "__main__":
    sys.exit(main())
