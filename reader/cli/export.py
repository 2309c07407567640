"""``reader export`` and ``reader import``: notes out as a file, and a JSON export back in.

``reader export`` reads every document's notes from the store, keeps those in
scope (``--doc``, ``--query``, ``--tag``, ``--since``) and writes one format to
stdout (also ``-o -`` and ``-o /dev/stdout``) or ``--output``. The output file
is the one a symlink leads to, written in place; devices, FIFOs and read-only
files are refused (``reader.storage.user_file``). An existing Markdown file only
gets the notes it does not hold yet; any other existing file is overwritten only
with ``--force``.
``reader import`` adds the notes of a JSON export to the store; notes already
there (same id, not older) are left alone, so importing twice changes nothing.
The documents' own tags in the export join their tags in the store (none removed).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from reader.cli import EXIT_USAGE, PROG, CommandError
from reader.core.document import document_id
from reader.core.export import FORMATS, BadExport, parse_json, render
from reader.core.visible import visible, visible_json_text
from reader.core.export.common import document_tags, parse_time
from reader.core.notes import DocumentRef, Note, now
from reader.core.organise import Change, tag_matches
from reader.storage.export_file import (
    BadTarget,
    ExportError,
    FileExists,
    Scoped,
    is_stdout,
    notes_word,
    read_text,
    stored_documents,
    write_export,
)
from reader.storage.paths import PathError, Paths, expand_user
from reader.storage.store import Store, StoreError

__all__ = ["add_arguments", "run"]

_EXPORT_EPILOG = """\
--doc and --query choose documents, --since chooses notes; they combine.
--tag TAG chooses both: every note of a document tagged TAG (reader tag; a/b is
under a), and the notes tagged TAG on other documents. Repeated: any of them.
--query searches the documents that have notes, through the search index.

--output - (or /dev/stdout) writes to standard output. A symbolic link is
followed and the file it leads to is written, in place (its mode and links
stay); a device, a FIFO, a socket or a read-only file is refused.

An existing --output file is never silently replaced:
  markdown  only the notes the file does not hold yet (by their <!-- note:ID -->
            markers) are appended at the end, under their document's heading,
            so your edits to the file stay;
  others    the command stops unless --force is given.
