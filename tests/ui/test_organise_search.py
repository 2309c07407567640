"""Pilot: the app's library search with the fields about documents (tag:, is:), seen at the next keystroke."""

from __future__ import annotations

from reader.core.document import document_id
from reader.core.notes import DocumentRef
from reader.core.organise import Change
from reader.ui.organiser import organiser_for
from reader.ui.widgets.document_list import DocumentList
from tests.ui.test_search import ready


async def test_tag_and_state_fields_filter_the_results_at_the_next_keystroke(library, make_app):
    organiser = organiser_for()
    seed = DocumentRef(document_id(library / "seed.txt"), str(library / "seed.txt"), "Seed")
    zeta = DocumentRef(document_id(library / "zeta.txt"), str(library / "zeta.txt"), "Zeta")
    organiser.apply([seed], Change(add=("Hong Kong",)))
    app = make_app(library)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until_ready(pilot, app)
        doc_list = app.screen.query_one(DocumentList)

        def titles() -> list[str]:
            return [hit.title for hit in doc_list.results or ()]

        await pilot.press("slash", *'tag:"hong kong"')
        await _wait(pilot, lambda: len(titles()) == 1 and titles()[0].startswith("Heavyweight Voice"))
        organiser.apply([zeta], Change(add=("hong kong",), state="archive"))  # as the app's keys do
        await pilot.press("space", *"zeta")
        await _wait(pilot, lambda: titles() == ["Zeta Report"])  # words and the field, nothing re-indexed
        await pilot.press(*["backspace"] * len('tag:"hong kong" zeta'), *"zeta is:archived")
        await _wait(pilot, lambda: titles() == ["Zeta Report"])
        await pilot.press(*["backspace"] * len("is:archived"), *"-is:archived")
        await _wait(pilot, lambda: doc_list.results is not None and "Zeta Report" not in titles())


async def wait_until_ready(pilot, app):
    from tests.ui.conftest import wait_until

    await wait_until(pilot, lambda: ready(app))


async def _wait(pilot, condition):
    from tests.ui.conftest import wait_until

    await wait_until(pilot, condition)
