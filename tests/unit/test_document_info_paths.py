"""DocumentInfo.path: the summaries listed from the index make no Path until one is read.

Listing a library of 16,500 documents from the index made 16,500 ``Path`` objects
(60 ms of the ~150 ms the summaries took at start-up) that the list never reads:
it shows titles and sorts by title, then path as text. The store hands the path over
as text; ``info.path`` makes the Path when first read, and keeps it.
"""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

from reader.core import library as library_module
from reader.core.library import DocumentInfo, path_text
from reader.core.search import docstore as docstore_module
from reader.core.search.docstore import DocStore, StoredDocument


def _info(number: int, path: Path | str) -> DocumentInfo:
    return DocumentInfo(f"{number:012x}", path, "text", f"Title {number % 7}", "", "", 100, 1, 1, 500, 1.5e9, "utf-8")  # type: ignore[arg-type]


def test_summaries_from_the_index_make_no_path_until_one_is_read(tmp_path: Path, monkeypatch) -> None:
    store = DocStore(tmp_path / "documents.sqlite")
    try:
        store.put(StoredDocument(_info(n, tmp_path / "library" / f"doc-{n:03}.txt"), "hash", "text") for n in range(50))
        made: list[tuple[object, ...]] = []

        def counting_path(*parts: object) -> Path:
            made.append(parts)
            return Path(*parts)  # type: ignore[arg-type]

        monkeypatch.setattr(library_module, "Path", counting_path)
        monkeypatch.setattr(docstore_module, "Path", counting_path)
        infos = store.infos(under=[str(tmp_path / "library")])
        assert len(infos) == 50
        infos.sort(key=lambda info: (info.title.casefold(), path_text(info)))  # as the list pane sorts
        assert made == []
        assert [path_text(info) for info in infos[:3]] == [
            str(tmp_path / "library" / f"doc-{n:03}.txt") for n in (0, 7, 14)
        ]
        first = infos[0].path
        assert isinstance(first, Path) and first == tmp_path / "library" / "doc-000.txt"
        assert infos[0].path is first  # made once, kept
        assert len(made) == 1
    finally:
        store.close()


def test_a_summary_given_its_path_as_text_is_the_same_summary() -> None:
    as_text = _info(3, "/library/a.txt")
    as_path = _info(3, Path("/library/a.txt"))
    assert as_text == as_path and hash(as_text) == hash(as_path)
    assert pickle.loads(pickle.dumps(as_text)) == as_path
    assert dataclasses.replace(as_text, title="New").path == Path("/library/a.txt")
    assert as_text.to_json()["path"] == "/library/a.txt"
    assert path_text(as_path) == "/library/a.txt"
    assert repr(as_text) == repr(as_path)
