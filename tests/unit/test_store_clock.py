"""The notes store orders copies of a note by its change count, then by real instants.

Issue 18, item 1: the store kept whichever copy had the later ``updated`` compared as
text, so an imported time with an offset (``…+09:00``, an hour ago), a clock ahead or
a hand edit outranked every edit made now: the edit showed on screen and was gone on
the next start, and ``d`` then ``u`` left the note deleted.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import yaml

from reader.core.notes import DocumentRef, Kind, Note, Position, make_target, new_id, note_from_dict, now
from reader.storage.store import Store

TEXT = "The 2023 Digital Economy Summit was held in Hong Kong. " * 40
DOC = DocumentRef("c10c4c10c4c1", "/library/summit.txt", "Digital Economy Summit")
TOKYO = timezone(timedelta(hours=9))


def make_note(text: str = "imported", *, updated: str | None = None) -> Note:
    stamp = updated or now()
    return Note(new_id(), DOC.id, Kind.NOTE, make_target(TEXT, 100, 140, "hash"), stamp, stamp, text=text)


def shard_file(data_dir: Path) -> Path:
    return data_dir / "notes" / f"{DOC.id}.yaml"


def fresh(data_dir: Path) -> dict[str, Note]:
    """What the next start of the app finds on disk (a store that remembers nothing)."""
    return {note.id: note for note in Store(data_dir).load(DOC.id).notes}


def hour_ago_in_tokyo() -> str:
    """An hour ago, written with a +09:00 offset: as text it sorts after any UTC time made now."""
    return (datetime.now(UTC) - timedelta(hours=1)).astimezone(TOKYO).replace(microsecond=0).isoformat()


def tomorrow() -> str:
    return (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_an_edit_after_importing_a_time_with_an_offset_is_kept(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.import_notes(DOC, [make_note(updated=hour_ago_in_tokyo())])
    loaded = store.load(DOC.id).notes[0]
    store.put_note(DOC, loaded.edited(text="my edit, made now"))
    assert [note.text for note in fresh(tmp_path).values()] == ["my edit, made now"]


def test_an_imported_time_is_kept_in_utc(tmp_path: Path) -> None:
    Store(tmp_path).import_notes(DOC, [make_note(updated="2024-03-03T21:15:02+09:00")])
    entry = yaml.safe_load(shard_file(tmp_path).read_text(encoding="utf-8"))["notes"][0]
    assert entry["updated"] == "2024-03-03T12:15:02Z"


def test_an_imported_time_in_the_future_is_brought_back_to_now(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.import_notes(DOC, [make_note(updated=tomorrow())])
    stored = store.load(DOC.id).notes[0]
    assert stored.updated <= now()
    store.put_note(DOC, stored.edited(text="edited today"))
    assert [note.text for note in fresh(tmp_path).values()] == ["edited today"]


def test_copies_of_the_same_rev_are_ordered_by_instant_not_by_text(tmp_path: Path) -> None:
    store = Store(tmp_path)
    stored = make_note("later (02:00 UTC)", updated="2024-01-01T02:00:00Z")
    store.put_note(DOC, stored)
    earlier = replace(stored, text="earlier (01:00 UTC)", updated="2024-01-01T10:00:00+09:00")
    assert store.import_notes(DOC, [earlier]) == 0
    assert [note.text for note in fresh(tmp_path).values()] == ["later (02:00 UTC)"]


def test_an_edit_supersedes_a_hand_edited_time_in_the_future(tmp_path: Path) -> None:
    store = Store(tmp_path)
    note = make_note("as written")
    store.put_note(DOC, note)
    path = shard_file(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(note.updated, "2999-01-01T00:00:00Z"), encoding="utf-8")
    loaded = Store(tmp_path).load(DOC.id).notes[0]
    assert loaded.updated == "2999-01-01T00:00:00Z"
    store.put_note(DOC, loaded.edited(text="edited"))
    assert [note.text for note in fresh(tmp_path).values()] == ["edited"]


def test_delete_then_undo_restores_the_note_whatever_its_time(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.import_notes(DOC, [make_note("keep my words", updated=hour_ago_in_tokyo())])
    path = shard_file(tmp_path)
    stamp = yaml.safe_load(path.read_text(encoding="utf-8"))["notes"][0]["updated"]
    path.write_text(path.read_text(encoding="utf-8").replace(stamp, "2999-01-01T00:00:00Z"), encoding="utf-8")
    loaded = store.load(DOC.id).notes[0]  # what the app holds when the user presses d
    store.delete_note(DOC, loaded.id)
    assert fresh(tmp_path) == {}
    store.put_note(DOC, loaded.restored())  # u
    restored = fresh(tmp_path)[loaded.id]
    assert (restored.text, restored.target.exact, restored.deleted) == ("keep my words", loaded.target.exact, False)


def test_delete_and_undo_many_times_in_the_same_second(tmp_path: Path) -> None:
    store = Store(tmp_path)
    note = make_note("again and again")
    store.put_note(DOC, note)
    for _ in range(5):
        store.delete_note(DOC, note.id)
        assert fresh(tmp_path) == {}
        note = note.restored()
        store.put_note(DOC, note)
        assert fresh(tmp_path)[note.id].text == "again and again"


def test_an_older_copy_of_an_edited_note_does_not_win_even_with_a_later_clock(tmp_path: Path) -> None:
    store = Store(tmp_path)
    note = make_note("first", updated="2024-01-01T00:00:00Z")
    store.put_note(DOC, note)
    store.put_note(DOC, note.edited(text="second"))
    stale = replace(note, text="stale copy from a machine whose clock is ahead", updated="2030-01-01T00:00:00Z")
    assert store.import_notes(DOC, [stale]) == 0
    assert [note.text for note in fresh(tmp_path).values()] == ["second"]


def test_rev_is_written_only_once_a_note_has_changed_and_old_files_still_load(tmp_path: Path) -> None:
    store = Store(tmp_path)
    note = make_note("new")
    store.put_note(DOC, note)
    assert "rev" not in yaml.safe_load(shard_file(tmp_path).read_text(encoding="utf-8"))["notes"][0]
    store.put_note(DOC, note.edited(text="changed").edited(text="twice"))
    entry = yaml.safe_load(shard_file(tmp_path).read_text(encoding="utf-8"))["notes"][0]
    assert entry["rev"] == 2
    assert fresh(tmp_path)[note.id].rev == 2


def test_a_bad_rev_is_set_aside_with_its_place(tmp_path: Path) -> None:
    store = Store(tmp_path)
    note = make_note("kept")
    store.put_note(DOC, note)
    path = shard_file(tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + "  rev: lots\n", encoding="utf-8")
    shard = Store(tmp_path).load(DOC.id)
    assert shard.notes == [] and "rev must be a whole number" in shard.problem and str(path) in shard.problem


def test_note_times_are_read_as_instants_in_utc() -> None:
    data = {"id": "n", "target": {"exact": "x", "start": 0, "end": 1}}
    assert note_from_dict({**data, "updated": "2024-03-03T21:15:02+09:00"}, "d").updated == "2024-03-03T12:15:02Z"
    assert note_from_dict({**data, "updated": "2024-03-03T21:15:02"}, "d").updated == "2024-03-03T21:15:02Z"
    assert note_from_dict({**data, "updated": "last Tuesday"}, "d").updated == "last Tuesday"


def test_a_position_from_the_future_does_not_pin_the_reading_place(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.put_position(DOC, Position(make_target(TEXT, 10, 40, "hash"), 5, "2999-01-01T00:00:00Z"))
    here = Position(make_target(TEXT, 900, 930, "hash"), 60, now())
    store.put_position(DOC, here)
    assert Store(tmp_path).load(DOC.id).position == here


def test_an_export_carries_rev_so_a_later_edit_made_elsewhere_wins_on_import(tmp_path) -> None:
    """Edited on another machine (rev 2), exported and imported here where the note is at rev 1."""
    from reader.core.export.web_annotation import parse_json, render_json
    from reader.core.notes import DocumentRef, Kind, Target, Note
    from reader.storage.store import Store

    ref = DocumentRef("doc1", "/library/a.txt", "A")
    target = Target("quote", "", "", 0, 5, "h" * 40)
    note = Note("0" * 32, "doc1", Kind.NOTE, target, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", text="first")
    here = Store(tmp_path / "here")
    here.put_note(ref, note.edited(text="edited here"))  # rev 1, now
    elsewhere = note.edited(text="edited there").edited(text="edited there, twice")  # rev 2
    exported = render_json([(ref, [elsewhere])], exported="2026-01-02T00:00:00Z")
    [(document, notes)] = parse_json(exported)
    assert notes[0].rev == 2
    here.import_notes(document, notes)
    assert [n.text for n in here.load("doc1").notes] == ["edited there, twice"]
