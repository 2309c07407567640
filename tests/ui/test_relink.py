"""In the app: notes follow a renamed library folder, and the ones that cannot be matched are listed."""

from __future__ import annotations

from pathlib import Path

from reader.core.document import document_id
from reader.core.formats import read_document
from reader.core.notes import DocumentRef, Kind, new_note
from reader.storage.paths import Paths
from reader.storage.store import Store
from reader.ui.app import ReaderApp
from reader.ui.messages import OpenDocument
from tests.conftest import SEED
from tests.ui.conftest import palette_has, wait_until

QUOTE = "the cooperation between the SAR government and Guangdong Province"


def _note(store: Store, path: Path, quote: str) -> str:
    document = read_document(path)
    start = document.text.index(quote)
    note = new_note(document, Kind.NOTE, start, start + len(quote), text="moved along")
    store.put_note(DocumentRef(document.id, str(document.path), document.title), note)
    return note.id


async def test_notes_follow_a_renamed_library_and_the_lost_are_in_the_palette(tmp_path: Path) -> None:
    old = tmp_path / "articles"
    old.mkdir()
    (old / "seed.txt").write_bytes(SEED.read_bytes())
    (old / "gone.txt").write_text("A Vanished Piece\n\nThis document is deleted, not moved, and its note has nowhere to go.\n")
    store = Store(Paths.from_environment().data_dir)
    note_id = _note(store, old / "seed.txt", QUOTE)
    _note(store, old / "gone.txt", "its note has nowhere to go")
    new = old.rename(tmp_path / "reading")
    (new / "gone.txt").unlink()

    app = ReaderApp([new])
    async with app.run_test(size=(120, 35)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: screen._relinked and not any(w.group == "relink" for w in app.workers), 120)
        moved = store.load(document_id(new / "seed.txt"))
        assert [n.id for n in moved.notes] == [note_id]
        assert [item.orphan.path for item in screen.missing_notes] == [str((old / "gone.txt").resolve())]
        messages = [n.message for n in app._notifications]
        assert any("followed it" in m for m in messages) and any("no longer where it was" in m for m in messages)

        await pilot.press("ctrl+p")
        await pilot.press(*"missing")
        await wait_until(pilot, lambda: palette_has(app, "Notes of missing documents (1)"), 60)

        # the moved document opens with its note
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen)
        screen.post_message(OpenDocument(document_id(new / "seed.txt")))
        await wait_until(pilot, lambda: note_id in screen.notes, 60)
