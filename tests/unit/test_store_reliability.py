"""The store under stress: writers killed mid-save, two processes saving at once, a broken file.

The writers are real processes (``store_writer.py``) that report each save only
after it has returned, so the test knows exactly which saves were complete.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

from reader.storage.store import Store

ROOT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("store_writer.py")
DOC_ID = "0a1b2c3d4e5f"
KILL_ROUNDS = 40
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def start_writer(data_dir: Path, name: str, count: int | None = None) -> subprocess.Popen[str]:
    """A writer waiting for a line on stdin; killed after 60 s whatever happens."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    args = [sys.executable, str(WRITER), str(data_dir), DOC_ID, name, *([str(count)] if count else [])]
    writer = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    watchdog = threading.Timer(60, writer.kill)
    watchdog.daemon = True
    watchdog.start()
    return writer


def go(*writers: subprocess.Popen[str]) -> None:
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()


def record(line: str, acked: dict[str, int]) -> None:
    """Note the version a completed save reported."""
    kind, *fields = line.split()
    if kind == "note":
        note_id, version = fields
        acked[note_id] = max(acked.get(note_id, 0), int(version))
    else:
        assert kind == "position", line


def stored_versions(data_dir: Path) -> dict[str, int]:
    """Each stored note's version (the ``vN`` after its id on the text's first line)."""
    shard = Store(data_dir).load(DOC_ID)
    assert not shard.read_only and shard.problem == "", shard.problem
    return {note.id: int(note.text.split("\n", 1)[0].split(" v")[1]) for note in shard.notes}


def test_writer_killed_at_random_moments_loses_no_completed_save(tmp_path: Path) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    notes_dir = tmp_path / "notes"
    shard_path = notes_dir / f"{DOC_ID}.yaml"
    acked: dict[str, int] = {}
    rounds_with_temp_files = 0
    upcoming = start_writer(tmp_path, "r0")
    for number in range(KILL_ROUNDS):
        writer = upcoming
        upcoming = start_writer(tmp_path, f"r{number + 1}")  # starts up meanwhile, touches nothing until "go"
        go(writer)
        assert writer.stdout is not None
        for _ in range(rng.randint(1, 8)):
            line = writer.stdout.readline()
            assert line, f"writer ended early (seed {seed}, round {number}, status {writer.poll()})"
            record(line, acked)
        # A random moment within the saves that follow (this picks the moment; nothing is awaited).
        time.sleep(rng.uniform(0, 0.03))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        for line in writer.stdout.read().splitlines():  # reports written before the kill landed
            record(line, acked)
        writer.stdout.close()
        writer.stdin.close()  # type: ignore[union-attr]

        versions = stored_versions(tmp_path)
        missing = sorted(set(acked) - set(versions))
        assert not missing, f"seed {seed}, round {number}: completed saves lost: {missing}"
        behind = {key: (versions[key], version) for key, version in acked.items() if versions[key] < version}
        assert not behind, f"seed {seed}, round {number}: edits lost (stored, saved): {behind}"
        whole = yaml.load(shard_path.read_bytes(), Loader=LOADER)  # the whole file, not note by note
        assert set(acked) <= {item["id"] for item in whole["notes"]}
        backup = shard_path.with_name(shard_path.name + ".bak")
        if backup.exists():
            assert isinstance(yaml.load(backup.read_bytes(), Loader=LOADER), dict)

        temp_files = list(notes_dir.glob(".*.tmp"))
        rounds_with_temp_files += bool(temp_files)
        assert [shard.doc_id for shard in Store(tmp_path).shards()] == [DOC_ID]
        assert not list(notes_dir.glob(".*.tmp"))  # swept up once no save can be running
        # nothing else left behind (the backup is made from the second save on, so a writer
        # killed during its first ones leaves none yet)
        expected = [shard_path.name, backup.name] if backup.exists() else [shard_path.name]
        assert sorted(path.name for path in notes_dir.iterdir()) == expected
    upcoming.kill()
    upcoming.communicate()
    assert len(acked) >= KILL_ROUNDS
    print(f"{KILL_ROUNDS} kills, {len(acked)} notes saved, {rounds_with_temp_files} rounds left a temp file")


def test_two_processes_adding_200_notes_each_end_with_all_400(tmp_path: Path) -> None:
    writers = [start_writer(tmp_path, name, count=200) for name in ("first", "second")]
    go(*writers)
    acked: dict[str, int] = {}
    for writer in writers:
        out, _ = writer.communicate()
        assert writer.returncode == 0, out[-500:]
        for line in out.splitlines():
            record(line, acked)
    versions = stored_versions(tmp_path)
    assert len(versions) == 400
    assert versions == acked  # every note at its last saved version


def test_corrupted_file_stops_a_writer_with_a_clear_message_and_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes" / f"{DOC_ID}.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("schema_version: 1\nnotes:\n- id: a\n  text: 'unclosed\n", encoding="utf-8")
    before = path.read_bytes()

    writer = start_writer(tmp_path, "w", count=3)
    out, _ = writer.communicate("go\n")
    assert writer.returncode == 1
    assert out.splitlines() == [
        f"error {path}: line 5, column 1: found unexpected end of stream (while scanning a quoted scalar); "
        "nothing was saved"
    ]
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no .bak, no temp file
    assert Store(tmp_path).load(DOC_ID).problem.startswith(f"{path}: line 5, column 1: found unexpected end of stream")
