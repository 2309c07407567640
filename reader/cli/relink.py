"""``reader relink``: notes follow their documents after a move or a rename."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reader.cli import PROG, CommandError, config_of, library_paths
from reader.core.document import document_id
from reader.core.formats import UnreadableDocument, read_document
from reader.core.notes import DocumentRef
from reader.core.visible import visible
from reader.storage.paths import Paths
from reader.storage.relink import RelinkReport, move_document_notes, relink_moved
from reader.storage.store import Store, StoreError

__all__ = ["add_arguments", "run"]


def add_arguments(command: str, parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Give notes back to documents that were moved or renamed. With no arguments, every "
        "document whose file is gone is matched to one in the library (by its text, then its "
        "name or title and its quotes) and its notes are moved when the match is unambiguous; "
        "the others are listed. With OLD NEW, the notes kept for OLD (its old path, or its "
        "id as 'reader notes --json' shows it) are moved to the file NEW."
    )
    parser.add_argument("old", nargs="?", metavar="OLD", help="the old path, or the document id")
    parser.add_argument("new", nargs="?", type=Path, metavar="NEW", help="the document's file now")


def run(command: str, options: argparse.Namespace) -> int:
    paths = Paths.from_environment()
    store = Store(paths.data_dir)
    if options.old is None:
        return _relink_library(paths, store)
    if options.new is None:
        raise CommandError("give both OLD and NEW, or neither (see 'reader relink --help')", 2)
    return _relink_one(store, options.old, options.new)


def _relink_one(store: Store, old: str, new: Path) -> int:
    if not new.is_file():
        raise CommandError(f"no such file: {new}", 2)
    try:
        document = read_document(new)
    except UnreadableDocument as error:
        raise CommandError(str(error)) from None
    old_id = old if _looks_like_id(old, store) else document_id(Path(old))
    shard = store.load(old_id)
    if shard.document is None:
        raise CommandError(f"no notes are kept for {old!r}")
    ref = DocumentRef(id=document.id, path=str(document.path), title=document.title, source=document.source)
    try:
        moved = move_document_notes(store, old_id, ref)
    except StoreError as error:
        raise CommandError(str(error)) from None
    count = len(shard.notes)
    print(f"moved {count} note{'s' if count != 1 else ''} of {visible(shard.document.path)} to {visible(ref.path)}")
    return 0 if moved or not count else 1


def _looks_like_id(value: str, store: Store) -> bool:
    try:
        return store.path_of(value).exists()
    except StoreError:
        return False


def _relink_library(paths: Paths, store: Store) -> int:
    from reader.cli.search import _update, open_index

    targets = library_paths([], config_of(paths))
    index = open_index(paths)
    _update(index, targets, rebuild=False)
    try:
        report = relink_moved(store, index.store(), under=[str(p.expanduser().resolve()) for p in targets])
    except StoreError as error:
        raise CommandError(str(error)) from None
    _print_report(report)
    return 1 if report.failed else 0


def _print_report(report: RelinkReport) -> None:
    if not report.orphans:
        print("every document with notes is where its notes say")
        return
    for match in report.moved:
        print(f"moved  {visible(match.orphan.path)}\n    -> {visible(match.candidate.path)}  ({visible(match.reason)})")
    for item in report.ambiguous:
        print(f"left   {visible(item.orphan.path)}: {visible(item.reason)}")
        for candidate in item.candidates[:5]:
            print(f"    maybe {visible(candidate.path)}")
        print(f"    to settle: {PROG} relink {item.orphan.doc_id} NEW")
    for line in report.failed:
        print(f"{PROG}: {visible(line)}", file=sys.stderr)
