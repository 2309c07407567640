"""Journeys a person takes, in a real terminal: the installed ``reader`` in tmux.

Each test starts the program in its own 100×30 pane and waits on what the
screen shows (never a fixed sleep). Keys that change focus are sent on their
own, and the next key only once the change is visible: a burst of keys right
after a focus change can reach the widget that had focus before.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.conftest import WAIT
from tests.e2e.tmux import TmuxSession

pytestmark = pytest.mark.e2e

# The seed article's title, as the content pane shows it on its first line
# (the list pane is too narrow for it and wraps it after "Hong").
SEED_TITLE = "Heavyweight Voice from Hong Kong"
FIRST_QUESTION = "Q: What role do you think Hong Kong can play"


def open_seed(run_reader: Callable[..., TmuxSession]) -> TmuxSession:
    """Start ``reader`` with no arguments: the seed library, whose one article opens by itself."""
    session = run_reader()
    session.wait_for(SEED_TITLE, timeout=WAIT)
    return session


def annotate_first_question(session: TmuxSession, text: str, lines_down: int = 0) -> None:
    """In the document: to the first question (``]``), ``lines_down`` lines further,
    select that paragraph (``v``), and save a note with ``text`` on it."""
    session.send_keys("Tab")
    session.wait_for("Annotate", timeout=WAIT)
    session.send_keys("]")
    session.wait_for(FIRST_QUESTION, timeout=WAIT)
    for _ in range(lines_down):
        session.send_keys("j")
    session.send_keys("v")
    session.send_keys("a")
    session.wait_for("New note", timeout=WAIT)
    session.send_keys(text, literal=True)
    session.send_keys("C-s")
    session.wait_for("Note saved", timeout=WAIT)


def test_read_the_seed_article_and_quit(run_reader: Callable[..., TmuxSession]) -> None:
    session = open_seed(run_reader)

    # To the content pane: its own bindings appear in the footer once it has focus.
    session.send_keys("Tab")
    session.wait_for("Next section", timeout=WAIT)

    # The first section is the first interview heading; its question follows it.
    session.send_keys("]")
    screen = session.wait_for(FIRST_QUESTION, timeout=WAIT)
    assert "Hong Kong is Giving Full Play to International Advantages" in screen

    session.send_keys("q")
    assert session.wait_exit(timeout=WAIT) == 0


def test_help_lists_the_keys_and_escape_closes_it(run_reader: Callable[..., TmuxSession]) -> None:
    session = open_seed(run_reader)

    session.send_keys("?")
    session.wait_for("Keys", timeout=WAIT)
    session.wait_for("Everywhere", timeout=WAIT)
    # At 30 rows the list of keys is taller than the dialog: scroll to its end
    # (the dialog has focus) to reach the last group of keys. The scroll is animated,
    # so wait for the dialog's last line rather than for the first match.
    session.send_keys("End")
    screen = session.wait_for("Ctrl+P opens the command palette", timeout=WAIT)
    assert "Re-attach" in screen  # the last group: the notes panel's keys

    session.send_keys("Escape")
    screen = session.wait_gone("Ctrl+P opens the command palette", timeout=WAIT)
    assert SEED_TITLE in screen
    assert session.running()


def test_a_missing_path_is_one_line_on_stderr(reader_program: Path, reader_home: Path, tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key not in {"COLUMNS", "LINES"}}
    env["READER_HOME"] = str(reader_home)
    result = subprocess.run(
        [reader_program, "/nonexistent"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr == "reader: no such file or folder: /nonexistent\n"
    assert result.stdout == ""


def test_search_the_seeds_for_smart_city_and_land_on_the_paragraph(
    run_reader: Callable[..., TmuxSession],
) -> None:
    from reader.core.formats import read_document
    from reader.core.search.highlight import find_hits
    from reader.core.search.landing import landing_hit
    from reader.core.search.query import parse_query
    from tests.conftest import SEED

    document = read_document(SEED)
    query = parse_query("smart city", typing=True)  # as the search bar reads it: the last word a prefix
    hits = find_hits(document.text, query)
    landing = landing_hit(document, hits, query)

    session = open_seed(run_reader)
    session.send_keys("/")
    session.wait_for("Search the library", timeout=WAIT)
    session.send_keys("smart city", literal=True)
    session.wait_for("1 result", timeout=WAIT)
    session.send_keys("Enter")
    screen = session.wait_for(f"{landing + 1}/{len(hits)}", timeout=WAIT)
    assert "Tony Wong: In fact, in terms of smart cities" in screen
    session.send_keys("n")
    session.wait_for(f"{landing + 2}/{len(hits)}", timeout=WAIT)
    session.send_keys("q")
    assert session.wait_exit(timeout=WAIT) == 0


def test_annotate_quit_and_find_the_note_and_the_place_again(
    run_reader: Callable[..., TmuxSession],
) -> None:
    # To the first question, select its paragraph, write a note on it.
    session = open_seed(run_reader)
    annotate_first_question(session, "A note typed in a real terminal", lines_down=1)

    # The notes panel lists it with its quote.
    session.send_keys("A")
    session.wait_for("A note typed in a real terminal", timeout=WAIT)
    session.send_keys("q")
    assert session.wait_exit(timeout=WAIT) == 0

    # A new session: the article opens where the reader left it, with the note.
    again = open_seed(run_reader)
    screen = again.wait_for(FIRST_QUESTION, timeout=WAIT)
    assert "▌" in screen  # the note's mark in the margin
    again.send_keys("Tab")
    again.wait_for("Annotate", timeout=WAIT)
    again.send_keys("A")
    again.wait_for("A note typed in a real terminal", timeout=WAIT)
    again.send_keys("q")
    assert again.wait_exit(timeout=WAIT) == 0


def test_annotate_then_export_from_the_dialog(run_reader: Callable[..., TmuxSession], tmp_path: Path) -> None:
    session = open_seed(run_reader)
    annotate_first_question(session, "Worth quoting in the report")

    # e: the dialog proposes reader-notes.md in the folder reader was started from
    session.send_keys("e")
    session.wait_for("Export notes", timeout=WAIT)
    session.wait_for("reader-notes.md", timeout=WAIT)
    session.send_keys("Enter")
    session.wait_for("Wrote 1 note to", timeout=WAIT)
    written = (tmp_path / "reader-notes.md").read_text(encoding="utf-8")
    assert "Worth quoting in the report" in written
    assert "> Hong Kong is Giving Full Play" in written
    session.send_keys("q")
    assert session.wait_exit(timeout=WAIT) == 0
