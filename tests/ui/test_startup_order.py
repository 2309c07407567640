"""Start-up: the library is drawn before the work that can wait.

The first frame is what a person waits for. Bringing the index up to date (Whoosh),
watching the folders (watchfiles), reading every reading position and organising
(tags, states) all wait until the library is on screen: started earlier, they held
the interpreter while that frame was made. ``bench/startup.py`` measures the time;
these tests hold the order and what is imported by then.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from reader.ui import startup, trace
from reader.ui.app import ReaderApp
from reader.ui.screens.main import MainScreen
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.document_view import DocumentView
from tests.conftest import ROOT, SEEDS
from tests.ui.conftest import wait_until

# modules that have no part in the first frame: search and its index, watching, organising
NOT_BEFORE_THE_LIST = (
    "whoosh",
    "watchfiles",
    "anyio",
    "reader.core.search.index",
    "reader.core.search.searcher",
    "reader.core.search.instant",
    "reader.ui.organiser",
    "reader.ui.search_pool",
    "reader.ui.commands",
    "reader.ui.screens.help",
    # the notes store (YAML, SQLite) and anchoring: a document with nothing kept needs neither
    "yaml",
    "reader.storage.store",
    "reader.core.anchors",
)


async def test_index_watcher_and_positions_start_after_the_library_is_drawn(monkeypatch) -> None:
    happened: list[str] = []
    monkeypatch.setattr(trace, "mark", lambda event, detail="": happened.append(event))
    for name in ("index_library", "start_watching", "load_progress"):
        original = getattr(MainScreen, name)

        def recorded(self, *args, _name=name, _original=original, **kwargs):  # type: ignore[no-untyped-def]
            happened.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(MainScreen, name, recorded)

    app = ReaderApp([SEEDS])
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: {"index_library", "start_watching", "load_progress"} <= set(happened), 60)
        assert app.screen.query_one(DocumentList).item_count == 1
    assert "listed" in happened
    first = happened.index("listed")
    assert all(happened.index(name) > first for name in ("index_library", "start_watching", "load_progress")), happened


_AT_THE_LIST = """
import json, os, sys
from pathlib import Path

from reader.ui import trace
from reader.ui.app import ReaderApp

loaded = []


def mark(event, detail=""):
    if event == "listed" and not loaded:
        loaded.extend(sorted(sys.modules))


trace.mark = mark


async def main():
    app = ReaderApp([Path(sys.argv[1])])
    async with app.run_test(size=(100, 30)) as pilot:
        while not loaded:
            await pilot.pause(0.02)


import asyncio

