"""Merging the index's segments into one, in a process of its own, in nobody's way.

Every piece of a build is a Whoosh segment, and a search reads each term's
postings segment by segment: 20 segments typed at p95 17.6 ms where the same
index in one segment typed at 10.1 ms (docs/PERFORMANCE.md, Search). Whoosh's
own merge (``commit(optimize=True)``) rewrites every posting through its
pool and holds the write lock throughout (168 s on the corpus). Here:

- :func:`due` decides, after an update, whether a merge is worth it: the
  update added many documents, or the index has too many segments.
- :func:`start` runs ``python -m reader.core.search.optimize INDEX_DIR`` in a
  new session at the lowest priority, and does not wait for it (a
  ``reader index`` that started it exits; Ctrl+C in the terminal does not reach it).
- :func:`optimize` takes the ``OPTIMIZE`` lock (a second run does nothing),
  reads the list of segments (the snapshot) and writes their live documents
  as one new segment into a private folder (``merging/``), a term at a time,
  block by block (postings are copied with their document numbers shifted, not
  re-analysed). Meanwhile searches read the old segments and updates go on.
  Then it takes Whoosh's write lock for a moment: if every snapshot segment is
  still listed, the documents deleted from them since the snapshot are deleted
  from the new segment (by the map from old to new document numbers), the new
  segment's files are moved in and a table of contents that lists it instead
  of the snapshot segments is committed. Otherwise it gives up and changes
  nothing. The documents' ``id`` fields are unchanged, so the document store
  needs nothing.
- Killed at any point before that commit, the index is as it was; what it
  left in ``merging/`` is removed by the next run.
"""

from __future__ import annotations

import argparse
import heapq
import os
import shutil
import subprocess
import sys
import time
import uuid
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files

from reader.core.search.codec import codec
from reader.core.search.index import INDEX_NAME, _file_lock, _generation
from reader.core.search.stamp import DAMAGED, FORMAT_VERSION
from reader.core.search.stamp import read_stamp as _read_stamp

__all__ = ["DISABLE_ENV", "Outcome", "due", "optimize", "running", "segment_sizes", "start"]

LOCK = "OPTIMIZE"  # held for a whole run: a second run does nothing
MERGING = "merging"  # the private folder the merged segment is written into
DISABLE_ENV = "READER_NO_OPTIMIZE"  # set (to anything but "" or "0"): updates never start a merge
LARGE_UPDATE = 1000  # documents added or changed by one update: merge after it …
MAX_SEGMENTS = 8  # … or when the index has more segments than this
_LOCK_WAIT = 600.0  # seconds to wait for Whoosh's write lock at the end (an update holds it)
_NICE = 19


@dataclass
class Outcome:
    """What a run did: ``merged`` (and how), or why not."""

    state: str  # "merged", "busy", "nothing to do", "abandoned"
    reason: str = ""
    segments_before: int = 0
    documents: int = 0
    deleted_meanwhile: int = 0
    seconds: float = 0.0


# -- deciding and starting ----------------------------------------------------------------


def disabled() -> bool:
    return os.environ.get(DISABLE_ENV, "") not in ("", "0")


def segment_sizes(storage, segments) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Each segment's size in bytes: its files in the index folder (by segment id)."""
    sizes = {segment.segment_id(): 0 for segment in segments}
    for name in storage.list():
        prefix, dot, _ = name.partition(".")
        if dot and prefix in sizes:
            try:
                sizes[prefix] += storage.file_length(name)
            except OSError:
                pass
    return sizes


def due(directory: Path, changed: int) -> bool:
    """Whether a merge is worth starting after an update that added or changed ``changed`` documents."""
    if disabled() or running(directory):
        return False
    try:
        ix = whoosh_index.open_dir(str(directory), indexname=INDEX_NAME)
        count = len(ix._segments())
    except Exception:  # noqa: BLE001 - no index, or a damaged one: its next open rebuilds it
        return False
    return count > 1 and (changed >= LARGE_UPDATE or count > MAX_SEGMENTS)


def running(directory: Path) -> bool:
    """Whether a merge of the index in ``directory`` is under way."""
    if not (directory / LOCK).exists():
        return False
    lock = _file_lock(directory / LOCK)
    if lock.acquire(blocking=False):
        lock.release()
        return False
    return True


