"""The sanitiser: escape sequences, control characters and bidi overrides never survive."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from termnews.text import clean_line, html_to_line, is_printable_safe, strip_unsafe, truncate

ESC = "\x1b"

CASES = [
    # (rule, hostile input, expected output)
    ("OSC title change, BEL", f"a{ESC}]0;pwned\x07b", "ab"),
    ("OSC title change, ST", f"a{ESC}]2;pwned{ESC}\\b", "ab"),
    ("OSC 8 hyperlink", f"{ESC}]8;;http://evil.test{ESC}\\click{ESC}]8;;{ESC}\\", "click"),
    ("OSC 52 clipboard write", f"x{ESC}]52;c;cm0gLXJmIH4=\x07y", "xy"),
    ("CSI clear screen", f"{ESC}[2Jtitle", "title"),
    ("CSI colour", f"{ESC}[1;31mred{ESC}[0m", "red"),
    ("CSI cursor move", f"a{ESC}[10;20Hb", "ab"),
    ("8-bit CSI introducer removed", "a\x9b2Jb", "a2Jb"),
    ("8-bit OSC introducer removed", "a\x9d0;t\x07b", "a0;tb"),
    ("DCS", f"a{ESC}Pq#0;2;0;0;0{ESC}\\b", "ab"),
    ("APC", f"a{ESC}_Gf=100;AAAA{ESC}\\b", "ab"),
    ("PM", f"a{ESC}^private{ESC}\\b", "ab"),
    ("SOS", f"a{ESC}Xstring{ESC}\\b", "ab"),
    ("two-char escape (RIS)", f"a{ESC}cb", "ab"),
    ("lone ESC at end", f"ab{ESC}", "ab"),
    ("C0 controls", "a\x00\x01\x07\x08\x0b\x0c\x7fb", "ab"),
    ("C1 controls", "a\x85\x90\x9fb", "ab"),
    ("carriage return", "a\rb", "a\nb"),
    ("bidi override", "a\u202eevil\u202cb", "aevilb"),
    ("bidi isolate", "a\u2066x\u2069b", "axb"),
    ("tab and newline kept", "a\tb\nc", "a\tb\nc"),
    ("CJK kept", "東京のニュース", "東京のニュース"),
    ("RTL script kept", "مرحبا بالعالم", "مرحبا بالعالم"),
    ("emoji kept", "📰 news 👍🏽", "📰 news 👍🏽"),
    ("combining marks kept", "e\u0301te\u0301", "e\u0301te\u0301"),
    ("Rich markup is just text", "[bold red]x[/]", "[bold red]x[/]"),
]


@pytest.mark.parametrize(("rule", "hostile", "expected"), CASES, ids=[c[0] for c in CASES])
def test_sanitising_rules(rule: str, hostile: str, expected: str) -> None:
    assert strip_unsafe(hostile) == expected


def test_clean_line_collapses_whitespace() -> None:
    assert clean_line(f"  a\n\tb {ESC}[2J c  ") == "a b c"
    assert clean_line(None) == ""


def test_html_to_line() -> None:
    assert html_to_line("<b>Bold</b> &amp; <i>brave</i>") == "Bold & brave"
    assert html_to_line("&lt;script&gt;") == "<script>"
    out = html_to_line(f"x&#27;[2J{ESC}[2Jy&#x9b;")
    assert ESC not in out and out.startswith("x") and "y" in out
    assert is_printable_safe(out)


def test_truncate() -> None:
    assert truncate("abcdef", 4) == "abc…"
    assert truncate("abc", 4) == "abc"
    assert truncate("abc", 0) == ""


@given(st.text())
def test_no_control_character_survives(text: str) -> None:
    out = strip_unsafe(text)
    assert ESC not in out
    assert is_printable_safe(out)
    for ch in out:
        assert unicodedata.category(ch) != "Cc" or ch in "\n\t"


@given(st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"))))
def test_clean_text_is_unchanged(text: str) -> None:
    bidi = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
    if not bidi.intersection(text):
        assert strip_unsafe(text) == text


@given(st.text())
def test_clean_line_is_one_line(text: str) -> None:
    out = clean_line(text)
    assert "\n" not in out and "\t" not in out and is_printable_safe(out)


def test_xml_safe_keeps_text_and_drops_what_lxml_refuses() -> None:
    from termnews.text import xml_safe

    assert xml_safe("a\x00b\x0bc\ud800d\ufffe") == "abcd"
    assert xml_safe(f"x{ESC}[2Jy{ESC}]0;t\x07z") == "xyz"
    assert xml_safe("tab\tnl\ncr\r東京 📰") == "tab\tnl\ncr\r東京 📰"
