"""Search: building the index of the whole corpus, picking up a change, and typing.

1. build    — ``SearchIndex.update`` of the whole corpus (plus one extra file in a
              temporary folder) into an empty temporary index: wall time, documents,
              size on disk (segments and ``documents.sqlite``), segments. Meanwhile a
              second thread waits for the first commit, opens a ``Searcher`` and
              searches until it gets results, then keeps searching (refreshing after
              each commit) while the indexing goes on: when the first results came,
              and how many searches answered before the build ended.
2. change   — the extra file is rewritten; ``update`` over the whole library (which
              walks and stats 16,500 files) and over the file's folder alone, until a
              refreshed searcher finds its new word (median of 5).
3. quality  — every query of ``queries.tsv``: is its expected file in the top 10,
              as a finished query and as typed (the last word still a prefix)?
4. typing   — the queries (30: those of ``queries.tsv`` and five more) typed letter
              by letter through one kept-open ``Searcher.search(prefix, limit=20,
              typing=True, snippets=20)``, a new searcher (cold caches) each round.
              Every keystroke is also answered, interleaved, by two baselines:
              *naive*: a case-insensitive substring scan of every normalized text held
              in memory (every word must occur; top 20 by number of occurrences, with
              a snippet); *tantivy* (if installed): the same texts in a tantivy index,
              completed words as terms, the last word expanded to its 64 most common
              completions, snippets for the top 20. Medians and 95th percentiles per
              prefix length (characters typed so far) and per length of the word
              being typed, and the ratios.

    python bench/search.py [--rounds 3] [--no-tantivy] [--index DIR (reuse a built index)]

Needs the corpus (``../shared/corpus`` or ``READER_CORPUS``). tantivy is optional and
not a dependency of reader: ``.venv/bin/pip install tantivy`` to include it.
"""

from __future__ import annotations

import argparse
import csv
import heapq
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CORPUS, machine, median, ms, ratio, table  # noqa: E402

EXTRA_QUERIES = ["memory barriers", "election campaign", "package manager", "unicode strings", "数字经济"]
TARGET_BUILD = 120.0
TARGET_KEYSTROKE = 0.016
TARGET_CHANGE = 1.0
SNIPPET_SCAN = 10_000  # characters a snippet is looked for in while typing (reader's TYPING_SCAN)


def p95(values: list[float]) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def queries() -> list[dict[str, str]]:
    with (CORPUS / "queries.tsv").open(encoding="utf-8") as file:
        return list(csv.DictReader(file, delimiter="\t"))


# -- 1. build ---------------------------------------------------------------------------


class EarlySearch(threading.Thread):
    """Searches from a second thread while the index is being built."""

    def __init__(self, index, started: float) -> None:  # type: ignore[no-untyped-def]
        super().__init__(daemon=True)
        self.index = index
        self.started = started
        self.first_commit = threading.Event()
        self.done = threading.Event()
        self.first_results: float | None = None
        self.searches: list[float] = []
        self.hits_seen: list[int] = []

    def run(self) -> None:
        from reader.core.search.searcher import Searcher

        self.first_commit.wait()
        searcher = Searcher(self.index)
        try:
            while not self.done.is_set():
                searcher.refresh()
                begun = time.perf_counter()
                results = searcher.search("the government", limit=20, typing=True, snippets=20)
                self.searches.append(time.perf_counter() - begun)
                self.hits_seen.append(results.total)
                if results.hits and self.first_results is None:
                    self.first_results = time.perf_counter() - self.started
                self.done.wait(0.25)
        finally:
            searcher.close()


