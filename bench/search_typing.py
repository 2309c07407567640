"""Library search in the app as you type: keystroke → results drawn, and "did you mean".

The app runs headless (Textual's Pilot, in this process) on the corpus, with an
index built before (``--home``: a READER_HOME whose index holds the corpus; without
it, ``reader index`` builds one into a temporary folder first, minutes). The app
notes when it drew a search's answer (``reader.ui.trace.mark``, called after the
screen refreshed); this script notes when it sent the key.

1. keystrokes — the queries of ``queries.tsv`` (and five more) typed letter by
   letter, each key sent once the previous one's answer is drawn: key → answer
   drawn, median and 95th percentile, by characters typed so far. Baseline, in the
   same run and interleaved: the same search made directly on a ``Searcher`` (the
   app's limit and snippets, no app), so the ratio is what the app adds.
2. bursts — each query typed at once (every key sent without waiting): last key
   → the final query's answer drawn. A search in flight is superseded, never
   queued: this stays near one keystroke's time, not the sum of them all (shown
   beside it).
3. misspelled — words in no document typed at once: key → "No results · did you
   mean" drawn. Baseline: Whoosh's own corrector (what the app used before) for
   the same word, once (seconds each; ``--no-corrector`` leaves it out).

    python bench/search_typing.py [--home DIR] [--no-corrector]

Needs the corpus (``../shared/corpus`` or ``READER_CORPUS``).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CORPUS, ROOT, machine, median, ms, ratio, table  # noqa: E402

EXTRA_QUERIES = ["memory barriers", "election campaign", "package manager", "unicode strings", "数字经济"]
MISSPELLED = ["goverment", "parliment", "accomodation", "begining", "beleive", "neccessary", "foriegn", "knowlege"]
TARGET_KEYSTROKE = 0.050
TARGET_SUGGESTION = 0.100
HANG = 120.0  # seconds a single answer may take before the script gives up


def p95(values: list[float]) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def queries() -> list[str]:
    with (CORPUS / "queries.tsv").open(encoding="utf-8") as file:
        return [row["query"] for row in csv.DictReader(file, delimiter="\t")] + EXTRA_QUERIES


def bucket(length: int) -> str:
    return str(length) if length < 5 else "5+"


BUCKETS = ["1", "2", "3", "4", "5+"]


class Drawn:
    """When the app drew each search's answer (``trace.mark("search-drawn", text)``)."""

    def __init__(self) -> None:
        self.at: dict[str, float] = {}

    def mark(self, event: str, detail: str = "") -> None:
        if event == "search-drawn":
            self.at[detail] = time.perf_counter()


async def wait_for(pilot, condition, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + HANG
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"no answer in {HANG:.0f} s: {what}")
        await pilot.pause(0.001)


