"""Format readers: bytes on disk to a :class:`~reader.core.document.Document`.

``read_document(path)`` picks the reader by file extension, decodes the bytes
(see :mod:`.encoding`) and raises :class:`UnreadableDocument` with a one-line
reason for anything it cannot read: a missing or unreadable file, binary data,
an unsupported format.

A long text can be shown before it is all parsed: ``preview`` is handed a
document made of the text's first :data:`PREVIEW_CHARS` or so (cut at a blank
line, so its text is the start of the whole document's, offsets and all), and
``stop`` is looked at as the parse goes (:class:`ParseStopped` when it says so).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from reader.core.document import Document, DocumentBuilder, ParseStopped
from reader.core.formats.encoding import NotText, clean_text, decode

__all__ = [
    "FORMATS",
    "PREVIEW_CHARS",
    "ParseStopped",
    "UnreadableDocument",
    "check_document",
    "format_of",
    "parse_bytes",
    "read_document",
    "MAX_DOCUMENT_BYTES",
]

MAX_DOCUMENT_BYTES = 256 * 1024 * 1024
_CLEAN_PIECE = 1 << 20  # characters cleaned in one go
PREVIEW_CHARS = 150_000  # a text longer than this is previewed from its start (~2,000 rows, ~30 ms)

# extension → format name; the parser for each format is imported on use.
FORMATS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


class UnreadableDocument(Exception):
    """A file that cannot be read as a document; ``reason`` is one short line."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def format_of(path: Path) -> str | None:
    """The format name for a path, or None when the extension is not supported."""
    return FORMATS.get(path.suffix.lower())


def check_document(path: Path) -> None:
    """Raise :class:`UnreadableDocument` as :func:`read_document` would, without parsing
    (a 20 MB text is decoded in ~50 ms and parsed in seconds)."""
    fmt, data, _ = _read_bytes(path)
    declared = _declared_charset(data) if fmt == "html" else None
    try:
        decode(data, declared)
    except NotText as error:
        raise UnreadableDocument(path, str(error)) from None


def read_document(
    path: Path,
    *,
    preview: Callable[[Document], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> Document:
    """Read and parse one document from disk (``preview`` and ``stop``: see the module)."""
    fmt, data, stat = _read_bytes(path)
    return parse_bytes(data, path, fmt, size=stat.st_size, mtime=stat.st_mtime, preview=preview, stop=stop)


def _read_bytes(path: Path) -> tuple[str, bytes, os.stat_result]:
    fmt = format_of(path)
    if fmt is None:
        raise UnreadableDocument(path, f"unsupported format ({path.suffix or 'no extension'})")
    try:
        stat = path.stat()
        if not path.is_file():
            raise UnreadableDocument(path, "not a regular file")
        if stat.st_size > MAX_DOCUMENT_BYTES:
            raise UnreadableDocument(path, f"too large ({stat.st_size // (1024 * 1024)} MB)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableDocument(path, "no such file") from None
    except PermissionError:
        raise UnreadableDocument(path, "permission denied") from None
    except IsADirectoryError:
        raise UnreadableDocument(path, "is a folder") from None
    except OSError as error:
        raise UnreadableDocument(path, error.strerror or str(error)) from None
    return fmt, data, stat


def parse_bytes(
    data: bytes,
    path: Path,
    fmt: str,
    *,
    size: int = 0,
    mtime: float = 0.0,
    preview: Callable[[Document], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> Document:
    """Parse bytes already read; ``fmt`` is a value of :data:`FORMATS`."""
    declared = _declared_charset(data) if fmt == "html" else None
    try:
        text, encoding = decode(data, declared)
    except NotText as error:
        raise UnreadableDocument(path, str(error)) from None
    size = size or len(data)
    del data  # a 50 MB file need not be held three times over
    if preview is not None and fmt != "html" and len(text) > 2 * PREVIEW_CHARS:
        # HTML is not previewed: its main content is chosen from the whole page
        head = _head(text)
        if head:
            preview(_parse(head, path, fmt, encoding, size, mtime, None))
    if stop is not None and stop():
        raise ParseStopped
    return _parse(_clean(text, stop), path, fmt, encoding, size, mtime, stop)


def _clean(text: str, stop: Callable[[], bool] | None) -> str:
    """``clean_text(text)``, a piece of lines at a time for a long text, looking at ``stop``:
    each of its C calls holds every other thread of the app (a key's echo) until it ends."""
    if stop is None or len(text) <= _CLEAN_PIECE or "\x1b" in text:  # an escape sequence may span lines
        return clean_text(text)
    pieces = []
    start = 0
    while start < len(text):
        end = text.find("\n", start + _CLEAN_PIECE)
        end = len(text) if end < 0 else end + 1  # after a line end: no CR LF pair is cut in two
        pieces.append(clean_text(text[start:end]))
        start = end
        if stop():
            raise ParseStopped
    return "".join(pieces)


def _parse(
    text: str, path: Path, fmt: str, encoding: str, size: int, mtime: float, stop: Callable[[], bool] | None
) -> Document:
    builder = DocumentBuilder(path=path, format=fmt, encoding=encoding, size=size, mtime=mtime, stop=stop)
    try:
        _parser(fmt)(text, builder)
    except RecursionError:
        raise UnreadableDocument(path, "nested too deeply to read") from None
    return builder.build()


def _head(text: str) -> str:
    """The first :data:`PREVIEW_CHARS` or so of a decoded text, cleaned, cut after a paragraph."""
    head = clean_text(text[: PREVIEW_CHARS + PREVIEW_CHARS // 2])
    cut = head.rfind("\n\n", 0, PREVIEW_CHARS + PREVIEW_CHARS // 4)
    return head[:cut] if cut > PREVIEW_CHARS // 4 else ""


def _parser(fmt: str) -> Callable[[str, DocumentBuilder], None]:
    if fmt == "markdown":
        from reader.core.formats.markdown import parse_markdown

        return parse_markdown
    if fmt == "html":
        from reader.core.formats.html import parse_html

        return parse_html
    from reader.core.formats.text import parse_text

    return parse_text


def _declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    found = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return found.group(1).decode("ascii", "replace") if found else None


def file_key(path: Path) -> tuple[int, float]:
    """(size, mtime) of a file, for change detection."""
    stat = os.stat(path)
    return stat.st_size, stat.st_mtime
