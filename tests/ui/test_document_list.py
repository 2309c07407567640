"""The list pane on its own: drawn a screen at a time, moved by keys and clicks, results of any height."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import App, ComposeResult

from reader.core.library import DocumentInfo
from reader.core.search.highlight import Snippet
from reader.core.search.searcher import SearchHit
from reader.resources import styles_dir
from reader.ui.widgets.document_list import DocumentList

HEIGHT = 20  # rows of the list on screen: ten documents of two lines


def info(number: int) -> DocumentInfo:
    return DocumentInfo(
        id=f"d{number:05d}",
        path=Path(f"/library/{number:05d}.txt"),
        format="text",
        title=f"Document {number:05d}",
        source="The Gazette",
        date="",
        words=1000,
        sections=1,
        minutes=5,
        size=6000,
        mtime=0.0,
        encoding="utf-8",
    )


class ListApp(App[None]):
    CSS_PATH = str(styles_dir() / "reader.tcss")

    def __init__(self) -> None:
        super().__init__()
        self.selected: list[int] = []
        self.drawn: set[int] = set()

    def compose(self) -> ComposeResult:
        yield DocumentList(id="list")

    @on(DocumentList.Selected)
    def selected_one(self, message: DocumentList.Selected) -> None:
        self.selected.append(message.index)


def counting(doc_list: DocumentList, drawn: set[int]) -> None:
    """Record which items the list draws."""
    render_item = doc_list.render_item

    def render(index: int, width: int):  # type: ignore[no-untyped-def]
        drawn.add(index)
        return render_item(index, width)

    doc_list.render_item = render  # type: ignore[method-assign]


def screen_titles(doc_list: DocumentList) -> list[str]:
    lines = [doc_list.render_line(y).text.strip().removeprefix("• ") for y in range(doc_list.size.height)]
    return [line for line in lines if line.startswith("Document ")]


async def test_fifty_thousand_documents_are_drawn_a_screen_at_a_time():
    app = ListApp()
    async with app.run_test(size=(60, HEIGHT)) as pilot:
        doc_list = app.query_one(DocumentList)
        counting(doc_list, app.drawn)
        doc_list.set_documents([info(n) for n in range(50_000)])
        await pilot.pause()
        assert screen_titles(doc_list) == [f"Document {n:05d}" for n in range(10)]
        assert app.drawn <= set(range(10))  # not one more than the screen shows
        await pilot.press("G")
        await pilot.pause()
        assert doc_list.highlighted == 49_999
        assert screen_titles(doc_list)[-1] == "Document 49999"
        assert len(app.drawn) <= 20


async def test_keys_move_the_highlight_and_keep_it_on_screen():
    app = ListApp()
    async with app.run_test(size=(60, HEIGHT)) as pilot:
        doc_list = app.query_one(DocumentList)
        doc_list.set_documents([info(n) for n in range(100)])
        doc_list.focus()
        await pilot.press("j", "j", "down")
        assert doc_list.highlighted == 3
        await pilot.press("k", "up")
        assert doc_list.highlighted == 1
        await pilot.press("pagedown")
        assert doc_list.highlighted == 11  # a screen of two-line rows further
        assert "Document 00011" in screen_titles(doc_list)
        await pilot.press("pageup")
        assert doc_list.highlighted == 1
        await pilot.press("end")
        assert doc_list.highlighted == 99
        assert screen_titles(doc_list)[-1] == "Document 00099"
        await pilot.press("j")  # at the end it stays there
        assert doc_list.highlighted == 99
        await pilot.press("home")
        assert doc_list.highlighted == 0 and screen_titles(doc_list)[0] == "Document 00000"
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == [0]


async def test_the_highlighted_row_is_drawn_apart_and_a_click_selects():
    app = ListApp()
    async with app.run_test(size=(60, HEIGHT)) as pilot:
        doc_list = app.query_one(DocumentList)
        doc_list.set_documents([info(n) for n in range(30)])
        doc_list.focus()
        await pilot.pause()
        background = lambda y: doc_list.render_line(y)._segments[0].style.bgcolor  # noqa: E731
        assert background(0) == background(1) != background(2)
        await pilot.click(DocumentList, offset=(5, 7))  # the second line of the fourth document
        await pilot.pause()
        assert doc_list.highlighted == 3
        assert app.selected == [3]
        assert background(6) == background(7) != background(0)


async def test_search_results_take_three_lines_at_most():
    long = "word " * 40 + "needle " + "word " * 40  # would wrap to several lines at 60 columns
    at = long.index("needle")
    hits = [
        SearchHit(
            f"h{n}", Path(f"/library/{n}.txt"), f"Result {n}", "", 1.0,
            Snippet(long, ((at, at + 6),)) if n == 0 else Snippet("", ()), 1,
        )
        for n in range(5)
    ]
    app = ListApp()
    async with app.run_test(size=(60, HEIGHT)) as pilot:
        doc_list = app.query_one(DocumentList)
        doc_list.set_results(hits)
        doc_list.focus()
        await pilot.pause()
        lines = [doc_list.render_line(y).text.strip() for y in range(HEIGHT)]
        first_of_second = lines.index("Result 1 · 1 hit")
        assert first_of_second == 3  # title, then two lines of snippet, its marked word on screen
        assert "needle" in " ".join(lines[1:3]) and lines[2].endswith("…")
        assert doc_list.item_at_line(first_of_second - 1) == 0
        assert doc_list.item_at_line(first_of_second) == 1
        assert lines[first_of_second + 1] == "Result 2 · 1 hit"  # no snippet: one line
        await pilot.click(DocumentList, offset=(5, first_of_second + 1))
        await pilot.pause()
        assert app.selected == [2]
        await pilot.resize_terminal(30, HEIGHT)  # narrower: still three lines, the word still shown
        await pilot.pause()
        narrow = [doc_list.render_line(y).text.strip() for y in range(HEIGHT)]
        assert narrow[3] == "Result 1 · 1 hit" and "needle" in " ".join(narrow[1:3])


async def test_results_that_come_back_at_the_next_keystroke_are_not_drawn_again():
    def hits(numbers: list[int], word: str = "needle") -> list[SearchHit]:
        return [
            SearchHit(f"h{n}", Path(f"/library/{n}.txt"), f"Result {n}", "", 1.0, Snippet(f"a {word} here", ((2, 8),)), 1)
            for n in numbers
        ]

    app = ListApp()
    async with app.run_test(size=(60, HEIGHT)) as pilot:
        doc_list = app.query_one(DocumentList)
        drawn: set[int] = set()
        counting(doc_list, drawn)
        doc_list.set_results(hits([0, 1, 2, 3]))
        await pilot.pause()
        assert drawn == {0, 1, 2, 3}
        drawn.clear()
        doc_list.set_results(hits([9, 0, 1, 2, 3]))  # a new first result, the others moved down
        await pilot.pause()
        assert drawn == {0}  # only the new one (now at index 0) was drawn
        lines = [doc_list.render_line(y).text.strip() for y in range(HEIGHT)]
        assert [line for line in lines if line.startswith("Result")] == [f"Result {n} · 1 hit" for n in (9, 0, 1, 2, 3)]
        drawn.clear()
        doc_list.set_results(hits([9, 0, 1, 2, 3], word="needles"))  # the snippets changed: drawn anew
        await pilot.pause()
        assert drawn == {0, 1, 2, 3, 4}
        assert "needles" in doc_list.render_line(1).text


async def test_a_narrow_pane_cuts_the_source_never_the_length_or_progress():
    from reader.ui.widgets.document_list import Progress

    wide = info(1)
    doc = DocumentInfo(**{**{f: getattr(wide, f) for f in wide.__slots__}, "source": "The Very Long Name Of A Gazette 香港", "date": "2024-05-01"})
    app = ListApp()
    async with app.run_test(size=(30, HEIGHT)) as pilot:
        doc_list = app.query_one(DocumentList)
        doc_list.set_documents([doc])
        doc_list.set_progress({doc.id: Progress(40, "2024-05-02T10:00:00Z")})
        await pilot.pause()
        details = doc_list.render_line(1).text
        assert details.rstrip().endswith("5 min · 40%")
        assert "…" in details and details.startswith(" The Very")
        assert doc_list.row_text(0, 100).endswith("The Very Long Name Of A Gazette 香港 · 2024-05-01 · 5 min · 40%")


def test_reading_times_of_an_hour_and_more_read_in_hours():
    from reader.ui.widgets.document_list import reading_time

    assert [reading_time(m) for m in (1, 59, 60, 61, 698)] == ["1 min", "59 min", "1 h", "1 h 1 min", "11 h 38 min"]
