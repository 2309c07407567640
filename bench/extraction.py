"""Article extraction: reader's HTML reader against trafilatura and readability-lxml.

A judged set is a folder in one of two layouts. Nothing is downloaded; the
pages are not part of this project.

- Snippets, the layout of trafilatura's evaluation (``tests/`` of its
  repository): ``evaldata.json`` maps each page's URL to
  ``{"file": NAME, "with": [...], "without": [...]}``, and the page is
  ``cache/NAME`` or ``eval/NAME`` beside it. ``with`` holds snippets of the
  article, ``without`` snippets of what is not the article (menus, teasers,
  footers). The metric is the one that set defines: an extractor's text,
  whitespace collapsed and soft hyphens (U+00AD, invisible) dropped on both
  sides, is searched for each snippet; a ``with`` snippet found
  is a true positive (missed: a false negative), a ``without`` snippet found is
  a false positive. Precision, recall and F1 are over all snippets of all pages.
- Full text (newspaper's test pages, ``tests/data`` of its repository):
  ``html/NAME.html`` with the article's whole text in ``txt/NAME.txt``. The
  metric is token-shingle F1: the text is cut into words (``\w+``, case
  folded), the words into overlapping runs of four; precision and recall are
  those of the page's runs against the expected text's (as multisets), averaged
  over pages, and F1 is taken of the averages.
reader's text is the body of the document (its title and byline blocks are
left out, as the others' titles are).

CPU is ``time.process_time`` around each extractor's call on the page's bytes,
the three interleaved page by page so that they see the same noise; the table
gives the median and mean per page and the ratio to trafilatura.

    python bench/extraction.py FOLDER [--limit N] [--only reader] [--misses FILE]

``--misses FILE`` writes, for reader, each page it got wrong (snippets missed
and kept, or a full-text page's precision and recall).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import machine, ratio, table  # noqa: E402

from reader.core.document import BlockKind  # noqa: E402
from reader.core.formats import parse_bytes  # noqa: E402
from reader.core.formats.encoding import decode  # noqa: E402

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_SHINGLE = 4


def norm(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\u00ad", "")).strip()


def run_reader(data: bytes) -> str:
    document = parse_bytes(data, Path("page.html"), "html")
    skip = (BlockKind.TITLE, BlockKind.BYLINE)
    return "\n".join(block.text for block in document.blocks if block.kind not in skip)


def run_trafilatura(data: bytes) -> str:
    import trafilatura

    return trafilatura.extract(data) or ""


def run_readability(data: bytes) -> str:
    import lxml.html
    from readability import Document

    text, _ = decode(data, None)
    summary = Document(text).summary()
    return lxml.html.fromstring(summary).text_content() if summary.strip() else ""


EXTRACTORS: dict[str, Callable[[bytes], str]] = {
    "reader": run_reader,
    "trafilatura": run_trafilatura,
    "readability-lxml": run_readability,
}


class Score:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = self.tn = 0
        self.cpu: list[float] = []

    def add(self, item: dict, text: str) -> tuple[list[str], list[str]]:
        found = norm(text)
        missed = [w for w in item["with"] if norm(w) not in found]
        kept = [w for w in item["without"] if norm(w) in found]
        self.tp += len(item["with"]) - len(missed)
        self.fn += len(missed)
        self.fp += len(kept)
        self.tn += len(item["without"]) - len(kept)
        return missed, kept

    def figures(self) -> tuple[float, float, float]:
        precision = self.tp / max(self.tp + self.fp, 1)
        recall = self.tp / max(self.tp + self.fn, 1)
        f1 = 2 * precision * recall / max(precision + recall, 1e-9)
        return precision, recall, f1


class ShingleScore(Score):
    """Token-shingle precision and recall per page, averaged over pages."""

    def __init__(self) -> None:
        super().__init__()
        self.pages: list[tuple[float, float]] = []

    def add(self, item: dict, text: str) -> tuple[list[str], list[str]]:
        got, want = shingles(text), shingles(item["text"])
        common = sum((got & want).values())
        precision = common / sum(got.values()) if got else float(not want)
        recall = common / sum(want.values()) if want else 1.0
        self.pages.append((precision, recall))
        return ([f"recall {recall:.2f}"] if recall < 0.9 else []), ([f"precision {precision:.2f}"] if precision < 0.9 else [])

    def figures(self) -> tuple[float, float, float]:
        precision = statistics.fmean(p for p, _ in self.pages) if self.pages else 0.0
        recall = statistics.fmean(r for _, r in self.pages) if self.pages else 0.0
        return precision, recall, 2 * precision * recall / max(precision + recall, 1e-9)


def shingles(text: str) -> Counter[tuple[str, ...]]:
    words = _WORD.findall(text.replace("\u00ad", "").casefold())
    if len(words) < _SHINGLE:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1))


def load_fulltext(folder: Path, limit: int | None) -> list[tuple[str, dict, bytes]]:
    pages = []
    for path in sorted((folder / "html").glob("*.html")):
        expected = folder / "txt" / f"{path.stem}.txt"
        if expected.is_file():
            item = {"file": path.name, "text": expected.read_text(encoding="utf-8", errors="replace")}
            pages.append((path.stem, item, path.read_bytes()))
    return pages[:limit] if limit else pages


def load(folder: Path, limit: int | None) -> list[tuple[str, dict, bytes]]:
    if not (folder / "evaldata.json").is_file():
        return load_fulltext(folder, limit)
    data = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url in sorted(data):
        item = data[url]
        path = next((p for p in (folder / "cache" / item["file"], folder / "eval" / item["file"]) if p.is_file()), None)
        if path is not None:
            pages.append((url, item, path.read_bytes()))
    return pages[:limit] if limit else pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a folder with evaldata.json and cache/ or eval/, or html/ and txt/")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages (by URL)")
    parser.add_argument("--only", action="append", choices=sorted(EXTRACTORS), help="run only these")
    parser.add_argument("--misses", type=Path, default=None, help="write reader's wrong snippets here")
    args = parser.parse_args()
    fulltext = not (args.folder / "evaldata.json").is_file()
    if fulltext and not (args.folder / "html").is_dir():
        sys.exit(f"{args.folder}: neither evaldata.json nor html/ (see the layouts in bench/extraction.py)")
    pages = load(args.folder, args.limit)
    if not pages:
        sys.exit(f"{args.folder}: no judged pages")
    names = args.only or list(EXTRACTORS)
    scores = {name: ShingleScore() if fulltext else Score() for name in names}
    misses = []
    for url, item, data in pages:
        for name in names:
            started = time.process_time()
            try:
                text = EXTRACTORS[name](data)
            except Exception as error:  # a competitor's failure is its miss, not the run's end
                print(f"{name}: {url}: {type(error).__name__}: {error}", file=sys.stderr)
                text = ""
            scores[name].cpu.append(time.process_time() - started)
            missed, kept = scores[name].add(item, text)
            if name == "reader" and (missed or kept):
                misses.append({"url": url, "file": item["file"], "missed": missed, "kept": kept})
    if args.misses:
        args.misses.write_text(json.dumps(misses, indent=1, ensure_ascii=False), encoding="utf-8")
    base = scores.get("trafilatura")
    metric = "token-shingle F1, averaged per page" if fulltext else "snippets over all pages"
    rows = []
    for name, score in scores.items():
        precision, recall, f1 = score.figures()
        median, mean = statistics.median(score.cpu), statistics.fmean(score.cpu)
        versus = ratio(mean, statistics.fmean(base.cpu)) if base is not None else "–"
        rows.append([name, f"{precision:.3f}", f"{recall:.3f}", f"{f1:.3f}", f"{median * 1000:.1f} ms",
                     f"{mean * 1000:.1f} ms", versus])
    print(f"{len(pages)} pages from {args.folder} ({metric}); {machine()}")
    print(table(["extractor", "precision", "recall", "F1", "CPU median", "CPU mean", "mean vs trafilatura"], rows))


if __name__ == "__main__":
    main()