asyncio.run(main())
print(json.dumps(loaded))
"""


def test_nothing_of_search_watching_or_organising_is_imported_before_the_library_is_drawn(tmp_path: Path) -> None:
    # a fresh interpreter: this one has imported everything already
    env = {**os.environ, "READER_HOME": str(tmp_path / "home")}
    result = subprocess.run(
        [sys.executable, "-c", _AT_THE_LIST, str(SEEDS)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,  # a hang guard
    )
    assert result.returncode == 0, result.stderr[-3000:]
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert "reader.ui.screens.main" in loaded  # the snapshot was taken in the app
    early = [name for name in loaded if name.split(".")[0] in NOT_BEFORE_THE_LIST or name in NOT_BEFORE_THE_LIST]
    assert not early, f"imported before the library was on screen: {early}"


async def test_garbage_collection_is_held_while_starting_and_back_once_the_library_is_drawn() -> None:
    assert gc.isenabled()
    listed: list[bool] = []  # whether the collector was on when the library was drawn
    try:
        startup.hold(latest=600)  # the fallback far away: the listing turns it back on
        assert not gc.isenabled()
        original = trace.mark

        def mark(event: str, detail: str = "") -> None:
            if event == "listed":
                listed.append(gc.isenabled())

        trace.mark = mark  # type: ignore[assignment]
        try:
            app = ReaderApp([SEEDS])
            async with app.run_test(size=(100, 30)) as pilot:
                await wait_until(pilot, lambda: bool(listed) and gc.isenabled(), 60)
        finally:
            trace.mark = original  # type: ignore[assignment]
        assert listed[0] is False  # held until the library was on screen
        assert not startup.held()
    finally:
        startup.release()
        gc.enable()


def test_garbage_collection_comes_back_on_by_itself_when_nothing_is_listed() -> None:
    try:
        startup.hold(latest=0.05)
        assert not gc.isenabled() and startup.held()
        deadline = time.monotonic() + 60  # a hang guard
        while not gc.isenabled():
            assert time.monotonic() < deadline, "the collector stayed off"
            time.sleep(0.01)
        assert not startup.held()
        startup.release()  # again: harmless
        assert gc.isenabled()
    finally:
        gc.enable()


def test_a_collector_turned_off_elsewhere_is_left_off() -> None:
    gc.disable()
    try:
        startup.hold(latest=0.01)
        startup.release()
        assert not gc.isenabled()  # not ours to turn on
    finally:
        gc.enable()


async def test_a_lone_document_is_listed_and_shown_in_the_first_frame(monkeypatch) -> None:
    # the seed library is one short article: read before the first frame, which then shows
    # the list and the wrapped text (not an empty frame, then the list, then the text)
    first: list[tuple[int, int, str]] = []  # the list's length, the rows, the text: at the first drawing
    render_lines = DocumentView.render_lines

    def recorded(self, crop):  # type: ignore[no-untyped-def]
        strips = render_lines(self, crop)
        if not first:
            count = self.screen.query_one(DocumentList).item_count
            first.append((count, self.row_count, "".join(strip.text for strip in strips)))
        return strips

    monkeypatch.setattr(DocumentView, "render_lines", recorded)
    started: list[str] = []
    load_library = MainScreen.load_library
    monkeypatch.setattr(MainScreen, "load_library", lambda self: (started.append("worker"), load_library(self)))
    app = ReaderApp([SEEDS])
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: bool(first), 60)
    count, rows, text = first[0]
    assert count == 1 and rows > 0, first[0]
    assert "The 2023 Digital Economy Summit" in text  # the first paragraph, in the first drawing
    assert not started  # no library worker for a lone document


async def test_a_library_of_several_documents_is_still_read_in_the_worker(tmp_path, monkeypatch) -> None:
    for name in ("one", "two"):
        (tmp_path / f"{name}.txt").write_text(f"Title {name}\n\nSome words of {name}.\n")
    started: list[str] = []
    load_library = MainScreen.load_library
    monkeypatch.setattr(MainScreen, "load_library", lambda self: (started.append("worker"), load_library(self)))
    app = ReaderApp([tmp_path])
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.screen.query_one(DocumentList).item_count == 2, 60)
    assert started == ["worker"]


async def test_the_focus_goes_to_the_list_once_and_the_progress_bar_waits_for_indexing(monkeypatch) -> None:
    from textual.screen import Screen
    from textual.widgets import ProgressBar

    from reader.ui.screens.main_messages import IndexDone, IndexProgress

    moves: list[str] = []  # each move of the focus restyles the pane it leaves and the one it enters
    set_focus = Screen.set_focus

    def recorded(self, widget, *args, **kwargs):  # type: ignore[no-untyped-def]
        if widget is not self.focused:
            moves.append(type(widget).__name__)
        return set_focus(self, widget, *args, **kwargs)

    monkeypatch.setattr(Screen, "set_focus", recorded)
    app = ReaderApp([SEEDS])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: screen.query_one(DocumentList).item_count == 1, 60)
        await pilot.pause()
        assert moves == ["DocumentList"]  # not the hidden search bar first
        assert not screen.query(ProgressBar)  # four widgets to style that most starts never show
        screen.post_message(IndexProgress(5, 100))
        await wait_until(pilot, lambda: bool(screen.query(ProgressBar)) and screen.query_one(ProgressBar).display)
        bar = screen.query_one(ProgressBar)
        await wait_until(pilot, lambda: bar.progress == 5 and bar.total == 100)
        assert bar.parent is screen.query_one("#left") and bar.region.y < screen.query_one(DocumentList).region.y
        screen.post_message(IndexProgress(50, 100))
        await wait_until(pilot, lambda: bar.progress == 50)
        assert len(screen.query(ProgressBar)) == 1  # the same bar, mounted once
        screen.post_message(IndexDone(None))
        await wait_until(pilot, lambda: not bar.display)


async def test_a_reopened_lone_document_is_drawn_with_its_notes_marked_from_the_first_frame(monkeypatch) -> None:
    from reader.core.formats import read_document
    from reader.core.notes import DocumentRef, Kind, Note, make_target, new_id, now
    from reader.storage.paths import Paths
    from reader.storage.store import Store
    from tests.conftest import SEED

    document = read_document(SEED)
    start = document.text.index("The 2023 Digital Economy Summit")
    target = make_target(document.text, start, start + 40, document.text_hash)
    note = Note(new_id(), document.id, Kind.NOTE, target, now(), now(), text="a note kept from before")
    Store(Paths.from_environment().data_dir).put_note(DocumentRef(document.id, str(SEED), document.title), note)

    first: list[list[str]] = []  # the notes marked in the text when the pane is first drawn
    render_lines = DocumentView.render_lines

    def recorded(self, crop):  # type: ignore[no-untyped-def]
        strips = render_lines(self, crop)
        if not first:
            first.append(self.notes_at(target.start, target.end))
        return strips

    monkeypatch.setattr(DocumentView, "render_lines", recorded)
    app = ReaderApp([SEEDS])
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: bool(first), 60)
    assert first[0] == [note.id]  # marked in the first frame, not a moment later
