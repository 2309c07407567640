"""``reader add``: fetch articles into the articles folder.

    reader add URL [URL ...]        fetch each page, several at once
    reader add -                    addresses on standard input, one a line
    reader add - --url URL          a whole page on standard input, saved as from URL
    reader add FILE.html --url URL  a page saved from a browser, as from URL
    reader add --retry              work through the addresses that failed before

Each address ends in one line: added (with the file), already in the library, or
the reason it failed (on stderr, with "queued" when ``--retry`` may bring it in).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reader.cli import EXIT_FAILURE, EXIT_USAGE, PROG, CommandError, config_of, positive
from reader.core.urls import looks_like_url
from reader.core.visible import visible
from reader.storage.adding import DUPLICATE, FAILED, REFRESHED, WAITING, Adder, Outcome
from reader.storage.articles import ArticlesFolder, articles_dir
from reader.storage.fetch import MB, Limits
from reader.storage.paths import Paths
from reader.storage.regular_file import NotReadable, read_regular

__all__ = ["add_arguments", "run"]


def add_arguments(command: str, parser: argparse.ArgumentParser) -> None:
    parser.description = "Fetch articles into the articles folder ('reader locate articles')."
    parser.add_argument("items", nargs="*", metavar="URL", help="addresses; '-' reads them from standard input")
    parser.add_argument("--url", help="the address a saved page (FILE or '-') came from")
    parser.add_argument("--refresh", action="store_true", help="fetch articles already saved again (notes are kept)")
    parser.add_argument("--retry", action="store_true", help="fetch the addresses that failed before")
    parser.add_argument("--connections", type=positive, default=8, metavar="N", help="fetches at once (default 8)")
    parser.add_argument("--per-host", type=positive, default=2, metavar="N", help="fetches at once on one host (default 2)")
    parser.add_argument("--timeout", type=_seconds, default=20.0, metavar="SECONDS", help="give up on a silent server (default 20)")
    parser.add_argument("--max-size", type=_megabytes, default=50 * MB, metavar="MB", help="largest page (default 50)")


def run(command: str, options: argparse.Namespace) -> int:
    paths = Paths.from_environment()
    config = config_of(paths)
    folder = ArticlesFolder(articles_dir(paths, config))
    limits = Limits(
        timeout=options.timeout,
        max_bytes=options.max_size,
        connections=options.connections,
        per_host=options.per_host,
    )
    adder = Adder(folder, limits)
    if options.retry:
        if options.items or options.url:
            raise CommandError("--retry takes no address: it works through the queue", EXIT_USAGE)
        return _retry(adder)
    if options.url is not None:
        return _page(adder, options)
    if not options.items:
        raise CommandError("give an address, '-' to read addresses from standard input, or --retry", EXIT_USAGE)
    urls: list[str] = []
    for item in options.items:
        if item == "-":
            urls.extend(_stdin_lines())
        elif looks_like_url(item) or not Path(item).exists():
            urls.append(item)
        else:
            raise CommandError(f"{item}: a saved page needs the address it came from: add --url URL", EXIT_USAGE)
    if not urls:
        raise CommandError("no address on standard input", EXIT_USAGE)
    outcomes = _with_progress(lambda done: adder.add_urls(urls, refresh=options.refresh, done=done), len(urls))
    return _summary(outcomes, folder)


def _retry(adder: Adder) -> int:
    queue = adder.folder.pending()
    if not queue:
        print("nothing is waiting to be fetched")
        return 0
    outcomes, waiting = _with_progress(lambda done: adder.retry(done=done), len(queue))
    for outcome in waiting:
        print(f"{PROG}: {visible(outcome.url)}: {visible(outcome.reason)}", file=sys.stderr)
    status = _summary(outcomes, adder.folder)
    return EXIT_FAILURE if waiting else status


def _page(adder: Adder, options: argparse.Namespace) -> int:
    if len(options.items) != 1:
        raise CommandError("--url names where one saved page came from: give one FILE, or '-'", EXIT_USAGE)
    item = options.items[0]
    if item == "-":
        data = sys.stdin.buffer.read(adder.limits.max_bytes + 1)
        name = "standard input"
    else:
        try:
            data = read_regular(Path(item), adder.limits.max_bytes)
        except NotReadable as error:
            raise CommandError(f"{item}: {error}") from None
        except OSError as error:
            raise CommandError(f"{item}: {error.strerror or error}") from None
        if data is None:
            raise CommandError(f"{item}: no such file", EXIT_USAGE)
        name = item
    if not data.strip():
        raise CommandError(f"{name}: empty: no page to save")
    outcome = adder.add_page(data, options.url, refresh=options.refresh)
    _print(outcome)
    return 0 if outcome.ok else EXIT_FAILURE


def _stdin_lines() -> list[str]:
    if sys.stdin is None:
        return []
    lines = []
    for line in sys.stdin:
        line = line.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def _with_progress(work: Callable[[Callable[[Outcome], None]], Any], total: int) -> Any:
    """Run ``work(done)`` with a progress bar on stderr (a terminal only); each outcome printed as it ends."""
    if not sys.stderr.isatty() or total < 2:
        return work(_print)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True, highlight=False, markup=False)
    columns = (TextColumn("Fetching"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("fetch", total=total)

        def done(outcome: Outcome) -> None:
            bar.advance(task)
            _print(outcome)

        return work(done)


def _print(outcome: Outcome) -> None:
    url = visible(outcome.url)
    if outcome.status == FAILED:
        queued = " (queued: 'reader add --retry' tries again)" if outcome.queued else ""
        print(f"{PROG}: {url}: {visible(outcome.reason)}{queued}", file=sys.stderr)
    elif outcome.status == WAITING:
        print(f"{PROG}: {url}: {visible(outcome.reason)}", file=sys.stderr)
    elif outcome.status == DUPLICATE:
        print(f"already in the library: {url} ({visible(outcome.path)})")
    else:
        verb = "refreshed" if outcome.status == REFRESHED else "added"
        print(f"{verb}: {visible(outcome.path)}  {visible(outcome.title)}")
    sys.stdout.flush()


def _summary(outcomes: list[Outcome], folder: ArticlesFolder) -> int:
    failed = [o for o in outcomes if o.status == FAILED]
    for problem in folder.problems:
        print(f"{PROG}: skipped metadata {visible(problem)}", file=sys.stderr)
    if len(outcomes) > 1:
        added = sum(1 for o in outcomes if o.status not in (FAILED, DUPLICATE))
        dupes = sum(1 for o in outcomes if o.status == DUPLICATE)
        queued = sum(1 for o in failed if o.queued)
        print(
            f"{added} added, {dupes} already in the library, {len(failed)} failed ({queued} queued)",
            file=sys.stderr,
        )
    return EXIT_FAILURE if failed else 0


def _seconds(value: str) -> float:
    return _positive(value, "seconds", 3600)


def _megabytes(value: str) -> int:
    return max(1, int(_positive(value, "megabytes", 1024) * MB))


def _positive(value: str, unit: str, most: int) -> float:
    """A number more than 0 and at most ``most``, or the one-line reason argparse prints."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of {unit}: {value!r}") from None
    if not 0 < number <= most:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most {most}: {value!r}")
    return number
