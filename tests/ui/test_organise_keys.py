"""Pilot: tags, states and stars from the keys; every result of a search at once, undone; views."""

from __future__ import annotations

from reader.core.document import document_id
from reader.core.notes import DocumentRef
from reader.core.organise import Change
from reader.storage.store import Store
from reader.ui.organiser import organiser_for
from reader.ui.screens.pick import PickScreen
from reader.ui.screens.tag_input import TagDialog
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.search_bar import SearchBar
from tests.ui.conftest import palette_has, wait_until
from tests.ui.test_search import ready


def ref(path) -> DocumentRef:
    return DocumentRef(document_id(path), str(path), path.stem)


def rows(doc_list: DocumentList) -> list[str]:
    return [doc_list.row_text(i) for i in range(doc_list.item_count)]


def row_of(doc_list: DocumentList, title: str) -> str:
    return next(row for row in rows(doc_list) if title in row.split("\n")[0])


async def highlight(pilot, doc_list: DocumentList, title: str) -> None:
    doc_list.highlighted = next(i for i, doc in enumerate(doc_list.documents) if doc.title == title)
    doc_list.focus()
    await pilot.pause()


async def pick(pilot, app, label_start: str) -> None:
    """Choose the option of the PickScreen on top whose label starts with ``label_start``."""
    await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
    labels = [str(label) for label, _ in app.screen.choices]
    index = next(i for i, label in enumerate(labels) if label.startswith(label_start))
    await pilot.press("home", *["j"] * index, "enter")


async def test_t_tags_the_highlighted_document_with_completion_and_star_marks_it(library, make_app):
    organiser = organiser_for()
    organiser.apply([ref(library / "alpha.md")], Change(add=("economy/rates",)))
    zeta = ref(library / "zeta.txt")
    app = make_app(library)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: not app.screen.library_loading)
        doc_list = app.screen.query_one(DocumentList)
        await wait_until(pilot, lambda: "#economy/rates" in row_of(doc_list, "Alpha Notes"))  # the list shows tags
        await highlight(pilot, doc_list, "Zeta Report")

        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        await pilot.press(*"policy, smart city, eco")
        await wait_until(pilot, lambda: app.screen.query_one("#tag-input")._suggestion.endswith("economy/rates"))
        await pilot.press("right", "enter")  # → takes the suggestion
        await wait_until(pilot, lambda: organiser.get(zeta.id).tags == ("policy", "smart city", "economy/rates"))
        assert Store(app.paths.data_dir).load(zeta.id).meta.tags == ("policy", "smart city", "economy/rates")
        await wait_until(pilot, lambda: "#policy #smart city #economy/rates" in row_of(doc_list, "Zeta Report"))

        # the field starts with the document's tags: one deleted from it is taken off
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        field = app.screen.query_one("#tag-input")
        assert field.value == "policy, smart city, economy/rates, "
        field.value = "policy, "
        await pilot.press("enter")
        await wait_until(pilot, lambda: organiser.get(zeta.id).tags == ("policy",))

        # a bad tag is said under the field, which stays open
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        app.screen.query_one("#tag-input").value = "policy, " + "x" * 101
        await pilot.press("enter")
        await wait_until(pilot, lambda: "at most 100" in str(app.screen.query_one("#tag-hint").render()))
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, TagDialog))
        assert organiser.get(zeta.id).tags == ("policy",)

        await pilot.press("asterisk")
        await wait_until(pilot, lambda: organiser.get(zeta.id).favourite)
        await wait_until(pilot, lambda: "★ Zeta Report" in row_of(doc_list, "Zeta Report"))
        await pilot.press("x")
        await wait_until(pilot, lambda: organiser.get(zeta.id).state == "archive")
        await pilot.press("l")
        await wait_until(pilot, lambda: organiser.get(zeta.id).state == "later")
        await pilot.press("U")  # undo the latest: back to archive
        await wait_until(pilot, lambda: organiser.get(zeta.id).state == "archive")
        assert Store(app.paths.data_dir).load(zeta.id).meta.state == "archive"


