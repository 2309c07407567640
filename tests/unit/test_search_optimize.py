"""Merging the index's segments in a process of its own (reader/core/search/optimize.py).

The merge is held before its commit on a folder the test controls (``--hold``):
it writes ``reached`` there and waits for ``release``. Waits are on conditions,
with generous hang guards only.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

from reader.core.search import optimize
from reader.core.search.index import _TINY_SEGMENT, SearchIndex
from reader.core.search.searcher import Searcher

HANG_GUARD = 180.0  # seconds: only so that a broken merge fails the test instead of hanging it


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + HANG_GUARD
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting: {what}")
        time.sleep(0.02)


def segment_ids(folder: Path) -> list[str]:
    return [segment.segment_id() for segment in TOC.read(FileStorage(str(folder)), "reader").segments]


def found(index: SearchIndex, query: str, searcher: Searcher | None = None) -> set[str]:
    own = searcher is None
    searcher = searcher or Searcher(index)
    try:
        results = searcher.search(query, limit=1000)
        assert not results.message, results.message
        return {hit.path.name for hit in results.hits}
    finally:
        if own:
            searcher.close()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def later(path: Path) -> None:
    stat = path.stat()
    os.utime(path, (stat.st_atime + 10, stat.st_mtime + 10))


@pytest.fixture
def built(tmp_path: Path) -> tuple[SearchIndex, Path]:
    """An index of three segments (three updates of five documents each)."""
    library = tmp_path / "library"
    index = SearchIndex(tmp_path / "index")
    for batch in range(3):
        for number in range(5):
            write(
                library / f"b{batch}" / f"doc{batch}{number}.txt",
                f"Document {batch}{number}\n\nAbout capybaras and word{batch}{number}, batch{batch}.\n",
            )
        index.update([library], optimize=False)
    assert len(segment_ids(index.directory)) == 3
    return index, library


@pytest.fixture
def held(tmp_path: Path) -> Iterator[Callable[[SearchIndex], tuple[subprocess.Popen[bytes], Path]]]:
    """Start a merge held before its commit; kill whatever is left at the end."""
    started: list[subprocess.Popen[bytes]] = []

    def start(index: SearchIndex) -> tuple[subprocess.Popen[bytes], Path]:
        hold = tmp_path / f"hold{len(started)}"
        process = optimize.start(index.directory, hold=hold)
        assert process is not None
        started.append(process)
        wait_until(lambda: (hold / "reached").exists() or process.poll() is not None, "the merge to reach its hold")
        assert process.poll() is None, "the merge ended before its commit"
        return process, hold

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


def finish(process: subprocess.Popen[bytes], hold: Path) -> None:
    (hold / "release").write_text("", encoding="utf-8")
    assert process.wait(timeout=HANG_GUARD) == 0


def test_a_merge_runs_in_another_process_and_searches_answer_meanwhile(built, held) -> None:  # type: ignore[no-untyped-def]
    index, _ = built
    searcher = Searcher(index)  # opened before the merge, on the three segments
    unused = Searcher(index)  # … and one that reads nothing before the merge's commit
    before = found(index, "capybaras", searcher)
    assert len(before) == 15
    process, hold = held(index)
    assert process.pid != os.getpid()
    assert int((hold / "reached").read_text()) == process.pid
    # the merged segment is written aside; the index still lists its three segments
    assert any((index.directory / optimize.MERGING).rglob("*.trm"))
    assert len(segment_ids(index.directory)) == 3
    assert optimize.running(index.directory)
    assert found(index, "capybaras", searcher) == before  # the open searcher answers
    assert found(index, "word12") == {"doc12.txt"}  # and so does a new one
    finish(process, hold)

    assert len(segment_ids(index.directory)) == 1
    assert not (index.directory / optimize.MERGING).exists()
    assert found(index, "capybaras", searcher) == before  # the searcher opened before still answers
    assert found(index, "batch2", searcher) == {f"doc2{n}.txt" for n in range(5)}
    # a searcher opens some of a segment's files when it first needs them: the replaced
    # segments' files are still there for it
    assert found(index, "capybaras", unused) == before
    assert unused.search("word2", typing=True).hits
    unused.close()
    searcher.close()
    assert found(index, "capybaras") == before
    assert found(index, "word21") == {"doc21.txt"}
    store = index.store()
    try:
        assert store.count() == index.doc_count() == 15
    finally:
        store.close()
    assert SearchIndex(index.directory).notices == []


def test_deletions_and_changes_made_during_the_merge_are_kept(built, held) -> None:  # type: ignore[no-untyped-def]
    index, library = built
    process, hold = held(index)
    (library / "b0" / "doc01.txt").unlink()
    (library / "b2" / "doc23.txt").unlink()
    changed = write(library / "b1" / "doc14.txt", "Document 14\n\nNow about wombats only.\n")
    later(changed)
    report = index.update([library], optimize=False)
    assert sorted(p.name for p in report.removed) == ["doc01.txt", "doc23.txt"]
    assert [p.name for p in report.updated] == ["doc14.txt"]
    finish(process, hold)

    ids = segment_ids(index.directory)
    assert len(ids) == 2  # the merged segment and the one the update added meanwhile
    assert found(index, "capybaras") == {f"doc{b}{n}.txt" for b in range(3) for n in range(5)} - {
        "doc01.txt",
        "doc23.txt",
        "doc14.txt",
    }
    assert found(index, "word01") == set()
    assert found(index, "word14") == set()
    assert found(index, "wombats") == {"doc14.txt"}
    assert index.doc_count() == 13
    assert SearchIndex(index.directory).notices == []


def test_a_killed_merge_leaves_the_index_as_it_was(built, held) -> None:  # type: ignore[no-untyped-def]
    index, _ = built
    ids = segment_ids(index.directory)
    process, _ = held(index)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=HANG_GUARD)
    assert segment_ids(index.directory) == ids
    assert (index.directory / optimize.MERGING).exists()  # what it left behind
    reopened = SearchIndex(index.directory)
    assert reopened.notices == []
    assert len(found(reopened, "capybaras")) == 15
    assert found(reopened, "word03") == {"doc03.txt"}

    outcome = optimize.optimize(index.directory)  # the next run cleans up and merges
    assert outcome.state == "merged", outcome
    assert len(segment_ids(index.directory)) == 1
    assert not (index.directory / optimize.MERGING).exists()
    assert len(found(reopened, "capybaras")) == 15


def test_a_second_merge_while_one_runs_does_nothing(built, held) -> None:  # type: ignore[no-untyped-def]
    index, _ = built
    process, hold = held(index)
    ids = segment_ids(index.directory)
    second = optimize.optimize(index.directory)
    assert second.state == "busy"
    assert segment_ids(index.directory) == ids
    assert not optimize.due(index.directory, changed=10_000)  # and no update starts another
    finish(process, hold)
    assert len(segment_ids(index.directory)) == 1


def test_segments_are_judged_by_size(tmp_path: Path) -> None:
    # a library of a few long documents: each update leaves a segment of a few documents
    # but of many bytes, and a later commit does not merge them
    library = tmp_path / "library"
    index = SearchIndex(tmp_path / "index")
    words = " ".join(f"longword{n}" for n in range(40_000))
    for number in range(4):
        write(library / f"book{number}.txt", f"Book {number}\n\n{words} book{number}\n")
        index.update([library], optimize=False)
    big = segment_ids(index.directory)
    assert len(big) == 4
    storage = FileStorage(str(index.directory))
    segments = TOC.read(storage, "reader").segments
    assert min(optimize.segment_sizes(storage, segments).values()) > _TINY_SEGMENT
    for number in range(4):  # four small updates: their tiny segments are merged, the books' are not
        write(library / f"note{number}.txt", f"Note {number}\n\nshort note{number}\n")
        index.update([library], optimize=False)
    after = segment_ids(index.directory)
    assert set(big) <= set(after)
    assert len(after) <= 4 + 4
    assert found(index, "book2") == {"book2.txt"}
    assert found(index, "note3") == {"note3.txt"}


def test_an_update_starts_a_merge_when_due_and_not_otherwise(built, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    index, library = built
    started: list[subprocess.Popen[bytes] | None] = []
    start = optimize.start
    monkeypatch.setattr(optimize, "start", lambda directory, **kw: started.append(start(directory, **kw)))
    monkeypatch.delenv(optimize.DISABLE_ENV, raising=False)

    index.update([library])  # three segments, nothing changed: not due
    assert started == []
    monkeypatch.setattr(optimize, "MAX_SEGMENTS", 2)
    monkeypatch.setenv(optimize.DISABLE_ENV, "1")
    index.update([library])
    assert started == []  # switched off
    monkeypatch.delenv(optimize.DISABLE_ENV)
    report = index.update([library])
    assert report.added == [] and len(started) == 1 and started[0] is not None
    assert started[0].wait(timeout=HANG_GUARD) == 0
    assert len(segment_ids(index.directory)) == 1
    assert len(found(index, "capybaras")) == 15


def test_a_merge_whose_segments_changed_meanwhile_gives_up(built, held) -> None:  # type: ignore[no-untyped-def]
    from reader.core.search.codec import FastWriter

    index, _ = built
    process, hold = held(index)
    writer = FastWriter(index.whoosh)  # another commit merges the segments the merge started from
    writer.commit(optimize=True)
    ids = segment_ids(index.directory)
    assert len(ids) == 1
    (hold / "release").write_text("", encoding="utf-8")
    assert process.wait(timeout=HANG_GUARD) == 2  # abandoned
    assert segment_ids(index.directory) == ids
    assert not (index.directory / optimize.MERGING).exists()
    assert len(found(index, "capybaras")) == 15
    assert SearchIndex(index.directory).notices == []
