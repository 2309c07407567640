"""CSV export in Readwise's columns: ``Highlight,Title,Author,URL,Note,Location,Date``.

RFC 4180 through the ``csv`` module (quotes where needed, ``""`` inside, ``\\r\\n``
line ends). Author is the document's source, URL its ``file://`` URI, Location
the quote's start offset and Date the note's creation time as
``yyyy-MM-dd HH:mm:ss`` in UTC. Tags go into Note the way Readwise reads them
(``.tag``). A cell that a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'``.
"""

from __future__ import annotations

import csv
import io

from reader.core.export.common import Documents, full_time, live_in_order
from reader.core.export.links import file_uri
from reader.core.notes import DocumentRef, Kind, Note

__all__ = ["COLUMNS", "render_csv", "neutralise"]

COLUMNS = ("Highlight", "Title", "Author", "URL", "Note", "Location", "Date")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render_csv(documents: Documents, *, exported: str) -> str:
    """The CSV text (``exported`` is not a Readwise column; it is accepted for symmetry)."""
    del exported
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for document, notes in live_in_order(documents):
        for note in notes:
            writer.writerow(_row(document, note))
    return buffer.getvalue()


def _row(document: DocumentRef, note: Note) -> list[str]:
    cells = [
        note.target.exact,
        document.title,
        document.source,
        file_uri(document.path),
        _note_cell(note),
        str(note.target.start),
        full_time(note.created),
    ]
    return [neutralise(cell) for cell in cells]


def _note_cell(note: Note) -> str:
    text = note.text
    if note.kind is Kind.BOOKMARK and note.name:
        text = f"{note.name}\n{text}" if text else note.name
    tags = " ".join("." + "_".join(tag.split()) for tag in note.tags)
    if tags:
        text = f"{text}\n{tags}" if text else tags
    return text


def neutralise(cell: str) -> str:
    """``cell`` with a leading ``'`` if a spreadsheet would read it as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell
