"""Library search as you type never queues behind old work; its status says what it knows."""

from __future__ import annotations

import threading

from reader.core.search import searcher as searcher_module
from reader.ui.screens.main_messages import IndexDone, SearchDone
from reader.ui.search_runner import LatestRunner
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.search_bar import SearchBar
from tests.ui.conftest import shown, wait_until, wait_while_working
from tests.ui.test_search import ready, status

HANG = 120.0  # a hang guard, not a timing


# -- the runner alone ----------------------------------------------------------------------


def test_the_newest_job_runs_and_the_running_one_is_told() -> None:
    runner = LatestRunner("test")
    started, release = threading.Event(), threading.Event()
    ran: list[str] = []
    told: list[bool] = []

    def first(superseded) -> None:  # type: ignore[no-untyped-def]
        started.set()
        release.wait(HANG)
        told.append(superseded())
        ran.append("first")

    def job(name: str):  # type: ignore[no-untyped-def]
        return lambda superseded: ran.append(name)

    runner.submit(first)
    assert started.wait(HANG)
    runner.submit(job("second"))
    runner.submit(job("third"))  # replaces "second", which never runs
    assert runner.busy()
    release.set()
    assert runner.wait_idle(HANG)
    assert ran == ["first", "third"] and told == [True]


def test_stop_drops_the_waiting_job_and_supersedes_the_running_one() -> None:
    runner = LatestRunner("test")
    started, release = threading.Event(), threading.Event()
    ran: list[str] = []
    told: list[bool] = []

    def first(superseded) -> None:  # type: ignore[no-untyped-def]
        started.set()
        release.wait(HANG)
        told.append(superseded())

    runner.submit(first)
    assert started.wait(HANG)
    runner.submit(lambda superseded: ran.append("waiting"))
    runner.stop()
    release.set()
    assert runner.wait_idle(HANG)
    assert ran == [] and told == [True]
    runner.submit(lambda superseded: ran.append(f"after stop, superseded={superseded()}"))
    assert runner.wait_idle(HANG)
    assert ran == ["after stop, superseded=False"]


# -- in the app ------------------------------------------------------------------------------


class Held:
    """Holds the first library search inside ``Searcher.search`` until released; counts how
    many searches run at once and what each saw of ``superseded`` after the hold."""

    def __init__(self, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        self.entered = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0
        self.texts: list[str] = []
        self.superseded_after_hold: bool | None = None
        real = searcher_module.Searcher.search
        held = self

        def search(searcher, text, **options):  # type: ignore[no-untyped-def]
            with held.lock:
                held.running += 1
                held.most = max(held.most, held.running)
                held.texts.append(text)
                first = len(held.texts) == 1
            try:
                if first:
                    held.entered.set()
                    held.release.wait(HANG)
                    held.superseded_after_hold = options["superseded"]()
                return real(searcher, text, **options)
            finally:
                with held.lock:
                    held.running -= 1

        monkeypatch.setattr(searcher_module.Searcher, "search", search)


def record_search_done(screen) -> list[str]:  # type: ignore[no-untyped-def]
    """The texts of the SearchDone messages the screen is sent (from any thread)."""
    posted: list[str] = []
    post = screen.post_message

    def recording(message):  # type: ignore[no-untyped-def]
        if isinstance(message, SearchDone):
            posted.append(message.text)
        return post(message)

    screen.post_message = recording
    return posted


async def test_a_superseded_search_posts_nothing(library, make_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    app = make_app(library)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: ready(app))
        screen = app.screen
        held = Held(monkeypatch)
        posted = record_search_done(screen)
        doc_list = screen.query_one(DocumentList)
        await pilot.press("slash", "z")
        await wait_while_working(pilot, held.entered.is_set, HANG)
        await pilot.press(*"eta")  # three keystrokes while "z" is held
        await wait_while_working(pilot, lambda: screen._searches.submitted == 4, HANG)
        held.release.set()
        await wait_while_working(
            pilot, lambda: doc_list.results is not None and [h.title for h in doc_list.results] == ["Zeta Report"], HANG
        )
        assert screen._searches.wait_idle(HANG)
        await pilot.pause()
        assert held.superseded_after_hold is True
        assert held.texts == ["z", "zeta"]  # "ze" and "zet" were replaced while waiting
        assert held.most == 1  # never two searches at once
        assert posted == ["zeta"]  # the stale "z" posted nothing
        assert "1 result" in status(app)


async def test_escape_stops_a_held_search(library, make_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    app = make_app(library)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: ready(app))
        screen = app.screen
        held = Held(monkeypatch)
        posted = record_search_done(screen)
        await pilot.press("slash", *"smart")
        await wait_while_working(pilot, lambda: held.entered.is_set() and screen._searches.submitted == 5, HANG)
        await pilot.press("escape")
        assert not screen.query_one(SearchBar).display
        held.release.set()
        assert screen._searches.wait_idle(HANG)
        await pilot.pause()
        assert held.superseded_after_hold is True
        assert held.texts == ["s"]  # the keystrokes typed behind it were dropped too
        assert posted == []
        assert screen.query_one(DocumentList).results is None


async def test_status_is_honest_about_indexing_and_resets_when_left(library, make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(library)
    async with app.run_test(size=(110, 32)) as pilot:
        await wait_until(pilot, lambda: ready(app))
        screen = app.screen
        view = screen.query_one(DocumentView)
        doc_list = screen.query_one(DocumentList)
        # open a document, so leaving the search has a position to show
        await pilot.press("enter")
        await wait_until(pilot, shown(view))
        await pilot.press("tab")
        screen.indexing = True  # as while an update runs
        await pilot.press("slash", *"zeta")
        await wait_until(pilot, lambda: "1 result so far (indexing)" in status(app))
        screen.post_message(IndexDone(None))
        await wait_until(pilot, lambda: not screen.indexing)
        await wait_until(pilot, lambda: "1 result" in status(app) and "so far" not in status(app))
        # a "did you mean" while the index is incomplete says so
        screen.indexing = True
        bar = screen.query_one(SearchBar)
        bar.value = "smrat"
        await wait_until(pilot, lambda: "did you mean: smart (index incomplete)" in status(app))
        assert "No results so far (indexing)" in status(app)
        screen.post_message(IndexDone(None))
        await wait_until(pilot, lambda: "did you mean: smart" in status(app) and "incomplete" not in status(app))
        # leaving the search: no result count stays on the status line
        await pilot.press("escape")
        await wait_until(pilot, lambda: doc_list.results is None)
        assert "result" not in status(app) and "did you mean" not in status(app)
        assert view.document.title in status(app)
