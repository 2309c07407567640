"""Document tags, state and star in the store: the shard's keys, merges, hand edits, the meta index."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from reader.core.notes import DocumentRef, Kind, Note, make_target, now
from reader.core.organise import BadValue, Change, DocMeta, check_state, clean_tag
from reader.storage.store import Store, StoreError

DOC = DocumentRef("doc1", "/library/a.txt", "A document")


def test_tags_state_and_star_are_kept_in_the_shard_by_hand_editable_keys(tmp_path: Path) -> None:
    store = Store(tmp_path)
    assert store.organise(DOC, Change(add=("Policy", "smart city", "economy/rates")))
    assert not store.organise(DOC, Change(add=("policy",)))  # the same tag in another case
    store.organise(DOC, Change(state="later", favourite=True))
    shard = store.load("doc1")
    assert shard.meta.tags == ("Policy", "smart city", "economy/rates")
    assert (shard.meta.state, shard.meta.favourite, shard.meta.opened) == ("later", True, False)
    assert shard.meta.added
    text = store.path_of("doc1").read_text()
    assert "tags:\n- Policy\n- smart city\n- economy/rates\nstate: later\nfavourite: true\nadded: " in text
    assert shard.meta.has_tag("economy") and shard.meta.has_tag("POLICY") and not shard.meta.has_tag("econ")
    store.organise(DOC, Change(remove=("POLICY",), state="inbox", favourite=False))
    assert store.load("doc1").meta.tags == ("smart city", "economy/rates")
    assert store.load("doc1").meta.state == "inbox"


def test_notes_and_unknown_keys_are_kept_beside_them(tmp_path: Path) -> None:
    store = Store(tmp_path)
    text = "The committee kept rates unchanged. " * 5
    stamp = now()
    note = Note("n1", "doc1", Kind.NOTE, make_target(text, 4, 13, "h"), stamp, stamp, text="mine")
    store.put_note(DOC, note)
    path = store.path_of("doc1")
    path.write_text(path.read_text() + "colour: blue\n")
    store.organise(DOC, Change(add=("a",)))
    content = path.read_text()
    assert "colour: blue" in content and "mine" in content
    assert [n.id for n in store.load("doc1").notes] == ["n1"]


def test_a_hand_edit_is_read_back(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.organise(DOC, Change(add=("a",)))
    path = store.path_of("doc1")
    path.write_text(path.read_text().replace("- a\n", "- a\n- B/c\n") + "state: archive\n")
    meta = Store(tmp_path).load("doc1").meta
    assert meta.tags == ("a", "B/c") and meta.state == "archive"
    os.utime(path, ns=(1, 1))  # another stamp than the one recorded
    assert Store(tmp_path).meta_index.snapshot().get("doc1").tags == ("a", "B/c")


@pytest.mark.parametrize(
    ("edit", "key", "message"),
    [
        ("state: reading\n", "state", "state must be one of inbox, later, archive, found 'reading'"),
        ("tags: {a: 1}\n", "tags", "tags must be a list of tags"),
        ("tags: ['']\n", "tags", "a tag cannot be empty"),
        ("favourite: maybe\n", "favourite", "favourite must be true or false"),
    ],
)
def test_a_bad_hand_edited_value_is_reported_with_its_line_and_never_overwritten(
    tmp_path: Path, edit: str, key: str, message: str
) -> None:
    store = Store(tmp_path)
    store.organise(DOC, Change(add=("x",) if key != "tags" else (), state="later" if key != "state" else None))
    path = store.path_of("doc1")
    lines = path.read_text().splitlines(keepends=True)
    lines = [line for line in lines if not line.startswith(f"{key}:") and not (key == "tags" and line == "- x\n")]
    at = lines.index("notes: []\n")
    lines.insert(at, edit)
    path.write_text("".join(lines))
    fresh = Store(tmp_path)
    shard = fresh.load("doc1")
    assert shard.meta.state == ("inbox" if key == "state" else "later")
    assert shard.meta_problems and shard.meta_problems[0].startswith(f"line {at + 1}, column ")
    assert message in shard.meta_problems[0]
    change = {"state": Change(state="archive"), "tags": Change(add=("y",)), "favourite": Change(favourite=True)}[key]
    with pytest.raises(StoreError, match=rf"^{path}: line {at + 1}, column \d+: .*fix the file first; nothing was saved$"):
        fresh.organise(DOC, change)
    assert edit in path.read_text()
    fresh.organise(DOC, Change(add=("z",)) if key != "tags" else Change(state="archive"))  # another key: saved
    assert yaml.safe_load(path.read_text())[key] == yaml.safe_load(edit)[key]  # the value as written
    assert Store(tmp_path).load("doc1").meta_problems
    problems = Store(tmp_path).meta_index.snapshot().problems
    assert problems and problems[0].startswith(f"{path}: line {at + 1}") and "shown as inbox" in problems[0]


def test_bad_tags_and_states_are_refused_with_one_line() -> None:
    for bad in ("", "   ", "x" * 101, "a\x07b"):
        with pytest.raises(BadValue):
            clean_tag(bad)
    assert clean_tag("  smart   city ") == "smart city"
    assert clean_tag("x" * 100) == "x" * 100
    with pytest.raises(BadValue, match="unknown state 'read': use inbox, later, archive"):
        check_state("read")
    assert check_state(" Later ") == "later"


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from reader.core.notes import DocumentRef
    from reader.core.organise import Change
    from reader.storage.store import Store
    store = Store(Path(sys.argv[1]))
    doc = DocumentRef("doc1", "/library/a.txt", "A document")
    sys.stdin.readline()
    for number in range(int(sys.argv[3])):
        store.organise(doc, Change(add=(f"{sys.argv[2]}-{number}",)))
    """
)


