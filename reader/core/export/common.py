"""What every export format shares: the input shape, the order of notes and times.

An export is a list of ``(DocumentRef, notes)`` pairs; a document's own tags (its
``tags:`` in the store) come as a ``TaggedDocument``, read by ``document_tags``. Tombstones are never
exported; the notes of each document come out in document order (by
``target.start``, then creation time and id, so equal offsets keep a stable order).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from reader.core.notes import DocumentRef, Kind, Note

__all__ = [
    "Documents",
    "TaggedDocument",
    "document_tags",
    "live_in_order",
    "motivation",
    "parse_time",
    "short_time",
    "full_time",
    "one_line",
]

Documents = Sequence[tuple[DocumentRef, Sequence[Note]]]


@dataclass(frozen=True, slots=True)
class TaggedDocument(DocumentRef):
    """A document named as the store names it, with its own tags (not its notes')."""

    tags: tuple[str, ...] = ()


def document_tags(document: DocumentRef) -> tuple[str, ...]:
    """The document's own tags, in their order (none for a plain ``DocumentRef``)."""
    return tuple(getattr(document, "tags", ()))


def live_in_order(documents: Iterable[tuple[DocumentRef, Iterable[Note]]]) -> list[tuple[DocumentRef, list[Note]]]:
    """Each document with its live notes in document order; documents keep their order."""
    return [
        (document, sorted((n for n in notes if not n.deleted), key=lambda n: (n.target.start, n.created, n.id)))
        for document, notes in documents
    ]


def title_of(document: DocumentRef) -> str:
    """The document's title, or "" when it holds nothing but white space (callers fall back to the file name)."""
    return document.title if document.title.strip() else ""


def motivation(note: Note) -> str:
    """The W3C motivation: bookmarking, commenting (a note with text) or highlighting."""
    if note.kind is Kind.BOOKMARK:
        return "bookmarking"
    return "commenting" if note.text.strip() else "highlighting"


def parse_time(value: str) -> datetime | None:
    """An ISO 8601 time as an aware UTC datetime; None if it is not one."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def short_time(value: str) -> str:
    """``2026-11-24 18:40`` (UTC), or the value as it is when it is not a time."""
    parsed = parse_time(value)
    return parsed.strftime("%Y-%m-%d %H:%M") if parsed else value


def full_time(value: str) -> str:
    """``2026-11-24 18:40:02`` (UTC), or the value as it is when it is not a time."""
    parsed = parse_time(value)
    return parsed.strftime("%Y-%m-%d %H:%M:%S") if parsed else value


def one_line(text: str, limit: int = 0) -> str:
    """Whitespace collapsed to single spaces; cut to ``limit`` characters with ``…``."""
    line = " ".join(text.split())
    if limit and len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return line
