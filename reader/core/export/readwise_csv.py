"""CSV export in Readwise's columns: ``Highlight,Title,Author,URL,Note,Location,Date``.

RFC 4180 through the ``csv`` module (quotes where needed, ``""`` inside, ``\\r\\n``
line ends). One row per highlight: bookmarks are places, not highlights, and are
left out. Author is the document's source, URL its ``file://`` URI, Location the
printed page (``p. 12``) for a note on a PDF, else the quote's start offset and Date the note's creation time as ``yyyy-MM-dd HH:mm:ss``
in UTC. Tags open the Note the way Readwise reads them (``.tag1 .tag2``, white
space in a tag as ``_``): the document's own tags first (Readwise's import has no
column for a document's tags, so each of its highlights carries them), then the
note's, each once; a tag that Readwise would take for an action (``.h1`` to
``.h6`` headings, ``.c1``… concatenation, ``.qa``) gets a trailing ``_``.

Formulas: a cell gets a leading ``'`` only when a spreadsheet would run it: one
that starts with ``=``; one that starts with ``+``, ``-`` or ``@`` followed by a
function call, a DDE or sheet reference, a comparison (any of ``( ) | ! = ;``),
a cell reference (``-A1``) or arithmetic on numbers (``-2+3``); the same after
leading tabs or carriage returns. Text like ``-leading minus``, ``+1 agree`` or
``@mention`` stays as written. A cell that already starts with apostrophes before
such a formula (``'=x``) gets one more too, so a reader restores every cell by one
rule: take off one leading ``'`` when the cell without it would have been given one.
"""

from __future__ import annotations

import csv
import io
import re

from reader.core.export.common import Documents, document_tags, full_time, live_in_order
from reader.core.export.links import file_uri
from reader.core.notes import DocumentRef, Kind, Note

__all__ = ["COLUMNS", "render_csv", "neutralise", "readwise_tag"]

COLUMNS = ("Highlight", "Title", "Author", "URL", "Note", "Location", "Date")
_CALL_OR_REFERENCE = re.compile(r"[()|!=;]")
_CELL = re.compile(r"^\s*\$?[A-Za-z]{1,3}\$?\d+\b")
_ARITHMETIC = re.compile(r"^[\d\s.,%$]*\d[\d\s.,%$]*[-+*/^&][\d\s.,%$+\-*/^&]*$")
_ACTION_TAG = re.compile(r"^(?:h[1-6]|c\d+|qa?)$", re.IGNORECASE)


def render_csv(documents: Documents, *, exported: str) -> str:
    """The CSV text (``exported`` is not a Readwise column; it is accepted for symmetry)."""
    del exported
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    for document, notes in live_in_order(documents):
        for note in notes:
            if note.kind is not Kind.BOOKMARK:
                writer.writerow(_row(document, note))
    return buffer.getvalue()


def _row(document: DocumentRef, note: Note) -> list[str]:
    cells = [
        note.target.exact,
        document.title,
        document.source,
        file_uri(document.path),
        _note_cell(note, document_tags(document)),
        f"p. {note.page}" if note.page else str(note.target.start),
        full_time(note.created),
    ]
    return [neutralise(cell) for cell in cells]


def _note_cell(note: Note, own: tuple[str, ...] = ()) -> str:
    names = dict.fromkeys(name for name in map(readwise_tag, (*own, *note.tags)) if name)
    tags = " ".join("." + name for name in names)
    if tags and note.text:
        return f"{tags}\n{note.text}"
    return tags or note.text


def readwise_tag(tag: str) -> str:
    """``tag`` as a Readwise inline tag (without the dot); never one of Readwise's action tags."""
    name = "_".join(tag.lstrip(".").split())
    return name + "_" if _ACTION_TAG.match(name) else name


def neutralise(cell: str) -> str:
    """``cell`` with a leading ``'`` if a spreadsheet would run it as a formula, or if it
    starts with apostrophes before one (so that ``'=x`` is not read back as ``=x``)."""
    return "'" + cell if _is_formula(cell.lstrip("'").lstrip("\t\r")) and (
        cell.startswith("'") or _is_formula(cell.lstrip("\t\r"))
    ) else cell


def _is_formula(cell: str) -> bool:
    if cell.startswith("="):
        return True
    if not cell.startswith(("+", "-", "@")):
        return False
    rest = cell[1:]
    return bool(_CALL_OR_REFERENCE.search(rest) or _CELL.match(rest) or _ARITHMETIC.match(rest)) or (
        rest.startswith(("=", "+", "-", "@")) and _is_formula(rest)
    )