def start(directory: Path, *, hold: Path | None = None) -> subprocess.Popen[bytes] | None:
    """Run a merge of the index in ``directory`` in a process of its own; do not wait for it.

    ``hold`` (tests): the merge stops before its commit until ``hold/release`` exists
    (it creates ``hold/reached`` when it gets there).
    """
    command = [sys.executable, "-m", "reader.core.search.optimize", str(directory)]
    if hold is not None:
        command += ["--hold", str(hold)]
    # the package this module was imported from, wherever the process was started
    package_root = str(Path(__file__).resolve().parents[3])
    path = os.environ.get("PYTHONPATH", "")
    env = {**os.environ, "PYTHONPATH": package_root + (os.pathsep + path if path else "")}
    try:
        return subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: a Ctrl+C in the terminal is not for it
            close_fds=True,
        )
    except OSError:
        return None


# -- merging --------------------------------------------------------------------------------


@dataclass
class _Source:
    """One snapshot segment: where its documents go in the merged one."""

    segment: object
    deleted: frozenset[int]
    base: int  # new number of its first live document
    numbers: array | None = None  # new number of each document (-1: deleted), when it has deletions
    live: int = 0


@dataclass
class _Merged:
    folder: Path
    segment: object
    sources: list[_Source] = field(default_factory=list)


def optimize(directory: Path, *, hold: Path | None = None) -> Outcome:
    """Merge every segment of the index in ``directory`` into one (see the module's notes)."""
    started = time.perf_counter()
    directory = Path(directory)
    if not (directory / "FORMAT").exists() or _read_stamp(directory / "FORMAT") != FORMAT_VERSION:
        return Outcome("nothing to do", "no index here")
    lock = _file_lock(directory / LOCK)
    if not lock.acquire(blocking=False):
        return Outcome("busy", "another merge is running")
    try:
        outcome = _optimize(directory, hold)
    finally:
        lock.release()
    outcome.seconds = time.perf_counter() - started
    return outcome


def _optimize(directory: Path, hold: Path | None) -> Outcome:
    private = directory / MERGING
    shutil.rmtree(private, ignore_errors=True)  # what a killed run left
    if (directory / DAMAGED).exists():
        return Outcome("nothing to do", "the index is damaged")
    generation = _generation(directory)
    storage = FileStorage(str(directory), supports_mmap=False)
    toc = TOC.read(storage, INDEX_NAME)
    snapshot = list(toc.segments)
    if len(snapshot) < 2:
        return Outcome("nothing to do", "one segment", len(snapshot))
    try:
        try:
            merged = _merge(storage, toc.schema, snapshot, private)
        except FileNotFoundError:  # an update's commit merged some of them away meanwhile
            return Outcome("abandoned", "a segment was removed meanwhile", len(snapshot))
        if hold is not None:
            _wait_for_release(hold)
        outcome = _commit(directory, storage, merged, generation)
    finally:
        shutil.rmtree(private, ignore_errors=True)
    outcome.segments_before = len(snapshot)
    return outcome


def _merge(storage, schema, snapshot: list, private: Path) -> _Merged:  # type: ignore[no-untyped-def, type-arg]
    """Write the live documents of ``snapshot`` as one segment in a private folder."""
    folder = private / uuid.uuid4().hex
    folder.mkdir(parents=True)
    out = FileStorage(str(folder), supports_mmap=False)
    writer_codec = codec()
    segment = writer_codec.new_segment(out, INDEX_NAME)
    merged = _Merged(folder, segment)
    base = 0
    for old in snapshot:
        deleted = frozenset(old.deleted_docs()) if old.has_deletions() else frozenset()
        source = _Source(old, deleted, base)
        if deleted:
            numbers = array("i", [-1]) * old.doc_count_all()
            for docnum in range(old.doc_count_all()):
                if docnum not in deleted:
                    numbers[docnum] = base + source.live
                    source.live += 1
            source.numbers = numbers
        else:
            source.live = old.doc_count_all()
        base += source.live
        merged.sources.append(source)
    lengths = _write_documents(storage, out, writer_codec, schema, segment, merged.sources)
    _write_postings(storage, out, writer_codec, schema, segment, merged.sources, lengths)
    segment.set_doc_count(base)
    return merged


