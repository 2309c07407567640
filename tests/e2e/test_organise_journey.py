"""Journey, in a real terminal: tag a document from the app, start again, find it with ``tag:``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.conftest import WAIT
from tests.e2e.tmux import TmuxSession

pytestmark = pytest.mark.e2e


def test_tag_in_the_app_relaunch_and_find_it_with_tag_field(
    run_reader: Callable[..., TmuxSession], tmp_path: Path
) -> None:
    library = tmp_path / "shelf"
    library.mkdir()
    (library / "alpha.md").write_text("# Alpha Notes\n\nFirst paragraph about harbours.\n", encoding="utf-8")
    (library / "zeta.txt").write_text("Zeta Report\n\nA short report on bridges.\n", encoding="utf-8")

    session = run_reader(str(library))
    session.wait_for("Zeta Report", timeout=WAIT)
    session.send_keys("t")  # the list has focus, its first row (Alpha Notes) highlighted
    session.wait_for("Tags of Alpha Notes", timeout=WAIT)
    session.send_keys("harbour watch", literal=True)
    session.send_keys("Enter")
    session.wait_for("#harbour watch", timeout=WAIT)  # the list shows the tag
    session.send_keys("q")
    assert session.wait_exit(timeout=WAIT) == 0

    again = run_reader(str(library))
    again.wait_for("#harbour watch", timeout=WAIT)  # kept in the store
    again.send_keys("/")
    again.wait_for("Search the library", timeout=WAIT)
    again.send_keys('tag:"harbour watch"', literal=True)
    screen = again.wait_for("1 result", timeout=WAIT)
    assert "Alpha Notes" in screen and "Zeta Report" not in screen
    again.send_keys("Escape")
    again.wait_for("Zeta Report", timeout=WAIT)
    again.send_keys("q")
    assert again.wait_exit(timeout=WAIT) == 0
