"""Following a library on disk: which documents were added, changed or removed.

``watch_library`` blocks (run it in a thread) and calls ``changed`` with the
document files that changed and those that went away, a batch at a time, until
``stop`` is set. It uses the operating system's file events through watchfiles
(inotify on Linux), so an idle library costs nothing; where events are not
available it polls.

Only the library's real folders are watched, each on its own (not recursively):
a watcher asked to follow a folder recursively follows the links in it too, and a
link to ``/`` in the library once set hundreds of watches across the whole disk.
The library does not list through a link out of itself, so nothing there needs
watching; a link to a folder inside the library leads to a folder watched anyway.
A folder made (or moved in) while watching is watched from then on, and the
documents it brought are reported at once.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

from reader.core.formats import format_of

__all__ = ["watch_library", "is_document", "watched_paths"]

DEBOUNCE_MS = 800  # changes arriving within this time come as one batch


class Flag(Protocol):
    def is_set(self) -> bool: ...


def is_document(path: Path) -> bool:
    """A file the library would list: a known format, nothing hidden on its way."""
    return format_of(path) is not None and not any(part.startswith(".") for part in path.parts[1:])


def watched_paths(paths: Iterable[Path]) -> list[Path]:
    """What to watch for ``paths``: each folder of the library reached without a link (hidden
    ones left out), each once, and each file named itself."""
    found: list[Path] = []
    seen: set[str] = set()
    for root in paths:
        try:
            mode = root.stat().st_mode
        except OSError:
            continue
        if not stat.S_ISDIR(mode):
            found.append(root)
            continue
        for current, folders, _files in os.walk(root, followlinks=False):
            folders[:] = sorted(name for name in folders if not name.startswith("."))  # links listed, never walked
            real = os.path.realpath(current)
            if real in seen:
                folders[:] = []
                continue
            seen.add(real)
            found.append(Path(current))
    return found


def watch_library(
    paths: Iterable[Path],
    stop: Flag,
    changed: Callable[[set[Path], set[Path]], None],
    *,
    poll: bool | None = None,
) -> None:
    """Call ``changed(updated, removed)`` for each batch of changes under ``paths``."""
    from watchfiles import Change, watch

    roots = [path for path in paths if path.exists()]
    while roots and not stop.is_set():
        watched = watched_paths(roots)
        if not watched:
            return

        def wanted(change: Change, name: str) -> bool:
            return is_document(Path(name)) or (change == Change.added and _new_folder(name))

        for batch in watch(
            *map(str, watched),
            recursive=False,
            stop_event=stop,
            debounce=DEBOUNCE_MS,
            rust_timeout=1_000,
            yield_on_timeout=False,
            raise_interrupt=False,
            force_polling=poll,
            watch_filter=wanted,
            ignore_permission_denied=True,
        ):
            updated: set[Path] = set()
            removed: set[Path] = set()
            new_folders = False
            for change, name in batch:
                path = Path(name)
                if change == Change.added and _new_folder(name):
                    new_folders = True
                    updated.update(_documents_in(path))
                elif change == Change.deleted and not path.exists():
                    removed.add(path)
                    updated.discard(path)
                elif is_document(path):
                    updated.add(path)
                    removed.discard(path)
            if updated or removed:
                changed(updated, removed)
            if new_folders:
                break  # watch again, the new folders with the rest
        else:
            return  # stopped


def _new_folder(name: str) -> bool:
    """A folder (not a link to one, not hidden) that appeared in a watched folder."""
    path = Path(name)
    return not path.name.startswith(".") and path.is_dir() and not path.is_symlink()


def _documents_in(folder: Path) -> set[Path]:
    found = set()
    for current in watched_paths([folder]):
        try:
            names = os.listdir(current)
        except OSError:
            continue
        found.update(path for path in (current / name for name in names) if is_document(path) and path.is_file())
    return found
