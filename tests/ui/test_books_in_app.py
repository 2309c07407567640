"""Books and papers in the app: the status line gives the page; an indexed one opens without parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

import reader.core.formats.packaged as packaged
from reader.core.formats.doc_cache import PARSED
from reader.ui.app import ReaderApp
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.status_line import StatusLine, page_of
from tests.ui.conftest import wait_until
from tests.unit.pdf_fixtures import paper


async def open_only(pilot, app: ReaderApp) -> DocumentView:  # type: ignore[no-untyped-def]
    await wait_until(pilot, lambda: not app.screen.library_loading)
    doc_list = app.screen.query_one(DocumentList)
    doc_list.select_document(doc_list.documents[0].id)
    await pilot.press("enter")
    view = app.screen.query_one(DocumentView)
    await wait_until(pilot, lambda: view.document is not None and not view.partial and view.row_count > 0)
    return view


def test_page_of_says_printed_numbers_out_of_the_last_and_other_labels_alone(tmp_path: Path) -> None:
    from reader.core.formats import read_document

    path = tmp_path / "report.pdf"
    path.write_bytes(paper(4, labels=True))  # i, 1, 2, 3
    document = read_document(path)
    assert page_of(document, 0) == "p. i"
    assert page_of(document, document.sections[-1].offset) == "p. 3 of 3"
    (tmp_path / "notes.txt").write_text("Notes\n\nNo pages here.\n", encoding="utf-8")
    assert page_of(read_document(tmp_path / "notes.txt"), 0) == ""


async def test_the_status_line_shows_the_page_at_the_top_of_the_view(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "report.pdf").write_bytes(paper(12, labels=True))
    app = ReaderApp([folder])
    async with app.run_test(size=(100, 20)) as pilot:
        view = await open_only(pilot, app)
        status = app.screen.query_one(StatusLine)
        await wait_until(pilot, lambda: "p. i " in str(status.render()))
        await pilot.press("G")
        await wait_until(pilot, lambda: "100%" in str(status.render()))
        top = view.document.page_at(view.offset_at_top())
        assert int(top) >= 8  # the page at the top of the last screen: printed numbers now
        assert f"p. {top} of 11  100%" in str(status.render())


async def test_an_indexed_pdf_opens_from_its_parsed_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "report.pdf").write_bytes(paper(5))
    app = ReaderApp([folder])
    async with app.run_test(size=(100, 30)) as pilot:
        parsed = app.paths.index_dir / PARSED
        await wait_until(pilot, lambda: any(parsed.glob("*.doc")), timeout=120)

        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError("parsed again")

        monkeypatch.setattr(packaged, "parse_packaged", refuse)
        view = await open_only(pilot, app)
        assert len(view.document.pages) == 5 and "marker5" in view.document.text
