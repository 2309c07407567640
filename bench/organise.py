"""Organising the library: tagging many search results at once, and the document fields while typing.

1. bulk    — every document a search finds (up to 1,000) tagged through
             ``Store.organise`` (one locked, checked, atomic shard write each, and its
             row in the meta index): total and per document.
2. snapshot — ``MetaIndex.snapshot()`` of the store then (what the app and
             ``reader list`` read at start), warm.
3. typing  — queries typed letter by letter with ``search_with_fields`` (limit 20,
             snippets 20, as the app), each once as words alone and once after a field
             (``tag:bench``, ``is:unread``, the field typed first, as a user narrows a
             view); a tenth of the documents marked opened. Median and p95 per
             keystroke of the words' part, and the ratio.

    python bench/organise.py [--index DIR] [--folder SUBFOLDER] [--rounds 3]

``--index`` reuses a built index of the same folder (else one is built in a temporary
folder first: minutes for the whole corpus). Needs the corpus (``../shared/corpus``
or ``READER_CORPUS``).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import CORPUS, machine, median, ms, ratio, table  # noqa: E402
from reader.core.notes import DocumentRef  # noqa: E402
from reader.core.organise import Change, DocMeta  # noqa: E402
from reader.core.search.index import SearchIndex  # noqa: E402
from reader.core.search.meta_filter import search_with_fields  # noqa: E402
from reader.core.search.searcher import Searcher  # noqa: E402
from reader.storage.store import Store  # noqa: E402

QUERIES = ["government spending", "interest rates", "election campaign", "software release", "climate change"]
FIELDS = ["tag:bench", "is:unread"]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values, default=float("nan"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path)
    parser.add_argument("--folder", default="", help="a folder of the corpus (default: all of it)")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    library = CORPUS / options.folder
    if not library.is_dir():
        raise SystemExit(f"the corpus is not at {library}")
    print(f"# Organising\n\n{machine()}; library {library}\n")
    work = Path(tempfile.mkdtemp(prefix="reader-organise-"))
    index_dir = options.index or work / "index"
    begun = time.perf_counter()
    index = SearchIndex(index_dir)
    index.update([library], optimize=False)
    print(f"index ready in {time.perf_counter() - begun:.0f} s ({index.store().count()} documents)\n")
    searcher = Searcher(index)
    store = Store(work / "data")

    results = searcher.search("the", limit=1000, snippets=0, within=[library])
    documents = [DocumentRef(hit.id, str(hit.path), hit.title, hit.source) for hit in results.hits]
    begun = time.perf_counter()
    for document in documents:
        store.organise(document, Change(add=("bench",)))
    took = time.perf_counter() - begun
    print(
        table(
            ["documents tagged", "total", "per document"],
            [[str(len(documents)), ms(took), ms(took / max(1, len(documents)))]],
        )
        + "\n"
    )

    begun = time.perf_counter()
    snapshot = Store(work / "data").meta_index.snapshot(seen=[info.id for info in index.store().infos()])
    first = time.perf_counter() - begun
    begun = time.perf_counter()
    snapshot = Store(work / "data").meta_index.snapshot()
    print(f"meta snapshot: {len(snapshot.metas)} documents, first {ms(first)}, then {ms(time.perf_counter() - begun)}\n")
    metas = dict(snapshot.metas)
    chooser = random.Random(13)
    for doc_id in list(metas):
        if chooser.random() < 0.1:
            meta = metas[doc_id]
            metas[doc_id] = DocMeta(meta.tags, meta.state, meta.favourite, meta.added, True)

    rows = []
    for field in FIELDS:
        plain: list[float] = []
        filtered: list[float] = []
        for _round in range(options.rounds):
            for query in QUERIES:
                cached: dict[object, object] = {}
                for end in range(1, len(query) + 1):
                    words = query[:end]
                    for timings, text in ((plain, words), (filtered, f"{field} {words}")):
                        begun = time.perf_counter()
                        search_with_fields(
                            searcher, text, metas, limit=20, typing=True, snippets=20, within=[library], cached=cached  # type: ignore[arg-type]
                        )
                        timings.append(time.perf_counter() - begun)
        rows.append([field, ms(median(plain)), ms(p95(plain)), ms(median(filtered)), ms(p95(filtered)), ratio(p95(filtered), p95(plain))])
    print(table(["field", "words: median", "words: p95", "with field: median", "with field: p95", "p95 ratio"], rows))
    searcher.close()


if __name__ == "__main__":
    main()
