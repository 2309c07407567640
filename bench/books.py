"""EPUB and PDF: open and first screen of the biggest of each in the corpus, against a text
file of the same size; the same book opened from the parsed copy the index keeps; PDF
extraction in pages per second; indexing the folder.

    .venv/bin/python bench/books.py [--runs N]

"First screen" is the moment the first document the app would draw is ready: the
preview when there is one, else the whole document. Runs are interleaved (book,
text, book, text, ...) and medians reported, with the ratio book / text.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import CORPUS, median  # noqa: E402
from reader.core.formats import read_document  # noqa: E402
from reader.core.formats.doc_cache import DocumentCache  # noqa: E402

BOOKS = CORPUS / "books-epub-pdf"


def _open(path: Path) -> tuple[float, float]:
    """(seconds to the first screen, seconds to the whole document)."""
    started = time.perf_counter()
    first: list[float] = []
    read_document(path, preview=lambda _: first.append(time.perf_counter() - started))
    whole = time.perf_counter() - started
    return (first[0] if first else whole), whole


def _same_size_text(size: int, folder: Path) -> Path:
    path = folder / "same-size.txt"
    paragraph = ("The quick brown fox jumps over the lazy dog, and the dog does not mind. " * 8).strip()
    parts, total, number = [], 0, 0
    while total < size:
        number += 1
        piece = f"Section {number}\n\n{paragraph}\n\n" if number % 20 == 1 else f"{paragraph}\n\n"
        parts.append(piece)
        total += len(piece)
    path.write_text("".join(parts), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not BOOKS.is_dir():
        print(f"no corpus at {BOOKS}")
        return
    with tempfile.TemporaryDirectory() as folder:
        print(f"{'file':34} {'size':>9} {'first s':>8} {'whole s':>8} {'text first':>10} {'text whole':>10} {'ratio':>6}")
        for suffix in ("epub", "pdf"):
            files = [p for p in BOOKS.glob(f"*.{suffix}")]
            readable = []
            for path in files:
                try:
                    read_document(path)
                    readable.append(path)
                except Exception:  # a PDF with no text layer
                    continue
            book = max(readable, key=lambda p: p.stat().st_size)
            # a text of the size of the book's text (the archive is compressed, a PDF's text is small)
            text = _same_size_text(len(read_document(book).text.encode("utf-8")), Path(folder))
            results: dict[str, list[tuple[float, float]]] = {"book": [], "text": []}
            for _ in range(args.runs):
                results["book"].append(_open(book))
                results["text"].append(_open(text))
            b_first, b_whole = median([r[0] for r in results["book"]]), median([r[1] for r in results["book"]])
            t_first, t_whole = median([r[0] for r in results["text"]]), median([r[1] for r in results["text"]])
            print(
                f"{book.name:34} {book.stat().st_size:>9} {b_first:8.3f} {b_whole:8.3f} {t_first:10.3f} "
                f"{t_whole:10.3f} {b_whole / t_whole:6.1f}"
            )
            cache = DocumentCache(Path(folder) / "parsed")
            read_document(book, cache=cache)  # as the indexing processes leave it
            cached = []
            for _ in range(args.runs):
                started = time.perf_counter()
                read_document(book, cache=cache)
                cached.append(time.perf_counter() - started)
            print(f"  from the parsed copy: {median(cached) * 1000:.0f} ms ({b_whole / median(cached):.0f}x faster)")
            if suffix == "pdf":
                for path in readable:
                    pages = len(read_document(path).pages)
                    seconds = median([_open(path)[1] for _ in range(args.runs)])
                    print(f"  {path.name}: {pages} pages in {seconds:.2f} s, {pages / seconds:.0f} pages/s")
        from reader.core.search.index import SearchIndex

        started = time.perf_counter()
        report = SearchIndex(Path(folder) / "index").update([BOOKS])
        print(
            f"indexing {BOOKS.name}: {len(report.added)} documents, {len(report.skipped)} skipped, "
            f"{time.perf_counter() - started:.2f} s"
        )


if __name__ == "__main__":
    main()