--force rewrites the file from scratch, Markdown included."""


def add_arguments(command: str, parser: argparse.ArgumentParser) -> None:
    if command == "import":
        parser.description = (
            "Bring in an export: reader's own JSON notes (reader export --format json), or a read-later "
            "service's library: Pocket (CSV or HTML), Instapaper (CSV), Omnivore (ZIP or folder), "
            "wallabag (JSON), Readwise (CSV), a browser's bookmarks (HTML). The format is told by the content."
        )
        parser.epilog = (
            "Articles whose text is in the export are saved into the articles folder; links are queued for "
            "'reader add --retry'. Highlights become notes. Importing twice adds nothing."
        )
        parser.add_argument("file", type=Path, metavar="FILE")
        parser.add_argument("--yes", "-y", action="store_true", help="import without asking")
        return
    parser.description = "Write your notes and bookmarks as Markdown (default), JSON, HTML, Org or CSV."
    parser.epilog = _EXPORT_EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--format", choices=FORMATS, default="markdown", help="the file format (markdown)")
    parser.add_argument("--output", "-o", type=Path, metavar="FILE", help="write to FILE instead of stdout (- is stdout)")
    parser.add_argument("--doc", metavar="DOC", help="only the document at this path, or with this id")
    parser.add_argument("--query", metavar="QUERY", help="only documents that match a search query")
    parser.add_argument(
        "--tag", action="append", metavar="TAG",
        help="only documents with this tag (all their notes) and notes with this tag (repeatable)",
    )
    parser.add_argument("--since", type=_day, metavar="DATE", help="only notes changed on or after DATE (YYYY-MM-DD)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing --output file")


def run(command: str, options: argparse.Namespace) -> int:
    store = Store(Paths.from_environment().data_dir)
    if command == "import":
        from reader.cli.import_services import import_services

        status = import_services(store, options)  # None: reader's own JSON, read below
        return status if status is not None else _import(store, options.file)
    return _export(store, options)


def _day(value: str) -> date:
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


# -- export --------------------------------------------------------------------------------


def _export(store: Store, options: argparse.Namespace) -> int:
    if options.query:
        _check_query(options.query)
    if options.output is not None and not is_stdout(options.output):
        _check_output(options.output)
    documents = _stored(store)
    if options.doc:
        documents = _one_document(documents, options.doc)
    if options.query:
        documents = _matching(documents, options.query)
    documents = _notes_in_scope(documents, options.tag, options.since)
    if not documents:
        raise CommandError(f"no notes to export{_scope_words(options)}")
    exported = now()
    if options.output is None or is_stdout(options.output):
        _to_stdout(_shown(options.format, render(options.format, documents, exported=exported)))
        return 0
    _write(options.output, options.format, documents, exported, force=options.force)
    return 0


def _shown(fmt: str, text: str) -> str:
    """An export as written to stdout: JSON with controls escaped (the same data);
    the other formats exact into a pipe or a file, made visible on a terminal."""
    if fmt == "json":
        return visible_json_text(text)
    if sys.stdout.isatty():
        return visible(text.replace("\r\n", "\n"), multiline=True)
    return text


def _check_query(query: str) -> None:
    """A query that cannot be read as written: the words ``reader search`` uses, as one line."""
    from reader.core.search.query import parse_query

    parsed = parse_query(query)
    if parsed.message or parsed.empty or _unclosed_quote(query):
        problem = parsed.message or ("a quote is not closed" if _unclosed_quote(query) else "no word to search for")
        raise CommandError(f"--query {query!r}: {problem}", EXIT_USAGE)


def _unclosed_quote(query: str) -> bool:
    return query.count('"') % 2 == 1


def _check_output(target: Path) -> None:
    """Refuse, before any work, an --output that cannot be written (a folder, a device, read-only)."""
    from reader.storage.export_file import check_target

    try:
        check_target(target)
    except BadTarget as error:
        raise CommandError(f"--output: {error}", EXIT_USAGE) from None


def _to_stdout(text: str) -> None:
    """The export on standard output, flushed here: a full disk is one line from ``main``, not a traceback."""
    sys.stdout.write(text)
    sys.stdout.flush()


def _stored(store: Store) -> Scoped:
    """Every document with live notes, ordered by title; damaged files reported, skipped."""
    try:
        documents, problems = stored_documents(store)
    except ExportError as error:
        raise CommandError(str(error)) from None
    for problem in problems:
        print(f"{PROG}: {visible(problem)}", file=sys.stderr)
    return documents


def _one_document(documents: Scoped, wanted: str) -> Scoped:
    """The document named by a path (as given, or resolved) or by its id."""
    try:
        path = expand_user(wanted)
    except PathError as error:
        raise CommandError(f"--doc {error}", EXIT_USAGE) from None
    keys = {wanted, os.path.abspath(path), str(path.resolve(strict=False)), document_id(path)}
    found = [(document, notes) for document, notes in documents if document.id in keys or document.path in keys]
    if not found:
        raise CommandError(f"no notes on {wanted!r} (a document's path or id)")
    return found


def _matching(documents: Scoped, query: str) -> Scoped:
    """The documents a search query matches, through the search index."""
    from reader.cli.search import open_index
    from reader.core.search.index import IndexBusy
    from reader.core.search.searcher import Searcher

    files = [Path(document.path) for document, _ in documents if os.path.isfile(document.path)]
    if not files:
        return []
    index = open_index(Paths.from_environment())
    try:
        index.update(files)
    except IndexBusy as error:
        raise CommandError(f"{error}; try again when it has finished") from None
    except OSError as error:
        raise CommandError(f"cannot write the search index in {index.directory}: {error.strerror or error}") from None
    searcher = Searcher(index)
    try:
        results = searcher.search(query, limit=len(files), within=files, snippets=0)
    finally:
        searcher.close()
    if results.message:
        print(f"{PROG}: {visible(results.message)}", file=sys.stderr)
    ids = {hit.id for hit in results.hits}
    paths = {os.path.abspath(hit.path) for hit in results.hits}
    return [(d, notes) for d, notes in documents if d.id in ids or os.path.abspath(d.path) in paths]


def _notes_in_scope(documents: Scoped, tags: list[str] | None, since: date | None) -> Scoped:
    """The notes changed ``since``, and with ``tags``: on a document with one of them, or with one themselves."""
    wanted = {tag.lstrip("#").casefold() for tag in tags or ()}
    start = datetime(since.year, since.month, since.day, tzinfo=UTC) if since else None

    def tagged(document: DocumentRef) -> bool:
        return any(tag_matches(tag, want) for tag in document_tags(document) for want in wanted)

    def keep(note: Note, whole: bool) -> bool:
        if wanted and not whole and not wanted & {tag.casefold() for tag in note.tags}:
            return False
        if start is not None:
            changed = parse_time(note.updated) or parse_time(note.created)
            return changed is not None and changed >= start
        return True

    scoped = [(document, [note for note in notes if keep(note, whole)]) for document, notes in documents for whole in [tagged(document)]]
    return [(document, notes) for document, notes in scoped if notes]


def _scope_words(options: argparse.Namespace) -> str:
    words = [f"{name} {value!r}" for name, value in (("on", options.doc), ("matching", options.query)) if value]
    if options.tag:
        words.append("tagged " + " or ".join(repr(tag) for tag in options.tag))
    if options.since:
        words.append(f"changed since {options.since.isoformat()}")
    return " " + ", ".join(words) if words else ""


def _write(target: Path, fmt: str, documents: Scoped, exported: str, *, force: bool) -> None:
    """Write the export to ``target`` (exactly that path), atomically, keeping what must be kept."""
    try:
        done = write_export(target, fmt, documents, exported, force=force)
    except BadTarget as error:
        raise CommandError(f"--output: {error}", EXIT_USAGE) from None
    except FileExists:
        raise CommandError(f"{target} exists; add --force to overwrite it") from None
    except ExportError as error:
        raise CommandError(str(error)) from None
    print(visible(done), file=sys.stderr)


# -- import --------------------------------------------------------------------------------


def _import(store: Store, file: Path) -> int:
    try:
        documents = parse_json(_read(file).removeprefix("\ufeff"))
    except BadExport as error:
        raise CommandError(f"{file}: {error}") from None
    total = sum(len(notes) for _, notes in documents)
    try:
        changed = sum(store.import_notes(document, notes) for document, notes in documents)
        tagged = sum(_import_tags(store, document) for document, _ in documents)
    except StoreError as error:
        raise CommandError(str(error)) from None
    also = f"; tags added to {tagged} document{'' if tagged == 1 else 's'}" if tagged else ""
    print(f"imported {notes_word(changed)} from {visible(file)} ({total - changed} already there){also}", file=sys.stderr)
    return 0


def _import_tags(store: Store, document: DocumentRef) -> bool:
    """The document's own tags from the export join its tags in the store (none is removed)."""
    tags = document_tags(document)
    return bool(tags) and store.organise(document, Change(add=tags))


def _read(file: Path) -> str:
    try:
        return read_text(file)
    except ExportError as error:
        raise CommandError(str(error)) from None
