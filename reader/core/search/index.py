"""The Whoosh index over the library: build, update incrementally, repair.

The index lives in a folder of the user's cache (it can always be rebuilt):
the Whoosh segments, a ``FORMAT`` stamp (a schema change rebuilds the index)
and ``documents.sqlite`` (see :mod:`.docstore`). A damaged or half-written
index is detected on open and rebuilt, with a notice, never a crash.

Updating: files are compared with what the store recorded (size and mtime,
then the text's hash), so only added, changed and removed files are touched.
Many files are read *and indexed* by a pool of processes, each writing whole
Whoosh segments into a private folder; this process moves each finished
segment into the index and commits it, so searches answer over what is
already indexed from the first seconds, and both cores do the indexing. The
first pieces of work are small (early results) and they double in size
(few segments). A few files are indexed in this process.

One updater at a time: ``update()`` holds an ``UPDATE`` lock for its whole
run (a second ``reader index`` waits for it) and Whoosh's write lock for
each commit. Searchers are per thread.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
import uuid
from collections import Counter
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, Schema
from whoosh.writing import NO_MERGE, LockError

from reader.core.file_names import term_text
from reader.core.formats import UnreadableDocument, read_document
from reader.core.formats.doc_cache import PARSED, DocumentCache
from reader.core.library import DocumentInfo, Skipped, candidates, info_of, is_under
from reader.core.search.analysis import (
    MIN_COMPLETION,
    SearchText,
    analyze,
    analyzed,
    analyzed_counts,
    edge_analyzer,
    edge_terms,
    stem_analyzer,
    stemmed_counts,
    word_analyzer,
)
from reader.core.search.codec import FastWriter
from reader.core.search.stamp import DAMAGED, FORMAT_VERSION
from reader.core.search.stamp import read_stamp as _read_stamp
from reader.core.search.docstore import DocStore, SkippedEntry, StoredDocument, StoredEntry, pack_text

__all__ = ["SearchIndex", "UpdateReport", "IndexBusy", "FORMAT_VERSION", "make_schema", "within_term"]

INDEX_NAME = "reader"
INCOMING = "incoming"
_BATCH_DOCS = 1000  # in-process updates: commit every so many documents …
_BATCH_SECONDS = 8.0  # … or seconds
_PARALLEL_FROM = 64  # files; fewer are indexed in this process …
# … unless they are this many bytes or more: parsing and analysing a long book in the process that
# called (the app's updating thread) holds the interpreter for seconds, and the screen waited on it
# (a find keystroke took 76 ms, `G` 776 ms while a 20 MB document was indexed that way)
_PARALLEL_BYTES = 2 * 1024 * 1024
_FIRST_CHUNK = 512 * 1024  # bytes of files in the first piece of work of a process
# An indexing process holds a whole segment's postings in memory, about 20 MB for each MB of
# text in its piece plus ~80 MB (measured on 4 and 16 MB pieces of small articles): pieces of
# 8 MB keep each process near 250 MB (the former limit, 64 MB, allowed ~1.4 GB by the same
# measure; 17 MB pieces measured 415 MB), at the cost of more segments in a big library
# (50,000 articles, 110 MB: 17 instead of 10).
_MAX_CHUNK = 8 * 1024 * 1024
_LIMIT_MB = 256
# Pieces are sized by count as well as bytes: each file weighs this much more than its size, and a
# piece holds at least _MIN_FILES files (but for the last)
_FILE_COST = 512
_MIN_FILES = 16
PIECES_PER_PROCESS = 3  # big pieces of work per indexing process, after the first two rounds


class IndexBusy(Exception):
    """Another process is updating the index."""


def make_schema() -> Schema:
    words = word_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=SearchText(analyzer=words, field_boost=3.0, multitoken_query="phrase"),
        source=SearchText(analyzer=words, field_boost=1.5, multitoken_query="phrase"),
        sections=SearchText(analyzer=words, field_boost=1.5, multitoken_query="phrase"),
        body=SearchText(analyzer=words, multitoken_query="phrase"),
        notes=SearchText(analyzer=words, multitoken_query="phrase"),
        # the body's words stemmed in the document's language (counts only; phrases use the body)
        stemmed=SearchText(analyzer=stem_analyzer(), phrase=False),
        # edge n-grams of the title and source words: a typed prefix of any length is one term.
        # Not of the body: that made indexing four times slower (measured: 23 s vs 5.4 s for
        # 1,000 news articles); body prefixes are expanded from the lexicon instead.
        title_ng=SearchText(analyzer=edge_analyzer(), field_boost=3.0, phrase=False),
        # the file and every folder above it, to search within any of them
        within=SearchText(analyzer=_line_analyzer(), phrase=False),
    )


def _line_analyzer():  # type: ignore[no-untyped-def]
    from whoosh.analysis import RegexTokenizer

    return RegexTokenizer(r"[^\n]+")


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
    language: str = ""  # declared by the file (an EPUB's dc:language): its words are stemmed in it


@dataclass
class _Built:
    """What an indexing process made of a list of files."""

    folder: str = ""  # the private index folder holding the new segment
    segment: object = None  # the Whoosh segment (None: nothing new to add)
    stored: list[StoredDocument] = field(default_factory=list)
    touched: list[tuple[str, int, float]] = field(default_factory=list)  # same text, new mtime
    skipped: list[Skipped] = field(default_factory=list)
    files: int = 0
    seconds: float = 0.0  # spent building it


@dataclass
class _Run:
    """One update: what it reports, where it records, whom it tells."""

    report: UpdateReport
    store: DocStore
    progress: Callable[[int, int], None] | None
    committed: Callable[[], None] | None
    cancelled: Callable[[], bool] | None
    wait: float
    listed: Callable[[list[DocumentInfo], list[str]], None] | None = None
    hashes: dict[str, str] = field(default_factory=dict)  # text hash of each changed file already indexed
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)  # size and change time of each file read

    def stopped(self) -> bool:
        return self.cancelled is not None and self.cancelled()

    def record(self, batch, touched, deleted, vocabulary=(), skipped=()) -> None:  # type: ignore[no-untyped-def]
        """Bring the store in step with a commit (or with what was read), and say so."""
        if vocabulary:
            self.store.add_vocabulary(vocabulary)
        if batch:
            self.store.put(batch)
        if touched:
            self.store.touch(touched)
        if deleted:
            self.store.delete(e.id for e in deleted)
            DocumentCache(self.store.path.parent / PARSED).drop([e.id for e in deleted])
        if skipped:
            self.remember(skipped)
        if (batch or deleted) and self.committed is not None:
            self.committed()
        if (batch or deleted) and self.listed is not None:
            self.listed([stored.info for stored in batch], [entry.id for entry in deleted])

    def remember(self, skipped: Iterable[Skipped]) -> None:
        """Keep the files that were read and not indexed, so the next update does not read them again."""
        entries = []
        for item in skipped:
            key = os.path.abspath(item.path)
            stat = self.stats.get(key)
            if stat is not None:
                entries.append(SkippedEntry(key, stat[0], stat[1], item.reason))
        self.store.remember_skipped(entries)


@dataclass
class _Pending:
    """What an in-process update has done since its last commit."""

    gone: list[StoredEntry] = field(default_factory=list)
    batch: list[StoredDocument] = field(default_factory=list)
    touched: list[tuple[str, int, float]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    vocabulary: Counter[str] = field(default_factory=Counter)
    _writer: FastWriter | None = None

    def writer(self, index: SearchIndex, run: _Run) -> FastWriter:
        if self._writer is None:
            self._writer = index._writer(run.wait)
        return self._writer

    def flush(self, run: _Run) -> _Pending:
        """Commit (only if there is something to commit), record it, and start afresh."""
        with _uninterrupted():
            if self._writer is not None:
                self._writer.commit(mergetype=_merge_tiny)
            run.record(self.batch, self.touched, self.gone, self.vocabulary.items(), self.skipped)
        return _Pending()

    def cancel(self) -> None:
        if self._writer is not None:
            self._writer.cancel()


class SearchIndex:
    """The index folder: open (repairing if needed), update, and make searchers."""

    def __init__(self, directory: Path, *, wait: float = 60.0) -> None:
        """Open the index in ``directory``, rebuilding it if it must be; a rebuild waits up to
        ``wait`` seconds for another reader's update to end, then raises :class:`IndexBusy`."""
        self.directory = directory
        self.notices: list[str] = []
        self._wait = wait
        self._ix = self._open()
        self._generation = _generation(self.directory)

    # -- opening ---------------------------------------------------------------------

    def _open(self) -> whoosh_index.Index:
        ix, problem = self._try_open(locked=False)
        if ix is not None:
            return ix
        # Rebuilt only under the update lock: a running update (another ``reader index``) would
        # otherwise lose its work to the rebuild and still report success. Once it has ended, the
        # index is looked at again (that update may have left it whole).
        with self._update_lock(self._wait, busy="the search index must be rebuilt and another reader is updating it"):
            ix, problem = self._try_open(locked=True)
            if ix is not None:
                return ix
            if problem:
                self.notices.append(problem)
            return self._create()

    def _try_open(self, *, locked: bool) -> tuple[whoosh_index.Index | None, str]:
        """The index as it is, or None and why it must be made afresh ("" for a new one)."""
        if not self.directory.exists():
            return None, ""
        found = _read_stamp(self.directory / "FORMAT")
        if (self.directory / DAMAGED).exists():
            return None, "The search index was damaged; rebuilding it."
        if found == FORMAT_VERSION:
            try:
                ix = whoosh_index.open_dir(str(self.directory), indexname=INDEX_NAME)
                problem = self._check(ix, locked=locked)
            except Exception as error:  # noqa: BLE001 - any damage means: rebuild
                return None, f"The search index was damaged ({type(error).__name__}); rebuilding it."
            return (None, problem) if problem else (ix, "")
        if found or _has_files(self.directory):
            return None, "The search index is from another version of reader; rebuilding it."
        return None, ""

    def _check(self, ix: whoosh_index.Index, *, locked: bool = False) -> str:
        """Why the index cannot be used as it is ("" when it can); ``locked``: this object holds
        the update lock (so no other update is running)."""
        with ix.searcher() as searcher:
            indexed = searcher.doc_count()
            reader = searcher.reader()
            # read a little of every part: the term table, some postings, the stored fields
            for number, (fieldname, text) in enumerate(reader.all_terms()):
                if number >= 3:
                    break
                list(reader.postings(fieldname, text).all_ids())
            if indexed:
                searcher.stored_fields(0)
                searcher.stored_fields(reader.doc_count_all() - 1)
        store = DocStore(self.directory / "documents.sqlite")
        try:
            store.check()
            stored = store.count()
        finally:
            store.close()
        if indexed != stored and (locked or not self._busy()):
            return "The search index was out of step with its documents; rebuilding it."
        return ""

    def _busy(self) -> bool:
        """Whether another process is updating the index right now."""
        lock = self._update_lock_object()
        if lock.acquire(blocking=False):
            lock.release()
            return False
        return True

    def _create(self) -> whoosh_index.Index:
        self.directory.mkdir(parents=True, exist_ok=True)
        for entry in self.directory.iterdir():
            if entry.name == "UPDATE":
                continue  # the lock file: deleting it would let a second updater in
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
        ix = whoosh_index.create_in(str(self.directory), make_schema(), indexname=INDEX_NAME)
        store = DocStore(self.directory / "documents.sqlite")
        store.clear()
        store.close()
        (self.directory / "FORMAT").write_text(FORMAT_VERSION + "\n", encoding="utf-8")
        return ix

    def mark_damaged(self) -> None:
        """Make the next open rebuild the index (a search found it damaged).

        Only while the folder still holds the index this object opened: a searcher
        of an index deleted and rebuilt since must not condemn the new one.
        """
        if _generation(self.directory) == self._generation:
            SearchIndex.mark_damaged_at(self.directory)

    @staticmethod
    def mark_damaged_at(directory: Path) -> None:
        """Make the next open of the index in ``directory`` rebuild it."""
        try:
            directory.mkdir(parents=True, exist_ok=True)
            (directory / DAMAGED).write_text("found damaged while searching\n", encoding="utf-8")
        except OSError:
            pass

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
        listed: Callable[[list[DocumentInfo], list[str]], None] | None = None,
        optimize: bool = True,
    ) -> UpdateReport:
        """Bring the index up to date with the files under ``paths``.

        ``progress(done, total)`` as files are indexed; ``committed()`` after each
        commit (searchers refreshed then see the new documents); ``cancelled()``
        is asked between files (or pieces of work) and stops the update, keeping
        what was committed; ``listed(documents, removed_ids)`` after each commit,
        with the summaries of the documents it added or changed and the ids it
        removed (what a list of the library needs to follow). Waits up to ``wait``
        seconds for another updater, then raises :class:`IndexBusy`.

        An update that finds nothing changed writes nothing: no commit, no store write.
        Files read and not indexed (binary, damaged) are remembered by size and change
        time, and are not read again until they change.

        Afterwards, if the update was large or left many segments, a merge of the
        segments is started in a low-priority process of its own (:mod:`.optimize`),
        not waited for; ``optimize=False`` (or ``READER_NO_OPTIMIZE=1`` in the
        environment) never starts one.
        """
        started = time.perf_counter()
        roots = [Path(os.path.abspath(p)) for p in paths]
        report = UpdateReport()
        with self._update_lock(wait):
            if rebuild:
                self._ix = self._create()
            shutil.rmtree(self.directory / INCOMING, ignore_errors=True)
            run = _Run(report, self.store(), progress, committed, cancelled, wait, listed)
            try:
                self._update(run, roots)
            finally:
                run.store.close()
                shutil.rmtree(self.directory / INCOMING, ignore_errors=True)
        report.seconds = time.perf_counter() - started
        if optimize:
            self._optimize_if_due(len(report.added) + len(report.updated))
        return report

    def _optimize_if_due(self, changed: int) -> None:
        """Start a merge of the segments in a process of its own, if one is due (never waits for it)."""
        from reader.core.search import optimize as optimizing

        if optimizing.due(self.directory, changed):
            optimizing.start(self.directory)

    def _update(self, run: _Run, roots: list[Path]) -> None:
        report = run.report
        found, report.skipped = candidates(roots)
        known = run.store.entries()
        remembered = run.store.skipped()
        here = {os.path.abspath(path): path for path in found}
        tops = [str(root) for root in roots]
        gone = [entry for key, entry in known.items() if key not in here and is_under(key, tops)]
        todo: list[tuple[Path, int]] = []
        for key, path in here.items():
            try:
                stat = path.stat()
            except OSError as error:
                report.skipped.append(Skipped(path, error.strerror or str(error)))
                continue
            entry = known.get(key)
            if entry is not None and entry.size == stat.st_size and entry.mtime == stat.st_mtime:
                report.unchanged += 1
                continue
            old = remembered.get(key)
            if old is not None and old.size == stat.st_size and old.changed == stat.st_ctime_ns:
                report.skipped.append(Skipped(path, old.reason))  # read before, unchanged since
                continue
            run.stats[key] = (stat.st_size, stat.st_ctime_ns)
            todo.append((path, stat.st_size))
            if entry is not None:
                run.hashes[key] = entry.hash
        # forget the files remembered as skipped that are gone (or no longer candidates)
        run.store.forget_skipped(key for key in remembered if key not in here and is_under(key, tops))
        if not gone and not todo:
            return
        few = len(todo) < _PARALLEL_FROM and sum(size for _, size in todo) < _PARALLEL_BYTES
        if few or (os.cpu_count() or 1) < 2:
            self._update_here(run, todo, gone)
        else:
            self._update_parallel(run, todo, gone, here)

    def _update_here(self, run: _Run, todo: list[tuple[Path, int]], gone: list[StoredEntry]) -> None:
        """Index a few files in this process, committing every so often.

        The writer (Whoosh's write lock, a new segment) is taken only once there is
        something to add or delete: files that turn out unchanged or unreadable
        leave the index as it was.
        """
        report = run.report
        pending = _Pending(gone=list(gone))
        if gone:
            writer = pending.writer(self, run)
            for entry in gone:
                writer.delete_by_term("id", entry.id)
                report.removed.append(Path(entry.path))
        last_commit = time.monotonic()
        try:
            for done, (path, _) in enumerate(todo, start=1):
                if run.stopped():
                    break
                item = _prepare(path, self.directory / PARSED)
                if isinstance(item, Skipped):
                    report.skipped.append(item)
                    pending.skipped.append(item)
                else:
                    info = item.stored.info
                    key = os.path.abspath(info.path)
                    if run.hashes.get(key) == item.stored.hash:
                        pending.touched.append((info.id, info.size, info.mtime))
                        report.unchanged += 1
                    else:
                        writer = pending.writer(self, run)
                        writer.update_document(**_fields(writer.schema, item, pending.vocabulary))
                        pending.batch.append(item.stored)
                        (report.updated if key in run.hashes else report.added).append(info.path)
                if run.progress is not None and (done % 50 == 0 or done == len(todo)):
                    run.progress(done, len(todo))
                if len(pending.batch) >= _BATCH_DOCS or (
                    pending.batch and time.monotonic() - last_commit > _BATCH_SECONDS
                ):
                    pending = pending.flush(run)
                    last_commit = time.monotonic()
        except BaseException:
            pending.cancel()
            raise
        pending.flush(run)

    def _update_parallel(
        self, run: _Run, todo: list[tuple[Path, int]], gone: list[StoredEntry], here: dict[str, Path]
    ) -> None:
        """Index many files in a pool of processes, each writing whole segments."""
        report = run.report
        incoming = self.directory / INCOMING
        incoming.mkdir(exist_ok=True)
        done = 0
        indexed: set[Path] = set()
        builds = _build_all(todo, run.hashes, incoming, run.cancelled)
        try:
            while True:
                try:
                    paths, built = next(builds)
                except StopIteration:
                    break
                except (OSError, RuntimeError):  # BrokenProcessPool is a RuntimeError
                    # no processes (a sandbox, a script without a main guard …): carry on here
                    self._update_here(run, [(p, s) for p, s in todo if p not in indexed], gone)
                    return
                indexed.update(paths)
                try:
                    self._commit_built(run, built, gone)
                finally:
                    shutil.rmtree(built.folder, ignore_errors=True)
                for stored in built.stored:
                    key = os.path.abspath(stored.info.path)
                    # the report holds the walk's own Path objects, not the copies each result
                    # brought back (50,000 of those were 40 MB, scattered among freed memory)
                    (report.updated if key in run.hashes else report.added).append(here.get(key, stored.info.path))
                report.unchanged += len(built.touched)
                report.skipped.extend(built.skipped)
                report.removed.extend(Path(entry.path) for entry in gone)
                gone = []
                done += built.files
                del built
                if run.progress is not None:
                    run.progress(done, len(todo))
        finally:
            builds.close()  # interrupted: stop the indexing processes now, not when collected
        if gone:  # nothing was built (cancelled at once): still remove what is gone
            writer = self._writer(run.wait)
            for entry in gone:
                writer.delete_by_term("id", entry.id)
            with _uninterrupted():
                writer.commit(mergetype=_merge_tiny)
                run.record([], [], gone)
            report.removed.extend(Path(entry.path) for entry in gone)

    def _commit_built(self, run: _Run, built: _Built, gone: list[StoredEntry]) -> None:
        """Commit a segment an indexing process wrote (and removals), and record it in the store."""
        if built.segment is None and not gone:  # nothing new: only files unchanged or unreadable
            run.record([], built.touched, [], (), built.skipped)
            return
        writer = self._writer(run.wait)
        try:
            for entry in gone:
                writer.delete_by_term("id", entry.id)
            for stored in built.stored:
                if os.path.abspath(stored.info.path) in run.hashes:
                    writer.delete_by_term("id", stored.info.id)  # its previous version
        except BaseException:
            writer.cancel()
            raise
        with _uninterrupted():
            try:
                segments = []
                if built.segment is not None:
                    _move_segment(Path(built.folder), self.directory, built.segment)
                    segments.append(built.segment)
                _commit_with(writer, segments)
            except BaseException:
                writer.cancel()
                raise
            run.record(built.stored, built.touched, gone, (), built.skipped)

    def _writer(self, wait: float) -> FastWriter:
        try:
            return FastWriter(self._ix, timeout=wait, limitmb=_LIMIT_MB)
        except LockError:
            raise IndexBusy("another reader is updating the search index") from None

    def _update_lock_object(self):  # type: ignore[no-untyped-def]
        self.directory.mkdir(parents=True, exist_ok=True)
        return _file_lock(self.directory / "UPDATE")

    @contextmanager
    def _update_lock(self, wait: float, busy: str = "another reader is updating the search index") -> Iterator[None]:
        lock = self._update_lock_object()
        deadline = time.monotonic() + wait
        while not lock.acquire(blocking=False):
            if time.monotonic() > deadline:
                raise IndexBusy(busy)
            time.sleep(0.1)
        try:
            yield
        finally:
            lock.release()


