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

import errno
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from stat import S_ISBLK, S_ISCHR, S_ISDIR, S_ISFIFO, S_ISREG, S_ISSOCK
from typing import TYPE_CHECKING

from reader.core.document import Document, DocumentBuilder, ParseStopped
from reader.core.formats.encoding import NotText, clean_text, decode

if TYPE_CHECKING:
    from reader.core.formats.doc_cache import DocumentCache

__all__ = [
    "FORMATS",
    "PREVIEW_CHARS",
    "ParseStopped",
    "UnreadableDocument",
    "check_document",
    "file_kind",
    "format_of",
    "parse_bytes",
    "read_document",
    "MAX_DOCUMENT_BYTES",
]

MAX_DOCUMENT_BYTES = 256 * 1024 * 1024
READ_STALL_SECONDS = 30  # a file still not read after this long is given up on
_READ_PIECE = 4 * 1024 * 1024  # bytes asked of the file system in one read after the first
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
    ".epub": "epub",
    ".pdf": "pdf",
}
PACKAGED = frozenset({"epub", "pdf"})  # formats read from their bytes, not decoded as text

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
    if fmt in PACKAGED:
        from reader.core.formats.packaged import check_packaged

        check_packaged(data, path, fmt)
        return
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
    cache: DocumentCache | None = None,
) -> Document:
    """Read and parse one document from disk (``preview`` and ``stop``: see the module).

    With ``cache`` (see :mod:`.doc_cache`), a book or paper parsed before from the same
    bytes is read back instead of parsed, and one parsed now is kept there."""
    fmt, data, stat = _read_bytes(path)
    if cache is None or fmt not in cache.formats:
        return parse_bytes(data, path, fmt, size=stat.st_size, mtime=stat.st_mtime, preview=preview, stop=stop)
    from reader.core.formats.doc_cache import CacheKey

    key = CacheKey.of(data, stat)
    found = cache.get(path, key, stat.st_mtime)
    if found is not None:
        return found
    document = parse_bytes(data, path, fmt, size=stat.st_size, mtime=stat.st_mtime, preview=preview, stop=stop)
    cache.put(document, key)
    return document


def _read_bytes(path: Path) -> tuple[str, bytes, os.stat_result]:
    fmt = format_of(path)
    if fmt is None:
        raise UnreadableDocument(path, f"unsupported format ({path.suffix or 'no extension'})")
    try:
        # O_NONBLOCK: opening a named pipe does not wait for a writer, and reading a special
        # file that would wait for data says so (EAGAIN) instead; what was opened is looked at
        # (fstat) before a byte is read, so a file swapped since the scan is judged as it is now
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise UnreadableDocument(path, "no such file") from None
    except PermissionError:
        raise UnreadableDocument(path, "permission denied") from None
    except OSError as error:
        raise UnreadableDocument(path, _os_reason(error)) from None
    try:
        stat = os.fstat(fd)
        if not S_ISREG(stat.st_mode):
            kind = file_kind(stat.st_mode)
            raise UnreadableDocument(path, "is a folder" if kind == "a folder" else f"{kind}, not a regular file")
        if stat.st_size > MAX_DOCUMENT_BYTES:
            raise UnreadableDocument(path, f"too large ({stat.st_size // (1024 * 1024)} MB)")
        data = _read_all(fd, path, stat.st_size)
        after = os.fstat(fd)
        if after.st_size != stat.st_size or after.st_mtime_ns != stat.st_mtime_ns:
            os.lseek(fd, 0, os.SEEK_SET)  # written to while it was read: once more
            stat = after
            data = _read_all(fd, path, stat.st_size)
            after = os.fstat(fd)
            if after.st_size != stat.st_size or after.st_mtime_ns != stat.st_mtime_ns:
                raise UnreadableDocument(path, "changed while it was read (still being written?)")
    except OSError as error:
        raise UnreadableDocument(path, _os_reason(error)) from None
    finally:
        os.close(fd)
    return fmt, data, stat


def _read_all(fd: int, path: Path, size: int) -> bytes:
    """The file's bytes: at most :data:`MAX_DOCUMENT_BYTES`, giving up on a file whose
    reads stall for :data:`READ_STALL_SECONDS` (a file system that does not answer)."""
    pieces = []
    total = 0
    started = time.monotonic()
    want = size + 1  # a regular file: one read, and one more that finds its end
    while True:
        try:
            piece = os.read(fd, min(want, MAX_DOCUMENT_BYTES + 1 - total))
        except BlockingIOError:
            raise UnreadableDocument(path, "would wait for data to read (a special file)") from None
        if not piece:
            break
        pieces.append(piece)
        total += len(piece)
        want = _READ_PIECE
        if total > MAX_DOCUMENT_BYTES:
            raise UnreadableDocument(path, f"too large (more than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB)")
        if time.monotonic() - started > READ_STALL_SECONDS:
            raise UnreadableDocument(path, f"reading it stalled ({total // 1024} KB in {READ_STALL_SECONDS} s)")
    return pieces[0] if len(pieces) == 1 else b"".join(pieces)


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, in a few words."""
    if S_ISDIR(mode):
        return "a folder"
    if S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if S_ISCHR(mode):
        return "a character device"
    if S_ISBLK(mode):
        return "a block device"
    if S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _os_reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symbolic link loop"
    if error.errno == errno.EISDIR:
        return "is a folder"
    return error.strerror or str(error)


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
    if fmt in PACKAGED:
        from reader.core.formats.packaged import parse_packaged

        return parse_packaged(data, path, fmt, size=size, mtime=mtime, preview=preview, stop=stop)
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
