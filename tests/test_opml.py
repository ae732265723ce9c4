"""OPML import/export: folders as tags, and hostile files that must not hurt."""

from __future__ import annotations

import contextlib
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termnews.errors import TermnewsError
from termnews.formats.opml import OPMLError, export_opml, parse_opml
from termnews.models import Source

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<opml version="2.0"><head/><body>
<outline text="&lol9;" xmlUrl="http://example.test/feed"/>
</body></opml>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><head/><body>
<outline text="&secret;" xmlUrl="http://example.test/feed"/>
</body></opml>"""

COMMAND_OUTLINE = b"""<?xml version="1.0"?>
<opml version="2.0"><head/><body>
<outline text="cmd" xmlUrl="exec:rm -rf ~" type="rss"/>
<outline text="pipe" xmlUrl="|touch /tmp/termnews-pwned" type="rss"/>
<outline text="filter" xmlUrl="http://example.test/feed" filtercmd="touch /tmp/pwned"/>
</body></opml>"""


def test_billion_laughs_does_not_expand() -> None:
    started = time.monotonic()
    try:
        feeds = parse_opml(BILLION_LAUGHS)
    except OPMLError:
        feeds = []
    assert time.monotonic() - started < 1
    for feed in feeds:
        assert len(feed.title) < 1000


def test_external_entities_are_never_read() -> None:
    try:
        feeds = parse_opml(EXTERNAL_ENTITY)
    except OPMLError:
        return
    assert all("root:" not in f.title for f in feeds)


def test_command_outlines_are_only_data() -> None:
    feeds = parse_opml(COMMAND_OUTLINE)
    assert [f.url for f in feeds] == [
        "exec:rm -rf ~",
        "|touch /tmp/termnews-pwned",
        "http://example.test/feed",
    ]
    # parse_opml returns strings; the service validates them (only http/https are added).


def test_export_escapes_titles() -> None:
    source = Source(
        1,
        'http://a.test/"><x>',
        'A "quoted" <title> & more',
        "feed",
        'http://a.test/"><x>',
        tags=("F&Q",),
    )
    text = export_opml([source])
    [again] = parse_opml(text.encode())
    assert again.title == 'A "quoted" <title> & more'
    assert again.url == 'http://a.test/"><x>'
    assert again.tags == ("F&Q",)


@pytest.mark.parametrize(
    "data",
    [b"", b"not xml", b"<html></html>", b"<opml/>", b"\xff\xfe\x00<", b"<opml><body><outline"],
)
def test_bad_files_are_opml_errors(data: bytes) -> None:
    with pytest.raises(OPMLError):
        parse_opml(data)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_raise_only_our_error(data: bytes) -> None:
    with contextlib.suppress(TermnewsError):
        parse_opml(data)
