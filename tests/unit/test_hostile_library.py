"""The library scan and the index against a hostile library (issue 18, items 2, 5, 6, 9).

- File names that are not UTF-8 (random bytes) are listed, indexed, found and
  opened; the path comes back exactly as it is on disk.
- Special files (FIFOs, devices) are never opened for reading; a link out of the
  library into another folder is not followed, and is reported.
- A folder of empty files is indexed in few pieces of work.
- A damaged index is rebuilt only under the update lock.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.cli import main
from reader.core.formats import read_document
from reader.core.library import Skipped, find_files, scan
from reader.core.search.docstore import DocStore
from reader.core.search.index import SearchIndex
from reader.storage.paths import Paths


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def bad_name(data: bytes) -> str:
    """A file name (as Python holds it) from raw bytes: not hidden, no slash, no NUL, ``.txt``."""
    data = data.replace(b"/", b"_").replace(b"\x00", b"_").lstrip(b".")[:60]
    return os.fsdecode(b"n" + data + b".txt")


# -- item 2: file names that are not UTF-8 ------------------------------------------------------


def test_a_name_that_is_not_utf8_is_indexed_found_and_opened(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    odd = library / os.fsdecode(b"x\xff.txt")
    odd.write_bytes(b"Doc\n\nalpha\n")
    (library / "ok.txt").write_text("Other\n\nalpha beta\n", encoding="utf-8")
    status, out, err = run(capsys, "index", str(library))
    assert status == 0, err
    assert "2 added" in err and "x\ufffd.txt" in out
    status, out, err = run(capsys, "search", "--json", "alpha", str(library))
    assert status == 0, err
    assert {hit["path"] for hit in json.loads(out)} == {str(odd), str(library / "ok.txt")}
    # searching within the file itself (its own ``within`` term)
    status, out, err = run(capsys, "search", "--json", "alpha", str(odd))
    assert status == 0, err
    assert [hit["path"] for hit in json.loads(out)] == [str(odd)]
    index = SearchIndex(Paths.from_environment().index_dir)
    store = index.store()
    try:
        assert str(odd) in store.entries()
        assert {str(info.path) for info in store.infos(under=[str(library)])} == {str(odd), str(library / "ok.txt")}
    finally:
        store.close()
    assert read_document(odd).title == "Doc"


def test_the_store_keeps_a_path_that_is_not_utf8_exactly(tmp_path: Path) -> None:
    from reader.core.search.docstore import SkippedEntry

    store = DocStore(tmp_path / "documents.sqlite")
    try:
        path = os.fsdecode(b"/lib/\xfe\xff/bin.txt")
        store.remember_skipped([SkippedEntry(path, 3, 4, "binary")])
        assert list(store.skipped()) == [path]
        store.forget_skipped([path])
        assert store.skipped() == {}
    finally:
        store.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(st.binary(min_size=1, max_size=20), min_size=1, max_size=4, unique=True))
def test_random_bytes_in_file_names_through_index_search_and_list(
    capsys: pytest.CaptureFixture[str], names: list[bytes]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        os.environ["READER_HOME"] = str(Path(folder) / "home")
        library = Path(folder) / "lib"
        library.mkdir()
        paths = {}
        for number, data in enumerate(names):
            path = library / bad_name(data)
            if path in paths.values():
                continue
            path.write_text(f"Document {number}\n\nquokka word{number}\n", encoding="utf-8")
            paths[number] = path
        status, out, err = run(capsys, "index", str(library))
        assert status == 0, err
        assert f"{len(paths)} added" in err
        status, out, err = run(capsys, "search", "--json", "--limit", "50", "quokka", str(library))
        assert status == 0, err
        assert sorted(hit["path"] for hit in json.loads(out)) == sorted(str(p) for p in paths.values())
        for number, path in paths.items():
            status, out, err = run(capsys, "search", "--json", f"word{number}", str(path))
            assert status == 0, err
            assert [hit["path"] for hit in json.loads(out)] == [str(path)]
        status, out, err = run(capsys, "list", "--json", str(library))
        assert status == 0, err
        assert sorted(doc["path"] for doc in json.loads(out)) == sorted(str(p) for p in paths.values())
        status, out, err = run(capsys, "index", str(library))
        assert status == 0 and f"0 added, 0 updated, 0 removed, {len(paths)} unchanged" in err


def test_one_bad_name_among_many_files_indexed_in_processes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    for number in range(70):
        (library / f"doc{number}.txt").write_text(f"Doc {number}\n\nplatypus {number}\n", encoding="utf-8")
    odd = library / os.fsdecode(b"\xc3(\xa0.txt")
    odd.write_bytes(b"Odd\n\nplatypus echidna\n")
    status, out, err = run(capsys, "index", str(library))
    assert status == 0, err
    assert "71 added" in err
    status, out, err = run(capsys, "search", "--json", "echidna", str(library))
    assert status == 0, err
    assert [hit["path"] for hit in json.loads(out)] == [str(odd)]


# -- item 5 and 9: special files, links out of the library ------------------------------------


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A library with one document among special files and links out of it."""
    library = tmp_path / "lib"
    (library / "sub").mkdir(parents=True)
    (library / "sub" / "doc.txt").write_text("Doc\n\nA document.\n", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "elsewhere.txt").write_text("Elsewhere\n\nNot in the library.\n", encoding="utf-8")
    (outside / "linked.txt").write_text("Linked\n\nA file linked into the library.\n", encoding="utf-8")
    os.mkfifo(outside / "fifo")
    os.mkfifo(library / "pipe.txt")
    (library / "root").symlink_to("/")
    (library / "out").symlink_to(outside)
    (library / "sub" / "loop").symlink_to(library)  # inside: followed once
    (library / "zero.txt").symlink_to("/dev/zero")
    (library / "status.txt").symlink_to("/proc/self/status")
    (library / "fifo.txt").symlink_to(outside / "fifo")
    (library / "linked.txt").symlink_to(outside / "linked.txt")
    return library


