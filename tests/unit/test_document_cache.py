"""Parsed books and papers kept with the index: read back, not parsed again, only for the same file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import reader.core.formats.packaged as packaged
from reader.core.formats import read_document
from reader.core.formats.doc_cache import DocumentCache
from reader.core.search.index import PARSED, SearchIndex
from tests.unit.epub_fixtures import book
from tests.unit.pdf_fixtures import paper


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Make any parse of an EPUB or PDF fail the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed again")

    def on() -> None:
        monkeypatch.setattr(packaged, "parse_packaged", refuse)

    return on


# the files are made in the test, not at collection: their bytes hold the time they were made,
# and every test process must collect the same test ids
MADE = {"paper.pdf": lambda: paper(4, labels=True), "book.epub": lambda: book(chapters=4)}


@pytest.mark.parametrize("name", list(MADE))
def test_read_back_equal_without_parsing(tmp_path: Path, no_parsing, name: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(MADE[name]())
    cache = DocumentCache(tmp_path / "parsed")
    parsed = read_document(path, cache=cache)
    assert list((tmp_path / "parsed").glob("*.doc"))
    no_parsing()
    again = read_document(path, cache=cache)
    assert again == parsed  # every field: blocks, marks, sections, pages, metadata
    assert again.sections == parsed.sections and again.pages == parsed.pages
    assert [b.text for b in again.blocks] == [b.text for b in parsed.blocks]
    if name.endswith(".pdf"):
        assert again.page_at(again.sections[-1].offset) == parsed.page_at(parsed.sections[-1].offset)


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    path = tmp_path / "paper.pdf"
    path.write_bytes(paper(2))
    cache = DocumentCache(tmp_path / "parsed")
    first = read_document(path, cache=cache)
    stat = path.stat()
    path.write_bytes(paper(3))  # other bytes …
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # … under the same mtime
    second = read_document(path, cache=cache)
    assert len(second.pages) == 3 and len(first.pages) == 2
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # same bytes, touched
    assert read_document(path, cache=cache) == read_document(path)


@pytest.mark.parametrize("damage", [b"", b"garbage", b"reader-document 0/0\nold", "cut"], ids=["empty", "garbage", "old", "cut"])
def test_a_bad_entry_is_a_miss(tmp_path: Path, damage: bytes | str) -> None:
    path = tmp_path / "paper.pdf"
    path.write_bytes(paper(2))
    cache = DocumentCache(tmp_path / "parsed")
    parsed = read_document(path, cache=cache)
    entry = next((tmp_path / "parsed").glob("*.doc"))
    entry.write_bytes(entry.read_bytes()[:60] if damage == "cut" else damage)  # type: ignore[operator]
    assert read_document(path, cache=DocumentCache(tmp_path / "parsed", write=False)) == parsed


def test_texts_are_not_kept(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Notes\n\nSome words.\n", encoding="utf-8")
    read_document(path, cache=DocumentCache(tmp_path / "parsed"))
    assert not list(tmp_path.glob("parsed/*.doc"))


def test_a_read_only_cache_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "paper.pdf"
    path.write_bytes(paper(2))
    read_document(path, cache=DocumentCache(tmp_path / "parsed", write=False))
    assert not (tmp_path / "parsed").exists()


def test_indexing_keeps_the_parsed_books_and_removal_drops_them(tmp_path: Path, no_parsing) -> None:  # type: ignore[no-untyped-def]
    library = tmp_path / "library"
    library.mkdir()
    (library / "report.pdf").write_bytes(paper(3, labels=True))
    (library / "small.epub").write_bytes(book(chapters=3))
    folder = tmp_path / "index"
    index = SearchIndex(folder)
    index.update([library], optimize=False)
    assert len(list((folder / PARSED).glob("*.doc"))) == 2
    expected = read_document(library / "report.pdf")
    no_parsing()
    # what the app does when a book is opened: the index's entries, read only
    opened = read_document(library / "report.pdf", cache=DocumentCache(folder / PARSED, write=False))
    assert opened == expected and opened.pages[0].label == "i"
    (library / "report.pdf").unlink()
    index.update([library], optimize=False)
    assert len(list((folder / PARSED).glob("*.doc"))) == 1