def test_tags_added_by_two_processes_at_once_are_all_kept(tmp_path: Path) -> None:
    count = 30
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path), name, str(count)],
            stdin=subprocess.PIPE,
            text=True,
        )
        for name in ("one", "two")
    ]
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    for writer in writers:
        assert writer.wait(timeout=300) == 0
    tags = Store(tmp_path).load("doc1").meta.tags
    assert sorted(tags) == sorted(f"{name}-{n}" for name in ("one", "two") for n in range(count))
    for name in ("one", "two"):  # each process's own order is kept
        mine = [tag for tag in tags if tag.startswith(name)]
        assert mine == [f"{name}-{n}" for n in range(count)]
    assert sorted(Store(tmp_path).meta_index.snapshot().get("doc1").tags) == sorted(tags)


def test_the_meta_index_follows_every_save_and_reads_only_changed_shards(tmp_path: Path) -> None:
    store = Store(tmp_path)
    for number in range(5):
        store.organise(DocumentRef(f"d{number}", f"/l/{number}.txt", "t"), Change(add=(f"t{number}",)))
    snapshot = Store(tmp_path).meta_index.snapshot(seen=["d0", "new"])
    assert snapshot.get("d3").tags == ("t3",)
    assert snapshot.get("new") == DocMeta(added=snapshot.get("new").added) and snapshot.get("new").added
    loads: list[str] = []
    other = Store(tmp_path)
    original = other.load
    other.load = lambda doc_id: loads.append(doc_id) or original(doc_id)  # type: ignore[method-assign]
    other.meta_index.snapshot()
    assert loads == []  # nothing changed since the saves recorded it
    other.path_of("d2").unlink()
    store.path_of("d4").write_text(store.path_of("d4").read_text().replace("- t4", "- hand"))
    snapshot = other.meta_index.snapshot()
    assert loads == ["d4"]
    assert snapshot.get("d4").tags == ("hand",) and snapshot.get("d2").tags == ()
    assert snapshot.get("d2").added  # the first-seen time outlives the shard


def test_a_damaged_meta_index_is_started_again(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.organise(DOC, Change(add=("a",)))
    (tmp_path / "doc-meta.sqlite").write_bytes(b"not a database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{tmp_path / 'doc-meta.sqlite'}{suffix}").unlink(missing_ok=True)
    assert Store(tmp_path).meta_index.snapshot().get("doc1").tags == ("a",)
