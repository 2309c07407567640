"""A small indexed library for the search tests: named documents and numbered fillers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from reader.core.search.index import SearchIndex
from reader.core.search.searcher import Searcher

FILLER = "Filler {number}\n\nThe text of a filler, number {number}.\n"


def library_searcher(root: Path, documents: dict[str, str], fillers: int, filler: str = FILLER) -> Iterator[Searcher]:
    """Writes ``documents`` (name → text) and ``fillers`` numbered filler files into
    ``root/library``, indexes them in ``root/index`` and yields a searcher, closed after."""
    library = root / "library"
    library.mkdir()
    for name, text in documents.items():
        (library / name).write_text(text, encoding="utf-8")
    for number in range(fillers):
        (library / f"filler-{number:02}.txt").write_text(filler.format(number=number))
    index = SearchIndex(root / "index")
    index.update([library])
    searcher = Searcher(index)
    yield searcher
    searcher.close()


def names(results) -> list[str]:  # type: ignore[no-untyped-def]
    """The file names of the hits, best first."""
    return [hit.path.name for hit in results.hits]
