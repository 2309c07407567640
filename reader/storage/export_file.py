"""Notes out of the store and into an export file, for the command line and the app.

``stored_documents`` gathers every document with live notes; ``write_export``
writes one format to the file the path leads to (symlinks followed) and never
replaces a file: what a user may have edited is kept, a device, FIFO, socket or
read-only file is refused, and an existing file is written in place, keeping
its mode, owner and hard links (see ``reader.storage.user_file``). An existing
Markdown file only gets the notes it does not hold yet, appended; any other
existing file is rewritten only with ``force``.

A note counts as held only by a line that is exactly its ``<!-- note:ID -->``
marker, as the exporter writes it: a marker inside a note's own text (which the
exporter escapes) or in a line of other words is not one.
"""

from __future__ import annotations

from pathlib import Path

from reader.core.export import append_markdown, render
from reader.core.export.common import TaggedDocument
from reader.core.export.markdown import note_marker
from reader.core.notes import DocumentRef, Note
from reader.storage import user_file
from reader.storage.store import Store, StoreError
from reader.storage.user_file import NotWritable, UserFileError

__all__ = [
    "BadTarget",
    "ExportError",
    "FileExists",
    "Scoped",
    "STDOUT_NAMES",
    "check_target",
    "is_stdout",
    "markdown_addition",
    "notes_word",
    "stored_documents",
    "write_export",
]

Scoped = list[tuple[DocumentRef, list[Note]]]

# what names standard output on the command line: written there, never as a file
STDOUT_NAMES = frozenset({"-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"})


class ExportError(Exception):
    """An export that cannot be written: one line naming the file."""


class FileExists(ExportError):
    """The output file exists and only ``force`` may replace it."""


class BadTarget(ExportError):
    """The output path cannot be written as a file: a folder, a device, a FIFO, read-only, no such folder."""


def is_stdout(target: Path | str) -> bool:
    """Whether ``target`` names standard output (``-``, ``/dev/stdout``): written there, not as a file."""
    return str(target) in STDOUT_NAMES


def check_target(target: Path) -> user_file.Target:
    """Where ``target`` leads (symlinks followed); BadTarget when it cannot be written (checked before any work)."""
    try:
        return user_file.target_of(target)
    except NotWritable as error:
        raise BadTarget(str(error)) from None


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
                documents.append((_with_tags(shard.document, shard.meta.tags), notes))
    except StoreError as error:
        raise ExportError(str(error)) from None
    documents.sort(key=lambda pair: (pair[0].title.casefold(), pair[0].path, pair[0].id))
    return documents, problems


def _with_tags(document: DocumentRef, tags: tuple[str, ...]) -> DocumentRef:
    """The document with its own tags, for the exports (``TaggedDocument``)."""
    if not tags:
        return document
    return TaggedDocument(document.id, document.path, document.title, document.source, tags)


def write_export(target: Path, fmt: str, documents: Scoped, exported: str, *, force: bool = False) -> str:
    """Write the export to the file ``target`` leads to; returns what was done, as one line."""
    count = sum(len(notes) for _, notes in documents)
    place = check_target(target)
    try:
        if place.existing is None:
            user_file.create(place, render(fmt, documents, exported=exported).encode("utf-8"))
        elif force:
            user_file.rewrite(place, render(fmt, documents, exported=exported).encode("utf-8"))
        elif fmt != "markdown":
            raise FileExists(f"{target} exists; overwrite it only on purpose (--force)")
        else:
            raw = user_file.read_target(place)
            addition, added = markdown_addition(_text(target, raw), documents)
            if not added:
                return f"{target} already holds all {notes_word(count)}; nothing added"
            user_file.append(place, addition.encode("utf-8"), expected_size=len(raw))
            return f"added {notes_word(added)} to {target}"
    except UserFileError as error:
        raise ExportError(str(error)) from None
    return f"wrote {notes_word(count)} to {target}"


def lines_of(text: str) -> set[str]:
    """Every line of ``text``, without its trailing blanks: a marker counts only as a whole line."""
    return {line.rstrip(" \t\r") for line in text.split("\n")}


def markdown_addition(existing: str, documents: Scoped) -> tuple[str, int]:
    """What to append to an earlier Markdown export for the notes it does not hold, and how many."""
    held = lines_of(existing)
    missing = [(document, [note for note in notes if note_marker(note.id) not in held]) for document, notes in documents]
    missing = [(document, notes) for document, notes in missing if notes]
    if not missing:
        return "", 0
    blocks, added = append_markdown("", missing)
    if not added:
        return "", 0
    if not existing or existing.endswith("\n\n"):
        joint = ""
    else:
        joint = "\n" if existing.endswith("\n") else "\n\n"
    return joint + blocks, added


def notes_word(count: int) -> str:
    return f"{count} note{'' if count == 1 else 's'}"


def read_text(file: Path) -> str:
    """A UTF-8 regular file's text, or an ExportError naming it (a FIFO or device is not read)."""
    try:
        raw = user_file.read_user_file(file)
    except UserFileError as error:
        raise ExportError(str(error)) from None
    return _text(file, raw)


def _text(file: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ExportError(f"{file}: not UTF-8 text (byte {error.start})") from None
