"""``reader search`` and ``reader index``: the search index from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from reader.cli import PROG, CommandError, config_of, library_paths, positive
from reader.core.search.index import IndexBusy, SearchIndex, UpdateReport
from reader.core.organise import DocMeta
from reader.core.search.searcher import SearchHit, Searcher, SearchResults
from reader.core.visible import visible, visible_json
from reader.storage.paths import Paths

__all__ = ["add_arguments", "run", "open_index", "search_library"]

_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"


def open_index(paths: Paths) -> SearchIndex:
    try:
        index = SearchIndex(paths.index_dir)
    except IndexBusy as error:  # damaged, and another reader's update has not ended
        raise CommandError(f"{error}; try again when it has finished") from None
    except OSError as error:
        raise CommandError(f"cannot open the search index in {paths.index_dir}: {error.strerror or error}") from None
    for notice in index.notices:
        print(f"{PROG}: {visible(notice)}", file=sys.stderr)
    return index


def add_arguments(command: str, parser: argparse.ArgumentParser) -> None:
    if command == "search":
        parser.description = "Search the library (default) or PATH for QUERY: ranked, with snippets."
        parser.epilog = (
            'QUERY: words (all must match), "a phrase", -excluded, a OR b, title:word, source:word; '
            'about the document: tag:T, tag:"two words", is:unread|read|archived|favourite, '
            "state:inbox|later|archive, added:2026-10-01, added:>2026-10, added:2026-01..2026-03"
        )
        parser.add_argument("query", nargs="?", metavar="QUERY")
        parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
        parser.add_argument("--limit", type=positive, default=10, metavar="N", help="how many results (10)")
        parser.add_argument("--json", action="store_true", help="print a JSON list of results")
    else:
        parser.description = "Add, update and remove documents in the search index."
        parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
        parser.add_argument("--rebuild", action="store_true", help="index everything again")


def run(command: str, options: argparse.Namespace) -> int:
    if command == "search" and (options.query is None or not options.query.strip()):
        raise CommandError(f"give the words to search for: {PROG} search QUERY [PATH ...]", 2)
    paths = Paths.from_environment()
    targets = library_paths(options.paths, config_of(paths))
    index = open_index(paths)
    if command == "index":
        report = _update(index, targets, rebuild=options.rebuild)
        _print_report(report)
        return 0
    report = _update(index, targets, rebuild=False)
    results = _search(index, options.query, targets, limit=options.limit, full_counts=True)
    if results.message:
        print(f"{PROG}: {visible(results.message)}", file=sys.stderr)
    if options.json:
        sys.stdout.write(visible_json([hit.to_json() for hit in results.hits], indent=1) + "\n")
    else:
        for number, hit in enumerate(results.hits, start=1):
            _print_hit(number, hit)
    if not results.hits:
        hint = f"; did you mean: {visible(results.suggestion)}" if results.suggestion else ""
        print(f"{PROG}: no results for {options.query!r}{hint}", file=sys.stderr)
        return 1
    del report
    return 0


def _search(index: SearchIndex, query: str, targets: list[Path], **options: Any) -> SearchResults:
    """The query searched, its fields (``tag:``, ``is:``…) over the store's values."""
    from reader.core.search.meta_filter import search_with_fields
    from reader.storage.store import Store

    def metas() -> dict[str, DocMeta]:
        snapshot = Store(Paths.from_environment().data_dir).meta_index.snapshot()
        for problem in snapshot.problems:
            print(f"{PROG}: {visible(problem)}", file=sys.stderr)
        return snapshot.metas

    searcher = Searcher(index)
    try:
        return search_with_fields(searcher, query, metas, within=targets, **options)
    finally:
        searcher.close()


def search_library(index: SearchIndex, query: str, targets: list[Path], *, limit: int | None) -> list[SearchHit]:
    """Every document (up to ``limit``) the query finds under ``targets``, the index brought up to date first."""
    _update(index, targets, rebuild=False)
    results = _search(index, query, targets, limit=limit, snippets=0)
    if results.message:
        print(f"{PROG}: {visible(results.message)}", file=sys.stderr)
    return list(results.hits)


def _update(index: SearchIndex, targets: list[Path], *, rebuild: bool) -> UpdateReport:
    try:
        if not sys.stderr.isatty():
            return index.update(targets, rebuild=rebuild)
        from rich.console import Console
        from rich.progress import Progress

        # on stderr, where the report's summary goes (stdout may be a file or a pipe)
        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("Indexing", total=None)
            return index.update(
                targets, rebuild=rebuild, progress=lambda done, total: bar.update(task, completed=done, total=total)
            )
    except KeyboardInterrupt:
        # every commit is whole (see SearchIndex.update): what was indexed stays, the rest waits
        raise CommandError(f"interrupted; run '{PROG} index' again to index the rest", 130) from None
    except IndexBusy as error:
        raise CommandError(f"{error}; try again when it has finished") from None
    except OSError as error:
        raise CommandError(f"cannot write the search index in {index.directory}: {error.strerror or error}") from None


def _print_report(report: UpdateReport) -> None:
    for label, items in (("added", report.added), ("updated", report.updated), ("removed", report.removed)):
        for path in items:
            print(f"{label:8} {visible(path)}")
    for skipped in report.skipped:
        print(f"{'skipped':8} {visible(skipped.path)}: {visible(skipped.reason)}")
    print(
        f"{len(report.added)} added, {len(report.updated)} updated, {len(report.removed)} removed, "
        f"{report.unchanged} unchanged, {len(report.skipped)} skipped in {report.seconds:.1f} s",
        file=sys.stderr,
    )


def _print_hit(number: int, hit: SearchHit) -> None:
    tty = sys.stdout.isatty()
    title = f"{_BOLD}{visible(hit.title)}{_RESET}" if tty else visible(hit.title)
    details = " · ".join(part for part in (visible(hit.source), f"{hit.hits} hit{'s' if hit.hits != 1 else ''}") if part)
    print(f"{number:>2}. {title}  ({details})")
    text = hit.snippet.text
    if tty and hit.snippet.spans:
        out, last = [], 0
        for start, end in hit.snippet.spans:
            out.append(visible(text[last:start]) + _BOLD + visible(text[start:end]) + _RESET)
            last = end
        text = "".join(out) + visible(text[last:])
    else:
        text = visible(text)
    if text:
        print(f"    {text}")
    print(f"    {visible(hit.path)}")