def _write_documents(storage, out, writer_codec, schema, segment, sources) -> dict[str, array]:  # type: ignore[no-untyped-def]
    """Stored fields and field lengths, document by document; the lengths are returned too."""
    writer = writer_codec.per_document_writer(out, segment)
    names = [name for name in schema.names() if not name.startswith("_")]
    lengths: dict[str, array] = {name: array("I") for name in names if schema[name].scorable}
    # the totals of the field lengths, which BM25 averages: the sources' exact totals, less
    # the deleted documents' (a document's own length is kept to within a few per cent)
    totals: dict[str, int] = {}
    for source in sources:
        for name, total in source.segment._fieldlengths.items():
            totals[name] = totals.get(name, 0) + total
    docnum = 0
    for source in sources:
        reader = source.segment.codec().per_document_reader(storage, source.segment)
        try:
            for old in range(source.segment.doc_count_all()):
                if old in source.deleted:
                    for name in lengths:
                        if name in totals:
                            totals[name] -= reader.doc_field_length(old, name) or 0
                    continue
                stored = reader.stored_fields(old)
                writer.start_doc(docnum)
                for name in names:
                    length = reader.doc_field_length(old, name) if name in lengths else 0
                    if name in lengths:
                        lengths[name].append(length or 0)
                    writer.add_field(name, schema[name], stored.get(name), length)
                writer.finish_doc()
                docnum += 1
        finally:
            reader.close()
    writer.close()
    segment._fieldlengths = {name: max(0, total) for name, total in totals.items()}
    return lengths


def _write_postings(storage, out, writer_codec, schema, segment, sources, lengths) -> None:  # type: ignore[no-untyped-def]
    """Every term's postings, from each segment in turn, with document numbers shifted."""
    readers = [source.segment.codec().terms_reader(storage, source.segment) for source in sources]
    writer = writer_codec.field_writer(out, segment)
    try:
        fields = sorted({name for reader in readers for name in reader.indexed_field_names()} & set(schema.names()))
        for fieldname in fields:
            fieldobj = schema[fieldname]
            fmt = fieldobj.format
            lens = lengths.get(fieldname)
            writer.start_field(fieldname, fieldobj)
            postings = writer._postwriter
            for btext, holders in _merged_terms(readers, fieldname):
                writer.start_term(btext)
                for number, terminfo in holders:
                    _copy_postings(postings, readers[number], terminfo, fmt, sources[number], lens)
                if postings.written() or len(postings):
                    writer.finish_term()
                else:  # every document holding it was deleted
                    postings._terminfo = None
            writer.finish_field()
    finally:
        writer.close()
        for reader in readers:
            reader.close()


def _merged_terms(readers, fieldname: str) -> Iterator[tuple[bytes, list[tuple[int, object]]]]:  # type: ignore[no-untyped-def]
    """The field's terms in order, each with the segments holding it (in segment order)."""

    def terms(number: int):  # type: ignore[no-untyped-def]
        reader = readers[number]
        if fieldname not in reader._fieldmap:
            return
        for (name, btext), terminfo in reader.items_from(fieldname, b""):
            if name != fieldname:
                return
            yield btext, number, terminfo

    current: bytes | None = None
    holders: list[tuple[int, object]] = []
    for btext, number, terminfo in heapq.merge(*(terms(n) for n in range(len(readers))), key=lambda t: (t[0], t[1])):
        if btext != current:
            if holders:
                yield current, holders  # type: ignore[misc]
            current, holders = btext, []
        holders.append((number, terminfo))
    if holders:
        yield current, holders  # type: ignore[misc]


def _copy_postings(postings, reader, terminfo, fmt, source: _Source, lens) -> None:  # type: ignore[no-untyped-def]
    add = postings.add_posting
    numbers = source.numbers
    base = source.base
    for ids, weights, values in _blocks(reader, terminfo, fmt):
        for old, weight, value in zip(ids, weights, values):
            new = base + old if numbers is None else numbers[old]
            if new < 0:
                continue
            add(new, weight, value or b"", lens[new] if lens is not None else 0)