async def test_every_result_of_a_search_archived_after_a_count_then_undone(library, make_app):
    organiser = organiser_for()
    alpha = ref(library / "alpha.md")
    organiser.apply([alpha], Change(state="later", add=("keep",)))
    app = make_app(library)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: ready(app))
        ids = [doc.id for doc in app.screen.documents]
        await pilot.press("slash", *"is:unread")
        doc_list = app.screen.query_one(DocumentList)
        await wait_until(pilot, lambda: doc_list.results is not None and len(doc_list.results) == 3)
        await pilot.press("ctrl+r")  # every result, from the search bar
        await pick(pilot, app, "Archive")
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen) and "3 documents?" in app.screen.heading)
        assert app.screen.heading == "Archive 3 documents?"
        await pick(pilot, app, "Yes")
        await wait_until(pilot, lambda: all(organiser.get(doc_id).state == "archive" for doc_id in ids))
        store = Store(app.paths.data_dir)
        assert {store.load(doc_id).meta.state for doc_id in ids} == {"archive"}

        await pilot.press("U")
        await wait_until(pilot, lambda: organiser.get(alpha.id).state == "later")
        assert [organiser.get(doc_id).state for doc_id in ids].count("inbox") == 2
        assert store.load(alpha.id).meta.tags == ("keep",)

        # cancelled: nothing changes
        await pilot.press("ctrl+r")
        await pick(pilot, app, "Star")
        await pick(pilot, app, "Cancel")
        await wait_until(pilot, lambda: not isinstance(app.screen, PickScreen))
        assert not any(organiser.get(doc_id).favourite for doc_id in ids)


async def test_bulk_tagging_adds_to_every_result(library, make_app):
    organiser = organiser_for()
    app = make_app(library)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: ready(app))
        await pilot.press("slash", *"is:unread")
        doc_list = app.screen.query_one(DocumentList)
        await wait_until(pilot, lambda: doc_list.results is not None and len(doc_list.results) == 3)
        await pilot.press("ctrl+r")
        await pick(pilot, app, "Tag")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        assert app.screen.query_one("#tag-input").value == ""
        await pilot.press(*"batch", "enter")
        await pick(pilot, app, "Yes")
        ids = [doc.id for doc in app.screen.documents]
        await wait_until(pilot, lambda: all(organiser.get(doc_id).tags == ("batch",) for doc_id in ids))


async def test_views_with_counts_sorting_inside_and_remembered(library, make_app):
    organiser = organiser_for()
    organiser.apply([ref(library / "zeta.txt")], Change(state="archive", add=("policy",)))
    organiser.apply([ref(library / "alpha.md")], Change(favourite=True, add=("Policy/Hk",)))
    app = make_app(library)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: not app.screen.library_loading)
        doc_list = app.screen.query_one(DocumentList)
        await wait_until(pilot, lambda: bool(doc_list.metas))
        assert doc_list.view == "all" and doc_list.item_count == 3

        await pilot.press("V")
        await wait_until(pilot, lambda: isinstance(app.screen, PickScreen))
        labels = [label for label, _ in app.screen.choices]
        assert labels[:5] == ["All  3", "Inbox  2", "Later  0", "Archive  1", "Favourites  1"]
        assert "#policy  2" in labels and "#Policy/Hk  1" in labels  # a nested tag is in its parent's view
        await pick(pilot, app, "Inbox")
        await wait_until(pilot, lambda: doc_list.view == "inbox")
        assert [doc.title for doc in doc_list.documents] == ["Alpha Notes", doc_list.documents[1].title]
        assert "Zeta Report" not in [doc.title for doc in doc_list.documents]

        doc_list.sort_by("length")  # sorting works inside the view
        await pilot.pause()
        assert len(doc_list.documents) == 2 and doc_list.documents[0].title == "Alpha Notes"

        await pilot.press("V")
        await pick(pilot, app, "#policy")
        await wait_until(pilot, lambda: doc_list.view == "tag:policy")
        assert sorted(doc.title for doc in doc_list.documents) == ["Alpha Notes", "Zeta Report"]

        # archiving from inside a view: the document leaves the Inbox view
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: palette_has(app, "View: Inbox (2)"))
        await pilot.press(*"View: Inbox", "enter")
        await wait_until(pilot, lambda: doc_list.view == "inbox")
        await highlight(pilot, doc_list, "Alpha Notes")
        await pilot.press("x")
        await wait_until(pilot, lambda: doc_list.item_count == 1 and doc_list.documents[0].title != "Alpha Notes")

    again = make_app(library)
    async with again.run_test(size=(110, 32)) as pilot:
        doc_list = again.screen.query_one(DocumentList)
        await wait_until(pilot, lambda: not again.screen.library_loading and doc_list.view == "inbox")
        assert doc_list.item_count == 1
        assert "Inbox: 1" in doc_list.arrangement()


async def test_organising_keys_type_into_the_search_bar(library, make_app):
    organiser = organiser_for()
    app = make_app(library)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: ready(app))
        await pilot.press("slash", *"txliUV*")
        assert app.screen.query_one(SearchBar).value == "txliUV*"
        assert not isinstance(app.screen, (TagDialog, PickScreen))
        assert all(meta.state == "inbox" for meta in organiser.metas().values())
