"""Two runs change the pending queue at once (``reader add`` in the shell and the app,
or an import and a ``reader add``): neither writes over what the other queued.

Run A reads the queue and then waits; run B is started and either finishes (nothing
keeps it out: it would write its failure, then A writes the queue it read, without
B's) or waits for the queue's lock (seen in ``/proc/locks``). Then A goes on. Both
failures must be in the queue at the end.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from reader.storage.articles import ArticlesFolder
from tests.conftest import ROOT

HANG_GUARD = 120.0  # seconds: only against a hang, never a measure

pytestmark = pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs /proc/locks to see a run waiting")

_SLOW_ADD = """
import sys, time
from pathlib import Path
from reader.storage.adding import FAILED, Adder, Outcome
from reader.storage.articles import ArticlesFolder

root, flags = Path(sys.argv[1]), Path(sys.argv[2])
folder = ArticlesFolder(root)
read = folder.pending

def pending_then_wait():
    queue = read()
    (flags / "a-read").touch()
    deadline = time.monotonic() + 120
    while not (flags / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    return queue

folder.pending = pending_then_wait
Adder(folder)._update_queue([Outcome("https://a.example/one", FAILED, reason="timed out", queued=True)])
"""

_ADD = """
import sys
from pathlib import Path
from reader.storage.adding import FAILED, Adder, Outcome
from reader.storage.articles import ArticlesFolder

Adder(ArticlesFolder(Path(sys.argv[1])))._update_queue(
    [Outcome("https://b.example/two", FAILED, reason="busy (HTTP 503)", queued=True)]
)
"""

_IMPORT = """
import sys
from pathlib import Path
from reader.core.imports import ImportedArticle, ParsedExport
from reader.storage.articles import ArticlesFolder
from reader.storage.importing import apply, plan

folder = ArticlesFolder(Path(sys.argv[1]))
export = ParsedExport(service="Pocket", articles=[ImportedArticle(url="https://b.example/two", title="Two")])
apply(plan(export, folder), folder, store=None)
"""


def _start(script: str, *args: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *map(str, args)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_for(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + HANG_GUARD
    while not condition():
        assert time.monotonic() < deadline, f"hang guard: {what}"
        time.sleep(0.01)


def _waits_for_a_lock(pid: int) -> bool:
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if len(fields) > 5 and fields[1] == "->" and fields[5] == str(pid):
            return True
    return False


def _finish(process: subprocess.Popen[bytes]) -> None:
    out, err = process.communicate(timeout=HANG_GUARD)
    assert process.returncode == 0, err.decode()


@pytest.mark.parametrize("second", [_ADD, _IMPORT], ids=["reader-add", "reader-import"])
def test_two_runs_changing_the_queue_at_once_lose_neither_failure(tmp_path: Path, second: str) -> None:
    root, flags = tmp_path / "articles", tmp_path / "flags"
    root.mkdir()
    flags.mkdir()
    first = _start(_SLOW_ADD, root, flags)
    try:
        _wait_for(lambda: (flags / "a-read").exists() or first.poll() is not None, "the first run to read the queue")
        assert first.poll() is None, first.communicate()[1].decode()
        other = _start(second, root)
        try:
            _wait_for(lambda: other.poll() is not None or _waits_for_a_lock(other.pid), "the second run to finish or wait")
        finally:
            (flags / "go").touch()
            _finish(other)
    finally:
        (flags / "go").touch()
        _finish(first)
    urls = {item.url for item in ArticlesFolder(root).pending()}
    assert urls == {"https://a.example/one", "https://b.example/two"}