def build(index_dir: Path, extra: Path) -> tuple[object, list[list[str]]]:
    from reader.core.search.index import SearchIndex

    index = SearchIndex(index_dir)
    started = time.perf_counter()
    early = EarlySearch(index, started)
    commits: list[float] = []

    def committed() -> None:
        commits.append(time.perf_counter() - started)
        early.first_commit.set()

    early.start()
    report = index.update([CORPUS, extra], committed=committed)
    wall = time.perf_counter() - started
    searches_during = len(early.searches)
    early.done.set()
    early.first_commit.set()
    early.join()
    size = folder_size(index_dir)
    store_size = (index_dir / "documents.sqlite").stat().st_size
    segments = len(list(index_dir.glob("*.trm")))  # one term table per segment
    first_results = early.first_results
    rows = [
        ["documents indexed", f"{len(report.added):,} (skipped {len(report.skipped)})", ""],
        ["wall time, from scratch", f"{wall:.1f} s", f"target < {TARGET_BUILD:.0f} s"],
        ["index on disk", f"{size / 2**20:.0f} MB", f"of which documents.sqlite {store_size / 2**20:.0f} MB"],
        ["segments", str(segments), f"{len(commits)} commits"],
        ["first commit", f"{commits[0]:.1f} s" if commits else "–", ""],
        [
            "first results in a second thread",
            f"{first_results:.1f} s" if first_results is not None else "–",
            f"{searches_during} searches answered during the build, "
            f"median {ms(median(early.searches))}, max {ms(max(early.searches or [float('nan')]))}",
        ],
    ]
    return index, rows


# -- 2. one changed file --------------------------------------------------------------------


def change(index, extra: Path, runs: int = 5) -> list[list[str]]:  # type: ignore[no-untyped-def]
    from reader.core.search.searcher import Searcher

    target = extra / "bench-changed.txt"
    whole: list[float] = []
    folder: list[float] = []
    visible: list[float] = []
    searcher = Searcher(index)
    try:
        for run in range(runs * 2):
            word = f"quokka{run}x"
            target.write_text(f"Changed\n\nThis file now mentions {word}.\n", encoding="utf-8")
            stat = target.stat()
            os.utime(target, (stat.st_atime, stat.st_mtime + run + 1))
            begun = time.perf_counter()
            report = index.update([CORPUS, extra] if run % 2 == 0 else [extra])
            elapsed = time.perf_counter() - begun
            assert len(report.updated) == 1, report
            (whole if run % 2 == 0 else folder).append(elapsed)
            begun = time.perf_counter()
            searcher.refresh()
            found = searcher.search(word, limit=5).hits
            visible.append(time.perf_counter() - begun)
            assert found and found[0].path == target
    finally:
        searcher.close()
    return [
        ["update over the whole library (walk + re-index 1 file)", ms(median(whole)), ms(max(whole))],
        ["update over the file's folder only", ms(median(folder)), ms(max(folder))],
        ["searcher.refresh() + search finds the new word", ms(median(visible)), ms(max(visible))],
    ]


# -- 3. quality -----------------------------------------------------------------------------


def quality(index) -> tuple[list[list[str]], list[str]]:  # type: ignore[no-untyped-def]
    from reader.core.search.searcher import Searcher

    searcher = Searcher(index)
    rows = []
    misses = []
    found = {False: 0, True: 0}
    try:
        for row in queries():
            expected = CORPUS / row["expected_file"]
            ranks = []
            for typing in (False, True):
                hits = [hit.path for hit in searcher.search(row["query"], limit=10, typing=typing).hits]
                rank = hits.index(expected) + 1 if expected in hits else None
                ranks.append(str(rank) if rank else "miss")
                if rank:
                    found[typing] += 1
                else:
                    misses.append(f"{row['query']!r} ({'typing' if typing else 'finished'})")
            rows.append([row["query"], *ranks])
    finally:
        searcher.close()
    total = len(rows)
    rows.append(["**in the top 10**", f"**{found[False]}/{total}**", f"**{found[True]}/{total}**"])
    return rows, misses


# -- 4. typing --------------------------------------------------------------------------------


class Naive:
    """Case-insensitive substring scan of every text in memory; top 20 by occurrences."""

    def __init__(self, texts: list[tuple[str, str]]) -> None:
        self.texts = [(doc_id, text.casefold()) for doc_id, text in texts]

    def search(self, prefix: str, limit: int = 20) -> list[tuple[int, str, str]]:
        words = prefix.casefold().split()
        if not words:
            return []
        scored = []
        for doc_id, text in self.texts:
            total = 0
            for word in words:
                count = text.count(word)
                if not count:
                    break
                total += count
            else:
                scored.append((total, doc_id, text))
        top = heapq.nlargest(limit, scored, key=lambda item: item[0])
        out = []
        for count, doc_id, text in top:
            at = text.find(words[0], 0, SNIPPET_SCAN)
            out.append((count, doc_id, text[max(0, at - 40) : at + 120]))
        return out


