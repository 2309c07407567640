"""The app's export dialog follows the command line's write rules: it goes through the same storage function."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from textual.widgets import Input, Label

from reader.core.formats import read_document
from reader.core.notes import DocumentRef, Kind, Note, make_target, new_id, now
from reader.storage.paths import Paths
from reader.storage.store import Store
from reader.ui.app import ReaderApp
from reader.ui.screens.export import ExportDialog
from tests.conftest import SEED
from tests.ui.conftest import shown, wait_until


async def test_the_dialog_refuses_a_fifo_and_a_read_only_file_and_writes_through_a_symlink(tmp_path: Path) -> None:
    document = read_document(SEED)
    start = document.text.index("smart cit")
    note = Note(new_id(), document.id, Kind.NOTE, make_target(document.text, start, start + 40, document.text_hash),
                now(), now(), text="through the link")
    Store(Paths.from_environment().data_dir).put_note(
        DocumentRef(document.id, str(SEED), document.title, document.source), note
    )
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    read_only = tmp_path / "kept.md"
    read_only.write_text("mine\n", encoding="utf-8")
    read_only.chmod(0o444)
    real = tmp_path / "vault" / "notes.md"
    real.parent.mkdir()
    link = tmp_path / "notes.md"
    link.symlink_to(real)

    app = ReaderApp([SEED.parent])
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, shown(app.screen.query_one("DocumentView")))
        await pilot.press("tab", "e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportDialog))
        message = app.screen.query_one("#export-message", Label)
        path_input = app.screen.query_one("#export-path", Input)
        path_input.value = str(fifo)
        await pilot.press("enter")
        assert isinstance(app.screen, ExportDialog)
        assert str(message.render()) == f"{fifo} is a named pipe (FIFO), not a regular file; not written."
        path_input.value = str(read_only)
        await pilot.press("enter")
        assert isinstance(app.screen, ExportDialog)
        assert str(message.render()) == f"{read_only} is read-only; not written."
        path_input.value = str(link)
        await pilot.press("enter")
        await wait_until(pilot, lambda: real.exists())
        assert link.is_symlink() and f"<!-- note:{note.id} -->" in real.read_text(encoding="utf-8")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and read_only.read_text(encoding="utf-8") == "mine\n"
