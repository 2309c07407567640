"""``reader notes``, ``reader note add`` and ``reader bookmark add``: the notes store from the shell.

``reader notes`` prints every note and bookmark in the store, grouped by document,
each document's in the order of its text. ``note add`` and ``bookmark add`` make
one, for scripts: DOC is a document's path, or its id (as ``reader list`` shows
it), looked up among the documents with notes and then the library's documents.
The passage is found with ``find_quote``; the new note's id is printed.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from reader.cli import PROG, CommandError, config_of, library_paths
from reader.core.anchors import find_quote
from reader.core.document import Document, document_id
from reader.core.formats import UnreadableDocument, read_document
from reader.core.library import candidates
from reader.core.notes import DocumentRef, Kind, Note, new_note
from reader.core.visible import visible, visible_json
from reader.storage.paths import Paths, expand_user
from reader.storage.store import Shard, Store, StoreError

__all__ = ["add_arguments", "run", "note_json"]

OPENING = 60  # characters a bookmark without --quote points at, from the start of the text
_SPACE = re.compile(r"\s")
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_RESET = "\x1b[0m"


def add_arguments(command: str, parser: argparse.ArgumentParser) -> None:
    if command == "notes":
        parser.description = "Print every note and bookmark, grouped by document, in the order of the text."
        parser.add_argument("--json", action="store_true", help="print a JSON list of notes and bookmarks")
        return
    actions = parser.add_subparsers(dest="action", required=True, metavar="add")
    what = "note" if command == "note" else "bookmark"
    add = actions.add_parser("add", help=f"add a {what} to a document")
    add.add_argument("doc", metavar="DOC", help="the document: its path, or its id")
    if command == "note":
        parser.description = add.description = "Add a note on a passage of a document; prints the note's id."
        add.add_argument("--quote", required=True, metavar="TEXT", help="the passage, as it reads in the document")
        add.add_argument("--text", default="", metavar="NOTE", help="what you have to say about it")
        add.add_argument("--tag", action="append", default=[], metavar="TAG", help="a tag (repeatable)")
    else:
        parser.description = add.description = "Add a bookmark to a document; prints the bookmark's id."
        add.add_argument("--quote", metavar="TEXT", help="the passage to mark (default: the start of the text)")
        add.add_argument("--name", default="", metavar="NAME", help="a name for the bookmark")


def run(command: str, options: argparse.Namespace) -> int:
    paths = Paths.from_environment()
    store = Store(paths.data_dir)
    if command == "notes":
        return _print_notes(store, as_json=options.json)
    document = _find_document(options.doc, paths, store)
    note = _new_note(document, command, options)
    reference = DocumentRef(document.id, str(document.path.resolve()), document.title, document.source)
    try:
        store.put_note(reference, note)
    except StoreError as error:
        raise CommandError(str(error)) from None
    print(note.id)
    return 0


# -- reader notes -------------------------------------------------------------------------


def _print_notes(store: Store, *, as_json: bool) -> int:
    try:
        shards = sorted(store.shards(), key=_document_order)
    except StoreError as error:
        raise CommandError(str(error)) from None
    for shard in shards:
        if shard.problem:
            print(f"{PROG}: {visible(shard.problem)}", file=sys.stderr)
    shards = [shard for shard in shards if shard.notes]
    if as_json:
        items = [note_json(shard, note) for shard in shards for note in shard.notes]
        sys.stdout.write(visible_json(items, indent=1) + "\n")
    else:
        for number, shard in enumerate(shards):
            if number:
                print()
            _print_shard(shard, sys.stdout.isatty())
    if not shards:
        print(f"{PROG}: no notes or bookmarks yet (add them in the app, or with '{PROG} note add')", file=sys.stderr)
    return 0


def _document_order(shard: Shard) -> tuple[str, str, str]:
    document = shard.document
    if document is None:
        return "", "", shard.doc_id
    return document.title.casefold(), document.path, document.id


def note_json(shard: Shard, note: Note) -> dict[str, Any]:
    """One note or bookmark as ``reader notes --json`` prints it."""
    document = shard.document
    return {
        "id": note.id,
        "kind": note.kind.value,
        "doc_id": note.doc_id,
        "title": document.title if document else "",
        "path": document.path if document else "",
        "quote": note.target.exact,
        "text": note.text,
        "tags": list(note.tags),
        "name": note.name,
        "section": note.section,
        "start": note.target.start,
        "end": note.target.end,
        "created": note.created,
        "updated": note.updated,
    }


def _print_shard(shard: Shard, tty: bool) -> None:
    document = shard.document
    title = visible((document.title if document else "") or shard.doc_id)
    print(f"{_BOLD}{title}{_RESET}" if tty else title)
    if document is not None and document.path:
        path = visible(document.path)
        print(f"{_DIM}{path}{_RESET}" if tty else path)
    for note in shard.notes:
        details = [note.kind.value, visible(note.id), visible(_when(note.updated))]
        if note.name:
            details.append(f"“{visible(note.name)}”")
        if note.section:
            details.append(f"§ {_one_line(note.section, 60)}")
        print("  " + "  ".join(details))
        print(f"    > {_one_line(note.target.exact, 200)}")
        for line in note.text.splitlines():
            print(f"    {visible(line)}")
        if note.tags:
            print("    " + " ".join(f"#{visible(tag)}" for tag in note.tags))


def _when(stamp: str) -> str:
    """``2026-11-24T18:40:02Z`` as ``2026-11-24 18:40``."""
    return stamp[:16].replace("T", " ") if len(stamp) >= 16 else stamp


def _one_line(text: str, width: int) -> str:
    text = visible(" ".join(text.split()))
    return text if len(text) <= width else text[: width - 1] + "…"


# -- reader note add / reader bookmark add --------------------------------------------------


def _find_document(doc: str, paths: Paths, store: Store) -> Document:
    """The document DOC names: a file, or the id of a document with notes or in the library."""
    path = expand_user(doc)  # ~nosuchuser/x: one line (PathError), not a RuntimeError
    if not path.exists():
        found = _path_of_id(doc, paths, store)
        if found is None:
            what = "not a file, nor the id of a document with notes or in the library"
            raise CommandError(f"no document {doc!r}: {what}")
        path = found
    try:
        return read_document(path)
    except UnreadableDocument as error:
        raise CommandError(str(error)) from None


def _path_of_id(doc_id: str, paths: Paths, store: Store) -> Path | None:
    shard = store.load(doc_id)
    if shard.document is not None and shard.document.path and Path(shard.document.path).is_file():
        return Path(shard.document.path)
    files, _ = candidates(library_paths([], config_of(paths)))
    return next((file for file in files if document_id(file) == doc_id), None)


def _new_note(document: Document, command: str, options: argparse.Namespace) -> Note:
    text = document.text
    if options.quote is not None:
        span = find_quote(text, options.quote)
        if span is None:
            raise CommandError(f"{document.path}: quote not found: {_one_line(options.quote, 80)!r}")
        start, end = span
    else:
        start, end = _opening(text)
    if command == "bookmark":
        return new_note(document, Kind.BOOKMARK, start, end, name=options.name.strip())
    tags = tuple(tag.strip().lstrip("#") for tag in options.tag if tag.strip().lstrip("#"))
    return new_note(document, Kind.NOTE, start, end, text=options.text, tags=tags)


def _opening(text: str) -> tuple[int, int]:
    """The first ~60 characters of ``text``, to the end of the word under the 60th."""
    start = len(text) - len(text.lstrip())
    end = min(len(text), start + OPENING)
    word_end = _SPACE.search(text, end, end + OPENING // 3)
    return start, word_end.start() if word_end else end
