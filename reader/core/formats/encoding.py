"""Bytes to text: BOMs, UTF-8, legacy encodings, binary files.

The order is cheapest and surest first: a byte-order mark; the 7-bit escape
encodings (ISO-2022, HZ) that would otherwise pass as ASCII; strict UTF-8; an
encoding the document declares (an HTML ``<meta charset>``); and last the
statistical detector from ``chardet``. Files that look like binary
data raise :class:`NotText` with a reason a person can read.
"""

from __future__ import annotations

import codecs
import re

__all__ = ["NotText", "decode", "clean_text"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC = (
    (b"\x1f\x8b", "gzip data"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x7fELF", "an executable"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

_SAMPLE = 64 * 1024
# ANSI escape sequences (colours, cursor moves) and other C0/C1 controls.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
# control characters, and lone surrogates (a declared UTF-7 or unicode_escape decodes them;
# no UTF-8 can hold them, so the index, the store and the screen could not either)
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f\x80-\x9f\ud800-\udfff]")


class NotText(ValueError):
    """The bytes are not a text document; ``str(error)`` says why."""


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data``; return the text and the name of the encoding used."""
    if not data:
        return "", "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, errors="replace"), name + "-sig"
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise NotText(f"binary file ({what})")
    head = data[:_SAMPLE]
    if b"\x00" in head:
        return _decode_wide(data)
    escaped = _decode_seven_bit(data)
    if escaped is not None:
        return escaped
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        # a truncated multibyte sequence at the very end is still UTF-8
        if error.start >= len(data) - 3 and _is_utf8_prefix(data[: error.start]):
            return data.decode("utf-8", errors="replace"), "utf-8"
    if declared:
        name = _codec_name(declared)
        if name and name not in ("utf-8", "ascii"):
            try:
                return data.decode(name), name
            except (UnicodeError, LookupError):  # "undefined" raises a bare UnicodeError
                pass
    return _detect(data)


def clean_text(text: str) -> str:
    """Normalize line ends and drop terminal escapes and control characters."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text:  # whole sequences, then any ESC left ("ESC c" resets a terminal)
        text = _ANSI.sub("", text).replace("\x1b", "")
    if not text.isascii() or _CONTROL.search(text):
        text = _CONTROL.sub("", text.replace("\x85", "\n"))  # NEL is a line end, not a control to drop
    return text.replace("\ufeff", "").replace("\u2028", "\n").replace("\u2029", "\n\n")


def _is_utf8_prefix(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _codec_name(label: str) -> str | None:
    try:
        return codecs.lookup(label.strip().strip("\"'").lower()).name
    except LookupError:
        return None


def _decode_seven_bit(data: bytes) -> tuple[str, str] | None:
    if b"\x1b$" in data[:_SAMPLE] or b"\x1b(" in data[:_SAMPLE]:
        for name in ("iso2022_jp_2", "iso2022_kr"):
            try:
                text = data.decode(name)
            except UnicodeDecodeError:
                continue
            if not any(c in text for c in "\x1b\x0e\x0f"):
                return text, name.replace("_2", "")
    if b"~{" in data[:_SAMPLE] and data.isascii():
        try:
            text = data.decode("hz")
        except UnicodeDecodeError:
            return None
        if "~{" not in text and _cjk_share(text) > 0:
            return text, "hz"
    return None


def _cjk_share(text: str) -> float:
    letters = [c for c in text if not c.isspace()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "\u3400" <= c <= "\u9fff") / len(letters)


def _decode_wide(data: bytes) -> tuple[str, str]:
    """Bytes with NULs: UTF-16/32 without a BOM, or binary data."""
    head = data[:_SAMPLE]
    even_zero = head[0::2].count(0) / max(len(head[0::2]), 1)
    odd_zero = head[1::2].count(0) / max(len(head[1::2]), 1)
    quads = [head[i::4].count(0) / max(len(head[i::4]), 1) for i in range(4)]
    candidates = []
    if quads[2] > 0.9 and quads[3] > 0.9:
        candidates.append("utf-32-le")
    if quads[0] > 0.9 and quads[1] > 0.9:
        candidates.append("utf-32-be")
    if odd_zero > 0.3 and odd_zero > even_zero * 2:
        candidates.append("utf-16-le")
    if even_zero > 0.3 and even_zero > odd_zero * 2:
        candidates.append("utf-16-be")
    for name in candidates:
        try:
            text = data[: len(data) - len(data) % (4 if "32" in name else 2)].decode(name)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, name
    raise NotText("binary file (contains NUL bytes)")


def _detect(data: bytes) -> tuple[str, str]:
    import chardet

    guess = chardet.detect(data[: 4 * _SAMPLE])
    name = _codec_name(guess.get("encoding") or "") or "cp1252"
    text = data.decode(name, errors="replace")
    if not _looks_like_text(text):
        raise NotText("binary file (not text in any known encoding)")
    return text, name


def _looks_like_text(text: str) -> bool:
    sample = text[:_SAMPLE]
    if not sample:
        return True
    bad = len(_CONTROL.findall(sample)) + sample.count("\ufffd") + sample.count("\x00")
    return bad / len(sample) < 0.05
