"""Pilot helpers: build the app on a library, wait on conditions (never fixed sleeps)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from reader.ui.app import ReaderApp
from reader.ui.widgets.document_view import DocumentView
from tests.conftest import SEED


async def settle(pilot: Pilot) -> None:
    """Wait for every worker but the file watcher (which runs as long as the app)."""
    busy = [w for w in pilot.app.workers if w.group != "watch"]
    if busy:  # (an empty list would mean "all of them")
        try:
            await pilot.app.workers.wait_for_complete(busy)
        except WorkerCancelled:
            pass  # a newer keystroke or update replaced it: that is normal


async def wait_until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the app run until ``condition()`` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            view = getattr(condition, "view", None)
            state = f" (view: {view.document is not None}, {view.container_size}, {view.row_count})" if view else ""
            raise AssertionError(f"condition not met in time{state}")
        await settle(pilot)
        await pilot.pause(0.02)  # lets layout and refresh timers run between checks


async def wait_while_working(pilot: Pilot, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the app run until ``condition()`` holds, without waiting for its workers
    (for a test that keeps one running on purpose)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.02)


def palette_commands(app: ReaderApp) -> list[str]:
    """The command palette's commands as listed, first first ([] while it lists none)."""
    from textual.command import CommandList

    lists = app.screen.query(CommandList)
    if not lists:
        return []
    commands = lists.first()
    return [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]


def palette_has(app: ReaderApp, text: str) -> bool:
    return any(text in command for command in palette_commands(app))


def shown(view) -> Callable[[], bool]:
    """A condition: the view shows a document and has been laid out at its size."""
    def condition() -> bool:
        return view.document is not None and view.container_size.height > 0 and view.row_count > 0

    condition.__doc__ = "document shown"
    condition.view = view  # type: ignore[attr-defined]
    return condition


def seed_app(folder: Path | None = None) -> ReaderApp:
    """The app on the seeds' folder (or on ``folder``)."""
    return ReaderApp([folder or SEED.parent])


async def open_seed(pilot: Pilot, app: ReaderApp) -> DocumentView:
    """Waits for the first document to be shown, then focuses its view."""
    view = app.screen.query_one(DocumentView)
    await wait_until(pilot, shown(view))
    await pilot.press("tab")
    assert app.focused is view
    return view


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The seed plus two small documents, in one folder."""
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    (folder / "alpha.md").write_text("# Alpha Notes\n\nFirst.\n\n## Part One\n\nText one.\n\n## Part Two\n\nText two.\n")
    (folder / "zeta.txt").write_text("Zeta Report\n\nSource: The Zeta Times\n\nA short report.\n")
    return folder


@pytest.fixture
def make_app() -> Callable[..., ReaderApp]:
    def make(*paths: Path) -> ReaderApp:
        return ReaderApp(list(paths) or [SEED.parent])

    return make
