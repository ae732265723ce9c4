"""readability-lxml, same results for less work: its repeated measurements made once.

readability measures every candidate element with ``len(clean(text_content()))``
and on big pages spends most of its time there:

- ``clean`` makes three regex passes over the text (``\\s{255,}`` counting each
  run again from each of its characters). Each pass only ever changes a whole
  whitespace run, and what a run becomes depends on that run alone, so one pass
  over the runs of two or more (and lone tabs) gives the same text;
- ``score_paragraphs`` asks the link density of every parent and grandparent of
  a paragraph, measuring the same links and boxes again for each nested box. The
  tree does not change while it scores, so ``MeasuredOnce`` keeps each length;
- ``sanitize`` measures a box, then asks its link density, which measures the
  box again: the length just measured is reused;
- ``transform_misused_divs_into_paragraphs`` serialises every child of every
  ``<div>`` to search it for a block tag (``<p``, ``<div``…), so nested boxes are
  serialised again at each level; a child that holds such an element certainly
  matches, and is answered with that tag alone (the others are serialised);
- ``remove_unlikely_candidates`` and ``class_weight`` search every element's
  class and id for readability's words, and pages repeat the same few class
  names: each answer is remembered (``_RememberedSearch``);
- its debug messages are formatted whether or not debug logging is on, and
  describing a node walks up the tree (and, in ``sanitize``, the box's text):
  with debug logging off, the description is not made.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from typing import Any

from lxml.html import HtmlElement

_RUN = re.compile(r"\s{2,}|\t")  # a whole whitespace run of two or more, or a lone tab
_SPACE_RUN = re.compile(r"\t|[ \t]{2,}")  # readability's third pass
_TWO_SPACES = re.compile(r"\s\s")
replaced: dict[str, Any] = {}  # readability's own functions, once replaced (for the tests)
replaced_patterns: dict[str, Any] = {}  # and its own class-name patterns
_last = threading.local()  # the element readability measured last, and its length


def clean(text: str) -> str:
    """Exactly readability's ``clean``: long runs capped, newline runs one newline, spaces one.

    Text without a newline, a tab or two whitespace characters in a row has no
    run for any of the three passes to change: only its ends are stripped.
    """
    if "\n" not in text and "\t" not in text and _TWO_SPACES.search(text) is None:
        return text.strip()
    return _RUN.sub(_cleaned_run, text).strip()


def _cleaned_run(match: re.Match[str]) -> str:
    """What readability's three passes make of one whitespace run.

    ``\\s{255,}`` → 255 spaces (which the third pass makes one); a run holding a
    newline → one newline (``\\s*\\n\\s*`` takes the whole run); otherwise the
    third pass, ``\\t|[ \\t]{2,}`` → a space, on the run itself (it cannot reach
    past the run's ends).
    """
    run = match.group()
    if len(run) >= 255:
        return " "
    if "\n" in run:
        return "\n"
    return _SPACE_RUN.sub(" ", run)


def text_length(el: HtmlElement) -> int:
    """readability's ``text_length``, noting the answer for the link density asked next."""
    size = len(clean(el.text_content() or ""))
    _last.measured = (el, size)
    return size


def _last_measured(el: HtmlElement) -> int | None:
    """The length just measured, when it was ``el``'s and nothing was measured since."""
    last = getattr(_last, "measured", None)
    _last.measured = None
    return last[1] if last is not None and last[0] is el else None


class MeasuredOnce:
    """A mixin for readability's ``Document``: each element's text length measured once.

    Inside ``score_paragraphs`` (which changes nothing) lengths are kept per
    element; elsewhere (the tree changes between questions) only the length
    measured by the call just before is reused.
    """

    _lengths: dict[HtmlElement, int] | None = None

    def summary(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().summary(*args, **kwargs)  # type: ignore[misc]
        finally:
            _last.measured = None  # hold no element of this page past its extraction

    def score_paragraphs(self) -> Any:
        self._lengths = {}
        try:
            return super().score_paragraphs()  # type: ignore[misc]
        finally:
            self._lengths = None

    def get_link_density(self, elem: HtmlElement) -> float:
        """readability's ``get_link_density``: linked characters over all characters."""
        total = _last_measured(elem)
        length = self._length
        if total is None:
            total = length(elem)
        link_length = 0
        for link in elem.findall(".//a"):
            link_length += length(link)
        _last.measured = None
        return float(link_length) / max(total, 1)

    def _length(self, el: HtmlElement) -> int:
        lengths = self._lengths
        if lengths is None:
            return len(clean(el.text_content() or ""))
        size = lengths.get(el)
        if size is None:
            size = lengths[el] = len(clean(el.text_content() or ""))
        return size


_BLOCK_TAGS = ("blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul")


def _serialised(el: HtmlElement, **kwargs: Any) -> bytes:
    """What readability's block-tag search needs of lxml's ``tostring(el)``.

    readability searches the serialisation for ``<`` and a block tag's name; when
    ``el`` is or holds a block element, its serialisation holds that start tag,
    so the tag is the answer. Otherwise it is serialised as readability does.
    """
    block = next(el.iter(*_BLOCK_TAGS), None)
    if block is not None:
        return f"<{block.tag}".encode()
    return bytes(replaced["tostring"](el, **kwargs))


class _RememberedSearch:
    """A compiled pattern whose ``search`` answers found or not, remembered per text.

    readability only asks whether its class-name patterns are found, never what
    matched, so a remembered yes or no is the same answer.
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.search = functools.lru_cache(maxsize=4096)(self._found)

    def _found(self, text: str) -> bool:
        return self.pattern.search(text) is not None


_CLASS_NAME_PATTERNS = (
    "unlikelyCandidatesRe",
    "okMaybeItsACandidateRe",
    "positiveRe",
    "negativeRe",
)


def _describe(node: Any, depth: int = 1) -> str:
    """readability's node description, made only when its debug messages are shown."""
    if not logging.getLogger("readability.readability").isEnabledFor(logging.DEBUG):
        return ""
    return str(replaced["describe"](node, depth))


def _text_content(elem: Any, length: int = 40) -> str:
    """readability's text excerpt for a debug message, made only when those are shown."""
    if not logging.getLogger("readability.readability").isEnabledFor(logging.DEBUG):
        return ""
    return str(replaced["text_content"](elem, length))


@functools.cache
def use_faster_readability() -> None:
    """Replace readability's module-level helpers (its methods look them up there)."""
    import readability.readability as module

    for name, faster in (
        ("clean", clean), ("text_length", text_length),
        ("describe", _describe), ("text_content", _text_content), ("tostring", _serialised),
    ):  # fmt: skip
        replaced[name] = getattr(module, name)
        setattr(module, name, faster)
    for key in _CLASS_NAME_PATTERNS:
        replaced_patterns[key] = module.REGEXES[key]
        module.REGEXES[key] = _RememberedSearch(module.REGEXES[key])