def _file_lock(path: Path):  # type: ignore[no-untyped-def]
    from whoosh.util.filelock import FileLock

    return FileLock(str(path))


@contextmanager
def _uninterrupted() -> Iterator[None]:
    """Hold back Ctrl+C (SIGINT) until the block is done, then raise it.

    A commit and its record in the document store are one step: interrupted
    between the two, the index and the store disagree and the next open rebuilds
    everything. Only the main thread receives signals, and only Python's default
    handler is replaced (a program with its own keeps it).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    received: list[int] = []
    signal.signal(signal.SIGINT, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if received:
        raise KeyboardInterrupt


def _has_files(folder: Path) -> bool:
    try:
        return any(not entry.name.endswith(("UPDATE", "WRITELOCK")) for entry in folder.iterdir())
    except OSError:
        return False


def _commit_with(writer: FastWriter, segments: list) -> None:  # type: ignore[type-arg]
    """Commit ``writer`` (its deletions) plus segments written elsewhere, merging nothing.

    Merging segments in Whoosh rewrites every posting in Python: the 8 smallest of
    15 segments (2,100 documents) took 20 s, more than indexing them.
    """
    final = writer._merge_segments(NO_MERGE, False, False)
    if writer._added:
        final.append(writer._finalize_segment())
    else:
        writer._close_segment()
    final.extend(segments)
    writer._commit_toc(final)
    writer._finish()


def _move_segment(source: Path, target: Path, segment) -> None:  # type: ignore[no-untyped-def]
    prefix = segment.segment_id()
    for name in os.listdir(source):
        if name.startswith(prefix):
            os.replace(source / name, target / name)


def _fields(schema: Schema, item: _Prepared, vocabulary: Counter[str]) -> dict[str, object]:
    """The document's field values, analysed; its body words are counted in ``vocabulary``."""
    info = item.stored.info
    body = analyze(item.stored.text)
    vocabulary.update(term for term in body if len(term) >= MIN_COMPLETION and term[0] < "\u2e80")
    return {
        "id": info.id,
        "title": analyzed(schema["title"], info.title),
        "source": analyzed(schema["source"], info.source),
        "sections": analyzed(schema["sections"], item.sections),
        "body": analyzed(schema["body"], body),
        "stemmed": analyzed_counts(schema["stemmed"], stemmed_counts(body, item.language)),
        "title_ng": analyzed_counts(schema["title_ng"], edge_terms(f"{info.title} {info.source}")),
        "within": analyzed_counts(schema["within"], dict.fromkeys(_ancestors(info.path), 1)),
    }