class Tantivy:
    """The same texts in tantivy (the reference): terms, top-64 completions, snippets.

    Only ids and titles are stored; snippets come from each text's first
    ``SNIPPET_SCAN`` characters held in memory, as reader's do while typing.
    """

    PATTERN = r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]|[^\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\W]+"

    def __init__(self, texts: list[tuple[str, str, str]], folder: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", stored=True, tokenizer_name="reader")
        builder.add_text_field("body", stored=False, tokenizer_name="reader")
        self.schema = builder.build()
        folder.mkdir(parents=True, exist_ok=True)
        self.index = tantivy.Index(self.schema, path=str(folder))
        analyzer = (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.regex(self.PATTERN))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .build()
        )
        self.index.register_tokenizer("reader", analyzer)
        begun = time.perf_counter()
        writer = self.index.writer(heap_size=400_000_000, num_threads=2)
        self.heads = {}
        for doc_id, title, text in texts:
            writer.add_document(tantivy.Document(id=doc_id, title=title, body=text))
            self.heads[doc_id] = text[:SNIPPET_SCAN]
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.build_seconds = time.perf_counter() - begun
        self.searcher = self.index.searcher()
        self.size = folder_size(folder)

    def search(self, prefix: str, limit: int = 20) -> list[tuple[float, str, str]]:
        import re

        tantivy = self.tantivy
        words = prefix.split()
        if not words:
            return []
        typed_last = not prefix[-1].isspace()
        clauses = []
        for number, word in enumerate(words):
            tokens = [t.lower() for t in re.findall(r"[\u2e80-\ufaff]|[^\W\u2e80-\ufaff]+", word)]
            if not tokens:
                continue
            last = number == len(words) - 1 and typed_last
            if last and not re.match(r"[\u2e80-\ufaff]", tokens[-1]):
                head, typed = tokens[:-1], tokens[-1]
                options = []
                for field in ("title", "body"):
                    completions = self.searcher.terms_with_prefix(field, typed, limit=64)
                    options += [
                        (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, field, term))
                        for term, _ in completions
                    ]
                if not options:
                    return []
                clauses.append((tantivy.Occur.Must, tantivy.Query.boolean_query(options)))
                tokens = head
            if tokens:
                per_field = []
                for field in ("title", "body"):
                    query = (
                        tantivy.Query.term_query(self.schema, field, tokens[0])
                        if len(tokens) == 1
                        else tantivy.Query.phrase_query(self.schema, field, tokens)
                    )
                    per_field.append((tantivy.Occur.Should, query))
                clauses.append((tantivy.Occur.Must, tantivy.Query.boolean_query(per_field)))
        if not clauses:
            return []
        query = tantivy.Query.boolean_query(clauses)
        result = self.searcher.search(query, limit)
        snippets = tantivy.SnippetGenerator.create(self.searcher, query, self.schema, "body")
        out = []
        for score, address in result.hits:
            doc_id = self.searcher.doc(address)["id"][0]
            # the snippet from the first characters, as reader does while typing
            head = tantivy.Document(body=self.heads[doc_id])
            out.append((score, doc_id, snippets.snippet_from_doc(head).fragment()))
        return out


def bucket(length: int) -> str:
    return str(length) if length < 5 else "5+"


BUCKETS = ["1", "2", "3", "4", "5+"]


