"""EPUB and PDF files indexed and searched like any document, refused ones listed with their reason."""

from __future__ import annotations

from pathlib import Path

from reader.core.library import scan
from reader.core.search.index import SearchIndex
from reader.core.search.searcher import Searcher
from tests.unit.epub_fixtures import book
from tests.unit.pdf_fixtures import encrypted, no_text, paper


def found(index: SearchIndex, query: str) -> set[str]:
    searcher = Searcher(index)
    try:
        return {hit.path.name for hit in searcher.search(query, limit=100).hits}
    finally:
        searcher.close()


def test_books_are_listed_indexed_and_searched(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / "small.epub").write_bytes(book(chapters=5))
    (library / "report.pdf").write_bytes(paper(4))
    (library / "scan.pdf").write_bytes(no_text())
    (library / "locked.pdf").write_bytes(encrypted())
    (library / "notes.txt").write_text("Notes\n\nA text about marker5 too.\n", encoding="utf-8")

    result = scan([library])
    formats = {info.path.name: info.format for info in result.documents}
    assert formats == {"small.epub": "epub", "report.pdf": "pdf", "notes.txt": "text"}
    reasons = {skip.path.name: skip.reason for skip in result.skipped}
    assert reasons["scan.pdf"].startswith("no text layer: scanned images")
    assert reasons["locked.pdf"].startswith("encrypted PDF")
    info = {i.path.name: i for i in result.documents}
    assert info["small.epub"].sections == 5 and info["report.pdf"].sections == 4
    assert info["report.pdf"].pages == 4 and info["small.epub"].pages == 0

    index = SearchIndex(tmp_path / "index")
    report = index.update([library])
    assert sorted(p.name for p in report.added) == ["notes.txt", "report.pdf", "small.epub"]
    assert found(index, "marker5") == {"small.epub", "notes.txt"}  # the last chapter's word
    assert found(index, "marker4") == {"small.epub", "report.pdf"}  # the last page's word
    assert found(index, "carefully hyphenated") == {"report.pdf"}
