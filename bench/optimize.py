"""Merging the index's segments in the background: how long, and what it buys while typing.

1. An index of the corpus as ``reader index`` leaves it (built here into a private
   ``READER_HOME`` with ``READER_NO_OPTIMIZE=1``, or ``--index DIR``), copied twice:
   *unmerged* and *merged*.
2. ``python -m reader.core.search.optimize`` on the *merged* copy, as ``reader index``
   starts it (a process of its own, nice 19): wall time, CPU time, segments and size
   before and after. Meanwhile a searcher opened before the merge keeps searching
   (a finished query, then a typed prefix, in turn): how many searches answered during
   the merge, their median and maximum, and whether any failed.
3. The same results: every query of ``queries.tsv`` gives the same top 20 on both copies.
4. Typing (the queries of bench/search.py, letter by letter, ``typing=True``), on the
   *unmerged* copy (the baseline) and the *merged* one, interleaved keystroke by
   keystroke, a new searcher each round: median and p95 by characters typed, and the
   ratio merged ÷ unmerged.

    python bench/optimize.py [--rounds 3] [--index DIR]

Needs the corpus (``../shared/corpus`` or ``READER_CORPUS``).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CORPUS, ROOT, machine, median, ms, ratio, table  # noqa: E402
from search import BUCKETS, EXTRA_QUERIES, bucket, p95, queries  # noqa: E402


def segments(folder: Path) -> tuple[int, int]:
    """Segments listed in the index's table of contents, and their bytes."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    from reader.core.search.optimize import segment_sizes

    storage = FileStorage(str(folder))
    listed = TOC.read(storage, "reader").segments
    return len(listed), sum(segment_sizes(storage, listed).values())


def build(home: Path) -> Path:
    env = {**os.environ, "READER_HOME": str(home), "READER_NO_OPTIMIZE": "1"}
    begun = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "reader"), "index", str(CORPUS)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"`reader index` of the corpus: {time.perf_counter() - begun:.1f} s\n")
    return home / "cache" / "index"