async def drive(home: Path, corrector: bool) -> None:
    os.environ["READER_HOME"] = str(home)
    from reader.core.search.searcher import Searcher
    from reader.ui import trace
    from reader.ui.app import ReaderApp
    from reader.ui.screens import main as main_screen
    from reader.ui.widgets.search_bar import SearchBar
    from reader.ui.widgets.status_line import StatusLine

    drawn = Drawn()
    trace.mark = drawn.mark  # the screen calls trace.mark after it drew an answer
    app = ReaderApp([CORPUS])
    started = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await wait_for(
            pilot,
            lambda: screen.search_index is not None and not screen.indexing and not screen.library_loading,
            "the library listed and the index up to date",
        )
        print(f"app ready (library listed, index checked) in {time.perf_counter() - started:.1f} s\n")
        bar = screen.query_one(SearchBar)
        status = screen.query_one(StatusLine)
        direct = Searcher(screen.search_index)
        limit, snippets = main_screen._RESULTS, main_screen._SNIPPETS

        # 1. keystrokes, one at a time
        app_times: dict[str, list[float]] = {b: [] for b in BUCKETS}
        core_times: dict[str, list[float]] = {b: [] for b in BUCKETS}
        for query in queries():
            query = query.lower()  # (Pilot presses "B" as a key, not as a letter; search ignores case)
            await pilot.press("slash")
            for end in range(1, len(query) + 1):
                prefix = query[:end]
                if prefix[-1].isspace():
                    await pilot.press("space")
                    continue
                drawn.at.pop(prefix, None)
                sent = time.perf_counter()
                if prefix[-1].isascii() and prefix[-1].isalnum():
                    await pilot.press(prefix[-1])
                else:  # a key Pilot has no name for (CJK, punctuation): put into the bar as typed
                    bar.value = prefix
                    bar.cursor_position = len(prefix)
                await wait_for(pilot, lambda p=prefix: p in drawn.at, f"search {prefix!r}")
                app_times[bucket(end)].append(drawn.at[prefix] - sent)
                begun = time.perf_counter()
                direct.search(prefix, limit=limit, typing=True, snippets=snippets, within=[CORPUS])
                core_times[bucket(end)].append(time.perf_counter() - begun)
            await pilot.press("escape")
        rows = []
        for b in BUCKETS + ["all"]:
            mine = [v for k in BUCKETS for v in app_times[k]] if b == "all" else app_times[b]
            core = [v for k in BUCKETS for v in core_times[k]] if b == "all" else core_times[b]
            rows.append(
                [b, str(len(mine)), ms(median(mine)), ms(p95(mine)), ms(median(core)), ms(p95(core)),
                 ratio(median(mine), median(core))]
            )
        print(f"## Keystroke → answer drawn (target p95 ≤ {TARGET_KEYSTROKE * 1000:.0f} ms)\n")
        print(table(["typed", "n", "app median", "app p95", "search alone median", "search alone p95",
                     "app ÷ search alone"], rows))

        # 2. bursts
        last_key: list[float] = []
        summed: list[float] = []
        for query in queries():
            if not query.isascii():
                continue
            await pilot.press("slash")
            drawn.at.clear()
            keys = ["space" if c == " " else c for c in query.lower() if c.isalnum() or c == " "]
            typed = "".join(" " if k == "space" else k for k in keys)
            await pilot.press(*keys[:-1])
            sent = time.perf_counter()
            await pilot.press(keys[-1])
            await wait_for(pilot, lambda t=typed: t in drawn.at, f"burst {typed!r}")
            last_key.append(drawn.at[typed] - sent)
            total = 0.0
            for end in range(1, len(typed) + 1):
                if not typed[end - 1].isspace():
                    begun = time.perf_counter()
                    direct.search(typed[:end], limit=limit, typing=True, snippets=snippets, within=[CORPUS])
                    total += time.perf_counter() - begun
            summed.append(total)
            await pilot.press("escape")
        print("\n## A query typed at once: last key → its answer drawn\n")
        print(table(
            ["queries", "median", "p95", "every keystroke searched in turn (a queue), median"],
            [[str(len(last_key)), ms(median(last_key)), ms(p95(last_key)), ms(median(summed))]],
        ))

        # 3. misspelled words
        rows = []
        for word in MISSPELLED:
            await pilot.press("slash")
            drawn.at.clear()
            sent = time.perf_counter()
            bar.value = word
            await wait_for(pilot, lambda w=word: w in drawn.at, f"misspelled {word!r}")
            took = drawn.at[word] - sent
            shown = " ".join(status.render().plain.split())
            old = "–"
            if corrector:
                begun = time.perf_counter()
                found = direct._searcher.corrector("body").suggest(word, limit=1, maxdist=2)
                old = f"{ms(time.perf_counter() - begun)} ({found[0] if found else 'none'})"
            rows.append([word, ms(took), shown, old])
            await pilot.press("escape")
        print(f"\n## A misspelled word → its answer drawn (target ≤ {TARGET_SUGGESTION * 1000:.0f} ms)\n")
        print(table(["word", "app", "status line", "Whoosh's corrector alone (before)"], rows))
        direct.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, help="a READER_HOME whose index holds the corpus")
    parser.add_argument("--no-corrector", action="store_true", help="leave out Whoosh's corrector (the baseline)")
    options = parser.parse_args()
    if not (CORPUS / "queries.tsv").exists():
        raise SystemExit(f"the corpus is not at {CORPUS}")
    print(f"# Typing in the app\n\n{machine()}; corpus {CORPUS}\n")
    work = None
    home = options.home
    if home is None:
        work = Path(tempfile.mkdtemp(prefix="reader-typing-bench-"))
        home = work / "home"
        begun = time.perf_counter()
        reader = Path(sys.executable).with_name("reader")
        subprocess.run(
            [str(reader), "index", str(CORPUS)], env={**os.environ, "READER_HOME": str(home)},
            check=True, stdout=subprocess.DEVNULL, cwd=ROOT,
        )
        print(f"indexed the corpus in {time.perf_counter() - begun:.0f} s\n")
    try:
        asyncio.run(drive(home, not options.no_corrector))
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
