"""Updates over a library indexed before: nothing changed writes nothing, skipped files are not read again,
and a caller can follow the list of documents from the commits."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import reader.core.search.index as index_module
from reader.core.search.index import SearchIndex


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file of the index folder with its size and modification time, but the lock files
    (never written, only locked) and SQLite's shared-memory and log files (made by opening)."""
    files = {}
    for path in folder.rglob("*"):
        if path.is_file() and path.name not in ("UPDATE", "WRITELOCK") and not path.name.endswith(("-wal", "-shm")):
            stat = path.stat()
            files[str(path.relative_to(folder))] = (stat.st_size, stat.st_mtime_ns)
    return files


@pytest.fixture(params=[4, 80], ids=["in-process", "processes"])
def library(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    folder = tmp_path / "library"
    for number in range(request.param):
        write(folder / f"doc-{number:02}.txt", f"Document {number}\n\nText number n{number} about otters.\n")
    write(folder / "binary.txt", b"\x1f\x8b\x08" + bytes(40))  # read, then skipped: gzip data
    write(folder / "picture.png", b"\x89PNG")  # skipped by its name, never read
    return folder


def test_an_update_that_finds_nothing_changed_writes_nothing(tmp_path: Path, library: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    index.update([library])
    before = snapshot(tmp_path / "index")
    report = SearchIndex(tmp_path / "index").update([library])
    assert not report.added and not report.updated and not report.removed
    assert sorted(s.path.name for s in report.skipped) == ["binary.txt", "picture.png"]
    assert snapshot(tmp_path / "index") == before


def test_skipped_files_are_not_read_again_until_they_change(
    tmp_path: Path, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    SearchIndex(tmp_path / "index").update([library])
    read: list[str] = []
    original = index_module._prepare

    def counting(path: Path, *rest):  # type: ignore[no-untyped-def]
        read.append(path.name)
        return original(path, *rest)

    monkeypatch.setattr(index_module, "_prepare", counting)
    index = SearchIndex(tmp_path / "index")
    report = index.update([library])
    assert read == []
    assert [(s.path.name, s.reason) for s in report.skipped if s.path.name == "binary.txt"] == [
        ("binary.txt", "binary file (gzip data)")
    ]
    # once it changes, it is read again (and indexed, now that it is text)
    write(library / "binary.txt", "Not binary now\n\nIt talks about beavers.\n")
    report = index.update([library])
    assert read == ["binary.txt"]
    assert [p.name for p in report.updated + report.added] == ["binary.txt"]
    assert all(s.path.name != "binary.txt" for s in report.skipped)
    # and a file that goes away is forgotten
    write(library / "binary2.txt", b"\x1f\x8b\x08" + bytes(40))
    index.update([library])
    (library / "binary2.txt").unlink()
    index.update([library])
    store = index.store()
    try:
        assert not any(path.endswith("binary2.txt") for path in store.skipped())
    finally:
        store.close()


def test_a_changed_mode_reads_a_skipped_file_again(
    tmp_path: Path, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = SearchIndex(tmp_path / "index")
    index.update([library])
    read: list[str] = []
    original = index_module._prepare
    monkeypatch.setattr(index_module, "_prepare", lambda path, *rest: read.append(path.name) or original(path, *rest))
    # a chmod changes the file's change time, not its mtime: a file that could not be read may be readable now
    path = library / "binary.txt"
    stat = path.stat()
    os.chmod(path, 0o600)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    report = index.update([library])
    assert read == ["binary.txt"]
    assert [s.reason for s in report.skipped if s.path.name == "binary.txt"] == ["binary file (gzip data)"]


def test_the_list_follows_the_commits(tmp_path: Path, library: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    listed: dict[str, str] = {}

    def follow(documents, removed):  # type: ignore[no-untyped-def]
        for info in documents:
            listed[info.id] = info.title
        for doc_id in removed:
            del listed[doc_id]

    index.update([library], listed=follow)
    store = index.store()
    try:
        assert listed == {info.id: info.title for info in store.infos()}
    finally:
        store.close()
    (library / "doc-01.txt").unlink()
    write(library / "new.txt", "A new one\n\nAbout seals.\n")
    index.update([library], listed=follow)
    assert "A new one" in listed.values()
    assert "Document 1" not in listed.values()
    assert len(listed) == index.doc_count()


def test_the_summaries_of_a_folder_are_those_inside_it(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    write(lib / "a.txt", "A\n\nalpha words.\n")
    write(lib / "sub" / "b.txt", "B\n\nbeta words.\n")
    write(tmp_path / "lib2" / "c.txt", "C\n\ngamma words.\n")  # a sibling whose name starts the same
    write(tmp_path / "lib.txt", "D\n\ndelta words.\n")
    index = SearchIndex(tmp_path / "index")
    index.update([lib, tmp_path / "lib2", tmp_path / "lib.txt"])
    store = index.store()
    try:
        names = lambda roots: sorted(info.path.name for info in store.infos(under=roots))  # noqa: E731
        assert names([str(lib)]) == ["a.txt", "b.txt"]
        assert names([str(lib) + "/"]) == ["a.txt", "b.txt"]
        assert names([str(lib / "sub" / "b.txt")]) == ["b.txt"]
        assert names([str(tmp_path / "lib.txt"), str(tmp_path / "lib2")]) == ["c.txt", "lib.txt"]
    finally:
        store.close()


def test_the_words_typed_are_completed_from_every_document(tmp_path: Path, library: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    index.update([library])
    store = index.store()
    try:
        documents = index.doc_count()
        assert dict(store.completions("ott", 5)) == {"otters": documents}
    finally:
        store.close()


def test_a_long_document_is_indexed_in_another_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # parsing a long book in the process that asked (the app) would hold its interpreter for seconds
    monkeypatch.setattr(index_module, "_PARALLEL_BYTES", 64 * 1024)
    folder = tmp_path / "books"
    write(folder / "book.txt", "A Long Book\n\n" + "The heron waits by the water, patient and grey.\n\n" * 2000)
    write(folder / "note.txt", "A note\n\nAbout herons.\n")
    here: list[int] = []
    monkeypatch.setattr(index_module.SearchIndex, "_update_here", lambda self, run, todo, gone: here.append(len(todo)))
    report = SearchIndex(tmp_path / "index").update([folder])
    assert here == []
    assert sorted(p.name for p in report.added) == ["book.txt", "note.txt"]