def test_a_link_to_the_root_is_not_walked(hostile: Path) -> None:
    from itertools import islice

    # a hang guard of a kind: the old walk yielded the whole file system's files
    found = list(islice(find_files([hostile]), 1000))
    files = [item for item in found if not isinstance(item, Skipped)]
    assert files and all(path.relative_to(hostile).parts[0] not in ("root", "out") for path in files), files[:5]


def test_special_files_and_links_out_of_the_library_are_reported(hostile: Path) -> None:
    result = scan([hostile])
    assert sorted(doc.title for doc in result.documents) == ["Doc", "Linked"]
    reasons = {item.path.name: item.reason for item in result.skipped}
    assert reasons == {
        "pipe.txt": "a named pipe (FIFO), not a regular file",
        "root": "link to a folder outside the library, not followed (/)",
        "out": f"link to a folder outside the library, not followed ({hostile.parent / 'outside'})",
        "zero.txt": "link to a character device (/dev/zero), not a regular file",
        "status.txt": f"link into a system folder (/proc/{os.getpid()}/status), not followed",
        "fifo.txt": f"link to a named pipe (FIFO) ({hostile.parent / 'outside' / 'fifo'}), not a regular file",
    }


def test_a_folder_linked_from_inside_the_library_is_followed(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    (library / "a").mkdir(parents=True)
    (library / "a" / "one.txt").write_text("One\n\nx\n", encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    (other / "two.txt").write_text("Two\n\nx\n", encoding="utf-8")
    (library / "b").symlink_to(other)
    # the target named as a library folder too: the user's say, so the link is walked
    result = scan([library, other])
    assert sorted(doc.title for doc in result.documents) == ["One", "Two"]
    assert result.skipped == []


def test_a_special_file_named_on_its_own_is_refused_at_once(tmp_path: Path) -> None:
    from reader.core.formats import UnreadableDocument

    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    with pytest.raises(UnreadableDocument, match="named pipe"):
        read_document(pipe)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    with pytest.raises(UnreadableDocument, match="character device"):
        read_document(zero)


def test_a_file_that_keeps_changing_while_read_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.core.formats as formats

    path = tmp_path / "growing.txt"
    path.write_text("Growing\n\ntext\n", encoding="utf-8")
    real_read_all = formats._read_all

    def read_and_append(fd: int, where: Path, size: int) -> bytes:
        data = real_read_all(fd, where, size)
        with open(path, "a", encoding="utf-8") as more:
            more.write("more\n")
        return data

    monkeypatch.setattr(formats, "_read_all", read_and_append)
    with pytest.raises(formats.UnreadableDocument, match="changed while it was read"):
        read_document(path)


def test_the_index_skips_what_the_scan_skips(capsys: pytest.CaptureFixture[str], hostile: Path) -> None:
    status, out, err = run(capsys, "index", str(hostile))
    assert status == 0, err
    assert "2 added" in err and "6 skipped" in err
    assert "link to a character device (/dev/zero), not a regular file" in out


# -- item 6: a folder of empty files --------------------------------------------------------------


def test_empty_files_are_pieces_of_work_by_count_too() -> None:
    from reader.core.search.index import _chunks

    chunks = _chunks([(Path(f"/lib/e{number}.txt"), 0) for number in range(100_000)], 2)
    assert len(chunks) <= 20
    assert sorted(path for chunk in chunks for path in chunk) == sorted(Path(f"/lib/e{n}.txt") for n in range(100_000))


def test_a_folder_of_empty_files_makes_few_segments(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    for number in range(300):
        (library / f"empty{number}.txt").touch()
    status, out, err = run(capsys, "index", str(library))
    assert status == 0, err
    assert "300 added" in err
    index = SearchIndex(Paths.from_environment().index_dir)
    assert len(index.whoosh._segments()) <= 6
    assert index.doc_count() == 300


# -- item 9: a damaged index is rebuilt under the update lock -------------------------------------


def test_a_damaged_index_waits_for_a_running_update_before_it_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    import time

    import reader.core.search.index as index_module
    from reader.core.search.stamp import DAMAGED

    library = tmp_path / "lib"
    library.mkdir()
    (library / "a.txt").write_text("Alpha\n\nwords\n", encoding="utf-8")
    folder = tmp_path / "index"
    SearchIndex(folder).update([library])
    update_lock = index_module._file_lock(folder / "UPDATE")
    assert update_lock.acquire(blocking=False)  # "another reader" is updating
    (folder / DAMAGED).write_text("found damaged while searching\n", encoding="utf-8")
    waiting = threading.Event()
    real_sleep = time.sleep

    def sleep(seconds: float) -> None:
        waiting.set()  # the opener is waiting for the update lock
        real_sleep(seconds)

    monkeypatch.setattr(index_module.time, "sleep", sleep)
    opened: list[SearchIndex] = []
    opener = threading.Thread(target=lambda: opened.append(SearchIndex(folder)))
    try:
        opener.start()
        deadline = time.monotonic() + 120  # a hang guard only
        while not waiting.is_set() and opener.is_alive() and time.monotonic() < deadline:
            real_sleep(0.01)
        assert waiting.is_set(), "the index was rebuilt without waiting for the update lock"
        store = DocStore(folder / "documents.sqlite")
        try:
            assert store.count() == 1  # the running update's work is still there
        finally:
            store.close()
    finally:
        update_lock.release()
        opener.join(timeout=120)
    assert opened and opened[0].notices == ["The search index was damaged; rebuilding it."]
    assert opened[0].doc_count() == 0


def test_a_damaged_index_busy_for_too_long_is_an_error_not_a_rebuild(tmp_path: Path) -> None:
    import reader.core.search.index as index_module
    from reader.core.search.index import IndexBusy
    from reader.core.search.stamp import DAMAGED

    library = tmp_path / "lib"
    library.mkdir()
    (library / "a.txt").write_text("Alpha\n\nwords\n", encoding="utf-8")
    folder = tmp_path / "index"
    SearchIndex(folder).update([library])
    update_lock = index_module._file_lock(folder / "UPDATE")
    assert update_lock.acquire(blocking=False)
    try:
        (folder / DAMAGED).write_text("x\n", encoding="utf-8")
        with pytest.raises(IndexBusy):
            SearchIndex(folder, wait=0.2)
        assert (folder / DAMAGED).exists()  # left for the rebuild, once the update has ended
    finally:
        update_lock.release()
