"""Fixtures for the end-to-end tests: the installed ``reader`` in a tmux pane."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.tmux import TmuxSession, require_tmux

WAIT = 15  # seconds: generous, for a loaded 2-core machine; waits end as soon as the text shows


@pytest.fixture(scope="session")
def reader_program() -> Path:
    """The ``reader`` console script installed next to the running Python."""
    program = Path(sys.executable).parent / "reader"
    if not program.exists():
        pytest.skip(f"the reader program is not installed at {program} (pip install -e .)")
    return program


@pytest.fixture
def run_reader(
    reader_program: Path, reader_home: Path, tmp_path: Path
) -> Iterator[Callable[..., TmuxSession]]:
    """Start ``reader ARGS`` in a fresh 100×30 tmux pane; every pane is torn down afterwards."""
    require_tmux()
    sessions: list[TmuxSession] = []

    def start(*args: str, width: int = 100, height: int = 30) -> TmuxSession:
        session = TmuxSession([reader_program, *args], home=reader_home, cwd=tmp_path, width=width, height=height)
        sessions.append(session)
        session.start()
        return session

    yield start
    for session in sessions:
        session.close()
