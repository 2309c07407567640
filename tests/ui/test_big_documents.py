"""Long documents in the app: the start first, find in a worker, hits without a re-read, quitting.

The whole parse is held on an event where a test needs it still running, so
nothing here depends on how fast the machine is.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from reader.core.formats import PREVIEW_CHARS
from reader.core.formats import text as text_format
from reader.ui.screens.main_messages import FindDone
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.search_bar import SearchBar
from reader.ui.widgets.status_line import StatusLine
from tests.conftest import SEED
from tests.ui.conftest import shown, wait_until, wait_while_working
from tests.ui.test_search import ready

HANG_GUARD = 120  # seconds: only a guard against a hang, never a measure


def long_text(folder: Path) -> Path:
    """The seed article's body repeated past twice the preview's length."""
    body = SEED.read_text(encoding="utf-8").split("\n\n", 2)[2]
    repeats = 2 * PREVIEW_CHARS // len(body) + 3
    folder.mkdir(exist_ok=True)
    path = folder / "long.txt"
    path.write_text("A Long Read\n\n" + "\n\n".join(f"Part {n}. {body}" for n in range(repeats)), encoding="utf-8")
    return path


class HeldParse:
    """Holds the whole text's parse (not the preview's) until released, looking at the
    builder's stop as a real parse does; says when the held parse has ended."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.release = threading.Event()
        self.started = threading.Event()
        self.ended = threading.Event()
        self.stopped = False
        real = text_format.parse_text

        def parse_text(text, builder):  # type: ignore[no-untyped-def]
            if len(text) <= 2 * PREVIEW_CHARS:
                return real(text, builder)  # the preview
            self.started.set()
            try:
                while not self.release.wait(0.01):
                    builder.check()
                return real(text, builder)
            except BaseException:
                self.stopped = True
                raise
            finally:
                self.ended.set()

        monkeypatch.setattr(text_format, "parse_text", parse_text)


def status(app) -> str:  # type: ignore[no-untyped-def]
    return app.screen.query_one(StatusLine).render().plain


async def test_the_start_is_shown_before_the_whole_is_parsed_and_the_view_stays_put(tmp_path, monkeypatch, make_app):
    path = long_text(tmp_path / "library")
    held = HeldParse(monkeypatch)
    app = make_app(path)
    async with app.run_test(size=(110, 32)) as pilot:
        view = app.screen.query_one(DocumentView)
        await wait_while_working(pilot, lambda: shown(view)() and held.started.is_set(), timeout=HANG_GUARD)
        assert view.partial and len(view.document.text) <= PREVIEW_CHARS * 2
        assert "reading the rest" in status(app)
        await pilot.press("tab", *"jjjjjjjjjjjj", "space")  # read on in the start
        top = view.offset_at_top()
        assert top > 0
        quote = view.document.text[top : top + 80]
        held.release.set()
        await wait_until(pilot, lambda: not view.partial, timeout=HANG_GUARD)
        assert len(view.document.text) > 2 * PREVIEW_CHARS
        assert view.offset_at_top() == top  # the same text at the top, at the same offset
        assert view.document.text[top : top + 80] == quote
        assert "reading the rest" not in status(app)


async def test_the_app_quits_at_once_while_a_parse_is_held(tmp_path, monkeypatch, make_app):
    path = long_text(tmp_path / "library")
    held = HeldParse(monkeypatch)
    app = make_app(path)
    async with app.run_test(size=(110, 32)) as pilot:
        view = app.screen.query_one(DocumentView)
        await wait_while_working(pilot, lambda: shown(view)() and held.started.is_set(), timeout=HANG_GUARD)
        await pilot.press("ctrl+q")
    # the app has ended with the parse still held: it gave the parse up, which ended
    assert held.ended.wait(HANG_GUARD)
    assert held.stopped and not held.release.is_set()


