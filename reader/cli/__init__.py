"""The ``reader`` command.

``reader [PATH ...]`` opens the app; the subcommands (``list``, ``locate``) run
without importing Textual. Every error is one line on stderr and a non-zero
exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from reader import __version__
from reader.core.formats import UnreadableDocument, check_document
from reader.core.library import ScanResult, scan
from reader.core.visible import visible, visible_json
from reader.resources import seeds_dir
from reader.storage.config import Config, ConfigError, load_config
from reader.storage.paths import PathError, Paths, folder_problem

__all__ = ["main"]

PROG = "reader"
# Commands that live in their own module: the module gives ``add_arguments(command,
# parser)`` and ``run(command, options) -> int`` and is imported only when used.
COMMAND_MODULES = {
    "search": "reader.cli.search",
    "index": "reader.cli.search",
    "export": "reader.cli.export",
    "import": "reader.cli.export",
    "notes": "reader.cli.notes",
    "note": "reader.cli.notes",
    "bookmark": "reader.cli.notes",
    "relink": "reader.cli.relink",
    "add": "reader.cli.add",
    "tag": "reader.cli.organise",
    "untag": "reader.cli.organise",
    "state": "reader.cli.organise",
    "star": "reader.cli.organise",
    "unstar": "reader.cli.organise",
}
COMMANDS = ("list", "locate", *COMMAND_MODULES)
EXIT_USAGE = 2
EXIT_FAILURE = 1


class CommandError(Exception):
    """An error to print as one line; ``status`` is the exit code."""

    def __init__(self, message: str, status: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.status = status


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line."""

    def error(self, message: str) -> NoReturn:
        raise CommandError(f"{message} (see '{PROG} --help')", EXIT_USAGE)


