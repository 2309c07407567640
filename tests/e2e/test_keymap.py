"""Keys from the config file, in a real terminal: the installed ``reader`` in tmux.

The config is written under the test's ``READER_HOME`` before ``reader`` starts;
every step waits on what the screen shows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.conftest import WAIT
from tests.e2e.test_journeys import FIRST_QUESTION, SEED_TITLE
from tests.e2e.tmux import TmuxSession

pytestmark = pytest.mark.e2e


def write_config(reader_home: Path, text: str) -> None:
    config = reader_home / "config" / "config.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text, encoding="utf-8")


def test_remapped_keys_move_and_search(run_reader: Callable[..., TmuxSession], reader_home: Path) -> None:
    write_config(reader_home, 'keys:\n  next_section: "}"\n  search: ctrl+k\n')
    session = run_reader()
    session.wait_for(SEED_TITLE, timeout=WAIT)

    # The help names the new key for the next section, and the key moves there.
    session.send_keys("?")
    screen = session.wait_for("Next section", timeout=WAIT)
    [line] = [line for line in screen.splitlines() if "Next section" in line]
    assert "}" in line.split("Next section")[0][-12:] and "]" not in line.split("Next section")[0][-12:]
    session.send_keys("Escape")
    session.wait_gone("Next section", timeout=WAIT)
    session.send_keys("Tab")
    session.send_keys("}")
    screen = session.wait_for(FIRST_QUESTION, timeout=WAIT)
    assert "Hong Kong is Giving Full Play to International Advantages" in screen

    # Ctrl+K opens the library search; a result opens on its passage.
    session.send_keys("C-k")
    session.wait_for("Search the library", timeout=WAIT)
    session.send_keys("smart city", literal=True)
    session.wait_for("1 result", timeout=WAIT)
    session.send_keys("Enter")
    session.wait_for("Tony Wong: In fact, in terms of smart cities", timeout=WAIT)

    session.send_keys("q")
    assert session.wait_exit(timeout=WAIT) == 0


def test_an_unknown_key_name_is_a_notice_and_the_app_runs(
    run_reader: Callable[..., TmuxSession], reader_home: Path
) -> None:
    write_config(reader_home, "keys:\n  find: pgdn\n")
    session = run_reader()
    screen = session.wait_for("Keys not changed", timeout=WAIT)
    assert "pgdn" in screen
    session.wait_for(SEED_TITLE, timeout=WAIT)
    assert session.running()

    session.send_keys("q")
    assert session.wait_exit(timeout=WAIT) == 0
