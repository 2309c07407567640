"""The Whoosh index over the library: build, update incrementally, search.

The index lives in a folder of the user's cache (it can always be rebuilt):
the Whoosh segments, a ``FORMAT`` stamp (a schema change rebuilds the index)
and ``documents.sqlite`` (see :mod:`.docstore`). A damaged or half-written
index is detected on open and rebuilt, with a notice, never a crash.

One writer at a time: ``update()`` takes Whoosh's lock (waiting for another
``reader index`` to finish) and commits in batches, so searches answer over
what is already indexed from the first seconds. Searchers are per thread.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import RegexTokenizer
from whoosh.fields import ID, TEXT, Schema
from whoosh.writing import CLEAR, LockError

from reader.core.formats import UnreadableDocument, read_document
from reader.core.library import Skipped, candidates, info_of
from reader.core.search.analysis import edge_analyzer, word_analyzer
from reader.core.search.docstore import DocStore, StoredDocument

__all__ = ["SearchIndex", "UpdateReport", "IndexBusy", "FORMAT_VERSION"]

FORMAT_VERSION = "reader-index-2"
INDEX_NAME = "reader"
_BATCH_DOCS = 1000
_BATCH_SECONDS = 8.0
_PARALLEL_FROM = 64


class IndexBusy(Exception):
    """Another process is writing the index."""


def make_schema() -> Schema:
    words = word_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=words, field_boost=3.0, multitoken_query="phrase"),
        source=TEXT(analyzer=words, field_boost=1.5, multitoken_query="phrase"),
        sections=TEXT(analyzer=words, field_boost=1.5, multitoken_query="phrase"),
        body=TEXT(analyzer=words, multitoken_query="phrase"),
        notes=TEXT(analyzer=words, multitoken_query="phrase"),
        # edge n-grams of the title and source words: a typed prefix of any length is one term.
        # Not of the body: that made indexing four times slower (measured: 23 s vs 5.4 s for
        # 1,000 news articles); body prefixes are expanded from the lexicon instead.
        title_ng=TEXT(analyzer=edge_analyzer(), field_boost=3.0, phrase=False),
        # the file and every folder above it, to search within any of them
        within=TEXT(analyzer=RegexTokenizer(r"[^\n]+"), phrase=False),
    )


@dataclass
class UpdateReport:
    added: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    unchanged: int = 0
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class _Prepared:
    stored: StoredDocument
    sections: str


class SearchIndex:
    """The index folder: open (repairing if needed), update, and make searchers."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.notices: list[str] = []
        self._ix = self._open()

    # -- opening ---------------------------------------------------------------------

    def _open(self) -> whoosh_index.Index:
        stamp = self.directory / "FORMAT"
        if self.directory.exists():
            found = stamp.read_text(encoding="utf-8").strip() if stamp.exists() else ""
            if found == FORMAT_VERSION:
                try:
                    ix = whoosh_index.open_dir(str(self.directory), indexname=INDEX_NAME)
                    with ix.searcher() as searcher:
                        indexed = searcher.doc_count()
                    store = DocStore(self.directory / "documents.sqlite")
                    try:
                        stored = store.count()
                    finally:
                        store.close()
                    if indexed == stored:
                        return ix
                    self.notices.append("The search index was out of step with its documents; rebuilding it.")
                except Exception as error:  # noqa: BLE001 - any damage means: rebuild
                    self.notices.append(f"The search index was damaged ({type(error).__name__}); rebuilding it.")
            elif any(self.directory.iterdir()):
                self.notices.append("The search index is from another version of reader; rebuilding it.")
            shutil.rmtree(self.directory, ignore_errors=True)
        self.directory.mkdir(parents=True, exist_ok=True)
        ix = whoosh_index.create_in(str(self.directory), make_schema(), indexname=INDEX_NAME)
        DocStore(self.directory / "documents.sqlite").close()
        stamp.write_text(FORMAT_VERSION + "\n", encoding="utf-8")
        return ix

    @property
    def whoosh(self) -> whoosh_index.Index:
        return self._ix

    def store(self) -> DocStore:
        """A document store connection for the calling thread."""
        return DocStore(self.directory / "documents.sqlite")

    def doc_count(self) -> int:
        with self._ix.searcher() as searcher:
            return searcher.doc_count()

    # -- updating --------------------------------------------------------------------

    def update(
        self,
        paths: Iterable[Path],
        *,
        progress: Callable[[int, int], None] | None = None,
        committed: Callable[[], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        rebuild: bool = False,
        wait: float = 60.0,
    ) -> UpdateReport:
        """Bring the index up to date with the files under ``paths``."""
        started = time.perf_counter()
        roots = [Path(os.path.abspath(p)) for p in paths]
        report = UpdateReport()
        store = self.store()
        try:
            writer = self._writer(wait)
            if rebuild:
                writer.commit(mergetype=CLEAR)
                store.delete(e.id for e in store.entries().values())
                writer = self._writer(wait)
            found, report.skipped = candidates(roots)
            known = store.entries()
            found_set = {Path(os.path.abspath(p)) for p in found}
            gone = [e for path, e in known.items() if path not in found_set and _under(path, roots)]
            for entry in gone:
                writer.delete_by_term("id", entry.id)
                report.removed.append(entry.path)
            todo = []
            for path in found:
                entry = known.get(Path(os.path.abspath(path)))
                try:
                    stat = path.stat()
                except OSError as error:
                    report.skipped.append(Skipped(path, error.strerror or str(error)))
                    continue
                if entry is not None and entry.size == stat.st_size and entry.mtime == stat.st_mtime:
                    report.unchanged += 1
                else:
                    todo.append(path)
            batch: list[_Prepared] = []
            touched: list[tuple[str, int, float]] = []
            last_commit = time.monotonic()
            total = len(todo)
            for done, item in enumerate(_prepare_all(todo), start=1):
                if cancelled is not None and cancelled():
                    break
                if isinstance(item, Skipped):
                    report.skipped.append(item)
                    continue
                info = item.stored.info
                entry = known.get(Path(os.path.abspath(info.path)))
                if entry is not None and entry.hash == item.stored.hash:
                    touched.append((info.id, info.size, info.mtime))
                    report.unchanged += 1
                else:
                    _add(writer, item)
                    batch.append(item)
                    (report.updated if entry is not None else report.added).append(info.path)
                if progress is not None and (done % 50 == 0 or done == total):
                    progress(done, total)
                if len(batch) >= _BATCH_DOCS or time.monotonic() - last_commit > _BATCH_SECONDS:
                    writer = self._commit(writer, store, batch, touched, committed, wait)
                    batch, touched, last_commit = [], [], time.monotonic()
            self._commit(writer, store, batch, touched, committed, wait, reopen=False, deleted=gone)
        finally:
            store.close()
        report.seconds = time.perf_counter() - started
        return report

    def _writer(self, wait: float):  # type: ignore[no-untyped-def]
        try:
            return self._ix.writer(timeout=wait, limitmb=128)
        except LockError:
            raise IndexBusy("another reader is updating the search index") from None

    def _commit(self, writer, store, batch, touched, committed, wait, reopen=True, deleted=()):  # type: ignore[no-untyped-def]
        writer.commit()
        store.put(p.stored for p in batch)
        if touched:
            store.touch(touched)
        if deleted:
            store.delete(e.id for e in deleted)
        if committed is not None:
            committed()
        return self._writer(wait) if reopen else None


def _under(path: Path, roots: list[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def _add(writer, item: _Prepared) -> None:  # type: ignore[no-untyped-def]
    info = item.stored.info
    title = f"{info.title} {info.source}".strip()
    writer.update_document(
        id=info.id,
        title=info.title,
        source=info.source,
        sections=item.sections,
        body=item.stored.text,
        title_ng=title,
        within="\n".join(_ancestors(info.path)),
    )


def _ancestors(path: Path) -> list[str]:
    absolute = Path(os.path.abspath(path))
    return [str(absolute), *(str(parent) for parent in absolute.parents)]


def _prepare(path: Path) -> _Prepared | Skipped:
    try:
        document = read_document(path)
    except UnreadableDocument as error:
        return Skipped(path, error.reason)
    except Exception as error:  # noqa: BLE001 - one bad file never stops indexing
        return Skipped(path, f"could not be read ({type(error).__name__})")
    sections = "\n".join(section.title for section in document.sections)
    stored = StoredDocument(info_of(document), document.text_hash, document.text)
    return _Prepared(stored, sections)


def _prepare_chunk(paths: list[Path]) -> list[_Prepared | Skipped]:
    return [_prepare(path) for path in paths]


def _prepare_all(paths: list[Path]) -> Iterator[_Prepared | Skipped]:
    if len(paths) < _PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        for path in paths:
            yield _prepare(path)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = [paths[i : i + 32] for i in range(0, len(paths), 32)]
    context = multiprocessing.get_context("forkserver")
    workers = os.cpu_count() or 2
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        # a few chunks in flight, not all: stopping early leaves little work behind
        pending = [pool.submit(_prepare_chunk, chunk) for chunk in chunks[: workers * 2]]
        next_chunk = len(pending)
        try:
            while pending:
                result = pending.pop(0).result()
                if next_chunk < len(chunks):
                    pending.append(pool.submit(_prepare_chunk, chunks[next_chunk]))
                    next_chunk += 1
                yield from result
        finally:
            for future in pending:
                future.cancel()
