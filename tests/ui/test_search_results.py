"""Pilot: search results are easy to read (issue 17, item 9).

A result takes at most three rows (title with source and hits, two of snippet), and
every snippet shown has a query word (or a word of its stem) marked, on screen.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.search.analysis import fold, stem
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.search_bar import SearchBar
from tests.ui.conftest import wait_until
from tests.ui.test_search import ready

MARK = "bold reverse"  # how the list marks a query word
FILLER = "Nothing to see in this sentence, which goes on for a while. "


@pytest.fixture
def results_library(tmp_path: Path) -> Path:
    folder = tmp_path / "results"
    folder.mkdir()
    (folder / "driver.txt").write_text(
        "The bttv driver for video capture cards\n\nhttps://example.org/very/long/address/of/the/bttv/driver/page\n\n"
        + FILLER * 400
        + "A smart city would use many cameras.\n"
    )
    for number in range(8):
        (folder / f"report-{number}.txt").write_text(
            f"City report number {number} with a long title that does not fit one row\n\n"
            + FILLER * (number * 3)
            + "Smart cities plan their traffic; a smart city plans its water. "
            + FILLER * 20
        )
    return folder


async def test_results_take_three_rows_and_show_a_marked_word(results_library: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(results_library)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_until(pilot, lambda: ready(app), timeout=60)
        doc_list = app.screen.query_one(DocumentList)
        await pilot.press("slash")
        assert isinstance(app.focused, SearchBar)
        await pilot.press(*"smart city")
        await wait_until(pilot, lambda: doc_list.results is not None and len(doc_list.results) == 9, timeout=60)
        width = doc_list._content_width() - 2
        accepted = {"smart", stem("city")}
        for index, hit in enumerate(doc_list.results):
            rows = doc_list.render_item(index, width)
            lines = rows.plain.split("\n")
            assert 2 <= len(lines) <= 3, lines
            assert doc_list.item_lines(rows, doc_list._content_width()) == len(lines)  # nothing wraps
            snippet_start = len(lines[0]) + 1
            marked = [
                rows.plain[span.start : span.end]
                for span in rows.spans
                if str(span.style) == MARK and span.start >= snippet_start
            ]
            assert marked, f"no word marked in {lines[1:]}"
            for word in marked:
                word = fold(word.strip("…"))
                assert word.startswith("smart") or stem(word) in accepted or word.startswith("city"), word
            assert "bttv" not in " ".join(lines[1:])  # the title and the URL are not a match
        assert all(height <= 3 for height in doc_list._result_heights())


@pytest.fixture
def chinese_library(tmp_path: Path) -> Path:
    folder = tmp_path / "chinese"
    folder.mkdir()
    # 数字, 字经 and 经济 all in it, never 数字经济 (what the app once found, with nothing marked)
    (folder / "apart.txt").write_text("数字报告\n\n我们谈数字经历，也谈经济的发展。\n", encoding="utf-8")
    (folder / "together.txt").write_text("经济报告\n\n我们发展数字经济，推动产业升级。\n", encoding="utf-8")
    (folder / "other.txt").write_text("Other\n\nNothing in Chinese here.\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("query", ["数字经济", "经济"])
async def test_the_app_and_the_command_line_find_the_same(
    chinese_library: Path, make_app, capsys: pytest.CaptureFixture[str], query: str
) -> None:  # type: ignore[no-untyped-def]
    import json

    from reader.cli import main

    assert main(["search", query, str(chinese_library), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    on_the_command_line = [Path(hit["path"]).name for hit in printed]
    app = make_app(chinese_library)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: ready(app), timeout=60)
        doc_list = app.screen.query_one(DocumentList)
        await pilot.press("slash")
        app.screen.query_one(SearchBar).value = query
        await wait_until(pilot, lambda: doc_list.results is not None, timeout=60)
        in_the_app = [hit.path.name for hit in doc_list.results]
        assert sorted(in_the_app) == sorted(on_the_command_line)
        assert ("apart.txt" in in_the_app) == (query == "经济")
        for hit in doc_list.results:  # and each shows the word marked
            assert query in [hit.snippet.text[a:b] for a, b in hit.snippet.spans]
