"""The file watcher watches the library's real folders only: never through a link out of it.

A link to ``/`` in the library once made the recursive watcher set hundreds of inotify
watches across the disk; the library never lists through such a link, so nothing there
is watched now. Folders made while watching are watched from then on.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from pathlib import Path

import pytest

from reader.core.watch import watch_library, watched_paths

HANG_GUARD = 120.0  # seconds: only against a hang


@pytest.fixture
def library(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    for number in range(40):
        (outside / f"folder-{number}" / "inner").mkdir(parents=True)
    folder = tmp_path / "library"
    (folder / "sub" / "deeper").mkdir(parents=True)
    (folder / ".hidden" / "more").mkdir(parents=True)
    (folder / "sub" / "a.md").write_text("# A\n")
    (folder / "to-outside").symlink_to(outside)
    (folder / "to-root").symlink_to("/")
    (folder / "to-sub").symlink_to(folder / "sub")
    return folder


def test_watched_paths_are_the_real_folders_of_the_library(library: Path) -> None:
    assert watched_paths([library]) == [library, library / "sub", library / "sub" / "deeper"]
    one = library / "sub" / "a.md"
    assert watched_paths([one, library / "missing"]) == [one]
    assert watched_paths([library, library / "sub"]) == [library, library / "sub", library / "sub" / "deeper"]


def _inotify_watches() -> int:
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}") != "anon_inode:inotify":
                continue
            with open(f"/proc/self/fdinfo/{fd}") as info:
                count += sum(1 for line in info if line.startswith("inotify wd:"))
        except OSError:
            continue
    return count


class Watching:
    def __init__(self, library: Path) -> None:
        self.stop = threading.Event()
        self.seen: set[Path] = set()
        self.lock = threading.Lock()
        self.thread = threading.Thread(
            target=watch_library, args=([library], self.stop, self.changed), kwargs={"poll": False}, daemon=True
        )

    def changed(self, updated: set[Path], removed: set[Path]) -> None:
        with self.lock:
            self.seen |= updated

    def sees(self, path: Path, text: str) -> None:
        """Write ``path`` until the watcher reports it (its watches may still be being set)."""
        deadline = time.monotonic() + HANG_GUARD
        while True:
            path.write_text(text)
            until = time.monotonic() + 3
            while time.monotonic() < until:
                with self.lock:
                    if path in self.seen:
                        return
                time.sleep(0.02)
            assert time.monotonic() < deadline, f"hang guard: {path} never reported"

    def __enter__(self) -> Watching:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(HANG_GUARD)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts inotify watches in /proc")
def test_a_link_out_of_the_library_sets_no_watch(library: Path) -> None:
    before = _inotify_watches()
    with Watching(library) as watching:
        watching.sees(library / "sub" / "deeper" / "b.md", "# B\n")  # the watches are all set by now
        assert _inotify_watches() - before == 3  # library, sub, sub/deeper: nothing through the links


def test_a_folder_made_while_watching_is_watched_and_its_documents_reported(library: Path) -> None:
    with Watching(library) as watching:
        watching.sees(library / "first.md", "# First\n")
        (library / "new" / "deep").mkdir(parents=True)
        watching.sees(library / "new" / "deep" / "c.md", "# C\n")

        moved = library.parent / "elsewhere"
        (moved / "inside").mkdir(parents=True)
        (moved / "inside" / "d.txt").write_text("D\n\nmoved in with its folder\n")
        (moved / "inside" / "picture.png").write_bytes(b"\x89PNG")
        os.rename(moved, library / "moved")
        deadline = time.monotonic() + HANG_GUARD
        while library / "moved" / "inside" / "d.txt" not in watching.seen:
            assert time.monotonic() < deadline, "hang guard: a moved-in folder's document never reported"
            time.sleep(0.02)
        assert library / "moved" / "inside" / "picture.png" not in watching.seen

        shutil.rmtree(library / "sub")  # a watched folder goes: the others are still watched
        watching.sees(library / "after.md", "# After\n")
