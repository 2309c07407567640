"""``reader import FILE`` for the exports of other read-later services.

The format is told by the content (``reader.core.imports.detect``); reader's own JSON
notes export goes on to ``reader.cli.export`` as before. The summary (how many
articles, saved from the export or to be fetched, highlights, tags, already there)
is shown, then the question, unless ``--yes``. Each row that did not read is one line
on stderr naming the file and the row; the rest is imported.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path

from reader.cli import EXIT_FAILURE, PROG, CommandError, config_of
from reader.core.imports import BadImport, ParsedExport
from reader.core.imports.detect import READER_JSON, parse_export
from reader.core.visible import visible
from reader.storage.articles import ArticlesFolder, articles_dir
from reader.storage.importing import Plan, apply, plan
from reader.storage.paths import Paths
from reader.storage.user_file import UserFileError, read_user_file

__all__ = ["import_services", "MAX_EXPORT_BYTES"]

MAX_EXPORT_BYTES = 1024 * 1024 * 1024  # a CSV, HTML or JSON export read whole; a ZIP is read member by member


def import_services(store, options: argparse.Namespace) -> int | None:  # type: ignore[no-untyped-def]
    """Import the export named by ``options.file``; None when it is reader's own JSON."""
    file: Path = options.file
    name = str(file)
    data = _read(file)
    try:
        parsed = parse_export(file, data, name)
    except BadImport as error:
        if data is not None and data[:4] != b"PK\x03\x04" and file.suffix.lower() == ".json":
            return None  # a .json that is no service's: reader's own JSON reader says what is wrong
        if data is None:
            raise CommandError(f"{file} is a folder, not a file (nor an Omnivore export: no metadata_*.json in it)") from None
        raise CommandError(str(error)) from None
    if parsed == READER_JSON:
        return None
    assert isinstance(parsed, ParsedExport)
    paths = Paths.from_environment()
    folder = ArticlesFolder(articles_dir(paths, config_of(paths)))
    work = plan(parsed, folder)
    for problem in parsed.problems + folder.problems:
        print(f"{PROG}: {visible(problem)}", file=sys.stderr)
    _summary(work, name)
    if not work.to_save and not work.to_queue and not work.by_title:
        print("nothing new to import")
        return EXIT_FAILURE if parsed.problems else 0
    if not getattr(options, "yes", False) and not _confirmed():
        print("nothing imported")
        return EXIT_FAILURE
    try:
        done = apply(work, folder, store)
    except OSError as error:
        raise CommandError(f"{error.filename or folder.root}: {error.strerror or error}; the import stopped") from None
    for problem in done.problems:
        print(f"{PROG}: {visible(problem)}", file=sys.stderr)
    parts = [f"{len(done.saved)} saved into {visible(folder.root)}"]
    if work.to_queue:
        parts.append(f"{done.queued} queued ('reader add --retry' fetches them)")
    notes = f"{done.notes} notes"
    if done.detached:
        notes += f" ({done.detached} detached: their quote is not in the text)"
    parts.append(notes)
    print("imported: " + ", ".join(parts))
    return EXIT_FAILURE if parsed.problems or done.problems else 0


def _read(file: Path) -> bytes | None:
    """The export's bytes; None for a folder; only the first bytes of a ZIP (read later from the path)."""
    try:
        info = os.stat(file)
    except FileNotFoundError:
        raise CommandError(f"no such file: {file}") from None
    except OSError as error:
        raise CommandError(f"{file}: {error.strerror or error}") from None
    if stat.S_ISDIR(info.st_mode):
        return None
    if stat.S_ISREG(info.st_mode):
        try:
            with open(file, "rb") as handle:
                head = handle.read(4)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}") from None
        if head in (b"PK\x03\x04", b"PK\x05\x06"):
            return head
    try:
        return read_user_file(file, limit=MAX_EXPORT_BYTES)
    except UserFileError as error:
        raise CommandError(str(error)) from None


def _summary(work: Plan, name: str) -> None:
    export = work.export
    total = len(export.articles)
    lines = [f"{export.service}: {total:,} {'article' if total == 1 else 'articles'} in {visible(name)}"]
    if work.to_save:
        lines.append(f"  {len(work.to_save):,} with their text, saved now")
    if work.to_queue:
        lines.append(f"  {len(work.to_queue):,} links to fetch (queued for 'reader add --retry')")
    if work.known:
        lines.append(f"  {len(work.known):,} already in the library or queued: left as they are")
    if work.highlights:
        lines.append(f"  {work.highlights:,} highlights, made notes on their articles")
    if work.by_title:
        lines.append(f"  ({len(work.by_title):,} articles named by title only: their notes go on the article of that title)")
    if work.tags:
        lines.append(f"  {len(work.tags):,} tags")
    if export.problems:
        lines.append(f"  {len(export.problems):,} rows not read (above)")
    print("\n".join(lines))
    sys.stdout.flush()


def _confirmed() -> bool:
    print("Import? [y/N] ", end="")
    sys.stdout.flush()
    try:
        answer = sys.stdin.readline() if sys.stdin is not None else ""
    except (OSError, ValueError):
        answer = ""
    if not answer:
        print()
        print(f"{PROG}: no answer: add --yes to import without being asked", file=sys.stderr)
        return False
    return answer.strip().lower() in ("y", "yes")
