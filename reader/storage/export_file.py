"""Notes out of the store and into an export file, for the command line and the app.

``stored_documents`` gathers every document with live notes; ``write_export``
writes one format to exactly the path given, atomically, and never silently
replaces what a user may have edited: an existing Markdown file only gets the
notes it does not hold yet (by their ``<!-- note:ID -->`` markers); any other
existing file is replaced only with ``force``.
"""

from __future__ import annotations

import os
from pathlib import Path

from reader.core.export import append_markdown, render
from reader.core.notes import DocumentRef, Note
from reader.storage.atomic import atomic_write
from reader.storage.store import Store, StoreError

__all__ = [
    "BadTarget",
    "ExportError",
    "FileExists",
    "Scoped",
    "check_target",
    "notes_word",
    "stored_documents",
    "write_export",
]

Scoped = list[tuple[DocumentRef, list[Note]]]


class ExportError(Exception):
    """An export that cannot be written: one line naming the file."""


class FileExists(ExportError):
    """The output file exists and only ``force`` may replace it."""


class BadTarget(ExportError):
    """The output path cannot be a file: a folder, or in a folder that does not exist."""


def check_target(target: Path) -> None:
    """Raise BadTarget when ``target`` cannot be written as a file (checked before any work)."""
    if target.is_dir():
        raise BadTarget(f"{target} is a folder; give a file name")
    if not target.parent.is_dir():
        raise BadTarget(f"no such folder: {target.parent}")


def stored_documents(store: Store) -> tuple[Scoped, list[str]]:
    """Every document with live notes, ordered by title, and the store's problems (one line each)."""
    documents: Scoped = []
    problems: list[str] = []
    try:
        for shard in store.shards():
            if shard.problem:
                problems.append(shard.problem)
            notes = [note for note in shard.notes if not note.deleted]
            if shard.document is not None and notes:
                documents.append((shard.document, notes))
    except StoreError as error:
        raise ExportError(str(error)) from None
    documents.sort(key=lambda pair: (pair[0].title.casefold(), pair[0].path, pair[0].id))
    return documents, problems


def write_export(target: Path, fmt: str, documents: Scoped, exported: str, *, force: bool = False) -> str:
    """Write the export to ``target``; returns what was done, as one line."""
    count = sum(len(notes) for _, notes in documents)
    check_target(target)
    if os.path.lexists(target) and not force:
        if fmt != "markdown":
            raise FileExists(f"{target} exists; overwrite it only on purpose (--force)")
        text, added = append_markdown(read_text(target), documents)
        if not added:
            return f"{target} already holds all {notes_word(count)}; nothing added"
        _save(target, text)
        return f"added {notes_word(added)} to {target}"
    _save(target, render(fmt, documents, exported=exported))
    return f"wrote {notes_word(count)} to {target}"


def notes_word(count: int) -> str:
    return f"{count} note{'' if count == 1 else 's'}"


def read_text(file: Path) -> str:
    """A UTF-8 file's text, or an ExportError naming it."""
    try:
        return file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ExportError(f"no such file: {file}") from None
    except IsADirectoryError:
        raise ExportError(f"{file} is a folder, not a file") from None
    except UnicodeDecodeError as error:
        raise ExportError(f"{file}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise ExportError(f"cannot read {file}: {error.strerror or error}") from None


def _save(target: Path, text: str) -> None:
    try:
        atomic_write(target, text)
    except OSError as error:
        raise ExportError(f"cannot write {target}: {error.strerror or error}") from None
