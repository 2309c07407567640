"""A notes file that is a FIFO, a link to a device, or too large (issue 18, item 5).

Before: a FIFO named ``data/notes/<id>.yaml`` made ``reader notes`` and ``reader
export`` hang for ever, and a link there to ``/dev/zero`` read until ``MemoryError``.
Now each is reported in one line naming the file, and never read nor replaced.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.core.notes import DocumentRef, Kind, Note, make_target, new_id, now
from reader.storage import regular_file
from reader.storage.paths import Paths
from reader.storage.store import Store, StoreError

TEXT = "The 2023 Digital Economy Summit was held in Hong Kong. " * 20
DOC = DocumentRef("5bec1a15bec1", "/library/summit.txt", "Digital Economy Summit")
HANG_GUARD = 120  # seconds: only a guard against a hang, never a measure


def make_note(text: str = "a note") -> Note:
    stamp = now()
    return Note(new_id(), DOC.id, Kind.NOTE, make_target(TEXT, 10, 40, "hash"), stamp, stamp, text=text)


def fifo_shard(store: Store) -> Path:
    path = store.path_of(DOC.id)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path


def test_a_fifo_is_reported_and_never_read_nor_replaced(tmp_path: Path) -> None:
    store = Store(tmp_path)
    path = fifo_shard(store)
    shard = store.load(DOC.id)
    assert shard.read_only and shard.problem.startswith(f"{path}: not a regular file: FIFO")
    assert [s.problem for s in store.shards()] == [shard.problem]
    with pytest.raises(StoreError, match="not a regular file: FIFO; nothing was saved"):
        store.put_note(DOC, make_note())
    assert path.is_fifo()


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_link_to_dev_zero_is_reported_as_a_device(tmp_path: Path) -> None:
    store = Store(tmp_path)
    path = store.path_of(DOC.id)
    path.parent.mkdir(parents=True)
    path.symlink_to("/dev/zero")
    shard = store.load(DOC.id)
    assert shard.read_only and shard.problem.startswith(f"{path}: not a regular file: character device")
    with pytest.raises(StoreError, match="character device"):
        store.put_note(DOC, make_note())
    assert path.is_symlink()


def test_a_file_larger_than_the_cap_is_not_read(tmp_path: Path) -> None:
    store = Store(tmp_path)
    path = store.path_of(DOC.id)
    path.parent.mkdir(parents=True)
    with path.open("wb") as handle:  # sparse: nothing is written to the disk
        handle.truncate(regular_file.MAX_SHARD_BYTES + 1)
    shard = store.load(DOC.id)
    assert shard.read_only and shard.problem.startswith(f"{path}: larger than 256 MB")
    with pytest.raises(StoreError, match="larger than"):
        store.put_note(DOC, make_note())
    assert path.stat().st_size == regular_file.MAX_SHARD_BYTES + 1


def test_a_file_that_grows_while_read_stops_at_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "growing"
    path.write_bytes(b"x" * 10)
    assert regular_file.read_regular(path, limit=10) == b"x" * 10
    path.write_bytes(b"x" * 11)
    with pytest.raises(regular_file.NotReadable, match="larger than 11 bytes|larger than 10 bytes"):
        regular_file.read_regular(path, limit=10)


@pytest.mark.parametrize("command", [["notes"], ["export", "--format", "json"]])
def test_notes_and_export_do_not_hang_on_a_fifo(command: list[str]) -> None:
    store = Store(Paths.from_environment().data_dir)
    store.put_note(DocumentRef("0123456789ab", "/library/other.txt", "Other"), make_note("kept"))
    path = fifo_shard(store)
    result = subprocess.run(
        [sys.executable, "-m", "reader", *command],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        env=os.environ.copy(),
        stdin=subprocess.DEVNULL,
    )
    assert "Traceback" not in result.stderr
    assert f"{path}: not a regular file: FIFO" in result.stderr
    assert "kept" in result.stdout
    assert path.is_fifo()
