"""Search results into the list pane: the work each keystroke of a search does there.

A search as you type hands the list pane up to 200 results (the first 30 with a
snippet) on every keystroke. ``DocumentList.set_results`` needs each result's
height before it can draw; this measures it in a real app (Pilot, 40-column list
pane), against the baseline of rendering every result to count its lines (what
the list did first, and what ``OptionList`` does for every option), interleaved,
median of ``--runs`` rounds of 20 calls each.

    python bench/results_list.py [--runs 15]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import machine, median, ms, ratio, table  # noqa: E402

from reader.core.search.highlight import Snippet  # noqa: E402
from reader.core.search.searcher import SearchHit  # noqa: E402

RESULTS, SNIPPETS, CALLS = 200, 30, 20


def hits() -> list[SearchHit]:
    snippet = "the digital economy summit drew about four thousand registrations from dozens of places"
    return [
        SearchHit(
            f"d{n:03d}",
            Path(f"/library/{n:03d}.txt"),
            f"A result title, number {n}",
            "The Gazette",
            1.0,
            Snippet(snippet if n < SNIPPETS else "", ((4, 11),)),
            3,
        )
        for n in range(RESULTS)
    ]


async def measure(runs: int) -> tuple[list[float], list[float]]:
    from textual.app import App, ComposeResult

    from reader.resources import styles_dir
    from reader.ui.widgets.document_list import DocumentList, _result_prompt

    class ListApp(App[None]):
        CSS_PATH = str(styles_dir() / "reader.tcss")

        def compose(self) -> ComposeResult:
            yield DocumentList(id="list")

    results = hits()
    subject: list[float] = []
    baseline: list[float] = []
    app = ListApp()
    async with app.run_test(size=(40, 30)) as pilot:
        await pilot.pause()
        doc_list = app.query_one(DocumentList)
        console = app.console
        options = console.options.update_width(doc_list.scrollable_content_region.width - 2)
        for _ in range(runs):
            began = time.perf_counter()
            for _ in range(CALLS):
                [len(console.render_lines(_result_prompt(hit, options.max_width), options, pad=False)) for hit in results]
            baseline.append((time.perf_counter() - began) / CALLS)
            began = time.perf_counter()
            for _ in range(CALLS):
                doc_list.set_results(results)
            subject.append((time.perf_counter() - began) / CALLS)
    return subject, baseline


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    subject, baseline = asyncio.run(measure(options.runs))
    print(f"# Results into the list pane ({machine()})\n")
    print(f"{RESULTS} results, {SNIPPETS} with a snippet, a 40-column pane; median of {options.runs} rounds\n")
    print(
        table(
            ["what", "median a keystroke", "÷ baseline"],
            [
                ["baseline: render every result to count its lines", ms(median(baseline)), "1.00×"],
                ["`DocumentList.set_results`", ms(median(subject)), ratio(median(subject), median(baseline))],
            ],
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
