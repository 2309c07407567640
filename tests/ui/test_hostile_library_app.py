"""The app on a hostile library (issue 18, items 2 and 5): a file name that is not UTF-8
is listed, found and opened; special files and links out of the library neither hang
the app nor stop it from quitting."""

from __future__ import annotations

import os
from pathlib import Path

from reader.ui.app import ReaderApp
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.document_view import DocumentView
from tests.ui.conftest import shown, wait_until
from tests.ui.test_search import ready


async def test_a_name_that_is_not_utf8_is_listed_found_and_opened(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    odd = library / os.fsdecode(b"x\xff.txt")
    odd.write_bytes(b"\n\nalpha wombat\n")  # no title: the title is made from the file name
    (library / "ok.txt").write_text("Other\n\nalpha beta\n", encoding="utf-8")
    for run in range(2):  # a first run reads and indexes; a second lists from the index
        app = ReaderApp([library])
        async with app.run_test(size=(110, 32)) as pilot:
            await wait_until(pilot, lambda: ready(app))
            doc_list = app.screen.query_one(DocumentList)
            view = app.screen.query_one(DocumentView)
            assert sorted(str(d.path) for d in doc_list.documents) == sorted([str(odd), str(library / "ok.txt")])
            await pilot.press("slash", *"wombat")
            await wait_until(pilot, lambda: doc_list.results is not None and len(doc_list.results) == 1)
            assert str(doc_list.results[0].path) == str(odd)
            await pilot.press("enter")
            await wait_until(pilot, lambda: shown(view)() and view.document.path == odd)
            assert "wombat" in view.document.text
        assert app.return_code in (None, 0)


async def test_special_files_and_a_link_to_the_root_neither_hang_nor_hold_the_app(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    library.mkdir()
    (library / "doc.txt").write_text("Doc\n\nA document.\n", encoding="utf-8")
    os.mkfifo(library / "pipe.txt")
    outside = tmp_path / "outside"
    outside.mkdir()
    os.mkfifo(outside / "fifo")
    (library / "fifo.txt").symlink_to(outside / "fifo")
    (library / "zero.txt").symlink_to("/dev/zero")
    (library / "root").symlink_to("/")
    app = ReaderApp([library])
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: ready(app))
        doc_list = app.screen.query_one(DocumentList)
        assert [d.title for d in doc_list.documents] == ["Doc"]
        reasons = {item.path.name: item.reason for item in app.screen.skipped}
        assert reasons["root"] == "link to a folder outside the library, not followed (/)"
        assert reasons["zero.txt"] == "link to a character device (/dev/zero), not a regular file"
        assert set(reasons) == {"root", "zero.txt", "pipe.txt", "fifo.txt"}
        await pilot.press("q")
    assert app.return_code in (None, 0)
