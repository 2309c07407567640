"""Pilot tests: the user's last action on a note is what the notes file keeps, and
"Note saved." is said only of a note that was saved (issue 18, items 1 and 9)."""

from __future__ import annotations

from textual.widgets import TextArea

from reader.core.formats import read_document
from reader.core.notes import DocumentRef, Kind, Note, make_target, new_id
from reader.storage.paths import Paths
from reader.storage.store import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.note_editor import NoteEditor
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.notes_panel import NotesPanel
from tests.conftest import SEED
from tests.ui.conftest import shown, wait_until

FUTURE = "2999-01-01T00:00:00Z"  # a clock far ahead, or a hand edit


def store() -> Store:
    return Store(Paths.from_environment().data_dir)


def messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_edit_and_undo_win_over_a_note_stamped_in_the_future():
    document = read_document(SEED)
    start = document.text.index(document.text.split()[40])
    target = make_target(document.text, start, start + 30, document.text_hash)
    note = Note(new_id(), document.id, Kind.NOTE, target, FUTURE, FUTURE, text="from the future")
    store().put_note(DocumentRef(document.id, str(SEED), document.title), note)

    app = ReaderApp([SEED.parent])
    async with app.run_test(size=(110, 32)) as pilot:
        view = app.screen.query_one(DocumentView)
        await wait_until(pilot, shown(view))
        await wait_until(pilot, lambda: view.notes_at(target.start, target.end) == [note.id])
        await pilot.press("tab")
        view.scroll_to_offset(target.start)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor))
        assert app.screen.query_one(TextArea).text == "from the future"
        await pilot.press(*", edited now")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: [n.text for n in store().load(document.id).notes] == ["from the future, edited now"])

        await pilot.press("A")
        assert app.focused is app.screen.query_one(NotesPanel)
        await pilot.press("d")
        await wait_until(pilot, lambda: store().load(document.id).notes == [])
        await pilot.press("u")
        await wait_until(pilot, lambda: any(m == "Restored." for m in messages(app)))
        await wait_until(pilot, lambda: [n.text for n in store().load(document.id).notes] == ["from the future, edited now"])
        kept = store().load(document.id).notes[0]
        assert kept.target.exact == target.exact and not kept.deleted


async def test_a_note_that_could_not_be_saved_is_never_said_to_be_saved(monkeypatch):
    from reader.ui import trace

    document = read_document(SEED)
    shard = store().path_of(document.id)
    broken = b"schema_version: 1\nnotes:\n  - id: abc\n    text: [unclosed\n"
    loaded: list[str] = []
    monkeypatch.setattr(trace, "mark", lambda event, detail="": event == "notes-loaded" and loaded.append(detail))
    app = ReaderApp([SEED.parent])
    async with app.run_test(size=(110, 32)) as pilot:
        view = app.screen.query_one(DocumentView)
        await wait_until(pilot, shown(view))
        await wait_until(pilot, lambda: view.document is not None and view.document.id == document.id)
        await wait_until(pilot, lambda: document.id in loaded)  # its notes read (after the first frame)
        # damaged after the document was opened (by hand, or by another program): the save finds it
        shard.parent.mkdir(parents=True, exist_ok=True)
        shard.write_bytes(broken)
        await pilot.press("tab", "j", "j", "v", "a")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditor))
        await pilot.press(*"my thought")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: any(m.startswith("Not saved") for m in messages(app)))
        assert not any("Note saved" in m for m in messages(app))
        assert shard.read_bytes() == broken
