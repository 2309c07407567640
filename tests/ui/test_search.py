"""Pilot tests of search as you type, hits in the document, n/N and find."""

from __future__ import annotations

import re

from reader.ui.screens.main import MainScreen
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.search_bar import SearchBar
from reader.ui.widgets.status_line import StatusLine
from tests.ui.conftest import settle, shown, wait_until


def ready(app) -> bool:
    screen = app.screen
    return isinstance(screen, MainScreen) and not screen.library_loading and screen.search_index is not None and not screen.indexing


def status(app) -> str:
    return app.screen.query_one(StatusLine).render().plain


async def test_search_as_you_type_open_and_step_through_hits(library, make_app):
    app = make_app(library)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: ready(app))
        doc_list = app.screen.query_one(DocumentList)
        view = app.screen.query_one(DocumentView)
        before = doc_list.document_at(doc_list.highlighted).id
        await pilot.press("slash")
        assert isinstance(app.focused, SearchBar)
        await pilot.press(*"smart ci")
        await wait_until(pilot, lambda: doc_list.results is not None and len(doc_list.results) >= 1)
        first = doc_list.results[0]
        assert first.title.startswith("Heavyweight Voice")
        assert first.snippet.spans, "the snippet marks the matching words"
        start, end = first.snippet.spans[0]
        assert first.snippet.text[start:end].lower() in ("smart", "cities", "city")
        assert "result" in status(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: shown(view)() and view.hit_count > 0)
        text = view.document.text.lower()
        expected = len(re.findall(r"\bsmart\b", text)) + len(re.findall(r"\bci\w*", text))
        assert view.hit_count == expected
        # it lands on the first passage with both words
        landed = view.current_hit
        block = view.document.blocks[view.document.block_at(view._hits[landed][0])]
        assert "smart" in block.text.lower() and "cit" in block.text.lower()
        await wait_until(pilot, lambda: f"{landed + 1}/{expected}" in status(app))
        await pilot.press("n")
        assert view.current_hit == landed + 1
        await wait_until(pilot, lambda: f"{landed + 2}/{expected}" in status(app))
        await pilot.press(*["N"] * (landed + 2))
        assert view.current_hit == expected - 1  # wraps around
        # the current hit is on screen, highlighted
        row = view.row_of_offset(view._hits[view.current_hit][0])
        assert view.scroll_y <= row < view.scroll_y + view.size.height
        # Esc from the list leaves the search and restores the library and its selection
        await pilot.press("tab", "escape")
        await wait_until(pilot, lambda: doc_list.results is None)
        assert doc_list.document_at(doc_list.highlighted).id == before
        assert not app.screen.query_one(SearchBar).display


async def test_stale_results_are_dropped_and_odd_queries_are_harmless(library, make_app):
    app = make_app(library)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: ready(app))
        doc_list = app.screen.query_one(DocumentList)
        bar = app.screen.query_one(SearchBar)
        await pilot.press("slash")
        for query in ['"', "AND", "title:", "*", "-smart", "x" * 1000, "zeta"]:
            bar.value = query
            await settle(pilot)
            await pilot.pause()
        await wait_until(pilot, lambda: doc_list.results is not None and [h.title for h in doc_list.results] == ["Zeta Report"])
        bar.value = "title:"
        await wait_until(pilot, lambda: "title: needs a word" in status(app))
        bar.value = "smrat"
        await wait_until(pilot, lambda: "did you mean: smart" in status(app))


async def test_find_in_the_open_document(make_app):
    app = make_app()
    async with app.run_test(size=(110, 32)) as pilot:
        view = app.screen.query_one(DocumentView)
        await wait_until(pilot, shown(view))
        await pilot.press("tab", "ctrl+f")
        bar = app.screen.query_one(SearchBar)
        assert app.focused is bar and bar.mode == "document"
        await pilot.press(*"hong kong")
        expected = len(re.findall(r"hong kong", view.document.text, re.IGNORECASE))
        await wait_until(pilot, lambda: view.hit_count == expected)
        assert view.current_hit >= 0
        await pilot.press("enter")
        assert app.focused is view
        current = view.current_hit
        await pilot.press("n")
        assert view.current_hit == (current + 1) % expected
        await pilot.press("escape")
        assert view.hit_count == 0


async def test_a_typo_found_by_a_shared_stem_still_gets_did_you_mean(tmp_path, make_app):
    """'goverment' finds the novel with 'governess' (the stem 'gover'); 'government' is in
    every report: the results show, and so does the correction; 'governm' is not corrected."""
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "novel.txt").write_text("A Novel\n\nThe governess walked in the garden with the children.\n")
    for number in range(12):
        (folder / f"report-{number:02}.txt").write_text(f"Report {number}\n\nThe government spent more on roads.\n")
    app = make_app(folder)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: ready(app))
        doc_list = app.screen.query_one(DocumentList)
        await pilot.press("slash", *"governm")
        await wait_until(pilot, lambda: status(app).strip().startswith("12 results"))
        assert "did you mean" not in status(app)
        bar = app.screen.query_one(SearchBar)
        bar.value = "goverment"
        await wait_until(pilot, lambda: "1 result · did you mean: government" in status(app))
        assert [hit.title for hit in doc_list.results] == ["A Novel"]
