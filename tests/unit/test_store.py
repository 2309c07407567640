"""The notes store: round trips, the file's layout, merging, and files it must not overwrite."""

from __future__ import annotations

import os
import random
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from reader.core.notes import DocumentRef, Kind, Note, Position, make_target, new_id, now
from reader.storage.paths import Paths
from reader.storage.shard_text import load_shard_text
from reader.storage.store import Store, StoreError

TEXT = (
    "The 2023 Digital Economy Summit was held in Hong Kong. 数字经济峰会在香港举行。"
    " Sun Dong said: we have seen the enthusiastic expectation from all over the world. "
) * 20
DOC = DocumentRef("d0c1d0c1d0c1", "/library/summit.txt", "Digital Economy Summit", "China Fund News")


def make_note(start: int = 0, text: str = "", *, kind: Kind = Kind.NOTE, updated: str | None = None, **fields) -> Note:
    stamp = updated or now()
    target = make_target(TEXT, start, start + 24, "hash-1")
    return Note(new_id(), DOC.id, kind, target, stamp, stamp, text=text, **fields)


def shard_file(data_dir: Path, doc_id: str = DOC.id) -> Path:
    return data_dir / "notes" / f"{doc_id}.yaml"


def saved_notes(data_dir: Path) -> dict[str, Note]:
    """What a fresh store (no memory of earlier reads) finds on disk."""
    return {note.id: note for note in Store(data_dir).load(DOC.id).notes}


TRICKY = [
    "数字经济与创新科技",
    "emoji 😀 and 🎉 in a note",
    "---\nkey: value\n# not a comment",
    'a "quoted" \'line\' with: colon and # hash',
    "  leading spaces\n  kept on every line",
    "\nstarts with a line break",
    "ends with breaks\n\n",
    "no",
    "0123",
    "2024-03-03T21:15:02Z",
    "tab\there\nnext",
    "trailing space \nthen more",
    "",
]


def test_notes_bookmarks_and_position_round_trip(tmp_path: Path) -> None:
    store = Store(tmp_path)
    notes = [make_note(i * 7, text, tags=("econ", "数字")) for i, text in enumerate(TRICKY)]
    bookmark = make_note(300, kind=Kind.BOOKMARK, name="Where Sun Dong speaks — 孙东")
    for note in [*notes, bookmark]:
        store.put_note(DOC, note)
    position = Position(make_target(TEXT, 500, 532, "hash-1"), 41, now())
    store.put_position(DOC, position)

    shard = Store(tmp_path).load(DOC.id)
    assert shard.document == DOC
    assert shard.read_only is False and shard.problem == ""
    assert {note.id: note for note in shard.notes} == {note.id: note for note in [*notes, bookmark]}
    assert [note.target.start for note in shard.notes] == sorted(note.target.start for note in shard.notes)
    assert shard.position == position


def test_multi_line_text_is_a_literal_block(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.put_note(DOC, make_note(0, "First line of my note\nsecond line: with a colon\n数字 😀 third"))
    text = shard_file(tmp_path).read_text(encoding="utf-8")
    assert "  text: |-\n    First line of my note\n    second line: with a colon\n    数字 😀 third\n" in text
    assert "\\U" not in text  # emoji written as themselves, not escaped
    assert text.startswith("schema_version: 1\ndocument:\n  id: d0c1d0c1d0c1\n")


def test_dumped_text_loads_the_same_whole_or_note_by_note(tmp_path: Path) -> None:
    rng = random.Random(7)
    store = Store(tmp_path)
    pieces = ["word", " ", "\n", "\n\n", "  ", ": ", "# ", "- ", "---", "...", "数字", "😀", "'", '"', "|", "\t"]
    pieces += ["*", "&a", "\u2028", "\r\n", "\x85"]
    for number in range(60):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12)))
        store.put_note(DOC, make_note(number, text, name="".join(rng.choice(pieces) for _ in range(3))))
    text = shard_file(tmp_path).read_text(encoding="utf-8")
    whole = yaml.load(text, Loader=yaml.SafeLoader)
    assert load_shard_text(text)[0] == whole
    assert len(whole["notes"]) == 60