def typing_replay(index, rounds: int, use_tantivy: bool, tantivy_dir: Path) -> list[str]:  # type: ignore[no-untyped-def]
    from reader.core.search.searcher import Searcher

    store = index.store()
    ids = sorted(store.ids())
    infos = {info.id: info for info in store.infos()}
    texts = [(doc_id, store.text(doc_id)) for doc_id in ids]
    store.close()
    naive = Naive(texts)
    engines: dict[str, Callable[[str], object]] = {"naive": naive.search}
    out: list[str] = []
    reference = None
    if use_tantivy:
        try:
            reference = Tantivy([(i, infos[i].title, t) for i, t in texts], tantivy_dir)
            engines["tantivy"] = reference.search
            version = getattr(reference.tantivy, "__version__", "tantivy")
            out.append(
                f"{version}: built the same {len(texts):,} texts in {reference.build_seconds:.1f} s "
                f"(2 threads), {reference.size / 2**20:.0f} MB"
            )
        except ImportError:
            out.append("tantivy: not installed (`.venv/bin/pip install tantivy` to include it)")
    del texts
    typed = [row["query"] for row in queries()] + EXTRA_QUERIES
    names = ["reader", *engines]
    by_length: dict[str, dict[str, list[float]]] = {n: {b: [] for b in BUCKETS} for n in names}
    by_word: dict[str, dict[str, list[float]]] = {n: {b: [] for b in BUCKETS} for n in names}
    keystrokes = 0
    for _ in range(rounds):
        searcher = Searcher(index)
        try:
            for query in typed:
                for end in range(1, len(query) + 1):
                    prefix = query[:end]
                    if prefix[-1].isspace():
                        continue  # a space alone changes nothing worth timing
                    word = len(prefix.split()[-1])
                    keystrokes += 1
                    timings = {}
                    begun = time.perf_counter()
                    searcher.search(prefix, limit=20, typing=True, snippets=20)
                    timings["reader"] = time.perf_counter() - begun
                    for name, engine in engines.items():
                        begun = time.perf_counter()
                        engine(prefix)
                        timings[name] = time.perf_counter() - begun
                    for name, seconds in timings.items():
                        by_length[name][bucket(end)].append(seconds)
                        by_word[name][bucket(word)].append(seconds)
        finally:
            searcher.close()
    out.append(f"{len(typed)} queries, {rounds} rounds, {keystrokes:,} keystrokes (a new searcher each round)")
    for title, data in (("characters typed so far", by_length), ("length of the word being typed", by_word)):
        headers = ["prefix", "n", "reader median", "reader p95"]
        for name in engines:
            headers += [f"{name} median", f"{name} p95", f"{name} ÷ reader (median)"]
        rows = []
        for b in BUCKETS:
            values = data["reader"][b]
            row = [b, str(len(values)), ms(median(values)), ms(p95(values))]
            for name in engines:
                other = data[name][b]
                row += [ms(median(other)), ms(p95(other)), ratio(median(other), median(values))]
            rows.append(row)
        everything = [v for b in BUCKETS for v in data["reader"][b]]
        row = ["all", str(len(everything)), ms(median(everything)), ms(p95(everything))]
        for name in engines:
            other = [v for b in BUCKETS for v in data[name][b]]
            row += [ms(median(other)), ms(p95(other)), ratio(median(other), median(everything))]
        rows.append(row)
        out.append(f"\nBy {title} (target: reader p95 < {TARGET_KEYSTROKE * 1000:.0f} ms at every length):\n")
        out.append(table(headers, rows))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-tantivy", action="store_true")
    parser.add_argument("--index", type=Path, help="reuse this index (skips the build and change steps)")
    options = parser.parse_args()
    if not (CORPUS / "queries.tsv").exists():
        raise SystemExit(f"the corpus is not at {CORPUS}")
    print(f"# Search benchmark\n\n{machine()}; corpus {CORPUS}\n")
    work = Path(tempfile.mkdtemp(prefix="reader-search-bench-"))
    try:
        extra = work / "extra"
        extra.mkdir()
        (extra / "bench-changed.txt").write_text("Changed\n\nNot yet.\n", encoding="utf-8")
        if options.index:
            from reader.core.search.index import SearchIndex

            index = SearchIndex(options.index)
        else:
            index, rows = build(work / "index", extra)
            print("## Build\n")
            print(table(["what", "figure", "notes"], rows))
            print("\n## One changed file (median of 5, max)\n")
            print(table(["what", "median", "max"], change(index, extra)))
        rows, misses = quality(index)
        print("\n## Known-item queries: rank of the expected file\n")
        print(table(["query", "finished", "typing"], rows))
        if misses:
            print("\nmissed: " + "; ".join(misses))
        print("\n## Typing\n")
        for line in typing_replay(index, options.rounds, not options.no_tantivy, work / "tantivy"):
            print(line)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
