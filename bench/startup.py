"""Start-up: process start to first frame, reader against a bare Textual app.

Each run starts a fresh process in a real terminal (a 100×30 tmux pane) and
polls ``capture-pane`` every ~5 ms until a known text is on screen:

* bare  — a minimal Textual ``App`` (a ``Static`` and a ``Footer``): its text;
* two-pane — a bare Textual app shaped like reader's screen: an ``OptionList``
  listing one title beside a scrolling pane of text, a status line and a
  ``Footer``: its listed title (Textual's own cost of such a screen, so that what
  is over it is reader's);
* reader (first frame) — ``reader`` on the seed library: the library pane
  listing the seed article;
* reader (document) — the same process, until the seed article's first
  paragraph is in the content pane (reader opens a lone document by itself).

Runs are interleaved (bare, two-pane, reader, bare, …) after one warm-up of each,
so all see the same noise. ``--before DIR`` adds an earlier reader (a checkout or
``git archive`` of it, run with this Python and its packages) to the same rounds,
so a change is measured against what it changes in the same run. The ``reader`` package's bytecode is compiled first, as
Python caches it on a user's first start (Textual's was compiled by pip): where
``PYTHONDONTWRITEBYTECODE`` is set, as on the CI machines, an editable install would
otherwise compile reader's modules from source at every start (50–75 ms
more on this machine). Reported: wall median and min over the runs, the
CPU time the program had used when its text was seen, reader / bare and reader /
two-pane, and the machine's load as the runs began and ended.

    python bench/startup.py [--runs 15] [--before DIR] [--source DIR]

e.g. ``git archive HEAD~3 | tar -x -C /tmp/before && python bench/startup.py --before /tmp/before``.

A relaunch on a big library: ``--library PATH ... --home DIR``, where ``reader index
PATH ...`` was run before with ``READER_HOME=DIR``. reader then opens those paths with
that home, and its first frame is the one whose status line counts the documents
(listed from the index; the comparison with the disk goes on after it).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import TmuxPane, cpu_seconds, machine, median, ms, ratio, table  # noqa: E402

BARE_TEXT = "Bare Textual app, first frame"
BARE_APP = f'''
from textual.app import App, ComposeResult
from textual.widgets import Footer, Static


class Bare(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static({BARE_TEXT!r})
        yield Footer()


if __name__ == "__main__":
    Bare().run()
'''
TWO_PANE_TEXT = "A title listed in the left pane"
TWO_PANE_APP = f'''
from textual.app import App, ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, OptionList, Static


class TwoPane(App[None]):
    BINDINGS = [("q", "quit", "Quit"), ("question_mark", "help", "Help"), ("slash", "search", "Search")]
    CSS = """
    #left {{ width: 36%; border-right: vkey $foreground 15%; }}
    #content {{ width: 1fr; }}
    #status {{ height: 1; background: $panel; }}
    """

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield OptionList({TWO_PANE_TEXT!r}, id="left")
            with VerticalScroll(id="content"):
                yield Static("Choose a document from the list.")
        yield Static("1 document", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()


if __name__ == "__main__":
    TwoPane().run()
'''
READER_FIRST_FRAME = "Heavyweight Voice from Hong"  # the list pane (wrapped there)
READER_DOCUMENT = "The 2023 Digital Economy Summit"  # the content pane only


LISTED = re.compile(r"\b[\d,]+ documents?\b")  # the status line once the library is listed


def library_listed(screen: str) -> bool:
    lines = screen.rstrip("\n").split("\n")
    return len(lines) >= 2 and bool(LISTED.search(lines[-2])) and "Reading" not in screen


Mark = str | Callable[[str], bool]


def time_run(command: list[str], marks: list[Mark], home: Path, cwd: Path) -> list[tuple[float, float]]:
    """Start ``command`` in a fresh pane; (wall seconds, CPU seconds) until each mark shows
    (a text on screen, or a test of the screen)."""
    results = []
    with TmuxPane(100, 30) as pane:
        start = time.monotonic()
        pane.start(command, env={"READER_HOME": str(home)}, cwd=cwd)
        pid = pane.pane_pid()
        for mark in marks:
            seen = pane.wait_for(mark) if isinstance(mark, str) else pane.wait_until(mark, "the library listed", 120)
            results.append((seen - start, cpu_seconds(pid)))
    return results


def _from_source(folder: Path, option: str) -> list[str]:
    """The command that runs the reader of a source folder (its bytecode compiled first)."""
    import compileall

    folder = folder.resolve()
    if not (folder / "reader" / "__init__.py").is_file():
        raise SystemExit(f"{option} {folder}: no reader package there")
    compileall.compile_dir(folder / "reader", quiet=1)
    # that source first on the path; the seeds are found from it
    launcher = f"import sys; sys.path.insert(0, {str(folder)!r}); from reader.cli import main; sys.exit(main())"
    return [sys.executable, "-c", launcher]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="measured runs of each app (default 15)")
    parser.add_argument(
        "--before", type=Path, help="an earlier reader's source folder (holding reader/), measured in the same rounds"
    )
    parser.add_argument(
        "--source", type=Path, help="measure this source folder's reader as 'reader' (default: the installed one)"
    )
    parser.add_argument("--library", type=Path, nargs="+", help="open these paths (a relaunch: see --home)")
    parser.add_argument("--home", type=Path, help="the READER_HOME whose index already holds --library")
    options = parser.parse_args()
    if (options.library is None) != (options.home is None):
        parser.error("--library and --home go together")

    reader = Path(sys.executable).parent / "reader"
    if not reader.exists():
        raise SystemExit(f"no reader program at {reader}: pip install -e . first")

    import compileall

    import reader as package

    compileall.compile_dir(Path(package.__file__).parent, quiet=1)

    with tempfile.TemporaryDirectory(prefix="reader-bench-") as tmp:
        tmp_path = Path(tmp)
        bare_script = tmp_path / "bare_app.py"
        bare_script.write_text(BARE_APP)
        two_pane_script = tmp_path / "two_pane_app.py"
        two_pane_script.write_text(TWO_PANE_APP)
        home = tmp_path / "home"
        home.mkdir()
        marks: list[Mark] = [READER_FIRST_FRAME, READER_DOCUMENT]
        paths: list[str] = []
        if options.library is not None:
            home = options.home.resolve()
            marks = [library_listed]
            paths = [str(path.resolve()) for path in options.library]
        subjects: dict[str, tuple[list[str], list[Mark]]] = {
            "bare": ([sys.executable, str(bare_script)], [BARE_TEXT]),
            "two-pane": ([sys.executable, str(two_pane_script)], [TWO_PANE_TEXT]),
            "reader": ([str(reader), *paths], marks),
        }
        if options.source is not None:
            subjects["reader"] = ([*_from_source(options.source, "--source"), *paths], marks)
        if options.before is not None:
            subjects["before"] = ([*_from_source(options.before, "--before"), *paths], marks)
        samples: dict[str, list[list[tuple[float, float]]]] = {name: [] for name in subjects}
        before_runs = machine()  # the load as the runs begin (and, printed below, as they end)
        for run in range(options.runs + 1):  # run 0 is the warm-up
            for name, (command, marks) in subjects.items():
                result = time_run(command, marks, home, tmp_path)
                if run:
                    samples[name].append(result)
            print(f"\rrun {run}/{options.runs}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)

    def column(name: str, mark: int, cpu: bool = False) -> list[float]:
        return [sample[mark][1 if cpu else 0] for sample in samples[name]]

    bare_wall = median(column("bare", 0))
    two_pane_wall = median(column("two-pane", 0))
    lines = [
        ("bare Textual app (Static + Footer)", "bare", 0),
        ("bare two-pane app (OptionList + text + Footer)", "two-pane", 0),
    ]
    if options.library is not None:
        if options.before is not None:
            lines += [("reader before: relaunch, library listed", "before", 0)]
        lines += [("reader: relaunch, library listed", "reader", 0)]
    else:
        if options.before is not None:
            lines += [("reader before: first frame", "before", 0), ("reader before: seed article shown", "before", 1)]
        lines += [("reader: first frame (library listed)", "reader", 0), ("reader: seed article shown", "reader", 1)]
    rows = []
    for label, name, mark in lines:
        wall = column(name, mark)
        cpu = median(column(name, mark, cpu=True))
        rows.append(
            [
                label,
                ms(median(wall)),
                ms(min(wall)),
                ms(cpu),
                ratio(median(wall), bare_wall),
                ratio(median(wall), two_pane_wall),
            ]
        )
    print(f"Start-up in a 100×30 tmux pane, {options.runs} runs each, interleaved")
    print(f"as the runs began: {before_runs}")
    print(f"as they ended:     {machine()}")
    print()
    print(table(["what", "wall median", "wall min", "CPU median", "÷ bare", "÷ two-pane"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
