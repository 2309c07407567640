"""Format readers: bytes on disk to a :class:`~reader.core.document.Document`.

``read_document(path)`` picks the reader by file extension, decodes the bytes
(see :mod:`.encoding`) and raises :class:`UnreadableDocument` with a one-line
reason for anything it cannot read: a missing or unreadable file, binary data,
an unsupported format.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from reader.core.document import Document, DocumentBuilder
from reader.core.formats.encoding import NotText, clean_text, decode

__all__ = [
    "FORMATS",
    "UnreadableDocument",
    "format_of",
    "parse_bytes",
    "read_document",
    "MAX_DOCUMENT_BYTES",
]

MAX_DOCUMENT_BYTES = 256 * 1024 * 1024

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


def read_document(path: Path) -> Document:
    """Read and parse one document from disk."""
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
    return parse_bytes(data, path, fmt, size=stat.st_size, mtime=stat.st_mtime)


def parse_bytes(data: bytes, path: Path, fmt: str, *, size: int = 0, mtime: float = 0.0) -> Document:
    """Parse bytes already read; ``fmt`` is a value of :data:`FORMATS`."""
    declared = _declared_charset(data) if fmt == "html" else None
    try:
        text, encoding = decode(data, declared)
    except NotText as error:
        raise UnreadableDocument(path, str(error)) from None
    builder = DocumentBuilder(path=path, format=fmt, encoding=encoding, size=size or len(data), mtime=mtime)
    parser = _parser(fmt)
    try:
        parser(clean_text(text), builder)
    except RecursionError:
        raise UnreadableDocument(path, "nested too deeply to read") from None
    return builder.build()


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
