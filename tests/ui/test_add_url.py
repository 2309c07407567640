"""Adding an article from the app: the key or the palette, the clipboard's address, the worker,
the article listed and opened."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, Label

from reader.ui.app import ReaderApp
from reader.ui.screens.add_url import AddUrlDialog
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.status_line import StatusLine
from tests.ui.conftest import palette_has, shown, wait_until
from tests.web_server import WebServer


@pytest.fixture
def web(monkeypatch: pytest.MonkeyPatch) -> Iterator[WebServer]:
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")  # a proxy in the environment is not for loopback
    with WebServer() as server:
        yield server


def listed_titles(app: ReaderApp) -> list[str]:
    return [doc.title for doc in app.screen.documents]


async def test_add_a_typed_url_lists_and_opens_the_article(
    web: WebServer, library: Path, reader_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reader.ui.screens.add_url._PASTE_COMMANDS", ())  # no system clipboard
    app = ReaderApp([library])
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: len(app.screen.documents) == 3)
        main = app.screen
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, AddUrlDialog))
        assert app.screen.query_one(Input).value == ""  # the clipboard holds no address
        # a bad address is said in the dialog, which stays
        await pilot.press(*"ftp://x", "enter")
        await wait_until(pilot, lambda: "only http and https" in str(app.screen.query_one("#add-url-hint", Label).content))
        app.screen.query_one(Input).value = web.url("/news/harbour")
        await pilot.press("enter")
        view = main.query_one(DocumentView)
        await wait_until(pilot, lambda: shown(view)() and view.document.title == "Harbour Lights Return")
        await wait_until(pilot, lambda: "Harbour Lights Return" in listed_titles(app))
        articles = reader_home / "data" / "articles"
        assert view.document.path.parent == articles
        assert articles in main.library_paths
        assert web.hits["/news/harbour"] == 1


async def test_the_clipboard_address_is_offered_and_failures_said(
    web: WebServer, library: Path, reader_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("reader.ui.screens.add_url._PASTE_COMMANDS", ())
    app = ReaderApp([library])
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: len(app.screen.documents) == 3)
        main = app.screen
        # the palette has the command (every binding is one)
        await pilot.press("ctrl+p")
        await pilot.press(*"Add URL")
        await wait_until(pilot, lambda: palette_has(app, "Add URL"))
        await pilot.press("escape")
        app.copy_to_clipboard(web.url("/gone"))
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, AddUrlDialog))
        assert app.screen.query_one(Input).value == web.url("/gone")
        await pilot.press("enter")
        status = main.query_one(StatusLine)
        await wait_until(pilot, lambda: "Not added: gone (410)" in status.render().plain)
        assert not (reader_home / "data" / "articles").exists() or not any(
            p.suffix == ".html" for p in (reader_home / "data" / "articles").iterdir()
        )
        # Esc leaves the dialog and adds nothing
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, AddUrlDialog))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is main)
        assert web.hits["/gone"] == 1