def _ancestors(path: Path) -> list[str]:
    """The ``within`` terms of a file: its path and every folder above it (as :func:`within_term`)."""
    absolute = Path(os.path.abspath(path))
    return [within_term(str(absolute)), *(within_term(str(parent)) for parent in absolute.parents)]


def within_term(path: str) -> str:
    """The ``within`` term of an absolute path: the path, its bytes that are not UTF-8 written ``\\xff``."""
    return term_text(path)


def _prepare(path: Path, parsed: Path) -> _Prepared | Skipped:
    try:
        document = read_document(path, cache=DocumentCache(parsed))
    except UnreadableDocument as error:
        return Skipped(path, error.reason)
    except Exception as error:  # noqa: BLE001 - one bad file never stops indexing
        return Skipped(path, f"could not be read ({type(error).__name__})")
    sections = "\n".join(section.title for section in document.sections)
    stored = StoredDocument(info_of(document), document.text_hash, document.text)
    return _Prepared(stored, sections, document.language)


# -- the indexing processes ------------------------------------------------------------------


def _build(paths: list[Path], hashes: dict[str, str], incoming: str) -> _Built:
    """In an indexing process: read ``paths`` and write the new documents as one segment."""
    from reader.core.processes import check_stop

    started = time.perf_counter()
    built = _Built(files=len(paths))
    folder = Path(incoming) / uuid.uuid4().hex
    folder.mkdir(parents=True)
    built.folder = str(folder)
    ix = whoosh_index.create_in(str(folder), make_schema(), indexname=INDEX_NAME)
    writer = FastWriter(ix, _lk=False, limitmb=_LIMIT_MB)
    schema = writer.schema
    vocabulary: Counter[str] = Counter()
    try:
        for path in paths:
            check_stop()  # the update was interrupted or cancelled: drop this piece now
            item = _prepare(path, Path(incoming).parent / PARSED)
            if isinstance(item, Skipped):
                built.skipped.append(item)
                continue
            info = item.stored.info
            if hashes.get(os.path.abspath(info.path)) == item.stored.hash:
                built.touched.append((info.id, info.size, info.mtime))
                continue
            writer.add_document(**_fields(schema, item, vocabulary))
            built.stored.append(
                StoredDocument(info, item.stored.hash, packed=pack_text(item.stored.text))
            )
        if vocabulary:
            # counted into the store from here: inserting tens of thousands of words a piece was
            # the biggest share of the updating thread's time, which in the app shares the
            # interpreter with the screen (a keystroke waited on it). Counts only grow, so a
            # piece dropped later merely over-counts (see DocStore.add_vocabulary).
            store = DocStore(Path(incoming).parent / "documents.sqlite")
            try:
                store.add_vocabulary(vocabulary.items())
            finally:
                store.close()
        if built.stored:
            built.segment = writer._finalize_segment()
            writer._finish()
        else:
            writer.cancel()
        built.seconds = time.perf_counter() - started
    except BaseException:
        writer.cancel()
        raise
    return built


