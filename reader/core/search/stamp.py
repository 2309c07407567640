"""The index folder's ``FORMAT`` stamp and ``DAMAGED`` mark: which index a folder holds,
told without opening it (and without importing Whoosh)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["FORMAT_VERSION", "DAMAGED", "read_stamp", "looks_usable"]

FORMAT_VERSION = "reader-index-7"  # 7: the documents' pages in the store
DAMAGED = "DAMAGED"


def read_stamp(stamp: Path) -> str:
    try:
        return stamp.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


def looks_usable(directory: Path) -> bool:
    """Whether the folder holds an index of this version not marked damaged (opening it checks the rest)."""
    return read_stamp(directory / "FORMAT") == FORMAT_VERSION and not (directory / DAMAGED).exists()
