"""Notes follow their document when the file or the whole library folder moves."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.document import document_id
from reader.core.formats import read_document
from reader.core.notes import DocumentRef, Kind, new_note
from reader.core.relink import Candidate, Orphan, find_moves
from reader.core.search.index import SearchIndex
from reader.storage.paths import Paths
from reader.storage.relink import find_orphans, relink_moved
from reader.storage.store import Store

ARTICLE = (
    "A Field Guide to Moths\n\n"
    "Moths outnumber butterflies by about nine species to one, and most of them fly at night.\n\n"
    "The larger species navigate by the moon and are drawn to street lights for reasons still argued over.\n\n"
    "Collectors once pinned them in cabinets; today most record them with a camera and a light trap.\n"
)
OTHER = "Gardening Notes\n\nTomatoes want sun, water at the roots and patience in June.\n"


def _note_on(store: Store, path: Path, quote: str, text: str = "") -> str:
    document = read_document(path)
    start = document.text.index(quote)
    note = new_note(document, Kind.NOTE, start, start + len(quote), text=text)
    ref = DocumentRef(id=document.id, path=str(document.path), title=document.title, source=document.source)
    store.put_note(ref, note)
    return note.id


def _library(root: Path) -> Path:
    library = root / "articles"
    library.mkdir()
    (library / "moths.txt").write_text(ARTICLE)
    (library / "garden.txt").write_text(OTHER)
    return library


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("READER_HOME", str(tmp_path / "home"))
    return tmp_path


def test_a_renamed_library_folder_takes_its_notes_along(home: Path) -> None:
    library = _library(home)
    paths = Paths.from_environment()
    store = Store(paths.data_dir)
    first = _note_on(store, library / "moths.txt", "drawn to street lights", "why?")
    second = _note_on(store, library / "moths.txt", "a camera and a light trap")

    moved = library.rename(home / "reading")
    index = SearchIndex(paths.index_dir)
    index.update([moved])
    orphans = find_orphans(store)
    assert [o.doc_id for o in orphans] == [document_id(library / "moths.txt")]

    report = relink_moved(store, index.store(), under=[str(moved.resolve())])
    assert [m.reason for m in report.moved] == ["same text"] and not report.ambiguous

    shard = store.load(document_id(moved / "moths.txt"))
    assert {n.id for n in shard.notes} == {first, second}
    assert shard.document is not None and shard.document.path == str((moved / "moths.txt").resolve())
    assert next(n for n in shard.notes if n.id == first).text == "why?"
    # the old shard is set aside, not deleted, and no longer an orphan
    assert not find_orphans(store)
    assert list((paths.data_dir / "notes").glob("*.yaml.moved"))


def test_a_file_edited_and_renamed_is_found_by_its_title_name_and_quotes(home: Path) -> None:
    library = _library(home)
    store = Store(Paths.from_environment().data_dir)
    note_id = _note_on(store, library / "moths.txt", "Moths outnumber butterflies by about nine species")
    (library / "moths.txt").unlink()
    (library / "sub").mkdir()
    (library / "sub" / "moths.txt").write_text(ARTICLE + "\nA paragraph added later, about owls.\n")

    index = SearchIndex(Paths.from_environment().index_dir)
    index.update([library])
    report = relink_moved(store, index.store())
    assert [m.reason for m in report.moved] == ["same title and file name"]
    assert [n.id for n in store.load(document_id(library / "sub" / "moths.txt")).notes] == [note_id]


def test_two_copies_of_the_text_are_left_for_the_user_to_choose() -> None:
    orphan = Orphan("old", "/gone/a.txt", "Moths", ("h1",), ("drawn to street lights",))
    copies = [Candidate("x", "/lib/b.txt", "Moths", "h1"), Candidate("y", "/lib/c.txt", "Moths", "h1")]
    decided = find_moves([orphan], copies, lambda _id: "")
    assert not decided.matches
    assert [a.reason for a in decided.ambiguous] == ["several documents hold the same text"]
    # the same file name decides between copies
    copies.append(Candidate("z", "/lib/new/a.txt", "Moths", "h1"))
    assert [m.candidate.doc_id for m in find_moves([orphan], copies, lambda _id: "").matches] == ["z"]


def test_nothing_alike_is_never_matched() -> None:
    orphan = Orphan("old", "/gone/a.txt", "Moths", ("h1",), ("drawn to street lights at night",))
    others = [Candidate("x", "/lib/a.txt", "Moths", "h2")]
    decided = find_moves([orphan], others, lambda _id: "Nothing about that here.")
    assert not decided.matches and decided.ambiguous[0].candidates == tuple(others)


def test_two_orphans_claiming_one_document_are_both_left() -> None:
    one = Orphan("o1", "/gone/a.txt", "Moths", ("h1",), ())
    two = Orphan("o2", "/old/a.txt", "Moths", ("h1",), ())
    decided = find_moves([one, two], [Candidate("x", "/lib/a.txt", "Moths", "h1")], lambda _id: "")
    assert not decided.matches and len(decided.ambiguous) == 2


def test_move_merges_with_notes_already_on_the_new_document(home: Path) -> None:
    library = _library(home)
    store = Store(Paths.from_environment().data_dir)
    old = _note_on(store, library / "moths.txt", "drawn to street lights")
    copy = shutil.copy(library / "moths.txt", home / "moths-copy.txt")
    new = _note_on(store, Path(copy), "a camera and a light trap")
    document = read_document(Path(copy))
    ref = DocumentRef(id=document.id, path=str(document.path), title=document.title)
    store.move_notes(document_id(library / "moths.txt"), ref)
    assert {n.id for n in store.load(document.id).notes} == {old, new}
    assert store.load(document_id(library / "moths.txt")).document is None


def test_reader_relink_moves_by_itself_and_by_hand(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    library = _library(home)
    config = Paths.from_environment().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    reading = home / "reading"
    config.write_text(f"library:\n  - {reading}\n")
    store = Store(Paths.from_environment().data_dir)
    note_id = _note_on(store, library / "moths.txt", "drawn to street lights")
    other_id = _note_on(store, library / "garden.txt", "patience in June")
    library.rename(reading)
    (reading / "garden.txt").write_text("Something else entirely\n\nNo tomatoes here.\n")

    assert main(["relink"]) == 0
    out = capsys.readouterr().out
    assert "moved  " in out and "(same text)" in out
    assert "left   " in out and f"reader relink {document_id(library / 'garden.txt')} NEW" in out

    assert main(["relink", str(library / "garden.txt"), str(reading / "garden.txt")]) == 0
    assert "moved 1 note " in capsys.readouterr().out
    assert main(["notes", "--json"]) == 0
    by_id = {item["id"]: item for item in json.loads(capsys.readouterr().out)}
    assert by_id[note_id]["path"] == str((reading / "moths.txt").resolve())
    assert by_id[other_id]["path"] == str((reading / "garden.txt").resolve())


def test_reader_relink_with_one_argument_is_a_usage_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["relink", "abc"]) == 2
    assert "give both OLD and NEW" in capsys.readouterr().err