class Searching(threading.Thread):
    """Searches with a searcher opened before the merge, until told to stop."""

    def __init__(self, index) -> None:  # type: ignore[no-untyped-def]
        super().__init__(daemon=True)
        from reader.core.search.searcher import Searcher

        self.searcher = Searcher(index)
        self.done = threading.Event()
        self.times: list[float] = []
        self.failures: list[str] = []

    def run(self) -> None:
        texts = [row["query"] for row in queries()]
        number = 0
        try:
            while not self.done.is_set():
                text = texts[number % len(texts)]
                typing = number % 2 == 1
                begun = time.perf_counter()
                results = self.searcher.search(text[: max(3, len(text) // 2)] if typing else text, typing=typing)
                self.times.append(time.perf_counter() - begun)
                if results.message and not results.hits:
                    self.failures.append(results.message)
                number += 1
                self.done.wait(0.05)
        finally:
            self.searcher.close()


def merge(folder: Path) -> list[list[str]]:
    from reader.core.search.index import SearchIndex

    before, size_before = segments(folder)
    index = SearchIndex(folder)
    searching = Searching(index)
    searching.start()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    begun = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "reader.core.search.optimize", str(folder)], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - begun
    after_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    searching.done.set()
    searching.join()
    cpu = (after_usage.ru_utime - usage.ru_utime) + (after_usage.ru_stime - usage.ru_stime)
    after, size_after = segments(folder)
    print(f"optimise said: {done.stdout.strip() or done.stderr.strip()}\n")
    return [
        ["merge (wall, nice 19)", f"{wall:.1f} s", f"CPU {cpu:.1f} s, peak memory {after_usage.ru_maxrss / 1024:.0f} MB"],
        ["segments before → after", f"{before} → {after}", ""],
        ["segments' size before → after", f"{size_before / 2**20:.0f} MB → {size_after / 2**20:.0f} MB", ""],
        [
            "searches answered during the merge",
            str(len(searching.times)),
            f"median {ms(median(searching.times))}, max {ms(max(searching.times or [float('nan')]))}, "
            f"failed {len(searching.failures)}",
        ],
    ]


def same_results(unmerged, merged) -> str:  # type: ignore[no-untyped-def]
    from reader.core.search.searcher import Searcher

    texts = [row["query"] for row in queries()] + EXTRA_QUERIES
    a, b = Searcher(unmerged), Searcher(merged)
    try:
        differ = []
        for text in texts:
            for typing in (False, True):
                left = [hit.id for hit in a.search(text, limit=20, typing=typing).hits]
                right = [hit.id for hit in b.search(text, limit=20, typing=typing).hits]
                if left != right:
                    differ.append(f"{text!r} ({'typing' if typing else 'finished'})")
    finally:
        a.close()
        b.close()
    total = len(texts) * 2
    return f"same top 20 on both copies: {total - len(differ)}/{total}" + (f"; differ: {', '.join(differ)}" if differ else "")


def typing(unmerged, merged, rounds: int) -> str:  # type: ignore[no-untyped-def]
    from reader.core.search.searcher import Searcher

    typed = [row["query"] for row in queries()] + EXTRA_QUERIES
    times: dict[str, dict[str, list[float]]] = {name: {b: [] for b in BUCKETS} for name in ("unmerged", "merged")}
    keystrokes = 0
    for round_ in range(rounds):
        searchers = {"unmerged": Searcher(unmerged), "merged": Searcher(merged)}
        try:
            for query in typed:
                for end in range(1, len(query) + 1):
                    prefix = query[:end]
                    if prefix[-1].isspace():
                        continue
                    keystrokes += 1
                    order = ("unmerged", "merged") if keystrokes % 2 else ("merged", "unmerged")
                    for name in order:
                        begun = time.perf_counter()
                        searchers[name].search(prefix, limit=20, typing=True, snippets=20)
                        times[name][bucket(end)].append(time.perf_counter() - begun)
        finally:
            for searcher in searchers.values():
                searcher.close()
    def pick(name: str, b: str) -> list[float]:
        return [v for k in BUCKETS for v in times[name][k]] if b == "all" else times[name][b]

    rows = []
    for b in [*BUCKETS, "all"]:
        left, right = pick("unmerged", b), pick("merged", b)
        row = [b, str(len(left)), ms(median(left)), ms(p95(left)), ms(median(right)), ms(p95(right))]
        rows.append([*row, ratio(p95(right), p95(left))])
    headers = ["typed", "n", "unmerged median", "unmerged p95", "merged median", "merged p95", "p95 merged ÷ unmerged"]
    return f"{len(typed)} queries, {rounds} rounds, {keystrokes:,} keystrokes on each copy, interleaved\n\n" + table(
        headers, rows
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--index", type=Path, help="an index built by `reader index` (copied, left as it is)")
    options = parser.parse_args()
    if not (CORPUS / "queries.tsv").exists():
        raise SystemExit(f"the corpus is not at {CORPUS}")
    from reader.core.search.index import SearchIndex

    print(f"# Optimise benchmark\n\n{machine()}; corpus {CORPUS}\n")
    work = Path(tempfile.mkdtemp(prefix="reader-optimize-bench-"))
    try:
        source = options.index or build(work / "home")
        from reader.core.search.stamp import FORMAT_VERSION, read_stamp

        if read_stamp(source / "FORMAT") != FORMAT_VERSION:
            raise SystemExit(f"{source} is not an index of this version of reader ({FORMAT_VERSION})")
        shutil.copytree(source, work / "unmerged", ignore=shutil.ignore_patterns("UPDATE", "*WRITELOCK", "OPTIMIZE"))
        shutil.copytree(work / "unmerged", work / "merged")
        print("## The merge\n")
        print(table(["what", "figure", "notes"], merge(work / "merged")))
        unmerged, merged = SearchIndex(work / "unmerged"), SearchIndex(work / "merged")
        assert not unmerged.notices and not merged.notices, (unmerged.notices, merged.notices)
        print(f"\n{same_results(unmerged, merged)}\n")
        print(f"## Typing, p95 by characters typed ({machine()})\n")
        print(typing(unmerged, merged, options.rounds))
        print(f"\nafter: {machine()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
