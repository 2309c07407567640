"""The search index: incremental updates, repair of damaged indexes, locking."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from reader.core.search.index import FORMAT_VERSION, IndexBusy, SearchIndex
from reader.core.search.searcher import Searcher


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def found(index: SearchIndex, query: str, **options: object) -> set[str]:
    searcher = Searcher(index)
    try:
        return {hit.path.name for hit in searcher.search(query, limit=1000, **options).hits}  # type: ignore[arg-type]
    finally:
        searcher.close()


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    write(folder / "alpha.txt", "Alpha\n\nThe first document talks about zebras.\n")
    write(folder / "beta.md", "# Beta\n\nThe **second** document talks about giraffes.\n")
    write(folder / "gamma.txt", "Gamma\n\nThe third document talks about okapis.\n")
    write(folder / "sub" / "delta.txt", "Delta\n\nThe fourth document, in a folder, talks about zebras too.\n")
    return folder


def set_mtime_later(path: Path) -> None:
    stat = path.stat()
    os.utime(path, (stat.st_atime + 10, stat.st_mtime + 10))


def change_library(library: Path) -> None:
    """Modify one file, touch another (same text), delete a third, add a fourth."""
    alpha = library / "alpha.txt"
    alpha.write_text("Alpha\n\nThe first document now talks about pangolins.\n", encoding="utf-8")
    set_mtime_later(alpha)
    set_mtime_later(library / "beta.md")
    (library / "gamma.txt").unlink()
    write(library / "epsilon.txt", "Epsilon\n\nA new document about narwhals.\n")


def test_update_touches_only_what_changed(tmp_path: Path, library: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    first = index.update([library])
    assert sorted(p.name for p in first.added) == ["alpha.txt", "beta.md", "delta.txt", "gamma.txt"]
    assert found(index, "zebras") == {"alpha.txt", "delta.txt"}

    change_library(library)
    report = index.update([library])
    assert [p.name for p in report.updated] == ["alpha.txt"]
    assert [p.name for p in report.added] == ["epsilon.txt"]
    assert [p.name for p in report.removed] == ["gamma.txt"]
    assert report.unchanged == 2  # delta untouched; beta touched but its text is the same
    assert report.skipped == []

    assert found(index, "pangolins") == {"alpha.txt"}
    assert found(index, "zebras") == {"delta.txt"}
    assert found(index, "okapis") == set()
    assert found(index, "narwhals") == {"epsilon.txt"}
    assert found(index, "giraffes") == {"beta.md"}
    assert index.doc_count() == 4

    again = index.update([library])
    assert (again.added, again.updated, again.removed, again.unchanged) == ([], [], [], 4)
    assert SearchIndex(tmp_path / "index").notices == []


def test_update_in_processes_touches_only_what_changed(tmp_path: Path, library: Path) -> None:
    # enough files for the pool of indexing processes, each writing its own segments
    for number in range(70):
        write(library / "many" / f"note-{number:02}.txt", f"Note {number}\n\nFiller text number n{number} about walruses.\n")
    index = SearchIndex(tmp_path / "index")
    first = index.update([library])
    assert len(first.added) == 74
    assert len(found(index, "walruses")) == 70

    change_library(library)
    (library / "many" / "note-05.txt").unlink()
    write(library / "many" / "note-07.txt", "Note 7\n\nRewritten about pelicans.\n")
    set_mtime_later(library / "many" / "note-07.txt")
    report = index.update([library])
    assert sorted(p.name for p in report.updated) == ["alpha.txt", "note-07.txt"]
    assert [p.name for p in report.added] == ["epsilon.txt"]
    assert sorted(p.name for p in report.removed) == ["gamma.txt", "note-05.txt"]
    assert report.unchanged == 70
    assert len(found(index, "walruses")) == 68
    assert found(index, "pelicans") == {"note-07.txt"}
    assert found(index, "pangolins") == {"alpha.txt"}
    assert index.doc_count() == 73
    assert SearchIndex(tmp_path / "index").notices == []


def test_search_within_a_folder_or_a_file(tmp_path: Path, library: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    index.update([library])
    assert found(index, "zebras", within=[library / "sub"]) == {"delta.txt"}
    assert found(index, "zebras", within=[library / "alpha.txt"]) == {"alpha.txt"}
    assert found(index, "zebras", within=[library / "sub"], typing=True) == {"delta.txt"}


def test_rebuild_indexes_everything_again(tmp_path: Path, library: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    index.update([library])
    report = index.update([library], rebuild=True)
    assert len(report.added) == 4 and report.unchanged == 0
    assert index.doc_count() == 4


def test_cancelled_update_leaves_a_consistent_index(tmp_path: Path, library: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    index.update([library], cancelled=lambda: True)
    assert SearchIndex(tmp_path / "index").notices == []
    report = index.update([library])
    assert len(report.added) == 4


def test_a_second_updater_waits_then_gives_up(tmp_path: Path, library: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    other = SearchIndex(tmp_path / "index")
    lock = other._update_lock_object()
    assert lock.acquire(blocking=False)
    try:
        started = time.monotonic()
        with pytest.raises(IndexBusy):
            index.update([library], wait=0.3)
        assert time.monotonic() - started >= 0.3
    finally:
        lock.release()
    assert len(index.update([library]).added) == 4


def test_progress_and_commits_are_reported(tmp_path: Path, library: Path) -> None:
    calls: list[tuple[int, int]] = []
    commits: list[int] = []
    index = SearchIndex(tmp_path / "index")
    index.update([library], progress=lambda done, total: calls.append((done, total)), committed=lambda: commits.append(1))
    assert calls[-1] == (4, 4) and commits


# -- damaged indexes ------------------------------------------------------------------


def segment_file(directory: Path, suffix: str = ".trm") -> Path:
    """A file of the index's (only) segment: the term table, postings or stored fields."""
    return next(p for p in directory.iterdir() if p.name.endswith(suffix))


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def garble_end(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-64:] = bytes(range(64))
    path.write_bytes(bytes(data))


