"""The error a reader of a packaged format (EPUB, PDF) raises for a file it will not read."""

from __future__ import annotations

__all__ = ["BadFile"]


class BadFile(Exception):
    """A file that will not be read; the message is one short line (``read_document``
    turns it into :class:`~reader.core.formats.UnreadableDocument` with the path)."""