def _open_parser() -> _Parser:
    parser = _Parser(
        prog=PROG,
        description="A terminal reader for your library of articles and documents.",
        epilog=(
            "commands:\n"
            "  reader list [PATH ...] [--json]             print the documents in the library\n"
            "  reader add URL [URL ...] | FILE --url URL   fetch articles into the articles folder\n"
            "  reader search QUERY [PATH ...] [--json]     search the library, best first\n"
            "  reader index [PATH ...] [--rebuild]         bring the search index up to date\n"
            "  reader export [--format F] [--output FILE]  write notes: markdown, json, html, org, csv\n"
            "  reader import FILE [--yes]                  notes (JSON), or a Pocket, Instapaper, Omnivore,\n"
            "                                              wallabag, Readwise or bookmarks export\n"
            "  reader notes [--json]                       print every note and bookmark, by document\n"
            "  reader note add DOC --quote TEXT [...]      add a note on a passage; prints its id\n"
            "  reader bookmark add DOC [--quote TEXT]      add a bookmark; prints its id\n"
            "  reader relink [OLD NEW]                     give notes back to documents that moved\n"
            "  reader tag|untag DOC... TAG... | --query Q  add or remove document tags\n"
            "  reader state DOC... inbox|later|archive     set the reading state (also --query Q)\n"
            "  reader star|unstar DOC... | --query Q       mark or unmark favourites\n"
            "  reader locate config|data|index|articles    print where reader keeps its files\n\n"
            "With no PATH, reader opens the folders in its config file, or its sample library."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders to open")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    return parser


def _command_parser(command: str) -> _Parser:
    parser = _Parser(prog=f"{PROG} {command}")
    if command == "list":
        parser.description = "Print the documents under PATH (default: the library)."
        parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
        parser.add_argument("--json", action="store_true", help="print a JSON list of documents")
        parser.add_argument("--tag", action="append", metavar="T", help="only documents with this tag (repeatable)")
        parser.add_argument("--state", type=_state, metavar="S", help="only documents in this state")
        parser.add_argument("--favourite", action="store_true", help="only favourites")
    elif command in COMMAND_MODULES:
        _command_module(command).add_arguments(command, parser)
    elif command == "locate":
        parser.description = "Print where reader keeps its config, data, search index or articles."
        parser.add_argument("what", choices=("config", "data", "index", "articles"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    stdout = sys.stdout
    try:
        if args and args[0] in COMMANDS:
            options = _command_parser(args[0]).parse_args(args[1:])
            sys.stdout = _Output(stdout)  # type: ignore[assignment]
            if args[0] == "list":
                status = _list(options)
            elif args[0] in COMMAND_MODULES:
                status = int(_command_module(args[0]).run(args[0], options))
            else:
                status = _locate(options)
            sys.stdout.flush()  # a full disk or a closed pipe found here, not at exit
            return status
        options = _open_parser().parse_args(args)
        return _open(options)
    except CommandError as error:
        print(f"{PROG}: {visible(error)}", file=sys.stderr)
        return error.status
    except PathError as error:
        print(f"{PROG}: {visible(error)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        # Ctrl+C: one line, no traceback (commands that can carry on say how themselves)
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of our output went away (`reader list | head`)
        _drop_stdout(stdout)
        return EXIT_FAILURE
    except OutputError as error:
        # `reader export > /dev/full`: say so once, and drop what is left for stdout
        _drop_stdout(stdout)
        print(f"{PROG}: cannot write to standard output: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except OSError as error:
        # a folder of reader's that cannot be made or written, a lock that cannot be
        # taken: one line, never a traceback
        print(f"{PROG}: {visible(os_error_line(error))}", file=sys.stderr)
        return EXIT_FAILURE
    finally:
        if isinstance(sys.stdout, _Output):
            sys.stdout = stdout


class OutputError(Exception):
    """Standard output cannot be written (a full disk, an I/O error): the reason, in words."""


class _Output:
    """Standard output for a command: a write that fails is an OutputError, not a traceback."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(error.strerror or str(error)) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputError(error.strerror or str(error)) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def os_error_line(error: OSError) -> str:
    """An OSError that reached the top, in words: which file or folder, and why."""
    reason = error.strerror or str(error)
    if error.filename is None:
        return reason
    name = Path(os.fsdecode(error.filename))
    try:
        folders = Paths.from_environment().folders()
    except PathError:
        folders = ()
    for label, folder in folders:
        if name == folder or folder in name.parents:
            problem = folder_problem(folder)
            if problem:
                verb = "use" if folder.is_dir() else "make"
                return f"cannot {verb} the {label} folder {folder}: {problem}{_nothing_saved(error)}"
            return f"cannot use the {label} folder {folder}: {name}: {reason}{_nothing_saved(error)}"
    return f"{name}: {reason}{_nothing_saved(error)}"


def _nothing_saved(error: OSError) -> str:
    from reader.storage.locking import LockError

    return "; nothing was saved" if isinstance(error, LockError) else ""


def _drop_stdout(stdout: Any) -> None:
    """Send what is left for standard output nowhere, so exiting does not fail again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
    except (OSError, ValueError):  # not a real file (a test's capture): nothing to drop
        pass


def _command_module(command: str) -> Any:
    return importlib.import_module(COMMAND_MODULES[command])


def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {value!r}")
    return number


def config_of(paths: Paths) -> Config:
    try:
        return load_config(paths.config_file)
    except ConfigError as error:
        raise CommandError(str(error), EXIT_USAGE) from None


def library_paths(given: list[Path], config: Config) -> list[Path]:
    """The paths to open: those given (which must exist), else the config's and the articles
    folder (once it holds an article), else the seeds."""
    for path in given:
        if not os.path.lexists(path):
            raise CommandError(f"no such file or folder: {path}", EXIT_USAGE)
    if given:
        return given
    articles = _articles_folder(config)
    if config.library:
        found = list(config.library)
        if articles is not None and not any(articles == p or p in articles.parents for p in found):
            found.append(articles)
        return found
    return [articles] if articles is not None else [seeds_dir()]


def _articles_folder(config: Config) -> Path | None:
    """The articles folder (``reader add``) when it holds an article: always part of the library."""
    folder = config.articles if config.articles is not None else Paths.from_environment().articles_dir
    try:
        with os.scandir(folder) as entries:
            return folder if any(not entry.name.startswith(".") for entry in entries) else None
    except OSError:
        return None


def _scan(paths: list[Path]) -> ScanResult:
    if not sys.stderr.isatty():
        return scan(paths)
    from rich.console import Console
    from rich.progress import Progress

    # on stderr, like the skipped files: stdout may be a pipe or a file (`reader list --json > all.json`)
    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("Reading documents", total=None)
        return scan(paths, progress=lambda done, total: bar.update(task, completed=done, total=total))


def _list(options: argparse.Namespace) -> int:
    paths = Paths.from_environment()
    targets = library_paths(options.paths, config_of(paths))
    result = _scan(targets)
    explicit_files = {p for p in options.paths if not p.is_dir()}
    failed = [s for s in result.skipped if s.path in explicit_files]
    from reader.cli.organise import organised

    result.documents, metas = organised(result.documents, options, paths)
    if options.json:
        documents = [doc.to_json() | metas[doc.id].to_json() for doc in result.documents]
        sys.stdout.write(visible_json(documents, indent=1) + "\n")
    else:
        _print_table(result)
    for skipped in result.skipped:
        print(f"{PROG}: skipped {visible(skipped.path)}: {visible(skipped.reason)}", file=sys.stderr)
    if result.skipped and not options.json:
        count = len(result.documents)
        print(f"{count} document{'s' if count != 1 else ''}, {len(result.skipped)} skipped", file=sys.stderr)
    return EXIT_FAILURE if failed else 0


def _state(value: str) -> str:
    from reader.cli.organise import state_value

    return state_value(value)


def _print_table(result: ScanResult) -> None:
    width = max(os.get_terminal_size(sys.stdout.fileno()).columns if sys.stdout.isatty() else 100, 60)
    title_width = max(20, width - 12 - 28 - 10)
    if sys.stdout.isatty() and result.documents:  # a header for the eye; a pipe gets the rows alone
        print(f"{'ID':<12}  {'TITLE':<{title_width}}  {'SOURCE':<26}  {'READ':>7}")
    for doc in result.documents:
        title = _fit(doc.title, title_width)
        source = _fit(doc.source, 26) or "—"
        print(f"{doc.id}  {title:<{title_width}}  {source:<26}  {doc.minutes:>3} min")


def _fit(text: str, width: int) -> str:
    text = visible(" ".join(text.split()))
    return text if len(text) <= width else text[: width - 1] + "…"


def _locate(options: argparse.Namespace) -> int:
    paths = Paths.from_environment()
    where = {"config": paths.config_file, "data": paths.data_dir, "index": paths.index_dir}
    if options.what == "articles":
        config = config_of(paths)
        where["articles"] = config.articles if config.articles is not None else paths.articles_dir
    print(where[options.what])
    return 0


def _check_files(given: list[Path]) -> None:
    """A file named on the command line must be readable: say why not, at once."""
    for path in given:
        if path.is_dir():
            continue
        try:
            check_document(path)  # readable, without parsing it (the app parses it, a long one's start first)
        except UnreadableDocument as error:
            raise CommandError(str(error)) from None


def _open(options: argparse.Namespace) -> int:
    paths = Paths.from_environment()
    config = config_of(paths)
    targets = library_paths(options.paths, config)
    _check_files(options.paths)
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        raise CommandError("the reader app needs a terminal (try 'reader list' for plain output)")
    from reader.ui import startup

    startup.hold()  # no garbage collection while the app starts (see reader/ui/startup.py)
    from reader.ui.app import ReaderApp

    # with no paths, the document read last opens where it was left
    app = ReaderApp(library_paths=targets, config=config, paths=paths, reopen_last=not options.paths)
    app.run()
    return app.return_code or 0