def garble_all(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(16, len(data) - 16):
        data[offset] = (data[offset] * 31 + 7) % 256
    path.write_bytes(bytes(data))


def damage_store_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[:16] = b"not a database!!"
    path.write_bytes(bytes(data))


def drop_documents(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("DELETE FROM docs WHERE path LIKE '%beta.md'")
    db.commit()
    db.close()


DAMAGE = {
    "truncated term table": lambda d: truncate(segment_file(d, ".trm")),
    "truncated postings": lambda d: truncate(segment_file(d, ".pst")),
    "truncated stored fields": lambda d: truncate(segment_file(d, "_stored.col")),
    "garbled term table end": lambda d: garble_end(segment_file(d, ".trm")),
    "garbled term table": lambda d: garble_all(segment_file(d, ".trm")),
    "garbled postings": lambda d: garble_all(segment_file(d, ".pst")),
    "garbled lengths": lambda d: garble_all(segment_file(d, "_body_len.col")),
    "missing postings": lambda d: segment_file(d, ".pst").unlink(),
    "no table of contents": lambda d: next(p for p in d.iterdir() if p.suffix == ".toc").unlink(),
    "garbled table of contents": lambda d: garble_all(next(p for p in d.iterdir() if p.suffix == ".toc")),
    "truncated store": lambda d: (d / "documents.sqlite").write_bytes((d / "documents.sqlite").read_bytes()[:100]),
    "garbled store header": lambda d: damage_store_header(d / "documents.sqlite"),
    "store out of step": lambda d: drop_documents(d / "documents.sqlite"),
    "no FORMAT stamp": lambda d: (d / "FORMAT").unlink(),
    "wrong FORMAT stamp": lambda d: (d / "FORMAT").write_text("reader-index-0\n"),
    "empty FORMAT stamp": lambda d: (d / "FORMAT").write_text(""),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_damaged_index_is_rebuilt_with_a_notice(tmp_path: Path, library: Path, damage: str) -> None:
    directory = tmp_path / "index"
    SearchIndex(directory).update([library])
    for path in directory.iterdir():
        if path.name.endswith(("-wal", "-shm")):
            path.unlink()
    DAMAGE[damage](directory)

    index = SearchIndex(directory)
    if not index.notices:
        # damage the opening checks cannot see shows in a search: a message, no exception,
        # and the next opening rebuilds
        searcher = Searcher(index)
        results = [searcher.search(q) for q in ("zebras", "document", "the")]
        searcher.close()
        assert any("damaged" in r.message for r in results) or all(r.hits for r in results[1:])
        if any("damaged" in r.message for r in results):
            index = SearchIndex(directory)
            assert index.notices
        else:
            return  # the damage did not touch what these searches read
    assert any("rebuilding" in notice for notice in index.notices)
    assert index.doc_count() == 0
    assert (directory / "FORMAT").read_text().strip() == FORMAT_VERSION
    report = index.update([library])
    assert len(report.added) == 4
    assert found(index, "zebras") == {"alpha.txt", "delta.txt"}


def test_a_fresh_folder_opens_without_notices(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "new" / "index")
    assert index.notices == [] and index.doc_count() == 0
    assert SearchIndex(tmp_path / "new" / "index").notices == []


def test_unreadable_files_are_skipped_with_a_reason(tmp_path: Path, library: Path) -> None:
    (library / "broken.md").write_bytes(b"\x1f\x8b\x08" + bytes(20))
    report = SearchIndex(tmp_path / "index").update([library])
    assert [(s.path.name, s.reason) for s in report.skipped] == [("broken.md", "binary file (gzip data)")]


def test_a_searcher_of_an_empty_index_can_be_refreshed(tmp_path):
    from reader.core.search.index import SearchIndex
    from reader.core.search.searcher import Searcher

    index = SearchIndex(tmp_path / "index")
    searcher = Searcher(index)
    searcher.refresh()  # Whoosh alone raises TypeError here
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# Alpha\n\nrefreshed words\n", encoding="utf-8")
    index.update([tmp_path / "docs"])
    searcher.refresh()
    assert [hit.title for hit in searcher.search("refreshed").hits] == ["Alpha"]
    searcher.close()


def test_updates_of_one_file_leave_few_segments_and_never_merge_the_big_ones(tmp_path):
    from reader.core.search.index import SearchIndex
    from reader.core.search.searcher import Searcher

    docs = tmp_path / "docs"
    docs.mkdir()
    for number in range(40):
        (docs / f"d{number}.md").write_text(f"# Doc {number}\n\nplain words {number}\n", encoding="utf-8")
    index = SearchIndex(tmp_path / "index")
    index.update([docs])
    segments = lambda: len(list((tmp_path / "index").glob("*.trm")))  # noqa: E731
    for round_ in range(9):
        (docs / "d0.md").write_text(f"# Doc 0\n\nnow about wombat{round_}\n", encoding="utf-8")
        report = index.update([docs])
        assert [p.name for p in report.updated] == ["d0.md"]
        assert segments() <= 5, segments()  # tiny segments are merged once there are four
    searcher = Searcher(index)
    assert [hit.title for hit in searcher.search("wombat8").hits] == ["Doc 0"]
    assert not searcher.search("wombat7").hits  # the older versions are gone after merging
    assert len(searcher.search("plain", limit=100).hits) == 39
    searcher.close()
