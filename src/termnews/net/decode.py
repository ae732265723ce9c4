"""Bytes from the web → text: bounded decompression, then the charset.

Content-Encoding (gzip, deflate, br) is undone in bounded pieces so a
decompression bomb cannot allocate more than a small multiple of the body cap.
Charsets come from the HTTP header, a BOM, the document's own declaration, or
detection; servers and documents lie about encodings often enough that decoding
must never raise: every step that cannot decide falls through to the next, and
the last resort is UTF-8 with replacement characters.
"""

from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import Iterator

__all__ = [
    "ContentDecodingError",
    "charset_from_content_type",
    "decode_body",
    "detect_encoding",
    "make_decoder",
    "normalise_charset",
]

# Largest piece of decompressed output produced at once.
_PIECE = 256 * 1024


class ContentDecodingError(Exception):
    """The body's Content-Encoding is unknown or its compressed data is corrupt."""


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        if data:
            yield data

    def flush(self) -> Iterator[bytes]:
        return iter(())


class _Zlib:
    """gzip or deflate; ``deflate`` is tried zlib-wrapped first, then raw (as browsers do)."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._started = False
        self._obj = zlib.decompressobj(zlib.MAX_WBITS | 16 if gzip else zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            try:
                yield from self._inflate(data)
            except zlib.error:
                if self._gzip or self._started:
                    raise
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                yield from self._inflate(data)
        except zlib.error as exc:
            raise ContentDecodingError(f"corrupt compressed data ({exc})") from None

    def _inflate(self, data: bytes) -> Iterator[bytes]:
        while not self._obj.eof:
            out = self._obj.decompress(data, _PIECE)
            data = self._obj.unconsumed_tail
            if out:
                self._started = True
                yield out
            elif not data:
                break

    def flush(self) -> Iterator[bytes]:
        yield from self.feed(b"")


class _Brotli:
    def __init__(self) -> None:
        import brotli

        self._error = brotli.error
        self._obj = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            try:
                out = self._obj.process(data, output_buffer_limit=_PIECE)
            except TypeError:  # brotli < 1.2 cannot bound its output
                yield self._obj.process(data)
                return
            # The output limit is soft (a piece may reach about twice it) and output
            # can be pending even when more input is accepted: drain until nothing comes.
            while out:
                yield out
                out = self._obj.process(b"", output_buffer_limit=_PIECE)
        except self._error as exc:
            raise ContentDecodingError(f"corrupt compressed data ({exc})") from None

    def flush(self) -> Iterator[bytes]:
        return iter(())


class _Chain:
    """Several encodings applied in order ("gzip, br" is undone as br, then gzip)."""

    def __init__(self, decoders: list[_Identity | _Zlib | _Brotli]) -> None:
        self._decoders = decoders

    def feed(self, data: bytes) -> Iterator[bytes]:
        return self._through(0, data)

    def _through(self, index: int, data: bytes) -> Iterator[bytes]:
        if index == len(self._decoders):
            yield data
            return
        for piece in self._decoders[index].feed(data):
            yield from self._through(index + 1, piece)

    def flush(self) -> Iterator[bytes]:
        for index, decoder in enumerate(self._decoders):
            for piece in decoder.flush():
                yield from self._through(index + 1, piece)


def make_decoder(content_encoding: str | None) -> _Chain:
    """A streaming decoder for a Content-Encoding header: ``feed(raw)`` and ``flush()``
    yield decompressed pieces of at most 256 KiB. Raises ContentDecodingError for an
    encoding termnews did not ask for."""
    decoders: list[_Identity | _Zlib | _Brotli] = []
    names = [n.strip().lower() for n in (content_encoding or "").split(",") if n.strip()]
    for name in reversed(names):
        if name in ("identity", ""):
            continue
        if name in ("gzip", "x-gzip"):
            decoders.append(_Zlib(gzip=True))
        elif name == "deflate":
            decoders.append(_Zlib(gzip=False))
        elif name == "br":
            decoders.append(_Brotli())
        else:
            raise ContentDecodingError(f"unsupported content encoding: {name[:40]}")
    return _Chain(decoders or [_Identity()])


# How far into a document the <?xml encoding> / <meta charset> declarations are looked for.
_SCAN_BYTES = 2048

# Labels that browsers (WHATWG Encoding) read as a superset of what they name;
# decoding with the superset reads real-world pages right where the strict codec fails.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "ansi_x3.4-1968": "cp1252",
    "iso-8859-9": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "big5": "big5hkscs",
    "x-mac-roman": "mac_roman",
    "unicode-1-1-utf-8": "utf-8",
    "utf8": "utf-8",
}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?\s*([^\s"';,>]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([^\s"'/>;]+)""", re.IGNORECASE)


def normalise_charset(label: str | None) -> str | None:
    """The Python codec for a charset label, or None when the label names no known text codec.

    Legacy labels map to the supersets browsers use (GB2312 → gb18030,
    ISO-8859-1 → windows-1252, Shift_JIS → cp932).
    """
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    if not name or len(name) > 40:
        return None
    name = _SUPERSETS.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    # Only real text encodings: "base64", "rot13", "zlib" etc. are codecs too.
    if not getattr(info, "_is_text_encoding", True):
        return None
    return _SUPERSETS.get(info.name, info.name)


def charset_from_content_type(content_type: str | None) -> str | None:
    """The raw ``charset=`` parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    match = _CHARSET_PARAM.search(content_type)
    return match.group(1) if match else None


def _bom_encoding(body: bytes) -> str | None:
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    return None


def _declared_encoding(body: bytes) -> str | None:
    """The encoding a document declares in its first bytes (XML prolog or HTML <meta>)."""
    head = body[:_SCAN_BYTES]
    for pattern in (_XML_DECL, _META_CHARSET):
        match = pattern.search(head)
        if match:
            codec = normalise_charset(match.group(1).decode("ascii", "replace"))
            if codec is None:
                continue
            # The declaration was readable as ASCII, so the bytes are not UTF-16/32
            # (a BOM would have said so): browsers read such a claim as UTF-8.
            if codec.startswith(("utf-16", "utf-32")):
                return "utf-8"
            return codec
    return None


def _detected_encoding(body: bytes) -> str | None:
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(body[:65536]).best()
    except Exception:  # detection is a heuristic: any failure means "no opinion"
        return None
    codec = normalise_charset(best.encoding) if best is not None else None
    # Without a BOM, a guess of UTF-16/32 is nearly always wrong (short or binary input).
    if codec is None or codec.startswith(("utf-16", "utf-32")):
        return None
    return codec


def detect_encoding(body: bytes, content_type: str | None = None) -> str:
    """The codec to read ``body`` with, following PRODUCT.md "Fetching".

    A byte-order mark wins even over the HTTP charset (as in browsers: it cannot
    be there by accident); then the HTTP charset, the document's own declaration,
    detection, and finally UTF-8.
    """
    return (
        _bom_encoding(body)
        or normalise_charset(charset_from_content_type(content_type))
        or _declared_encoding(body)
        or _detected_encoding(body)
        or "utf-8"
    )


def decode_body(body: bytes, content_type: str | None) -> str:
    """Decode a response body to text; never raises, bad bytes become U+FFFD."""
    if not body:
        return ""
    try:
        encoding = detect_encoding(body, content_type)
    except Exception:  # belt and braces: decoding must never take a refresh down
        encoding = "utf-8"
    try:
        text = body.decode(encoding, errors="replace")
    except Exception:
        text = body.decode("utf-8", errors="replace")
    return text[1:] if text.startswith("\ufeff") else text
