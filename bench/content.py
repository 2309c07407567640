"""The content pane with a 5 MB document, against the small seed article.

Builds a ~5 MB plain-text document from real prose (the books in
``../shared/corpus/en-books``, concatenated in name order and cut at a
paragraph break; the seed article repeated where the corpus is absent), then
for each document, in a fresh process, drives ``ReaderApp([file])`` headless
with ``App.run_test(size=(120, 40))`` and times:

1. open     — app start until the document is laid out and shown
              (``DocumentView.document`` set, ``row_count`` > 0, one ``pilot.pause()``);
              for a long text, ``first`` is its start on screen and ``open`` the whole;
2. sections — ten ``]`` presses from the top (the content pane focused), per press;
3. end      — ``End`` (scroll to the last row) until the view is at its end, repainted;
4. resize   — the terminal from 120 to 100 columns, which re-wraps every block.

Runs alternate seed / 5 MB so both see the same noise; every figure is a median
over ``--runs`` fresh processes, and the table shows the 5 MB / seed ratio.
``TEXTUAL_ANIMATIONS=none`` makes ``End`` jump rather than glide, so the time is
the app's work, not an animation's length.

    python bench/content.py [--runs 5] [--size-mb 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CORPUS, SEEDS, clean_environment, machine, median, ms, ratio, table  # noqa: E402

JUMPS = 10
MB = 1024 * 1024


def make_document(target: Path, size: int) -> str:
    """Write about ``size`` bytes of prose to ``target``; return where it came from."""
    books = sorted((CORPUS / "en-books").glob("*.txt"))
    if books:
        sources, origin = books, f"{CORPUS / 'en-books'} ({len(books)} books, in name order)"
    else:
        sources, origin = sorted(SEEDS.glob("*.txt")), "the seed article, repeated (corpus not found)"
    parts: list[str] = []
    total = 0
    while total < size:
        for source in sources:
            text = source.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n").strip() + "\n\n"
            parts.append(text)
            total += len(text.encode("utf-8"))
            if total >= size:
                break
    data = "".join(parts).encode("utf-8")[:size].decode("utf-8", errors="ignore")
    cut = data.rfind("\n\n")
    target.write_text(data[: cut if cut > 0 else len(data)] + "\n", encoding="utf-8")
    return origin


async def measure(path: Path) -> dict[str, float | int]:
    """One run, in this process: the figures for one document.

    Keys are posted as events and the app is then let to settle with
    ``pilot.pause(0)`` (all pending messages handled, then a repaint of what
    changed), polling until the expected change is seen. ``pilot.press()``
    would add its own idle wait (tens of ms per key) to every figure.
    """
    from textual import events
    from textual.geometry import Size

    from reader.core.formats import read_document
    from reader.ui.app import ReaderApp
    from reader.ui.widgets.document_view import DocumentView

    figures: dict[str, float | int] = {}
    start = time.perf_counter()
    app = ReaderApp([path])
    async with app.run_test(size=(120, 40)) as pilot:

        async def settle(done: Callable[[], bool], what: str, poll: float = 0) -> None:
            """Let the app run until ``done()``; ``poll`` > 0 sleeps between looks instead of
            forcing a repaint each time (which would hold the GIL from a worker thread)."""
            deadline = time.perf_counter() + 120
            while not done():
                if time.perf_counter() > deadline:
                    raise TimeoutError(f"{path}: no {what} within 120 s")
                if poll:
                    await asyncio.sleep(poll)
                else:
                    await pilot.pause(0)
            await pilot.pause(0)  # the repaint that shows it

        def key(name: str) -> None:
            app.post_message(events.Key(name, None))

        view: DocumentView | None = None

        def shown() -> bool:
            nonlocal view
            views = app.screen.query(DocumentView)
            view = views.first() if views else None
            return view is not None and view.document is not None and view.row_count > 0

        await settle(shown, "document", poll=0.01)  # the document is parsed in a worker thread
        figures["first"] = time.perf_counter() - start  # a long text's start comes first
        await settle(lambda: view is not None and not view.partial, "whole document", poll=0.01)
        figures["open"] = time.perf_counter() - start
        assert view is not None and view.document is not None
        figures["rows_120"] = view.row_count
        figures["sections"] = len(view.document.sections)
        figures["chars"] = len(view.document.text)

        await pilot.press("tab")  # to the content pane
        assert app.focused is view, app.focused
        jumps = []
        for _ in range(JUMPS):
            before = view.scroll_y
            started = time.perf_counter()
            key("right_square_bracket")
            await settle(lambda: view.scroll_y != before, "jump to the next section")  # noqa: B023
            jumps.append(time.perf_counter() - started)
        figures["jump"] = median(jumps)
        figures["jump_max"] = max(jumps)

        started = time.perf_counter()
        key("end")
        await settle(lambda: view.scroll_y >= view.max_scroll_y, "scroll to the end")
        figures["end"] = time.perf_counter() - started
        assert view.max_scroll_y > 0

        rows_before = view.row_count
        started = time.perf_counter()
        size = Size(100, 40)
        app._driver._size = size  # what Pilot.resize_terminal does for the headless driver
        app.post_message(events.Resize(size, size))
        await settle(lambda: view.row_count != rows_before, "re-wrap")
        figures["resize"] = time.perf_counter() - started
        figures["rows_100"] = view.row_count

    started = time.perf_counter()
    read_document(path)
    figures["parse"] = time.perf_counter() - started
    return figures


def child(path: Path) -> int:
    print(json.dumps(asyncio.run(measure(path))))
    return 0


def run_child(path: Path, home: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        env=clean_environment(READER_HOME=str(home), TEXTUAL_ANIMATIONS="none"),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"the measuring process failed for {path}:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per document (default 5)")
    parser.add_argument("--size-mb", type=float, default=5, help="size of the big document in MB (default 5)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        return child(options.child)

    seed = sorted(SEEDS.glob("*.txt"))[0]
    with tempfile.TemporaryDirectory(prefix="reader-bench-") as tmp:
        tmp_path = Path(tmp)
        big = tmp_path / "five-megabytes.txt"
        origin = make_document(big, int(options.size_mb * MB))
        documents = {"seed": seed, "big": big}
        samples: dict[str, list[dict[str, float]]] = {name: [] for name in documents}
        for run in range(options.runs):
            for name, path in documents.items():
                # a fresh READER_HOME each time: a document opened before would open
                # where the last run left it (reading positions are remembered)
                home = tmp_path / f"home-{name}-{run}"
                home.mkdir()
                samples[name].append(run_child(path, home))
            print(f"\rrun {run + 1}/{options.runs}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        sizes = {name: path.stat().st_size for name, path in documents.items()}

    def med(name: str, key: str) -> float:
        return median([sample[key] for sample in samples[name]])

    def count(name: str, key: str) -> str:
        return f"{int(med(name, key)):,}"

    print(f"Content pane, headless run_test(size=(120, 40)), median of {options.runs} fresh processes ({machine()})")
    print(f"big document: {sizes['big'] / MB:.2f} MB from {origin}")
    print()
    rows = []
    for key, label in (
        ("first", "first screen (start → its first blocks shown)"),
        ("open", "open (start → whole document shown)"),
        ("parse", "…of which parsing it once (read_document)"),
        ("jump", f"next section `]` (median of {JUMPS} presses)"),
        ("jump_max", f"next section `]` (slowest of {JUMPS})"),
        ("end", "scroll to the end (`End`)"),
        ("resize", "resize 120 → 100 columns (re-wrap)"),
    ):
        rows.append([label, ms(med("seed", key)), ms(med("big", key)), ratio(med("big", key), med("seed", key))])
    headers = ["what", f"seed ({sizes['seed'] / 1024:.0f} KB)", f"big ({sizes['big'] / MB:.1f} MB)", "big ÷ seed"]
    print(table(headers, rows))
    print()
    rows = [
        [label, count("seed", key), count("big", key)]
        for key, label in (
            ("chars", "characters"),
            ("sections", "sections"),
            ("rows_120", "rows at 120 columns"),
            ("rows_100", "rows at 100 columns"),
        )
    ]
    print(table(["document", "seed", "big"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