def _blocks(reader, terminfo, fmt) -> Iterator[tuple]:  # type: ignore[no-untyped-def, type-arg]
    """A term's postings as (ids, weights, values) a block at a time."""
    if terminfo.is_inlined():
        ids, weights, values = terminfo.inlined_postings()
        yield ids, weights, values or (None,) * len(ids)
        return
    offset, length = terminfo.extent()
    matcher = W3LeafMatcher(reader._postfile, offset, length, fmt)
    while True:
        matcher._read_ids()
        matcher._read_weights()
        matcher._read_values()
        yield matcher._ids, matcher._weights, matcher._values
        if matcher._lastblock:
            return
        matcher._goto(matcher._nextoffset)


def _commit(directory: Path, storage, merged: _Merged, generation) -> Outcome:  # type: ignore[no-untyped-def]
    """Swap the merged segment in for the snapshot segments, under the write lock, if they are all still there."""
    writelock = _file_lock(directory / f"{INDEX_NAME}_WRITELOCK")
    deadline = time.monotonic() + _LOCK_WAIT
    while not writelock.acquire(blocking=False):
        if time.monotonic() > deadline:
            return Outcome("abandoned", "the index stayed locked")
        time.sleep(0.05)
    try:
        if _generation(directory) != generation or (directory / DAMAGED).exists():
            return Outcome("abandoned", "the index was rebuilt meanwhile")
        toc = TOC.read(storage, INDEX_NAME)
        current = {segment.segment_id(): segment for segment in toc.segments}
        if any(source.segment.segment_id() not in current for source in merged.sources):
            return Outcome("abandoned", "the segments changed meanwhile")
        segment = merged.segment
        deleted_meanwhile = 0
        for source in merged.sources:
            now = current[source.segment.segment_id()]
            for old in set(now.deleted_docs()) - source.deleted if now.has_deletions() else ():
                new = source.base + old if source.numbers is None else source.numbers[old]
                if new >= 0:
                    segment.delete_document(new)
                    deleted_meanwhile += 1
        replaced = {source.segment.segment_id() for source in merged.sources}
        segments = []
        for old in toc.segments:
            if old.segment_id() not in replaced:
                segments.append(old)
            elif segment not in segments:
                segments.append(segment)
        prefix = segment.segment_id()
        for name in os.listdir(merged.folder):
            if name.startswith(prefix):
                os.replace(merged.folder / name, directory / name)
        TOC(toc.schema, segments, toc.generation + 1).write(storage, INDEX_NAME)
        # The replaced segments' files stay until the next commit of an update: a searcher
        # opened before this commit opens some of its segments' files only when it first
        # needs them (stored fields, field lengths), and they must still be there. Older
        # leftovers go now.
        clean_files(storage, INDEX_NAME, toc.generation + 1, [*segments, *toc.segments])
    finally:
        writelock.release()
    documents = segment.doc_count()
    return Outcome("merged", documents=documents, deleted_meanwhile=deleted_meanwhile)


def _wait_for_release(hold: Path) -> None:
    hold.mkdir(parents=True, exist_ok=True)
    (hold / "reached").write_text(str(os.getpid()), encoding="utf-8")
    while not (hold / "release").exists():
        time.sleep(0.02)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reader.core.search.optimize", description=__doc__.split("\n")[0])
    parser.add_argument("index", type=Path, help="the index folder")
    parser.add_argument("--hold", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    try:
        os.nice(_NICE)
    except (AttributeError, OSError):
        pass
    try:
        outcome = optimize(options.index, hold=options.hold)
    except Exception as error:  # noqa: BLE001 - one line, never a traceback
        print(f"optimize {options.index}: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    detail = f" ({outcome.reason})" if outcome.reason else ""
    print(f"optimize {options.index}: {outcome.state}{detail}; {outcome.segments_before} segments, "
          f"{outcome.documents} documents, {outcome.seconds:.1f} s")
    return 0 if outcome.state in ("merged", "busy", "nothing to do") else 2


if __name__ == "__main__":
    raise SystemExit(main())
