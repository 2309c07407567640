"""A note on a PDF passage records its printed page, keeps it in the store and cites it in every export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from reader.core.export import parse_json, render
from reader.core.formats import read_document
from reader.core.notes import DocumentRef, Kind, new_note, note_from_dict, note_to_dict
from reader.storage.store import Store
from tests.unit.pdf_fixtures import paper

EXPORTED = "2026-01-02T03:04:05Z"


def test_note_on_a_pdf_passage_exports_with_its_page(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(paper(3, labels=True))  # pages i, 1, 2
    document = read_document(path)
    start = document.text.index("marker3")
    note = new_note(document, Kind.NOTE, start, start + len("marker3"), text="on the last page")
    assert note.page == "2"
    assert note_from_dict(note_to_dict(note), document.id) == note
    ref = DocumentRef(id=document.id, path=str(path), title=document.title, source=document.source)
    documents = [(ref, [note])]

    markdown = render("markdown", documents, exported=EXPORTED)
    assert " · p. 2 · [passage](" in markdown
    org = render("org", documents, exported=EXPORTED)
    assert ":LOCATION: p. 2" in org
    rows = list(csv.DictReader(io.StringIO(render("csv", documents, exported=EXPORTED))))
    assert rows[0]["Location"] == "p. 2"
    exported = render("json", documents, exported=EXPORTED)
    assert '"page": "2"' in exported
    assert parse_json(exported) == documents


def test_page_survives_the_store(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(paper(2))
    document = read_document(path)
    start = document.text.index("marker2")
    note = new_note(document, Kind.BOOKMARK, start, start)
    store = Store(tmp_path / "data")
    ref = DocumentRef(id=document.id, path=str(path), title=document.title, source=document.source)
    store.put_note(ref, note)
    (loaded,) = [n for n in store.load(document.id).notes if n.id == note.id]
    assert loaded.page == "2"


def test_notes_on_other_documents_have_no_page(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("Plain\n\nA paragraph of plain text.\n", encoding="utf-8")
    document = read_document(path)
    note = new_note(document, Kind.NOTE, 0, 5)
    assert note.page == "" and "page" not in note_to_dict(note)
    ref = DocumentRef(id=document.id, path=str(path))
    assert "p. " not in render("markdown", [(ref, [note])], exported=EXPORTED)
