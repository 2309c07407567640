"""Pilot tests: the library, the index and the open document follow the files on disk."""

from __future__ import annotations

from reader.ui.app import ReaderApp
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.document_view import DocumentView
from tests.ui.conftest import shown, wait_until


async def test_files_added_changed_and_removed_while_the_app_runs(library):
    app = ReaderApp([library])
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: not app.screen.library_loading and app.screen._watch_stop is not None)
        doc_list = app.screen.query_one(DocumentList)
        view = app.screen.query_one(DocumentView)
        titles = lambda: [d.title for d in doc_list.documents]  # noqa: E731

        # the watcher thread may still be setting up its watches: write until it sees the file
        for _ in range(20):
            (library / "new.md").write_text("# Brand New Piece\n\nWith a rhinoceros in it.\n", encoding="utf-8")
            try:
                await wait_until(pilot, lambda: "Brand New Piece" in titles(), timeout=3)
                break
            except AssertionError:
                continue
        assert "Brand New Piece" in titles()

        # the new file is searchable too: the index followed
        await wait_until(pilot, lambda: not app.screen.indexing, timeout=15)
        await pilot.press("slash")
        await pilot.press(*"rhinoceros")
        await wait_until(pilot, lambda: [h.title for h in doc_list.results or []] == ["Brand New Piece"], timeout=15)
        await pilot.press("escape")

        # the open document changes on disk: it is shown again, new text and all
        doc_list.select_document(next(d.id for d in doc_list.documents if d.title == "Zeta Report"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: shown(view)() and view.document.title == "Zeta Report")
        (library / "zeta.txt").write_text("Zeta Report\n\nSource: The Zeta Times\n\nA longer report now.\n")
        await wait_until(pilot, lambda: "A longer report now." in view.document.text, timeout=15)

        # removed: gone from the list; the open document stays readable
        (library / "zeta.txt").unlink()
        await wait_until(pilot, lambda: "Zeta Report" not in titles(), timeout=15)
        assert view.document is not None and "A longer report now." in view.document.text
