"""The documents behind the index: what was indexed, when, and its text.

An SQLite file next to the Whoosh index. Each row of ``docs`` holds a
document's summary (what the list shows) and the file's size, mtime and text
hash (to tell what changed); ``texts`` holds its normalized text, compressed
(for snippets and hit counts without reading the file again). Apart, because
a table scan reads every page of the table: with the texts inline, listing
16,500 summaries read ~60 MB of pages (0.12 s of CPU before a row was built). The files that were read and could not be
indexed (binary, damaged, unreadable) are remembered with their size and
change time, so they are not read again until they change. A third table counts, for each body word of
three characters or more, the documents it is in: the word being typed is
completed from it. It is a cache: deleting it rebuilds it.

Paths are kept losslessly: a file name that is not UTF-8 (held by Python as lone
surrogates) is written as its bytes, cast to TEXT, and read back as bytes
(``CAST(path AS BLOB)``) and decoded as the file system does. A UTF-8 path is
stored exactly as before.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reader.core.file_names import from_bytes, has_surrogates, name_bytes, replace_bad_bytes
from reader.core.library import DocumentInfo

__all__ = ["DocStore", "SkippedEntry", "StoredEntry", "StoredDocument", "pack_text"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    format TEXT, title TEXT, source TEXT, date TEXT, encoding TEXT,
    words INTEGER, sections INTEGER, minutes INTEGER,
    size INTEGER, mtime REAL, hash TEXT,
    pages INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS texts (id TEXT PRIMARY KEY, text BLOB);
CREATE TABLE IF NOT EXISTS vocab (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS skipped (path TEXT PRIMARY KEY, size INTEGER, changed INTEGER, reason TEXT) WITHOUT ROWID;
"""


@dataclass(frozen=True, slots=True)
class StoredEntry:
    id: str
    path: str
    size: int
    mtime: float
    hash: str


@dataclass(frozen=True, slots=True)
class SkippedEntry:
    """A file read once and not indexed: why, and the size and change time (ns) it had."""

    path: str
    size: int
    changed: int
    reason: str


@dataclass(frozen=True, slots=True)
class StoredDocument:
    info: DocumentInfo
    hash: str
    text: str = ""
    packed: bytes = b""  # the text already compressed (by an indexing process)

    def compressed(self) -> bytes:
        return self.packed or pack_text(self.text)


def pack_text(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 1)