@pytest.mark.parametrize(
    "layout",
    [
        "notes:\n  - {kind: note, id: n1, text: indented list, target: {exact: x, start: 0, end: 1}}\n",
        "notes: [{id: n1, text: flow style, target: {exact: x, start: 0, end: 1}}]\n",
        "notes:\r\n- id: n1\r\n  text: windows line ends\r\n  target: {exact: x, start: 0, end: 1}\r\n",
        "notes:\n- id: n0\n  text: &shared anchored\n  target: {exact: x, start: 0, end: 1}\n"
        "- id: n1\n  text: *shared\n  target: {exact: x, start: 0, end: 1}\n",
    ],
)
def test_hand_written_layouts_load_like_the_whole_file(tmp_path: Path, layout: str) -> None:
    path = shard_file(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(f"schema_version: 1\n{layout}".encode())
    shard = Store(tmp_path).load(DOC.id)
    assert shard.problem == ""
    assert "n1" in {note.id for note in shard.notes}
    assert load_shard_text(path.read_text(encoding="utf-8"))[0] == yaml.safe_load(path.read_bytes())


def test_an_alias_is_read_in_its_own_file(tmp_path: Path) -> None:
    """Two files with the same aliased note text, anchored to different values."""
    store = Store(tmp_path)
    store.notes_dir.mkdir(parents=True)
    texts = {}
    for doc_id, value in (("aaaaaaaaaaaa", "alpha"), ("bbbbbbbbbbbb", "beta")):
        items = [f"- id: n0\n  text: &shared {value}\n  target: {{exact: x, start: 0, end: 1}}\n"]
        items += [f"- id: n{i}\n  text: *shared\n  target: {{exact: x, start: {i}, end: {i + 1}}}\n" for i in (1, 2, 3)]
        store.path_of(doc_id).write_text("schema_version: 1\nnotes:\n" + "".join(items), encoding="utf-8")
        texts[doc_id] = {note.text for note in store.load(doc_id).notes}
    assert texts == {"aaaaaaaaaaaa": {"alpha"}, "bbbbbbbbbbbb": {"beta"}}


def test_unknown_keys_are_kept_on_rewrite(tmp_path: Path) -> None:
    path = shard_file(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(
        "schema_version: 1\n"
        "document:\n  id: d0c1d0c1d0c1\n  path: /library/summit.txt\n  language: zh\n"
        "notes:\n"
        "- id: kept\n  kind: note\n  colour: yellow\n  text: hand written\n"
        "  target: {exact: The 2023, start: 0, end: 8}\n"
        "  created: 2024-03-03T21:15:02Z\n"  # unquoted: YAML 1.1 reads a datetime
        "synced_with: [laptop, phone]\n",
        encoding="utf-8",
    )
    store = Store(tmp_path)
    assert store.load(DOC.id).notes[0].created == "2024-03-03T21:15:02Z"
    store.put_note(DOC, make_note(40, "new"))

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["synced_with"] == ["laptop", "phone"]
    assert data["document"]["language"] == "zh"
    assert data["document"]["title"] == DOC.title
    kept = next(item for item in data["notes"] if item["id"] == "kept")
    assert kept["colour"] == "yellow"
    assert kept["created"] == "2024-03-03T21:15:02Z"


def test_deleted_note_stays_a_tombstone_and_an_older_copy_does_not_bring_it_back(tmp_path: Path) -> None:
    store = Store(tmp_path)
    note = make_note(0, "private thought", updated="2024-01-01T00:00:00Z")
    store.put_note(DOC, note)
    store.delete_note(DOC, note.id)
    assert store.load(DOC.id).notes == []
    entry = yaml.safe_load(shard_file(tmp_path).read_text(encoding="utf-8"))["notes"][0]
    assert entry["deleted"] is True and entry["id"] == note.id
    assert entry["updated"] > "2024-01-01T00:00:00Z"
    assert "private thought" not in shard_file(tmp_path).read_text(encoding="utf-8")

    other = Store(tmp_path)  # another instance still holding the old copy
    other.put_note(DOC, note)
    assert other.import_notes(DOC, [note]) == 0
    assert saved_notes(tmp_path) == {}


def test_two_stores_on_one_folder_merge_by_note_id(tmp_path: Path) -> None:
    first, second = Store(tmp_path), Store(tmp_path)
    shared = make_note(10, "original", updated="2024-01-01T00:00:00Z")
    first.put_note(DOC, shared)
    assert second.load(DOC.id).notes == [shared]

    mine, theirs = make_note(100, "only in the first"), make_note(200, "only in the second")
    first.put_note(DOC, mine)
    second.put_note(DOC, theirs)  # second has not seen `mine`: it must not drop it
    newer = replace(shared, text="edited in the second", updated="2024-01-02T00:00:00Z")
    older = replace(shared, text="edited in the first, earlier", updated="2024-01-01T12:00:00Z")
    second.put_note(DOC, newer)
    first.put_note(DOC, older)  # saved later, but older: the newer edit stays

    for store in (first, second, Store(tmp_path)):
        notes = {note.id: note.text for note in store.load(DOC.id).notes}
        assert notes == {
            shared.id: "edited in the second",
            mine.id: "only in the first",
            theirs.id: "only in the second",
        }


def test_position_newest_wins(tmp_path: Path) -> None:
    first, second = Store(tmp_path), Store(tmp_path)
    late = Position(make_target(TEXT, 900, 930, "hash-1"), 80, "2024-05-01T10:00:00Z")
    early = Position(make_target(TEXT, 100, 130, "hash-1"), 10, "2024-05-01T09:00:00Z")
    first.put_position(DOC, late)
    second.put_position(DOC, early)
    assert Store(tmp_path).load(DOC.id).position == late


def test_import_adds_new_and_newer_notes_only(tmp_path: Path) -> None:
    store = Store(tmp_path)
    known = make_note(0, "known", updated="2024-01-01T00:00:00Z")
    store.put_note(DOC, known)
    incoming = [
        known,  # same: unchanged
        replace(known, text="older", updated="2023-01-01T00:00:00Z"),
        make_note(50, "new one"),
    ]
    assert store.import_notes(DOC, incoming) == 1
    assert store.import_notes(DOC, [replace(known, text="newer", updated="2024-06-01T00:00:00Z")]) == 1
    assert {note.text for note in Store(tmp_path).load(DOC.id).notes} == {"newer", "new one"}


def test_threads_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    stores = [Store(tmp_path), Store(tmp_path)]
    added: list[Note] = []
    start = threading.Barrier(6)

    def work(store: Store, number: int) -> None:
        start.wait()
        for index in range(15):
            note = make_note(number * 100 + index, f"thread {number} note {index}")
            store.put_note(DOC, note)
            added.append(note)

    threads = [threading.Thread(target=work, args=(stores[n % 2], n)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(saved_notes(tmp_path)) == {note.id for note in added}
    assert len(added) == 90


BROKEN = "schema_version: 1\nnotes:\n- id: n1\n  text: [unclosed\n  target: {exact: x, start: 0, end: 1}\n"


def test_corrupted_file_is_read_only_and_never_overwritten(tmp_path: Path) -> None:
    path = shard_file(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(BROKEN, encoding="utf-8")
    before = path.read_bytes()
    store = Store(tmp_path)

    shard = store.load(DOC.id)
    assert shard.read_only is True
    assert shard.problem.startswith(f"{path}: line 5, column ")
    assert "\n" not in shard.problem
    for attempt in (
        lambda: store.put_note(DOC, make_note(0, "new")),
        lambda: store.delete_note(DOC, "n1"),
        lambda: store.put_position(DOC, Position(make_target(TEXT, 0, 5, "h"), 3, now())),
        lambda: store.import_notes(DOC, [make_note(0)]),
    ):
        with pytest.raises(StoreError, match=f"^{path}: line 5, column"):
            attempt()
    assert path.read_bytes() == before
    assert list(Store(tmp_path).shards())[0].read_only is True


def test_corrupted_file_shows_the_backup_copy(tmp_path: Path) -> None:
    store = Store(tmp_path)
    good = make_note(0, "saved before the damage")
    store.put_note(DOC, good)
    store.put_note(DOC, make_note(30, "second save makes the .bak"))
    backup = shard_file(tmp_path).with_name(f"{DOC.id}.yaml.bak")
    assert backup.exists()
    shard_file(tmp_path).write_text(BROKEN, encoding="utf-8")

    shard = Store(tmp_path).load(DOC.id)
    assert shard.read_only is True
    assert [note.id for note in shard.notes] == [good.id]
    assert "line 5" in shard.problem and backup.name in shard.problem
    assert shard.document == DOC


def test_backup_is_refreshed_only_after_the_shard_was_left_alone(tmp_path: Path) -> None:
    store = Store(tmp_path)
    first = make_note(0, "first")
    store.put_note(DOC, first)
    store.put_note(DOC, make_note(10, "second"))
    backup = shard_file(tmp_path).with_name(f"{DOC.id}.yaml.bak")
    assert {item["id"] for item in yaml.safe_load(backup.read_text())["notes"]} == {first.id}
    store.put_note(DOC, make_note(20, "third, soon after"))
    assert len(yaml.safe_load(backup.read_text())["notes"]) == 1  # not refreshed within BACKUP_AGE

    old = time.time() - 3600
    os.utime(shard_file(tmp_path), (old, old))
    store.put_note(DOC, make_note(30, "fourth, an hour later"))
    assert len(yaml.safe_load(backup.read_text())["notes"]) == 3


def test_python_tags_are_rejected(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = shard_file(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(f"schema_version: 1\nnotes: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    shard = Store(tmp_path).load(DOC.id)
    assert shard.read_only is True
    assert shard.problem.startswith(f"{path}: line 2, column 8: the tag !!python/object/apply:os.system is not allowed")
    assert not marker.exists()


def test_newer_schema_opens_read_only_and_is_never_downgraded(tmp_path: Path) -> None:
    path = shard_file(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(
        "schema_version: 2\nnotes:\n- id: n1\n  text: from the future\n  target: {exact: x, start: 0, end: 1}\n"
        "highlights_v2: {}\n",
        encoding="utf-8",
    )
    before = path.read_bytes()
    store = Store(tmp_path)
    shard = store.load(DOC.id)
    assert shard.read_only is True
    assert "schema_version 2 is newer" in shard.problem and str(path) in shard.problem
    assert [note.text for note in shard.notes] == ["from the future"]
    with pytest.raises(StoreError, match="schema_version 2 is newer"):
        store.put_note(DOC, make_note())
    assert path.read_bytes() == before


def test_one_bad_note_is_set_aside_kept_verbatim_and_reported(tmp_path: Path) -> None:
    path = shard_file(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(
        "schema_version: 1\nnotes:\n"
        "- id: good\n  text: fine\n  target: {exact: x, start: 0, end: 1}\n"
        "- id: bad\n  text: end before start\n  target: {exact: x, start: 9, end: 2}\n",
        encoding="utf-8",
    )
    store = Store(tmp_path)
    shard = store.load(DOC.id)
    assert shard.read_only is False
    assert [note.id for note in shard.notes] == ["good"]
    assert shard.problem.startswith(f"{path}: line 6, column 1: note 2.target: end 2 is before start 9")

    store.put_note(DOC, make_note(5, "added"))
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["notes"]
    assert {"id": "bad", "text": "end before start", "target": {"exact": "x", "start": 9, "end": 2}} in items
    assert len(items) == 3
    assert "note 3.target: end 2 is before start 9" in Store(tmp_path).load(DOC.id).problem  # now listed last


def test_file_that_is_not_utf8_is_placed(tmp_path: Path) -> None:
    path = shard_file(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes("schema_version: 1\nnotes:\n- id: n1\n  text: 数字 caf".encode() + b"\xe9\n")
    shard = Store(tmp_path).load(DOC.id)
    assert shard.read_only is True
    assert shard.problem.startswith(f"{path}: line 4, column 15: not UTF-8 text")


def test_refuses_to_empty_a_notes_list_without_tombstones(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.put_note(DOC, make_note(0, "keep me"))
    before = shard_file(tmp_path).read_bytes()

    def drop_everything(shard) -> int:
        shard.notes.clear()
        return 1

    with pytest.raises(StoreError, match="refusing to save an empty notes list over 1 notes"):
        store._update(DOC, drop_everything)
    assert shard_file(tmp_path).read_bytes() == before


def test_failed_write_names_the_file_and_loses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path)
    kept = [make_note(0, "kept"), make_note(5, "kept too")]
    for note in kept:
        store.put_note(DOC, note)  # the second save makes the .bak: only the shard is written next

    def disk_full(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("reader.storage.store.atomic_write", disk_full)
    with pytest.raises(StoreError, match=f"^{shard_file(tmp_path)}: cannot save \\(No space left on device\\)"):
        store.put_note(DOC, make_note(10, "lost"))
    monkeypatch.undo()
    assert set(saved_notes(tmp_path)) == {note.id for note in kept}


def test_document_ids_that_cannot_name_a_file(tmp_path: Path) -> None:
    store = Store(tmp_path)
    bad = replace(DOC, id="../escape")
    with pytest.raises(StoreError, match="cannot name a notes file"):
        store.put_note(bad, make_note())
    shard = store.load("../escape")
    assert shard.read_only is True and "cannot name a notes file" in shard.problem
    assert not (tmp_path / "escape.yaml").exists()


def test_shards_lists_documents_with_something_stored(tmp_path: Path) -> None:
    store = Store(tmp_path)
    other = DocumentRef("0the0r0d0c00", "/library/other.md", "Other")
    store.put_note(DOC, make_note(0, "a note"))
    store.put_position(other, Position(make_target(TEXT, 0, 10, "h"), 5, now()))
    emptied = DocumentRef("em0pty0d0c00", "/library/emptied.md", "Emptied")
    note = make_note(0)
    store.put_note(emptied, note)
    store.delete_note(emptied, note.id)
    (tmp_path / "notes" / ".d0c1d0c1d0c1.yaml.abc123xy.tmp").write_text("half a write")

    shards = {shard.document.id: shard for shard in store.shards()}
    assert set(shards) == {DOC.id, other.id}
    assert not list((tmp_path / "notes").glob(".*.tmp"))


def test_missing_shard_is_empty_and_writable(tmp_path: Path) -> None:
    shard = Store(tmp_path / "nothing-here").load(DOC.id)
    assert (shard.document, shard.notes, shard.position, shard.read_only, shard.problem) == (None, [], None, False, "")
    assert list(Store(tmp_path / "nothing-here").shards()) == []


def test_reader_home_is_respected_through_paths(reader_home: Path) -> None:
    store = Store(Paths.from_environment().data_dir)
    store.put_note(DOC, make_note(0, "at home"))
    assert shard_file(reader_home / "data").exists()
    assert (reader_home / "data" / "store.lock").exists()
