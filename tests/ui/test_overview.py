"""The strip at the content pane's right edge: where in a long document the hits are."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.ui.app import ReaderApp
from reader.ui.widgets.document_view import DocumentView
from tests.ui.conftest import settle, shown, wait_until

STRIP = "▐"


def long_document(folder: Path) -> Path:
    """300 paragraphs; the word 'needle' in paragraphs 20–22 and 270 only."""
    paragraphs = []
    for number in range(300):
        words = f"Paragraph {number} is about the harbour, the market and the weather of the week."
        if number in (20, 21, 22, 270):
            words += " A needle sits here."
        paragraphs.append(words)
    path = folder / "long.txt"
    path.write_text("A Long Report\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


async def find_needle(pilot, app: ReaderApp) -> DocumentView:
    await wait_until(pilot, lambda: bool(app.screen.query(DocumentView)))
    view = app.screen.query_one(DocumentView)
    await wait_until(pilot, shown(view))
    await pilot.press("tab", "ctrl+f")
    await pilot.press(*"needle")
    await wait_until(pilot, lambda: view.hit_count == 4)
    await pilot.press("enter")
    return view


def strip_rows(view: DocumentView) -> list[int]:
    column = view.scrollable_content_region.width - 1  # left of the scrollbar
    return [y for y in range(view.size.height) if view.render_line(y).text[column : column + 1] == STRIP]


async def test_hits_are_marked_where_they_are_in_the_whole_document(tmp_path):
    long_document(tmp_path)
    app = ReaderApp([tmp_path])
    async with app.run_test(size=(100, 30)) as pilot:
        view = await find_needle(pilot, app)
        rows = strip_rows(view)
        height = view.size.height
        # hits at 7 % and 90 % of the document: marks near the top and near the bottom, none between
        assert rows, "no strip marks"
        assert any(row < height * 0.2 for row in rows)
        assert any(row > height * 0.8 for row in rows)
        assert not any(height * 0.2 <= row <= height * 0.8 for row in rows)
        # clearing the hits clears the strip
        await pilot.press("escape")
        await wait_until(pilot, lambda: view.hit_count == 0)
        assert strip_rows(view) == []


def test_snapshot_of_the_hit_strip_on_a_long_document(snap_compare, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("long")
    long_document(folder)

    async def search(pilot) -> None:
        await find_needle(pilot, pilot.app)
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(ReaderApp([folder]), terminal_size=(100, 30), run_before=search)
