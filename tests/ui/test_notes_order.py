"""Store changes from the app are written in the order the user made them."""

from __future__ import annotations

import threading
import time

from reader.core.formats import read_document
from reader.core.notes import DocumentRef, Kind, new_note
from reader.storage.paths import Paths
from reader.storage.store import Store
from reader.ui.app import ReaderApp
from tests.conftest import SEED
from tests.ui.conftest import settle, wait_until, wait_while_working


async def test_delete_then_undo_is_written_in_that_order_even_when_the_first_write_is_slow() -> None:
    document = read_document(SEED)
    ref = DocumentRef(document.id, str(document.path), document.title)
    note = new_note(document, Kind.NOTE, 100, 140, text="keep me")
    Store(Paths.from_environment().data_dir).put_note(ref, note)

    app = ReaderApp([SEED.parent])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: screen.store is not None)
        store = screen.store
        real_delete, real_put = store.delete_note, store.put_note
        started, put_done = threading.Event(), threading.Event()

        def slow_delete(*args, **kwargs):
            # the deletion's write waits until the undo has been asked for and either written
            # (saves racing each other) or queued behind it (saves in order)
            started.set()
            deadline = time.monotonic() + 120  # a hang guard, not a speed check
            while not (put_done.is_set() or getattr(screen, "_saves", None)) and time.monotonic() < deadline:
                time.sleep(0.01)
            return real_delete(*args, **kwargs)

        def put(*args, **kwargs):
            try:
                return real_put(*args, **kwargs)
            finally:
                put_done.set()

        store.delete_note = slow_delete  # type: ignore[method-assign]
        store.put_note = put  # type: ignore[method-assign]
        screen._deleted.append((ref, note))
        screen.save_deletion(ref, note.id)
        await wait_while_working(pilot, started.is_set, 120)
        screen.action_undo_delete()  # asked for while the deletion is being written
        await wait_until(pilot, put_done.is_set, 120)
        await settle(pilot)

    [kept] = Store(Paths.from_environment().data_dir).load(document.id).notes
    assert kept.id == note.id and kept.text == "keep me"
