"""A library of one small document, found without walking a big tree.

The app reads such a library (the seed article, ``reader notes.md``) before its
first frame, so that the frame shows the list and the document together; any other
library is read in a worker. ``lone_document`` looks at no more than a few folder
entries before it gives up, so a big library costs next to nothing here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from reader.core.formats import format_of
from reader.core.library import Skipped, candidates

__all__ = ["lone_document", "LONE_BYTES", "LONE_FORMATS"]

LONE_BYTES = 128 * 1024  # a larger file is read in the worker (a long text's start shown first)
LONE_FORMATS = frozenset({"text", "markdown", "html"})  # books and papers are read in the worker
_ENTRIES = 32  # folder entries looked at, at most
_FOLDERS = 8  # folders opened, at most


def lone_document(paths: Iterable[Path]) -> tuple[Path, list[Skipped]] | None:
    """The one document of a library (and the files it skips), if the library is a single
    text, Markdown or HTML file of at most ``LONE_BYTES``; else None (many files, a big
    folder, a symbolic link, a book: the caller reads the library as usual)."""
    paths = list(paths)
    if not _small(paths):
        return None
    found, skipped = candidates(paths)  # a few entries: the library's own rules, cheaply
    if len(found) != 1 or format_of(found[0]) not in LONE_FORMATS:
        return None
    try:
        if os.stat(found[0]).st_size > LONE_BYTES:
            return None
    except OSError:
        return None
    return found[0], skipped


def _small(paths: list[Path]) -> bool:
    """Whether the paths hold at most ``_ENTRIES`` entries in ``_FOLDERS`` folders, and no
    symbolic link below them (a link may lead to any tree)."""
    entries = 0
    folders = list(paths)
    opened = 0
    while folders:
        folder = folders.pop()
        try:
            if not folder.is_dir():
                entries += 1
                if entries > _ENTRIES:
                    return False
                continue
        except OSError:
            return False
        opened += 1
        if opened > _FOLDERS:
            return False
        try:
            with os.scandir(folder) as listing:
                for entry in listing:
                    entries += 1
                    if entries > _ENTRIES or entry.is_symlink():
                        return False
                    if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
                        folders.append(Path(entry.path))
        except OSError:
            return False
    return True