async def test_find_runs_in_a_worker_and_a_superseded_find_posts_nothing(tmp_path, monkeypatch, make_app):
    from reader.core.search import text_hits

    path = long_text(tmp_path / "library")
    real = text_hits.find_hits_in
    release, first_ended = threading.Event(), threading.Event()
    threads: list[threading.Thread] = []

    def find_hits_in(document, query, stop=None):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        if len(threads) == 1:  # the first letter's find: held, then done whatever stop says
            try:
                release.wait(HANG_GUARD)
                return real(document, query)
            finally:
                first_ended.set()
        return real(document, query, stop)

    app = make_app(path)
    async with app.run_test(size=(110, 32)) as pilot:
        view = app.screen.query_one(DocumentView)
        await wait_until(pilot, lambda: shown(view)() and not view.partial, timeout=HANG_GUARD)
        monkeypatch.setattr(text_hits, "find_hits_in", find_hits_in)
        posted: list[FindDone] = []
        screen = app.screen
        post = screen.post_message

        def record(message):  # type: ignore[no-untyped-def]
            if isinstance(message, FindDone):
                posted.append(message)
            return post(message)

        monkeypatch.setattr(screen, "post_message", record)
        await pilot.press("tab", "ctrl+f", "i")
        await wait_while_working(pilot, lambda: len(threads) == 1)
        await pilot.press("n")  # while the first find is held
        bar = app.screen.query_one(SearchBar)
        assert bar.value == "in"  # the letters echo while a find is held
        await wait_while_working(pilot, lambda: len(posted) == 1, timeout=HANG_GUARD)
        release.set()
        assert first_ended.wait(HANG_GUARD)
        await wait_until(pilot, lambda: True)
        assert [message.text for message in posted] == ["in"]  # the superseded find posted nothing
        assert threading.main_thread() not in threads
        expected = len(re.findall(r"(?<!\w)in\w*", view.document.text, re.IGNORECASE))
        assert view.hit_count == expected
        assert f"/{expected}" in status(app)  # every hit counted


async def test_a_hit_in_the_open_document_only_moves_the_view(tmp_path, monkeypatch, make_app):
    from reader.ui.screens import main as main_module

    folder = tmp_path / "library"
    long_text(folder)
    (folder / "other.txt").write_text("Another Text\n\nNothing about the subject here at all.\n")
    reads: list[Path] = []
    real = main_module.read_document

    def read_document(path, **kwargs):  # type: ignore[no-untyped-def]
        reads.append(path)
        return real(path, **kwargs)

    monkeypatch.setattr(main_module, "read_document", read_document)
    app = make_app(folder)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: ready(app), timeout=HANG_GUARD)
        view = app.screen.query_one(DocumentView)

        async def open_first_result(query: str) -> None:
            await pilot.press("slash", *query)
            doc_list = app.screen.query_one(DocumentList)
            await wait_until(pilot, lambda: doc_list.results is not None and len(doc_list.results) > 0)
            await pilot.press("enter")

        await open_first_result("innovation")
        await wait_until(pilot, lambda: shown(view)() and not view.partial and view.hit_count > 0, timeout=HANG_GUARD)
        assert len(reads) == 1
        document = view.document
        expected = len(re.findall(r"(?<!\w)innovation(?!\w)", document.text, re.IGNORECASE))
        assert view.hit_count == expected  # every occurrence, in the whole document
        await pilot.press("escape")
        await open_first_result("digital")
        expected = len(re.findall(r"(?<!\w)digital(?!\w)", document.text, re.IGNORECASE))
        await wait_until(pilot, lambda: view.hit_count == expected, timeout=HANG_GUARD)
        assert len(reads) == 1 and view.document is document  # not read again
        assert view.current_hit >= 0
        top = view.offset_at_top()
        assert document.text[view._hit_starts[view.current_hit] :].lower().startswith("digital")
        assert top <= view._hit_starts[view.current_hit]



async def test_a_long_document_read_again_stays_on_screen_until_the_whole_is_read(tmp_path, monkeypatch, make_app):
    from reader.core.notes import make_target

    path = long_text(tmp_path / "library")
    app = make_app(path)
    async with app.run_test(size=(110, 32)) as pilot:
        view = app.screen.query_one(DocumentView)
        await wait_until(pilot, lambda: shown(view)() and not view.partial, timeout=HANG_GUARD)
        old = view.document
        middle = len(old.text) // 2
        view.scroll_to_offset(middle)
        top = view.offset_at_top()
        target = make_target(old.text, top, top + 64, old.text_hash)
        path.write_text(path.read_text(encoding="utf-8") + "\n\nA paragraph added at the end.\n", encoding="utf-8")
        held = HeldParse(monkeypatch)
        app.screen.reload_open(path, old.title, target)
        await wait_while_working(pilot, held.started.is_set, timeout=HANG_GUARD)
        await pilot.pause()
        assert view.document is old and not view.partial  # its start did not replace it at the top
        assert view.offset_at_top() == top
        held.release.set()
        await wait_until(pilot, lambda: view.document is not old and view.offset_at_top() == top, timeout=HANG_GUARD)
        assert view.document.text.endswith("A paragraph added at the end.")
