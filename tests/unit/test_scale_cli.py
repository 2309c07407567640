"""``reader index`` and ``reader list`` interrupted with Ctrl+C: one line, status 130; the index whole, and carried on.

The real command runs on a generated folder of a few hundred articles (enough for
several commits), gets SIGINT on its process group (what Ctrl+C in a terminal
sends, to the indexing processes too) just after its first commit, and must stop
at once with one line on stderr and no traceback. The index it leaves opens
without a rebuild, the document store and the Whoosh index agree, and a second
``reader index`` adds only what is missing. ``reader list`` stops the same way,
and draws its progress bar on stderr, never into the JSON on stdout.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.core.search.index import SearchIndex
from reader.storage.paths import Paths

FILES = 300
WORDS = [
    "".join(random.Random(number).choice("aeioulmnrstkvp") for _ in range(3 + number % 6)) for number in range(4000)
]


def make_library(folder: Path, files: int = FILES) -> None:
    """``files`` articles of 20–40 KB each (about 9 MB), in nested folders."""
    rng = random.Random(7)
    for number in range(files):
        sub = folder / f"part-{number % 5}" / f"section-{number % 3}"
        sub.mkdir(parents=True, exist_ok=True)
        paragraphs = [
            " ".join(rng.choices(WORDS, k=rng.randint(60, 120))).capitalize() + "."
            for _ in range(rng.randint(30, 50))
        ]
        title = " ".join(rng.choices(WORDS, k=5)).title()
        text = f"{title}\n\nSource: The Test Gazette\n\n" + "\n\n".join(paragraphs) + "\n"
        (sub / f"article-{number:03d}.txt").write_text(text, encoding="utf-8")


def indexed_count(index_dir: Path) -> int:
    store = index_dir / "documents.sqlite"
    if not store.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=1) as db:
            return int(db.execute("SELECT count(*) FROM docs").fetchone()[0])
    except sqlite3.Error:
        return 0


def reader(*args: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "reader", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its own process group, as a job in a terminal
        **kwargs,  # type: ignore[call-overload]
    )


def ctrl_c(process: subprocess.Popen[str]) -> tuple[str, str]:
    """SIGINT to the command's process group, as Ctrl+C in its terminal; its stdout and
    stderr once it has ended (the test fails if it still runs 30 s later)."""
    os.killpg(process.pid, signal.SIGINT)
    try:
        return process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail(f"{process.args} still running 30 s after Ctrl+C: {process.communicate()}")


def test_ctrl_c_stops_index_at_once_and_the_next_run_carries_on(tmp_path: Path) -> None:
    library = tmp_path / "library"
    make_library(library)
    index_dir = Paths.from_environment().index_dir

    process = reader("index", str(library))
    deadline = time.monotonic() + 60
    while indexed_count(index_dir) == 0:  # wait for the first commit
        assert process.poll() is None, f"finished before it could be interrupted: {process.communicate()}"
        assert time.monotonic() < deadline, "no commit within 60 s"
        time.sleep(0.01)
    signalled = time.monotonic()
    out, err = ctrl_c(process)
    stopped_after = time.monotonic() - signalled

    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert err.splitlines() == ["reader: interrupted; run 'reader index' again to index the rest"]
    assert stopped_after < 5, f"took {stopped_after:.1f} s to stop"
    assert not (index_dir / "incoming").exists()

    # what was committed is whole: the index opens as it is, and agrees with its store
    index = SearchIndex(index_dir)
    assert index.notices == []
    kept = index.doc_count()
    assert kept == indexed_count(index_dir)
    assert 0 < kept < FILES

    again = reader("index", str(library))
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    summary = re.search(r"(\d+) added, 0 updated, 0 removed, (\d+) unchanged, 0 skipped", err)
    assert summary is not None, err
    added, unchanged = int(summary[1]), int(summary[2])
    assert unchanged == kept  # not started over
    assert added + unchanged == FILES
    assert len(out.splitlines()) == added
    assert SearchIndex(index_dir).doc_count() == FILES


def test_ctrl_c_stops_list_with_one_line(tmp_path: Path) -> None:
    library = tmp_path / "library"
    make_library(library)
    process = reader("list", "--json", str(library))
    # wait until it reads documents (its pool of processes is running), then Ctrl+C
    deadline = time.monotonic() + 60
    while len(psutil_children(process.pid)) < 2:
        assert process.poll() is None, f"finished before it could be interrupted: {process.communicate()}"
        assert time.monotonic() < deadline, "no reading processes within 60 s"
        time.sleep(0.01)
    out, err = ctrl_c(process)
    assert process.returncode == 130, err
    assert err.splitlines() == ["reader: interrupted"]
    assert out == ""


def psutil_children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry.name))
    return children


def test_list_draws_its_progress_on_stderr_not_in_the_json(tmp_path: Path) -> None:
    """``reader list --json > file`` in a terminal: the bar on the terminal, clean JSON in the file."""
    import pty

    library = tmp_path / "library"
    make_library(library, files=120)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "reader", "list", "--json", str(library)],
        stdout=subprocess.PIPE,
        stderr=follower,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm-256color"},
    )
    os.close(follower)
    terminal = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed: the process has gone
            break
        if not chunk:
            break
        terminal += chunk
    out, _ = process.communicate(timeout=60)
    os.close(leader)
    assert process.returncode == 0, terminal
    assert len(json.loads(out)) == 120  # nothing but the JSON on stdout
    assert b"Reading documents" in terminal
