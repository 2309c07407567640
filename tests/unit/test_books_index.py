"""What the index keeps of books and papers: their pages (the list read from the index gives them)."""

from __future__ import annotations

from pathlib import Path

from reader.core.search.index import SearchIndex
from tests.unit.epub_fixtures import book
from tests.unit.pdf_fixtures import paper


def test_pages_are_listed_from_the_index(tmp_path: Path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    (library / "report.pdf").write_bytes(paper(4))
    (library / "small.epub").write_bytes(book(chapters=2))
    index = SearchIndex(tmp_path / "index")
    index.update([library], optimize=False)
    store = index.store()
    try:
        pages = {info.path.name: info.pages for info in store.infos()}
        under = {info.path.name: info.pages for info in store.infos(under=[str(library)])}
    finally:
        store.close()
    assert pages == under == {"report.pdf": 4, "small.epub": 0}
