"""Pilot: a search result shows the document's star and tags as its row in the library list does."""

from __future__ import annotations

from reader.core.document import document_id
from reader.core.notes import DocumentRef
from reader.core.organise import Change
from reader.ui.organiser import organiser_for
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.search_bar import SearchBar
from tests.ui.conftest import wait_until
from tests.ui.test_search import ready


def heading_of(doc_list: DocumentList, title: str) -> str:
    for index in range(doc_list.item_count):
        first = doc_list.row_text(index).split("\n")[0]
        if title in first:
            return first
    return ""


async def test_results_show_the_star_and_tags_and_follow_a_change(library, make_app):
    zeta = library / "zeta.txt"
    organiser = organiser_for()
    organiser.apply([DocumentRef(document_id(zeta), str(zeta), "Zeta Report")], Change(add=("policy", "smart city"), favourite=True))
    app = make_app(library)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: ready(app))
        doc_list = app.screen.query_one(DocumentList)
        await wait_until(pilot, lambda: "#policy #smart city" in doc_list.row_text(0) + doc_list.row_text(1) + doc_list.row_text(2))
        await pilot.press("slash")
        assert isinstance(app.focused, SearchBar)
        await pilot.press(*"report")
        await wait_until(pilot, lambda: doc_list.results is not None and any(hit.title == "Zeta Report" for hit in doc_list.results))
        heading = heading_of(doc_list, "Zeta Report")
        assert heading.startswith("★ Zeta Report · #policy #smart city · The Zeta Times · "), heading
        assert heading.endswith(" hit") or heading.endswith(" hits"), heading
        others = [heading_of(doc_list, hit.title) for hit in doc_list.results if hit.title != "Zeta Report"]
        assert others and not any("★" in row or "#policy" in row for row in others)

        # starred and tagged from the results: the row follows
        doc_list.highlighted = next(i for i, hit in enumerate(doc_list.results) if hit.title == "Zeta Report")
        doc_list.focus()
        await pilot.pause()
        await pilot.press("asterisk")
        await wait_until(pilot, lambda: not organiser.get(document_id(zeta)).favourite)
        await wait_until(pilot, lambda: heading_of(doc_list, "Zeta Report").startswith("Zeta Report · #policy"))

        narrow = doc_list.render_item(doc_list.highlighted, 30).plain.split("\n")[0]
        assert narrow.startswith("Zeta Report") and "#pol" in narrow and narrow.endswith(("hit", "hits")), narrow
