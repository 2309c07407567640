"""Pilot tests of the library pane: sorting, filtering by source, reading progress."""

from __future__ import annotations

import os

import pytest

from reader.ui.app import ReaderApp
from reader.ui.screens.pick import PickScreen
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.document_view import DocumentView
from tests.ui.conftest import shown, wait_until


def rows(doc_list: DocumentList) -> list[str]:
    return [doc_list.row_text(i).split("\n")[0] for i in range(doc_list.item_count)]


async def sort_by(pilot, app: ReaderApp, sort: str) -> None:
    """Pick ``sort`` in the picker s opens."""
    await pilot.press("s")
    await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
    await pilot.press("home", *["j"] * [value for _, value in app.screen.choices].index(sort), "enter")
    await wait_until(pilot, lambda: not isinstance(app.screen, PickScreen))


async def test_sort_filter_and_progress(library):
    app = ReaderApp([library])
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: not app.screen.library_loading)
        doc_list = app.screen.query_one(DocumentList)
        view = app.screen.query_one(DocumentView)
        assert [d.title for d in doc_list.documents] == ["Alpha Notes", doc_list.documents[1].title, "Zeta Report"]
        assert all(row.startswith("• ") for row in rows(doc_list))  # nothing read yet

        await sort_by(pilot, app, "source")  # sources A→Z, the document without one last
        assert doc_list.sort == "source"
        assert [d.source for d in doc_list.documents][-1] == ""
        assert [d.title for d in doc_list.documents][1] == "Zeta Report"
        await sort_by(pilot, app, "length")  # shortest first
        assert doc_list.sort == "length"
        words = [d.words for d in doc_list.documents]
        assert words == sorted(words)

        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
        labels = [label for label, _ in app.screen.choices]
        assert labels[0].startswith("All sources (3)")
        await pilot.press("j", "j")  # the second source in the list
        chosen = app.screen.choices[2][1]
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, PickScreen))
        assert [d.source for d in doc_list.documents] == [chosen]
        await pilot.press("f")
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
        await pilot.press("home", "enter")  # all sources again (the picker starts on the current one)
        await wait_until(pilot, lambda: len(doc_list.documents) == 3)

        # open the longest document, read down a little, open another: progress shows
        longest = max(doc_list.documents, key=lambda d: d.words)
        doc_list.select_document(longest.id)
        await pilot.press("enter")
        await wait_until(pilot, lambda: shown(view)() and view.document.id == longest.id)
        await pilot.press("space", "space", "space")
        percent = view.percent()
        assert percent > 0
        await pilot.press("tab")
        doc_list.select_document(next(d.id for d in doc_list.documents if d.id != longest.id))
        await pilot.press("enter")
        await wait_until(pilot, lambda: view.document.id != longest.id)
        row = rows(doc_list)[[d.id for d in doc_list.documents].index(longest.id)]
        details = doc_list.row_text([d.id for d in doc_list.documents].index(longest.id))
        assert not row.startswith("• ")
        assert f"{percent}%" in details

        # recently read first
        await pilot.press("tab")
        await sort_by(pilot, app, "recent")
        assert doc_list.documents[0].id == view.document.id
        assert doc_list.documents[1].id == longest.id


async def test_a_library_indexed_before_is_listed_from_the_index_before_any_file_is_read(
    tmp_path, monkeypatch
) -> None:
    import threading

    import reader.core.search.index as index_module
    import reader.ui.screens.main as main_module
    from reader.core.search.index import SearchIndex
    from reader.storage.paths import Paths
    from tests.ui.conftest import wait_while_working

    library = tmp_path / "library"
    library.mkdir()
    for number in range(12):
        (library / f"doc-{number:02}.txt").write_text(f"Paper {number}\n\nAbout herons, part {number}.\n")
    SearchIndex(Paths.from_environment().index_dir).update([library])
    changed = library / "doc-03.txt"
    changed.write_text("Paper three, revised\n\nAbout egrets now.\n")
    os.utime(changed, (changed.stat().st_atime + 5, changed.stat().st_mtime + 5))

    read: list[str] = []
    release = threading.Event()
    prepare = index_module._prepare

    def held(path, *rest):  # type: ignore[no-untyped-def]
        read.append(path.name)
        release.wait(120)  # a hang guard: the test releases it
        return prepare(path, *rest)

    monkeypatch.setattr(index_module, "_prepare", held)
    monkeypatch.setattr(main_module, "read_infos", lambda paths, parallel=True: pytest.fail("the library was read"))
    app = ReaderApp([library])
    async with app.run_test(size=(110, 32)) as pilot:
        doc_list = app.screen.query_one(DocumentList)
        try:
            # listed whole from the index while the one changed file is still being read
            await wait_while_working(
                pilot,
                lambda: doc_list.item_count == 12 and read == ["doc-03.txt"] and app.screen.search_index is not None,
                120,
            )
            assert "• Paper 3" in rows(doc_list)
            assert app.screen.library_loading
        finally:
            release.set()
        await wait_until(pilot, lambda: not app.screen.library_loading, 120)
        assert "• Paper three, revised" in rows(doc_list)
        assert "• Paper 3" not in rows(doc_list)
        assert read == ["doc-03.txt"]
        assert doc_list.item_count == 12


async def test_a_new_library_is_listed_by_indexing_it_each_file_read_once(tmp_path, monkeypatch) -> None:
    import reader.core.search.index as index_module
    import reader.ui.screens.main as main_module

    library = tmp_path / "library"
    library.mkdir()
    for number in range(10):
        (library / f"doc-{number:02}.txt").write_text(f"Paper {number}\n\nAbout herons, part {number}.\n")
    read: list[str] = []
    prepare = index_module._prepare
    monkeypatch.setattr(index_module, "_prepare", lambda path, *rest: read.append(path.name) or prepare(path, *rest))
    monkeypatch.setattr(main_module, "read_infos", lambda paths, parallel=True: pytest.fail("the library was read twice"))
    app = ReaderApp([library])
    async with app.run_test(size=(110, 32)) as pilot:
        doc_list = app.screen.query_one(DocumentList)
        await wait_until(pilot, lambda: not app.screen.library_loading, 120)
        assert doc_list.item_count == 10
        assert sorted(read) == [f"doc-{number:02}.txt" for number in range(10)]
        assert "10 documents" in app.screen.query_one("#status").render().plain


async def test_the_palette_lists_the_skipped_files_with_their_reasons(tmp_path) -> None:
    from reader.ui.screens.pick import PickScreen
    from tests.ui.conftest import palette_has

    library = tmp_path / "library"
    library.mkdir()
    for number in range(3):
        (library / f"doc-{number}.txt").write_text(f"Paper {number}\n\nAbout herons.\n")
    (library / "packed.txt").write_bytes(b"\x1f\x8b\x08" + bytes(40))
    (library / "[bold]picture.png").write_bytes(b"\x89PNG")  # a name that is not markup
    app = ReaderApp([library])
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: not app.screen.library_loading, 120)
        await pilot.press("ctrl+p", *"skipped")
        await wait_until(pilot, lambda: palette_has(app, "Skipped files (2)"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
        from textual.widgets import OptionList

        options = app.screen.query_one(OptionList)
        lines = sorted(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))
        assert lines == [
            f"{library / '[bold]picture.png'}: unsupported format (.png)",
            f"{library / 'packed.txt'}: binary file (gzip data)",
        ]
