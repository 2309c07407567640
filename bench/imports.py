"""``reader import``: a generated Pocket CSV of 15,000 entries, parsed and queued.

The CSV is made here (Pocket's columns: title, url, time_added, tags, status; a
third of the rows tagged, a fifth archived, a few rows repeated). Each run imports it
into a fresh articles folder, in this process, and reports the median of ``--runs``:

- parse: the file's bytes to ``ParsedExport`` (format told by content, rows checked);
- plan: the duplicates looked up against the library and the queue;
- queue: the pending queue written (``pending.yaml``) and what waits for each link
  (``imported.jsonl``);
- again: the same file imported a second time (everything known: nothing written);
- peak memory of parse, plan and queue (tracemalloc, Python allocations; a run of its own).

    python bench/imports.py [--entries 15000] [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import median  # noqa: E402
from reader.core.imports.detect import parse_export  # noqa: E402
from reader.storage.articles import ArticlesFolder  # noqa: E402
from reader.storage.importing import apply, plan  # noqa: E402
from reader.storage.store import Store  # noqa: E402

_WORDS = "bridge harbour council budget river vote spring engineers report city sea lights".split()


def pocket_csv(entries: int) -> bytes:
    rng = random.Random(12)
    lines = ["title,url,time_added,tags,status"]
    for n in range(entries):
        words = " ".join(rng.choice(_WORDS) for _ in range(6))
        title = f'"{words.title()}, part {n}"'
        url = f"https://site{n % 400}.example/{n // 400}/{words.replace(' ', '-')}?utm_source=pocket"
        tags = "|".join(rng.sample(_WORDS, 2)) if n % 3 == 0 else ""
        status = "archive" if n % 5 == 0 else "unread"
        lines.append(f"{title},{url},{1_600_000_000 + n * 60},{tags},{status}")
        if n % 1000 == 999:
            lines.append(lines[-1])  # a row twice, as exports have
    return ("\n".join(lines) + "\n").encode("utf-8")


def one_run(data: bytes, source: Path, memory: bool = False) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="reader-bench-import-") as home:
        folder = ArticlesFolder(Path(home) / "articles")
        store = Store(Path(home) / "data")
        times: dict[str, float] = {}
        if memory:
            tracemalloc.start()
        start = time.perf_counter()
        parsed = parse_export(source, data, str(source))
        times["parse"] = time.perf_counter() - start
        start = time.perf_counter()
        work = plan(parsed, ArticlesFolder(folder.root))
        times["plan"] = time.perf_counter() - start
        start = time.perf_counter()
        done = apply(work, folder, store)
        times["queue"] = time.perf_counter() - start
        if memory:
            times["peak_mb"] = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
        assert done.queued == len(work.to_queue), (done.queued, len(work.to_queue))
        times["queued"] = done.queued
        start = time.perf_counter()
        again = plan(parse_export(source, data, str(source)), ArticlesFolder(folder.root))
        assert not again.to_queue and not again.to_save
        times["again"] = time.perf_counter() - start
        return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=15_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    data = pocket_csv(options.entries)
    source = Path("pocket.csv")
    runs = [one_run(data, source) for _ in range(options.runs)]
    peak = one_run(data, source, memory=True)["peak_mb"]  # a run of its own: tracemalloc slows the rest
    print(f"Pocket CSV: {options.entries:,} entries, {len(data) / 1e6:.1f} MB; {int(runs[0]['queued']):,} queued")
    for key, label in (("parse", "parse"), ("plan", "duplicates"), ("queue", "queue written"), ("again", "imported again")):
        print(f"  {label:<16} {median([r[key] for r in runs]) * 1000:8.0f} ms")
    print(f"  {'peak memory':<16} {peak:8.1f} MB (Python allocations)")


if __name__ == "__main__":
    main()
