"""Search relevance on a judged test collection: reader's ``Searcher`` against a tuned BM25.

Downloads nothing. A collection is a folder laid out as::

    COLLECTION/
      docs/ID.txt      one document per file: its title on the first line, then the body
      queries.tsv      one query per line: ID <tab> text
      qrels.tsv        one judgement per line: QUERY_ID <tab> DOC_ID <tab> GAIN
                       (GAIN > 0 is relevant; a higher gain is more relevant)

Every document is indexed by ``SearchIndex`` (into a temporary folder, or ``--index``
to keep and reuse one) and every query is searched as a person would type it, as a
finished query (``Searcher.search(text, limit=100)``, snippets and counts included),
then again with snippets for the first ten only (what a screen shows).
Printed, for reader and for the baseline: nDCG@10 (graded gains, log2 discount),
Recall@100, the queries that found nothing although one of their words is in a
document, and the time per query (median, 95th percentile).

The baseline is bm25s (Lucene's BM25, English stop words, the Snowball English
stemmer from PyStemmer), run twice, at bm25s's defaults (k1 1.5, b 0.75) and at
k1 0.9, b 0.4, and the better of the two is shown. bm25s is not a dependency of
reader: ``.venv/bin/pip install -e '.[bench]'`` (or ``--no-baseline``).

    python bench/relevance.py COLLECTION [--index DIR] [--no-baseline] [--limit N]

Classic collections in the SMART format (``.I``/``.T``/``.W`` records: Cranfield,
CISI, MED, CACM …) are put in that layout by::

    python bench/relevance.py convert DOCS_FILE QUERIES_FILE QRELS_FILE OUT [--cranfield]

(``--cranfield``: the qrels' codes 1–4 are Cleverdon's, 1 the most relevant; they
become gains 4–1, and -1 is not relevant. Cranfield's queries are numbered in order
in the qrels, not by their ``.I``. Without it, every listed pair has gain 1.)
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.core.search.analysis import fold_text  # noqa: E402
from reader.core.search.index import SearchIndex  # noqa: E402
from reader.core.search.searcher import Searcher  # noqa: E402

K = 10
DEPTH = 100
SCREEN = 10  # results with a snippet: what a screen of the list or the command line shows
_WORD = re.compile(r"\w+")


# -- the collection ---------------------------------------------------------------------


def load(folder: Path) -> tuple[dict[str, Path], list[tuple[str, str]], dict[str, dict[str, float]]]:
    docs = {path.stem: path for path in sorted((folder / "docs").glob("*.txt"))}
    queries = []
    for line in (folder / "queries.tsv").read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            qid, text = line.split("\t", 1)
            queries.append((qid.strip(), text.strip()))
    qrels: dict[str, dict[str, float]] = defaultdict(dict)
    for line in (folder / "qrels.tsv").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 3 and float(parts[2]) > 0 and parts[1] in docs:
            qrels[parts[0]][parts[1]] = float(parts[2])
    return docs, [(q, t) for q, t in queries if q in qrels], qrels


# -- the measures --------------------------------------------------------------------------


def ndcg(ranked: list[str], gains: dict[str, float], k: int = K) -> float:
    dcg = sum(gains.get(doc, 0.0) / math.log2(i + 2) for i, doc in enumerate(ranked[:k]))
    ideal = sorted(gains.values(), reverse=True)[:k]
    best = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def recall(ranked: list[str], gains: dict[str, float], k: int = DEPTH) -> float:
    return len(set(ranked[:k]) & set(gains)) / len(gains) if gains else 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def summary(name: str, runs: dict[str, list[str]], times: list[float], qrels, matchable: set[str]) -> str:
    scores = [ndcg(runs[q], qrels[q]) for q in runs]
    recalls = [recall(runs[q], qrels[q]) for q in runs]
    empty = sum(1 for q in runs if not runs[q] and q in matchable)
    return (
        f"{name:<22} nDCG@10 {statistics.fmean(scores):.4f}  Recall@100 {statistics.fmean(recalls):.4f}  "
        f"empty {empty}/{len(runs)}  per query p50 {1000 * statistics.median(times):.1f} ms"
        f"  p95 {1000 * percentile(times, 0.95):.1f} ms"
    )


# -- reader ----------------------------------------------------------------------------------


def run_reader(
    docs: dict[str, Path], queries, index_dir: Path, snippets: int | None = None
) -> tuple[dict[str, list[str]], list[float]]:
    """Every query searched as a finished query for ``DEPTH`` results, ``snippets`` of which
    (all: None) get a snippet and a hit count, by a searcher opened afresh (its caches empty)."""
    index = SearchIndex(index_dir)
    started = time.perf_counter()
    report = index.update([p.parent for p in docs.values()][:1])
    if report.added:
        print(f"reader: indexed {len(report.added)} documents in {time.perf_counter() - started:.1f} s")
    searcher = Searcher(index)
    by_path = {str(path.resolve()): doc for doc, path in docs.items()}
    runs: dict[str, list[str]] = {}
    times = []
    for qid, text in queries:
        started = time.perf_counter()
        results = searcher.search(text, limit=DEPTH, snippets=snippets)
        times.append(time.perf_counter() - started)
        runs[qid] = [by_path.get(str(hit.path.resolve()), "") for hit in results.hits]
        if results.message and snippets is None:
            print(f"  query {qid}: {results.message}")
    searcher.close()
    return runs, times


# -- the baseline -------------------------------------------------------------------------------


def run_bm25s(docs: dict[str, Path], queries, k1: float, b: float) -> tuple[dict[str, list[str]], list[float]]:
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    ids = list(docs)
    corpus = [docs[doc].read_text(encoding="utf-8", errors="replace") for doc in ids]
    tokens = bm25s.tokenize(corpus, stopwords="en", stemmer=stemmer, show_progress=False)
    retriever = bm25s.BM25(k1=k1, b=b)
    retriever.index(tokens, show_progress=False)
    runs: dict[str, list[str]] = {}
    times = []
    for qid, text in queries:
        started = time.perf_counter()
        query = bm25s.tokenize([text], stopwords="en", stemmer=stemmer, show_progress=False)
        if not query.vocab:
            runs[qid] = []
            times.append(time.perf_counter() - started)
            continue
        found, scores = retriever.retrieve(query, k=min(DEPTH, len(ids)), show_progress=False)
        times.append(time.perf_counter() - started)
        runs[qid] = [ids[i] for i, s in zip(found[0], scores[0], strict=True) if s > 0]
    return runs, times


def matchable_queries(docs: dict[str, Path], queries) -> set[str]:
    """The queries one of whose words is in some document (those must find something)."""
    vocabulary: set[str] = set()
    for path in docs.values():
        vocabulary.update(_WORD.findall(fold_text(path.read_text(encoding="utf-8", errors="replace"))))
    return {qid for qid, text in queries if any(w in vocabulary for w in _WORD.findall(fold_text(text)))}


# -- converting a SMART collection ---------------------------------------------------------


def _records(text: str) -> list[tuple[str, dict[str, str]]]:
    out: list[tuple[str, dict[str, str]]] = []
    field = ""
    for line in text.splitlines():
        if line.startswith(".I"):
            out.append((line[2:].strip(), defaultdict(str)))
            field = ""
        elif re.match(r"^\.[A-Z]\s*$", line):
            field = line[1]
        elif out and field:
            out[-1][1][field] += line.strip() + " "
    return out


def convert(docs_file: Path, queries_file: Path, qrels_file: Path, out: Path, cranfield: bool) -> None:
    (out / "docs").mkdir(parents=True, exist_ok=True)
    for doc_id, fields in _records(docs_file.read_text(encoding="utf-8", errors="replace")):
        title = " ".join(fields["T"].split())
        body = " ".join(fields["W"].split())
        (out / "docs" / f"{doc_id}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    lines = []
    for number, (qid, fields) in enumerate(_records(queries_file.read_text(encoding="utf-8", errors="replace")), 1):
        lines.append(f"{number if cranfield else int(qid)}\t{' '.join(fields['W'].split())}")
    (out / "queries.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    judged = []
    for line in qrels_file.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        gain = 1
        if cranfield:
            code = int(parts[2]) if len(parts) > 2 else 0
            gain = 5 - code if 1 <= code <= 4 else 0
        judged.append(f"{int(parts[0])}\t{int(parts[1])}\t{gain}")
    (out / "qrels.tsv").write_text("\n".join(judged) + "\n", encoding="utf-8")
    print(f"{out}: {len(list((out / 'docs').iterdir()))} documents, {len(lines)} queries, {len(judged)} judgements")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "convert":
        parser = argparse.ArgumentParser(prog="relevance.py convert")
        parser.add_argument("docs", type=Path)
        parser.add_argument("queries", type=Path)
        parser.add_argument("qrels", type=Path)
        parser.add_argument("out", type=Path)
        parser.add_argument("--cranfield", action="store_true")
        options = parser.parse_args(sys.argv[2:])
        convert(options.docs, options.queries, options.qrels, options.out, options.cranfield)
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("collection", type=Path)
    parser.add_argument("--index", type=Path, help="keep the index here (reused when it exists)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--limit", type=int, default=0, help="only the first N queries")
    options = parser.parse_args()
    docs, queries, qrels = load(options.collection)
    if options.limit:
        queries = queries[: options.limit]
    print(f"{options.collection}: {len(docs)} documents, {len(queries)} judged queries")
    matchable = matchable_queries(docs, queries)
    temporary = None
    index_dir = options.index
    if index_dir is None:
        temporary = Path(tempfile.mkdtemp(prefix="relevance-"))
        index_dir = temporary / "index"
    try:
        runs, times = run_reader(docs, queries, index_dir)
        print(summary(f"reader ({DEPTH} snippets)", runs, times, qrels, matchable))
        runs, times = run_reader(docs, queries, index_dir, snippets=SCREEN)
        print(summary(f"reader ({SCREEN} snippets)", runs, times, qrels, matchable))
        if not options.no_baseline:
            best = None
            for k1, b in ((1.5, 0.75), (0.9, 0.4)):
                base_runs, base_times = run_bm25s(docs, queries, k1, b)
                score = statistics.fmean(ndcg(base_runs[q], qrels[q]) for q in base_runs)
                print("  " + summary(f"bm25s k1 {k1} b {b}", base_runs, base_times, qrels, matchable))
                if best is None or score > best[0]:
                    best = (score, k1, b, base_runs, base_times)
            assert best is not None
            print(summary(f"bm25s (k1 {best[1]}, b {best[2]})", best[3], best[4], qrels, matchable))
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
