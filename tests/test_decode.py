"""Charset decoding and bounded content decoding: right text for real encodings, never a crash."""

from __future__ import annotations

import codecs
import gzip
import os
import zlib

import brotli
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termnews.net.decode import (
    ContentDecodingError,
    decode_body,
    detect_encoding,
    make_decoder,
    normalise_charset,
)

RUSSIAN = "Новости дня: правительство объявило о новых мерах поддержки"
JAPANESE = "日本語のニュース：東京で新しい博物館が開館しました"
CHINESE = "中文新闻：北京今天天气晴朗，气温适中"
FRENCH = "Café « déjà vu » — l’été à Paris coûte 5 €"


@pytest.mark.parametrize(
    ("text", "codec", "label"),
    [
        (RUSSIAN, "cp1251", "windows-1251"),
        (JAPANESE, "shift_jis", "Shift_JIS"),
        (CHINESE, "gb18030", "GB2312"),
        (FRENCH, "cp1252", "ISO-8859-1"),  # ISO-8859-1 labels are read as windows-1252
        (FRENCH, "utf-8", "UTF-8"),
    ],
)
def test_http_charset(text: str, codec: str, label: str) -> None:
    assert decode_body(text.encode(codec), f"text/html; charset={label}") == text


@pytest.mark.parametrize(
    ("text", "codec", "label"),
    [
        (RUSSIAN, "cp1251", "windows-1251"),
        (JAPANESE, "shift_jis", "Shift_JIS"),
        (CHINESE, "gb18030", "gb2312"),
    ],
)
def test_xml_prolog_and_meta_declarations(text: str, codec: str, label: str) -> None:
    xml = f'<?xml version="1.0" encoding="{label}"?>\n<rss><title>{text}</title></rss>'
    assert decode_body(xml.encode(codec), "application/rss+xml") == xml
    html5 = f'<!doctype html><html><head><meta charset="{label}"><title>{text}</title>'
    assert decode_body(html5.encode(codec), "text/html") == html5
    html4 = (
        '<html><head><meta http-equiv="Content-Type" '
        f'content="text/html; charset={label}"><title>{text}</title>'
    )
    assert decode_body(html4.encode(codec), None) == html4


def test_http_charset_wins_over_the_document_declaration() -> None:
    xml = f'<?xml version="1.0" encoding="utf-8"?><t>{RUSSIAN}</t>'
    assert decode_body(xml.encode("cp1251"), "text/xml; charset=windows-1251") == xml


def test_bom_is_honoured_and_removed() -> None:
    assert decode_body(codecs.BOM_UTF8 + RUSSIAN.encode(), "text/html; charset=cp1251") == RUSSIAN
    assert decode_body(codecs.BOM_UTF16_LE + RUSSIAN.encode("utf-16-le"), None) == RUSSIAN
    assert decode_body(codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"), None) == FRENCH


def test_bogus_charset_falls_through() -> None:
    body = f'<?xml version="1.0" encoding="windows-1251"?><t>{RUSSIAN}</t>'.encode("cp1251")
    assert RUSSIAN in decode_body(body, "text/xml; charset=no-such-charset")
    assert decode_body(b"plain", "text/plain; charset=base64") == "plain"  # not a text codec
    assert decode_body(b"plain", "text/plain; charset=") == "plain"


def test_detection_without_any_declaration() -> None:
    body = (RUSSIAN + ". " + RUSSIAN).encode("cp1251")
    assert decode_body(body, "text/plain") == RUSSIAN + ". " + RUSSIAN


def test_invalid_utf8_is_replaced_not_raised() -> None:
    text = decode_body(b"ok \xff\xfe\xc3 end", "text/plain; charset=utf-8")
    assert text.startswith("ok ") and text.endswith(" end") and "\ufffd" in text


def test_declared_utf16_without_bom_reads_as_utf8() -> None:
    xml = f'<?xml version="1.0" encoding="utf-16"?><t>{FRENCH}</t>'
    assert decode_body(xml.encode("utf-8"), None) == xml


def test_empty_and_binary() -> None:
    assert decode_body(b"", "text/html") == ""
    assert isinstance(decode_body(os.urandom(4096), None), str)


def test_normalise_charset() -> None:
    assert normalise_charset("GB2312") == "gb18030"
    assert normalise_charset("ISO-8859-1") == "cp1252"
    assert normalise_charset("Windows-1251") == "cp1251"
    assert normalise_charset("utf8") == "utf-8"
    assert normalise_charset("rot13") is None
    assert normalise_charset("x" * 100) is None
    assert normalise_charset(None) is None


def test_detect_encoding_order() -> None:
    assert detect_encoding(b"abc", "text/html; charset=koi8-r") == "koi8-r"
    assert detect_encoding(b'<?xml version="1.0" encoding="koi8-r"?>', None) == "koi8-r"
    assert detect_encoding(b"plain ascii", None) == "utf-8"


@settings(max_examples=200, deadline=None)
@given(body=st.binary(max_size=512), ctype=st.one_of(st.none(), st.text(max_size=40)))
def test_decode_body_never_raises(body: bytes, ctype: str | None) -> None:
    assert isinstance(decode_body(body, ctype), str)


@settings(max_examples=100, deadline=None)
@given(label=st.text(max_size=30), body=st.binary(max_size=64))
def test_declared_labels_never_raise(label: str, body: bytes) -> None:
    prolog = f'<?xml version="1.0" encoding="{label}"?>'.encode("utf-8", "replace")
    assert isinstance(decode_body(prolog + body, f"text/xml; charset={label}"), str)


# --- content decoding ------------------------------------------------------------------


def _run(encoding: str, data: bytes, chunk: int = 1000) -> list[bytes]:
    decoder = make_decoder(encoding)
    pieces: list[bytes] = []
    for i in range(0, len(data), chunk):
        pieces.extend(decoder.feed(data[i : i + chunk]))
    pieces.extend(decoder.flush())
    return pieces


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("br", brotli.compress),
        ("identity", lambda b: b),
        ("", lambda b: b),
        ("gzip, br", lambda b: brotli.compress(gzip.compress(b))),
    ],
)
def test_content_decoders_round_trip(encoding: str, compress) -> None:
    body = os.urandom(1000) + bytes(3 * 1024 * 1024)
    assert b"".join(_run(encoding, compress(body))) == body


@pytest.mark.parametrize(
    ("encoding", "compress"), [("gzip", gzip.compress), ("br", brotli.compress)]
)
def test_content_decoders_yield_bounded_pieces(encoding: str, compress) -> None:
    bomb = compress(bytes(16 * 1024 * 1024))
    pieces = _run(encoding, bomb, chunk=len(bomb))  # the whole bomb in one network read
    assert max(len(p) for p in pieces) <= 1024 * 1024  # brotli's limit is soft (≈ 2 × 256 KiB)
    assert sum(len(p) for p in pieces) == 16 * 1024 * 1024


def test_raw_deflate_fallback() -> None:
    body = b"raw deflate " * 1000
    raw = zlib.compress(body)[2:-4]
    assert b"".join(_run("deflate", raw, chunk=7)) == body


def test_corrupt_and_unknown_encodings_raise_content_decoding_error() -> None:
    with pytest.raises(ContentDecodingError):
        _run("gzip", b"\x1f\x8b\x08\x00garbage-garbage-garbage")
    with pytest.raises(ContentDecodingError):
        _run("br", b"\xff\xff\xff\xff not brotli")
    with pytest.raises(ContentDecodingError, match="zstd"):
        make_decoder("zstd")
