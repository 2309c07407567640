"""``reader tag``, ``untag``, ``state``, ``star`` and ``unstar``: a document's tags, state and star.

DOC is a document's path or its id (as ``reader list`` shows it), as for
``reader export --doc``; several at once, or ``--query Q`` for every document a
search finds (words and the fields ``tag:``, ``is:``, ``state:``, ``added:``).
Each change is applied to what the store holds at the time, under its lock, so
two commands run at once both keep their tags. Prints one line per document:
its id, state, star, tags and title.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reader.cli import EXIT_USAGE, PROG, CommandError, config_of, library_paths
from reader.core.document import document_id
from reader.core.library import DocumentInfo, candidates, read_infos
from reader.core.notes import DocumentRef
from reader.core.organise import STATES, BadValue, Change, DocMeta, check_state, clean_tags
from reader.core.visible import visible
from reader.storage.paths import PathError, Paths, expand_user
from reader.storage.store import Store, StoreError

__all__ = ["add_arguments", "run", "state_value", "meta_line"]

_WHAT = {
    "tag": "Add tags to documents (free text; a/b is a nested tag; any case matches).",
    "untag": "Remove tags from documents.",
    "state": f"Set documents' reading state: {', '.join(STATES)}.",
    "star": "Mark documents as favourites.",
    "unstar": "Take documents out of the favourites.",
}


def state_value(text: str) -> str:
    try:
        return check_state(text)
    except BadValue as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_arguments(command: str, parser: argparse.ArgumentParser) -> None:
    parser.description = _WHAT[command]
    parser.epilog = (
        "DOC: a document's path or id (as 'reader list' shows it); the arguments after the "
        "documents are the tags. With --query, every argument is a tag."
    )
    if command in ("tag", "untag"):
        parser.usage = f"{PROG} {command} DOC [DOC ...] TAG [TAG ...] | {PROG} {command} --query Q TAG [TAG ...]"
        parser.add_argument("items", nargs="+", metavar="DOC... TAG", help="documents, then tags")
    elif command == "state":
        parser.usage = f"{PROG} state DOC [DOC ...] {{{','.join(STATES)}}} | {PROG} state --query Q STATE"
        parser.add_argument("items", nargs="+", metavar="DOC... STATE")
    else:
        parser.add_argument("items", nargs="*", metavar="DOC")
    parser.add_argument("--query", metavar="Q", help="every document this search finds in the library")


def run(command: str, options: argparse.Namespace) -> int:
    items: list[str] = list(options.items)
    paths = Paths.from_environment()
    store = Store(paths.data_dir)
    finder = _Finder(paths, store)
    if options.query is not None:
        change = _change(command, items)
        references = _searched(options.query, paths)
        if not references:
            print(f"{PROG}: no documents for {options.query!r}", file=sys.stderr)
            return 1
    else:
        if command in ("tag", "untag"):
            references = finder.leading(items)
            items = items[len(references) :]
            if not items:
                raise CommandError(f"name the tags after the documents (see '{PROG} {command} --help')", EXIT_USAGE)
        elif command == "state":
            references = [finder.find(doc) for doc in items[:-1]]
            items = items[-1:]
        else:
            references = [finder.find(doc) for doc in items]
            items = []
        change = _change(command, items)
        if not references:
            raise CommandError(f"name a document (DOC) or --query Q (see '{PROG} {command} --help')", EXIT_USAGE)
    failed = 0
    for reference in references:
        try:
            store.organise(reference, change)
        except StoreError as error:
            print(f"{PROG}: {visible(error)}", file=sys.stderr)
            failed += 1
            continue
        print(meta_line(reference.id, store.load(reference.id).meta, reference.title))
    return 1 if failed else 0


def _change(command: str, items: list[str]) -> Change:
    """The change the command makes with these (tag or state) arguments."""
    try:
        if command in ("tag", "untag"):
            tags = clean_tags(items)
            return Change(add=tags) if command == "tag" else Change(remove=tags)
        if command == "state":
            if len(items) != 1:
                raise CommandError(f"name one state: {', '.join(STATES)}", EXIT_USAGE)
            return Change(state=check_state(items[0]))
    except BadValue as error:
        raise CommandError(str(error), EXIT_USAGE) from None
    if items:
        raise CommandError(f"unexpected arguments: {' '.join(items)}", EXIT_USAGE)
    return Change(favourite=command == "star")


def meta_line(doc_id: str, meta: DocMeta, title: str) -> str:
    star = "★" if meta.favourite else " "
    tags = " ".join(f"#{tag}" for tag in meta.tags)
    return visible(f"{doc_id}  {meta.state:<7} {star}  {title}" + (f"  {tags}" if tags else ""))


class _Finder:
    """DOC arguments as documents: a file, or the id of a document with notes or in the library."""

    def __init__(self, paths: Paths, store: Store) -> None:
        self.paths = paths
        self.store = store
        self._library: dict[str, Path] | None = None

    def leading(self, items: list[str]) -> list[DocumentRef]:
        """The documents the first arguments name (at least one); the rest are not documents."""
        found = [self.find(items[0])]
        for item in items[1:-1]:  # (the last argument is a tag)
            reference = self.find(item, required=False)
            if reference is None:
                break
            found.append(reference)
        return found

    def find(self, doc: str, *, required: bool = True) -> DocumentRef:
        try:
            path = expand_user(doc)
        except PathError as error:
            raise CommandError(f"DOC {error}", EXIT_USAGE) from None
        if not path.is_file():
            shard = self.store.load(doc) if not path.exists() and "/" not in doc else None
            if shard is not None and shard.document is not None:
                return shard.document
            if self._library is None:
                files, _ = candidates(library_paths([], config_of(self.paths)))
                self._library = {document_id(file): file for file in files}
            if doc not in self._library:
                if not required:
                    return None  # type: ignore[return-value]
                raise CommandError(f"no document {doc!r}: not a file, nor the id of a document with notes or in the library")
            path = self._library[doc]
        return _reference(path)


def _reference(path: Path) -> DocumentRef:
    resolved = path.resolve()
    info = next(iter(read_infos([resolved], parallel=False)), None)
    if isinstance(info, DocumentInfo):
        return DocumentRef(info.id, str(resolved), info.title, info.source)
    reason = getattr(info, "reason", "cannot be read")
    raise CommandError(f"{path}: {reason}")


def _searched(query: str, paths: Paths) -> list[DocumentRef]:
    """Every document the query finds in the library (the index brought up to date first)."""
    from reader.cli.search import open_index, search_library

    targets = library_paths([], config_of(paths))
    index = open_index(paths)
    hits = search_library(index, query, targets, limit=None)
    return [DocumentRef(hit.id, str(hit.path), hit.title, hit.source) for hit in hits]


def organised(documents: list[DocumentInfo], options: argparse.Namespace, paths: Paths) -> tuple[list[DocumentInfo], dict[str, DocMeta]]:
    """``reader list``: each document's values (first seen now if never before), kept by --tag, --state, --favourite."""
    snapshot = Store(paths.data_dir).meta_index.snapshot(seen=[doc.id for doc in documents])
    for problem in snapshot.problems:
        print(f"{PROG}: {visible(problem)}", file=sys.stderr)
    metas = {doc.id: snapshot.get(doc.id) for doc in documents}
    try:
        wanted = clean_tags(options.tag or ())
    except BadValue as error:
        raise CommandError(f"--tag: {error}", EXIT_USAGE) from None

    def keep(meta: DocMeta) -> bool:
        if any(not meta.has_tag(tag) for tag in wanted):
            return False
        if options.state and meta.state != options.state:
            return False
        return not (options.favourite and not meta.favourite)

    return [doc for doc in documents if keep(metas[doc.id])], metas
