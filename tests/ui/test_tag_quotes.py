"""A tag with a comma in the app's tag dialog: typed in quotes, kept whole, offered quoted."""

from __future__ import annotations

import pytest

from reader.core.document import document_id
from reader.core.notes import DocumentRef
from reader.core.organise import BadValue, Change
from reader.core.tag_list import join_tags, split_tags
from reader.ui.organiser import organiser_for
from reader.ui.screens.tag_input import TagDialog, TagEdit, TagSuggester, parse_tags
from reader.ui.widgets.document_list import DocumentList
from tests.ui.conftest import wait_until


def test_quotes_keep_a_comma_inside_one_tag() -> None:
    assert parse_tags('policy, "smart city, hk", -"old, tag", -gone') == TagEdit(
        add=("policy", "smart city, hk"), remove=("old, tag", "gone")
    )
    assert parse_tags('"say ""hi"", then", x') == TagEdit(add=('say "hi", then', "x"))
    assert parse_tags('a, b', current=("a, b",)) == TagEdit(add=("a", "b"), remove=("a, b",))  # unquoted: two tags
    with pytest.raises(BadValue, match="a quote is not closed"):
        parse_tags('policy, "smart city, hk')
    with pytest.raises(BadValue, match="put a comma after the quoted tag"):
        parse_tags('"smart city" hk')


@pytest.mark.parametrize("tags", [("a, b", "-minus", '"quoted"', "plain", "c,d,", 'in "middle"')])
def test_join_then_split_gives_the_same_tags(tags: tuple[str, ...]) -> None:
    assert [part.text for part in split_tags(join_tags(tags)) if not part.remove] == list(tags)


async def test_suggestions_quote_a_tag_with_a_comma() -> None:
    suggester = TagSuggester(["smart city, hk", "smart", "policy"])
    assert await suggester.get_suggestion('policy, "sma') == 'policy, "smart city, hk"'
    assert await suggester.get_suggestion("sma") == "smart"  # unquoted: only a tag that needs no quotes
    assert await suggester.get_suggestion('"smart city, hk", po') == '"smart city, hk", policy'
    assert await suggester.get_suggestion('"smart city, hk", "sm') == '"smart city, hk", "smart"'


async def test_the_dialog_keeps_a_tag_with_a_comma_whole(library, make_app) -> None:
    zeta = library / "zeta.txt"
    ref = DocumentRef(document_id(zeta), str(zeta), "Zeta Report")
    organiser = organiser_for()
    organiser.apply([ref], Change(add=("hk, sar", "-odd")))
    app = make_app(library)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: not app.screen.library_loading)
        doc_list = app.screen.query_one(DocumentList)
        doc_list.highlighted = next(i for i, doc in enumerate(doc_list.documents) if doc.title == "Zeta Report")
        doc_list.focus()
        await pilot.pause()

        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        field = app.screen.query_one("#tag-input")
        assert field.value == '"hk, sar", "-odd", '  # shown quoted
        assert field.cursor_position == len(field.value) and field.selection.is_empty  # typing adds to them
        await pilot.press(*'"smart city, policy", planning')
        await pilot.press("enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, TagDialog))
        assert organiser.get(ref.id).tags == ("hk, sar", "-odd", "smart city, policy", "planning")

        await pilot.press("t")  # an unclosed quote is said under the field, which stays open
        await wait_until(pilot, lambda: isinstance(app.screen, TagDialog))
        await pilot.press(*'"open, ')
        await pilot.press("enter")
        await wait_until(pilot, lambda: "a quote is not closed" in str(app.screen.query_one("#tag-hint").render()))
        assert isinstance(app.screen, TagDialog)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, TagDialog))
        assert organiser.get(ref.id).tags == ("hk, sar", "-odd", "smart city, policy", "planning")
