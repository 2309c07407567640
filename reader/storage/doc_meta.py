"""Every document's tags, state and star at once, without reading every shard.

The list and the search filter need the values of the whole library at start (and
on every keystroke of a ``tag:`` query); parsing 16,000 YAML shards for that takes
seconds. The values are written in the shards (the truth, hand-editable); this
SQLite file beside the store (``doc-meta.sqlite``) keeps a copy of each, with the
size and mtime (ns) of the shard it was taken from:

- the store writes a shard's row right after writing the shard, under its lock;
- :meth:`MetaIndex.snapshot` lists the notes folder, and reads again only the shards
  whose size or mtime differ from their row (a hand edit, another reader version,
  a file copied in); a shard without any of the keys is not parsed at all;
- a document first listed gets a row with ``added`` (first seen) even when it has
  no shard; the store copies that time into the shard when it first writes one.

It is a cache: deleting it loses only the first-seen times of documents never
organised, which become the time it is rebuilt.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.notes import now
from reader.core.organise import DocMeta

if TYPE_CHECKING:
    from reader.storage.store import Store

__all__ = ["MetaIndex", "MetaSnapshot", "META_FILE"]

META_FILE = "doc-meta.sqlite"
_SUFFIX = ".yaml"
_DOC_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")
_META_KEY = re.compile(rb"^(?:tags|state|favourite|added)\s*:", re.MULTILINE)
_POSITION = re.compile(rb"^position\s*:", re.MULTILINE)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    id TEXT PRIMARY KEY,
    tags TEXT NOT NULL DEFAULT '[]', state TEXT NOT NULL DEFAULT 'inbox',
    favourite INTEGER NOT NULL DEFAULT 0, added TEXT NOT NULL DEFAULT '', opened INTEGER NOT NULL DEFAULT 0,
    mtime_ns INTEGER, size INTEGER, problem TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
"""
_UPSERT = (
    "INSERT INTO meta (id, tags, state, favourite, added, opened, mtime_ns, size, problem) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET tags=excluded.tags, state=excluded.state, "
    "favourite=excluded.favourite, added=CASE WHEN excluded.added != '' THEN excluded.added ELSE meta.added END, "
    "opened=excluded.opened, mtime_ns=excluded.mtime_ns, size=excluded.size, problem=excluded.problem"
)


@dataclass
class MetaSnapshot:
    """The values of every document known, and the shards whose values did not read."""

    metas: dict[str, DocMeta] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # "FILE: line L, column C: …"

    def get(self, doc_id: str) -> DocMeta:
        return self.metas.get(doc_id) or DocMeta()