def _chunks(todo: list[tuple[Path, int]], workers: int) -> list[list[Path]]:
    """Pieces of work: two small rounds first (early results), then a few big ones.

    Segments are never merged (a merge in Whoosh costs more than indexing the
    documents again), so the number of pieces is the number of segments: after
    a round of 512 KB and a round of 4 MB per process, the rest is cut into
    three pieces per process, or into pieces of at most ``_MAX_CHUNK`` where
    that makes more (an indexing process's memory grows with its piece). A file
    weighs its size plus ``_FILE_COST``, and a piece holds ``_MIN_FILES`` files
    or more, so a folder of empty files is a few pieces, not one a file. The
    files are dealt in a fixed pseudo-random order, so every piece has the
    same mix of kinds (a folder of Chinese text costs three times as much per
    byte as one of HTML): pieces of one size then take the same time, and the
    processes finish together.
    """
    # a file weighs its bytes plus what any file costs (an empty file is not free: 100,000 of them
    # weighed nothing, and each became a piece of work and a segment of its own)
    todo = [(path, size + _FILE_COST) for path, size in todo]
    todo = sorted(todo, key=lambda item: zlib.crc32(str(item[0]).encode("utf-8", "surrogatepass")))
    remaining = sum(size for _, size in todo)
    sizes: list[float] = []
    for size in (_FIRST_CHUNK, _FIRST_CHUNK * 8):
        if remaining > size * workers * 4:
            sizes.extend([size] * workers)
            remaining -= size * workers
    pieces = max(1, min(PIECES_PER_PROCESS * workers, remaining // _FIRST_CHUNK))
    pieces = max(pieces, -(-remaining // _MAX_CHUNK))
    sizes.extend([remaining / pieces] * int(pieces))
    chunks: list[list[Path]] = [[]]
    filled = 0
    for path, length in todo:
        if filled >= sizes[min(len(chunks) - 1, len(sizes) - 1)] and len(chunks[-1]) >= _MIN_FILES:
            chunks.append([])
            filled = 0
        chunks[-1].append(path)
        filled += length
    return [chunk for chunk in chunks if chunk]


def _build_all(
    todo: list[tuple[Path, int]],
    hashes: dict[str, str],
    incoming: Path,
    cancelled: Callable[[], bool] | None,
) -> Iterator[tuple[list[Path], _Built]]:
    """Every piece of work built by a pool of processes, as each finishes."""
    from concurrent.futures import FIRST_COMPLETED, Future
    from concurrent.futures import wait as wait_for

    from reader.core.processes import process_pool

    workers = min(os.cpu_count() or 2, 8)
    chunks = _chunks(todo, workers)
    with process_pool(workers) as pool:
        pending: set[Future[_Built]] = set()
        order: dict[Future[_Built], int] = {}
        next_chunk = 0

        def submit() -> None:
            nonlocal next_chunk
            future = pool.submit(_build, chunks[next_chunk], _hashes_for(chunks[next_chunk], hashes), str(incoming))
            order[future] = next_chunk
            pending.add(future)
            next_chunk += 1

        try:
            # one piece in flight per process, plus one queued: stopping early leaves little behind
            while next_chunk < len(chunks) and len(pending) < workers + 1:
                submit()
            while pending:
                # asked every 0.2 s, not only when a piece is done (a piece takes seconds)
                finished, _ = wait_for(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                if cancelled is not None and cancelled():
                    pool.stop()  # the pieces in flight are dropped, not waited for
                    return
                for future in sorted(finished, key=order.__getitem__):
                    pending.discard(future)
                    # forget the future once its piece is handed on: each holds its result (the
                    # documents' compressed texts), ~4 KB a document kept until the end otherwise
                    number = order.pop(future)
                    if next_chunk < len(chunks):
                        submit()
                    yield chunks[number], future.result()
        finally:
            for future in pending:
                future.cancel()


def _hashes_for(paths: list[Path], hashes: dict[str, str]) -> dict[str, str]:
    out = {}
    for path in paths:
        key = os.path.abspath(path)
        if key in hashes:
            out[key] = hashes[key]
    return out


def _generation(directory: Path) -> tuple[int, int] | None:
    """Which index a folder holds: its FORMAT stamp's inode and change time."""
    try:
        stat = (directory / "FORMAT").stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns)


# bytes of a segment's files: what an update of a few articles leaves behind. Whoosh merges
# segments at about 0.27 s per MB (measured: four segments of 20 KB to 2.8 MB of corpus
# files each, load ~3), so merging four of this size costs at most ~0.3 s; a segment of one
# long document (a book: several MB) is never merged in a commit.
_TINY_SEGMENT = 256 * 1024


def _merge_tiny(writer, segments):  # type: ignore[no-untyped-def]
    """Whoosh's merge policy for our commits: merge only the tiny segments, judged by size.

    Whoosh's default (MERGE_SMALL) may merge the big pieces of a first build on
    the next commit, even one of a single changed file (in one run of
    bench/search.py, after a build left 20 segments, a one-file update of the
    full corpus took 90 s, where the others took 0.25 s). Segments are judged by
    their bytes, not their documents: a library of long texts has few documents
    in every segment, and counting documents merged them all in the foreground.
    Updates of a few files each leave a tiny segment; once there are four, they
    are merged (cheap); the others are merged by :mod:`.optimize`, in a process
    of its own.
    """
    from whoosh.reading import SegmentReader

    from reader.core.search.optimize import segment_sizes

    sizes = segment_sizes(writer.storage, segments)
    tiny = [segment for segment in segments if sizes[segment.segment_id()] <= _TINY_SEGMENT]
    if len(tiny) < 4:
        return segments
    for segment in tiny:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in tiny]