class DocStore:
    """A connection to the store; one thread uses it at a time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        # used by one thread at a time, not always the one that opened it (a pool of searchers)
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM docs").fetchone()[0])

    def entries(self) -> dict[str, StoredEntry]:
        """What was indexed, by absolute path (a string: 16,500 ``Path`` objects cost 0.2 s)."""
        rows = self._db.execute("SELECT id, CAST(path AS BLOB), size, mtime, hash FROM docs")
        entries = {}
        for i, p, s, m, h in rows:
            p = from_bytes(p)
            entries[p] = StoredEntry(i, p, s, m, h)
        return entries

    def put(self, documents: Iterable[StoredDocument]) -> None:
        documents = list(documents)
        rows = [
            (
                d.info.id,
                _db_path(str(d.info.path)),
                d.info.format,
                d.info.title,
                d.info.source,
                d.info.date,
                d.info.encoding,
                d.info.words,
                d.info.sections,
                d.info.minutes,
                d.info.size,
                d.info.mtime,
                d.hash,
                d.info.pages,
            )
            for d in documents
        ]
        texts = [(d.info.id, d.compressed()) for d in documents]
        with self._transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO docs VALUES (?,CAST(? AS TEXT),?,?,?,?,?,?,?,?,?,?,?,?)", rows
            )
            self._db.executemany("INSERT OR REPLACE INTO texts VALUES (?,?)", texts)
            self._db.executemany("DELETE FROM skipped WHERE path=CAST(? AS TEXT)", [(row[1],) for row in rows])

    def skipped(self) -> dict[str, SkippedEntry]:
        """The files read before and not indexed, by absolute path."""
        rows = self._db.execute("SELECT CAST(path AS BLOB), size, changed, reason FROM skipped")
        entries = {}
        for p, s, c, r in rows:
            p = from_bytes(p)
            entries[p] = SkippedEntry(p, s, c, r)
        return entries

    def remember_skipped(self, entries: Iterable[SkippedEntry]) -> None:
        rows = [(_db_path(e.path), e.size, e.changed, replace_bad_bytes(e.reason)) for e in entries]
        if rows:
            with self._transaction():
                self._db.executemany("INSERT OR REPLACE INTO skipped VALUES (CAST(? AS TEXT),?,?,?)", rows)

    def forget_skipped(self, paths: Iterable[str]) -> None:
        rows = [(_db_path(path),) for path in paths]
        if rows:
            with self._transaction():
                self._db.executemany("DELETE FROM skipped WHERE path=CAST(? AS TEXT)", rows)

    def touch(self, entries: Iterable[tuple[str, int, float]]) -> None:
        """Record a new size and mtime for files whose text did not change."""
        with self._transaction():
            self._db.executemany("UPDATE docs SET size=?, mtime=? WHERE id=?", [(s, m, i) for i, s, m in entries])

    def delete(self, ids: Iterable[str]) -> None:
        rows = [(i,) for i in ids]
        with self._transaction():
            self._db.executemany("DELETE FROM docs WHERE id=?", rows)
            self._db.executemany("DELETE FROM texts WHERE id=?", rows)

    def text(self, doc_id: str, limit: int | None = None) -> str:
        """The document's normalized text; with ``limit``, only its first ``limit`` characters
        (decompressing only as much as that needs: a snippet of a 2 MB book costs no more
        than one of an article)."""
        row = self._db.execute("SELECT text FROM texts WHERE id=?", (doc_id,)).fetchone()
        if not row or row[0] is None:
            return ""
        if limit is None:
            return zlib.decompress(row[0]).decode("utf-8")
        head = zlib.decompressobj().decompress(row[0], limit * 4)
        return head.decode("utf-8", errors="ignore")[:limit]

    def clear(self) -> None:
        with self._transaction():
            self._db.execute("DELETE FROM docs")
            self._db.execute("DELETE FROM texts")
            self._db.execute("DELETE FROM vocab")
            self._db.execute("DELETE FROM skipped")

    def add_vocabulary(self, counts: Iterable[tuple[str, int]]) -> None:
        """Count more documents for body words (the completions offered while typing).

        Counts only grow: a word whose documents were all removed keeps its count until
        the next rebuild, and merely costs a look-up that finds nothing.
        """
        with self._transaction():
            self._db.executemany(
                "INSERT INTO vocab VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
                counts,
            )

    def completions(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        """The most common body words starting with ``prefix`` (three characters or more)."""
        end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        rows = self._db.execute(
            "SELECT term, df FROM vocab WHERE term >= ? AND term < ? ORDER BY df DESC LIMIT ?",
            (prefix, end, limit),
        )
        return [(term, df) for term, df in rows]

    def words_from(self, first: str, shortest: int, longest: int) -> list[tuple[str, int]]:
        """Body words beginning with the character ``first``, ``shortest`` to ``longest``
        characters long, with their document counts: the candidates of a "did you mean"
        (for ``goverment``, 3,500 of the corpus's 257,000 words)."""
        rows = self._db.execute(
            "SELECT term, df FROM vocab WHERE term >= ? AND term < ? AND length(term) BETWEEN ? AND ?",
            (first, chr(ord(first) + 1), shortest, longest),
        )
        return rows.fetchall()

    def ids(self) -> set[str]:
        return {row[0] for row in self._db.execute("SELECT id FROM docs")}

    def check(self) -> None:
        """Raise if the file is not a readable database: its schema, every page of the summaries
        and the last pages of the texts are read (``PRAGMA quick_check`` reads every page: 0.25 s
        for the corpus's 57 MB at each start). Damage further inside the texts shows when a text is
        read, and a search that meets it has the index rebuilt."""
        self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        self._db.execute("SELECT count(*), max(size) FROM docs").fetchone()
        self._db.execute("SELECT length(text) FROM texts ORDER BY rowid DESC LIMIT 1").fetchone()

    def infos(self, ids: Iterable[str] | None = None, *, under: list[str] | None = None) -> list[DocumentInfo]:
        """The summaries of the documents ``ids`` (default: all), or of those ``under`` these absolute paths."""
        columns = "id, CAST(path AS BLOB), format, title, source, date, words, sections, minutes, size, mtime, encoding, pages"
        if under is not None:
            # a path is a root or starts with the root and a separator: a range of the path index
            clauses, values = [], []
            for root in under:
                folder = root.rstrip("/") + "/"
                clauses.append(
                    "path = CAST(? AS TEXT) OR (path >= CAST(? AS TEXT) AND path < CAST(? AS TEXT))"
                )
                values += [_db_path(root), _db_path(folder), _db_path(folder[:-1] + chr(ord("/") + 1))]
            # a scan, not the path index: listing a library reads most rows, and a scan of 16,500
            # took 35 ms of CPU where the index and a look-up per row took 60 ms
            rows = self._db.execute(f"SELECT {columns} FROM docs NOT INDEXED WHERE {' OR '.join(clauses)}", values)
        elif ids is None:
            rows = self._db.execute(f"SELECT {columns} FROM docs")
        else:
            wanted = list(ids)
            rows = self._db.execute(f"SELECT {columns} FROM docs WHERE id IN ({','.join('?' * len(wanted))})", wanted)
        return [
            DocumentInfo(i, from_bytes(p), f, t, s, d, w, n, m, z, mt, e, pg)  # type: ignore[arg-type] # a Path when read
            for i, p, f, t, s, d, w, n, m, z, mt, e, pg in rows
        ]

    def _transaction(self):  # type: ignore[no-untyped-def]
        return _Transaction(self._db)


def _db_path(path: str) -> str | bytes:
    """A path as the store binds it (with ``CAST(? AS TEXT)``): its bytes when it is not UTF-8."""
    return name_bytes(path) if has_surrogates(path) else path


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *_: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