class MetaIndex:
    """The copy of every document's values; safe across threads (one connection, a lock) and processes."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.path = store.data_dir / META_FILE
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._db = self._open()
            except sqlite3.DatabaseError:  # damaged: it is a cache, start it again
                for suffix in ("", "-wal", "-shm"):
                    try:
                        os.unlink(f"{self.path}{suffix}")
                    except OSError:
                        pass
                self._db = self._open()
        return self._db

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_SCHEMA)
        return db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # -- writing ------------------------------------------------------------------------------

    def record(self, doc_id: str, meta: DocMeta, shard: Path | None, problem: str = "") -> None:
        """Keep ``meta`` as read from (or written to) ``shard``; errors are dropped (the next snapshot repairs)."""
        try:
            stamp = _stamp(shard) if shard is not None else (None, None)
            with self._lock:
                self._connect().execute(_UPSERT, _row(doc_id, meta, stamp, problem))
        except (OSError, sqlite3.Error):
            pass

    def added(self, doc_id: str) -> str:
        """When ``doc_id`` was first seen, "" when never."""
        try:
            with self._lock:
                row = self._connect().execute("SELECT added FROM meta WHERE id = ?", (doc_id,)).fetchone()
        except sqlite3.Error:
            return ""
        return row[0] if row else ""

    # -- reading ------------------------------------------------------------------------------

    def snapshot(self, seen: Iterable[str] = ()) -> MetaSnapshot:
        """Every document's values, the shards changed behind the store's back read again.

        ``seen``: the ids of the documents listed now; those never seen before are
        recorded as added now.
        """
        try:
            with self._lock:
                return self._snapshot(self._connect(), seen)
        except (sqlite3.Error, OSError):
            return self._without_cache()

    def _snapshot(self, db: sqlite3.Connection, seen: Iterable[str]) -> MetaSnapshot:
        rows = {row[0]: row for row in db.execute("SELECT * FROM meta")}
        stale: list[tuple[str, str, tuple[int, int]]] = []
        on_disk: set[str] = set()
        for doc_id, path, stamp in _shards(self.store.notes_dir):
            on_disk.add(doc_id)
            row = rows.get(doc_id)
            if row is None or (row[6], row[7]) != stamp:
                stale.append((doc_id, path, stamp))
        changes = [self._read(doc_id, path, stamp) for doc_id, path, stamp in stale]
        for doc_id, row in rows.items():  # a shard gone: the values go with it (first seen stays)
            if row[6] is not None and doc_id not in on_disk:
                changes.append(_row(doc_id, DocMeta(added=row[4]), (None, None), ""))
        when = now()
        changes.extend(
            _row(doc_id, DocMeta(added=when), (None, None), "") for doc_id in seen if doc_id not in rows
        )
        if changes:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany(_UPSERT, changes)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            rows = {row[0]: row for row in db.execute("SELECT * FROM meta")}
        snapshot = MetaSnapshot()
        for doc_id, row in rows.items():
            snapshot.metas[doc_id] = _meta_of(row)
            if row[8]:
                snapshot.problems.append(row[8])
        return snapshot

    def _read(self, doc_id: str, path: str, stamp: tuple[int, int]) -> tuple[object, ...]:
        """A shard's row: the values read cheaply when it names none, else through the store."""
        try:
            raw = Path(path).read_bytes()
        except OSError:
            raw = b""
        if not _META_KEY.search(raw):
            return _row(doc_id, DocMeta(opened=bool(_POSITION.search(raw))), stamp, "")
        shard = self.store.load(doc_id)
        problem = ""
        if shard.meta_problems:
            problem = f"{path}: {shard.meta_problems[0]}; shown as inbox, the file is left as it is"
        return _row(doc_id, shard.meta, stamp, problem)

    def _without_cache(self) -> MetaSnapshot:
        snapshot = MetaSnapshot()
        for doc_id, _path, _stamp in _shards(self.store.notes_dir):
            snapshot.metas[doc_id] = self.store.load(doc_id).meta
        return snapshot


def _shards(folder: Path) -> Iterable[tuple[str, str, tuple[int, int]]]:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    valid = _DOC_ID.fullmatch
    for entry in entries:
        name = entry.name
        if not name.endswith(_SUFFIX) or not valid(name, 0, len(name) - len(_SUFFIX)):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        yield name[: -len(_SUFFIX)], entry.path, (info.st_mtime_ns, info.st_size)


def _stamp(path: Path) -> tuple[int | None, int | None]:
    try:
        info = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return None, None
    return info.st_mtime_ns, info.st_size


def _row(doc_id: str, meta: DocMeta, stamp: tuple[int | None, int | None], problem: str) -> tuple[object, ...]:
    tags = json.dumps(list(meta.tags), ensure_ascii=False)
    return (doc_id, tags, meta.state, int(meta.favourite), meta.added, int(meta.opened), *stamp, problem)


def _meta_of(row: tuple[object, ...]) -> DocMeta:
    try:
        tags = tuple(str(tag) for tag in json.loads(str(row[1])))
    except ValueError:
        tags = ()
    return DocMeta(tags, str(row[2]), bool(row[3]), str(row[4]), bool(row[5]))
