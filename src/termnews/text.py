"""Sanitising untrusted text from the web before it is stored or shown.

Feed titles and page text are data: they must never move the cursor, retitle
or clear the terminal, write the clipboard, or disguise themselves with bidi
overrides. Everything here is pure and fast, because it runs on every title.
"""

from __future__ import annotations

import html
import re
import unicodedata

# ESC-introduced sequences (7-bit forms):
#   CSI: ESC [ params intermediates final
#   OSC/DCS/APC/PM/SOS: ESC ] P _ ^ X … up to BEL or ST (ESC \\), or the end of the text
#   any other escape: ESC + intermediates + one final character
# 8-bit C1 introducers (U+0080–U+009F) are removed as single characters with the
# other controls below: in decoded text they are usually mis-decoded punctuation,
# and eating "the rest of the string" after one would lose real words.
_ESCAPES = re.compile(
    r"""
    \x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?          # CSI
  | \x1b[\]P_^X][^\x07\x1b]*(?:\x07|\x1b\\)?            # OSC DCS APC PM SOS
  | \x1b[\x20-\x2f]*[\x30-\x7e]?                         # other ESC sequences
    """,
    re.VERBOSE,
)

# C0 controls except tab and newline, DEL, C1 controls.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Bidi embedding, override and isolate controls (not the harmless LRM/RLM marks).
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")

# Line and paragraph separators, zero-width no-break used as BOM mid-text.
_ODD_SPACE = re.compile("[\u2028\u2029\ufeff]")

_TAGS = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")


def strip_unsafe(text: str) -> str:
    """Remove escape sequences, control characters (but newline and tab) and bidi overrides.

    Well-formed Unicode — CJK, right-to-left scripts, emoji — is kept as it is.
    """
    if not text:
        return ""
    text = _ESCAPES.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROLS.sub("", text)
    text = _BIDI.sub("", text)
    return _ODD_SPACE.sub(" ", text)


def clean_line(text: str | None) -> str:
    """A safe single line: sanitised, whitespace collapsed (for titles, authors, names)."""
    if not text:
        return ""
    return _SPACES.sub(" ", strip_unsafe(text)).strip()


def html_to_line(fragment: str | None) -> str:
    """Plain text of an HTML fragment as one safe line (titles that carry tags or entities)."""
    if not fragment:
        return ""
    if "<" in fragment:
        fragment = _TAGS.sub(" ", fragment)
    return clean_line(html.unescape(fragment))


def truncate(text: str, width: int, ellipsis: str = "…") -> str:
    """Cut ``text`` to at most ``width`` characters, ending with an ellipsis when cut."""
    if width <= 0:
        return ""
    if len(text) <= width:
        return text
    return text[: max(0, width - len(ellipsis))] + ellipsis


def is_printable_safe(text: str) -> bool:
    """True when ``text`` holds no control character but newline and tab."""
    return not any(
        (unicodedata.category(ch) == "Cc" and ch not in "\n\t") or _BIDI.match(ch) for ch in text
    )


# Characters XML 1.0 (and so lxml) refuses in text: C0 controls but tab/newline/CR,
# lone surrogates, and the two non-characters U+FFFE/U+FFFF.
_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without escape sequences and the characters lxml refuses.

    Run on whole pages before parsing, so a hostile page cannot make lxml fail
    later, and escape sequences go whole (not just their ESC byte).
    """
    return _XML_INCOMPATIBLE.sub("", _ESCAPES.sub("", text))
