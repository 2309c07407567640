"""A journey in a real terminal: add an article by its address, read it, and read it again offline."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.conftest import WAIT
from tests.e2e.test_journeys import SEED_TITLE
from tests.e2e.tmux import TmuxSession
from tests.web_server import WebServer

pytestmark = pytest.mark.e2e

PARAGRAPH = "Paragraph 1 of the story: the council met on Tuesday"


def test_add_a_url_read_it_and_read_it_again_with_the_server_gone(
    run_reader: Callable[..., TmuxSession], reader_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")  # the pane's reader talks to loopback directly
    with WebServer() as web:
        session = run_reader()
        session.wait_for(SEED_TITLE, timeout=WAIT)
        session.send_keys("C-n")
        session.wait_for("Add an article", timeout=WAIT)
        session.send_keys(web.url("/news/harbour"), literal=True)
        session.send_keys("Enter")
        screen = session.wait_for(PARAGRAPH, timeout=WAIT)  # opened in the content pane
        assert "Harbour Lights Return" in screen
        session.wait_for("Harbour Lights", timeout=WAIT)
        assert web.hits["/news/harbour"] == 1
        session.send_keys("q")
        assert session.wait_exit(timeout=WAIT) == 0
    # the server is gone: the article is a file in the articles folder, part of the library
    [article] = [p for p in (reader_home / "data" / "articles").iterdir() if p.suffix == ".html"]
    again = run_reader()
    screen = again.wait_for(PARAGRAPH, timeout=WAIT)  # the library's one document opens by itself
    assert "Harbour Lights Return" in screen and SEED_TITLE not in screen
    again.send_keys("q")
    assert again.wait_exit(timeout=WAIT) == 0
    assert article.exists()
