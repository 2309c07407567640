"""Formats read from their bytes rather than decoded as text: EPUB and PDF.

Each reader raises :class:`~reader.core.formats.errors.BadFile` with a one-line reason,
which becomes :class:`~reader.core.formats.UnreadableDocument` with the path here; so
does any other error a damaged file provokes in a library underneath (never a
traceback: the file is listed as skipped, with the reason).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reader.core.document import Document, DocumentBuilder, ParseStopped
from reader.core.formats import PREVIEW_CHARS, UnreadableDocument
from reader.core.formats.errors import BadFile

__all__ = ["check_packaged", "parse_packaged"]


def parse_packaged(
    data: bytes,
    path: Path,
    fmt: str,
    *,
    size: int = 0,
    mtime: float = 0.0,
    preview: Callable[[Document], None] | None = None,
    stop: Callable[[], bool] | None = None,
) -> Document:
    builder = DocumentBuilder(path=path, format=fmt, encoding="", size=size or len(data), mtime=mtime, stop=stop)
    try:
        if fmt == "epub":
            from reader.core.formats.epub import parse_epub

            parse_epub(data, builder, preview, 2 * PREVIEW_CHARS)
        else:
            from reader.core.formats.pdf import parse_pdf

            parse_pdf(data, builder, preview, 2 * PREVIEW_CHARS)
        return builder.build()
    except (BadFile, UnreadableDocument, ParseStopped) as error:
        if isinstance(error, BadFile):
            raise UnreadableDocument(path, str(error)) from None
        raise
    except RecursionError:
        raise UnreadableDocument(path, f"{fmt.upper()} nested too deeply to read") from None
    except MemoryError:
        raise UnreadableDocument(path, f"{fmt.upper()} too large to read in memory") from None
    except Exception as error:  # a damaged file can make a library underneath fail in any way
        raise UnreadableDocument(path, f"damaged {fmt.upper()} ({type(error).__name__}: {str(error)[:120]})") from None


def check_packaged(data: bytes, path: Path, fmt: str) -> None:
    """Raise :class:`UnreadableDocument` when the file will not be read, without reading its text
    (an EPUB's archive and package document, a PDF's header, encryption and text layer)."""
    try:
        if fmt == "epub":
            from reader.core.formats.epub import check_epub

            check_epub(data)
        else:
            from reader.core.formats.pdf import check_pdf

            check_pdf(data)
    except BadFile as error:
        raise UnreadableDocument(path, str(error)) from None
    except Exception as error:
        raise UnreadableDocument(path, f"damaged {fmt.upper()} ({type(error).__name__}: {str(error)[:120]})") from None
