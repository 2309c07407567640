"""The notes store: notes, bookmarks and reading positions, one YAML file per document.

Layout under the data folder::

    store.lock               the only thing ever locked; never renamed
    notes/<doc-id>.yaml      one document's shard (layout in ``shard_file``)
    notes/<doc-id>.yaml.bak  the last good copy, refreshed when the shard is older than BACKUP_AGE

Every change is one save, under the lock (``locking.FileLock``: a threading lock
plus ``flock`` on ``store.lock``): read the shard again (parsed again only when its
bytes differ from what this store last saw), apply the change by the merge rules
(higher ``rev`` wins, then the later ``updated`` instant, a future time counting as
now; deletions are tombstones; the position is newest-wins),
check, dump, read the dump back, refresh the ``.bak`` copy if due, and write the
file atomically. Only the one shard is read and written, so a save costs the same
in a library of ten documents or ten thousand, and another instance's changes made
since we loaded are kept rather than overwritten.

A shard that does not parse or fails its checks is never written: ``load`` gives
it read-only, with a one-line ``problem`` naming file, line and column, and the
notes of its ``.bak`` copy where that one is good.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from reader.core.notes import DocumentRef, Note, Position, clamped
from reader.core.organise import Change, DocMeta
from reader.storage.atomic import atomic_write
from reader.storage.doc_meta import MetaIndex
from reader.storage.locking import FileLock
from reader.storage.regular_file import NotReadable, read_regular
from reader.storage.shard_file import SCHEMA_VERSION, ShardData, ShardFileError, dump_shard, parse_shard
from reader.storage.shard_paths import NOTES_FOLDER, SHARD_SUFFIX as _SUFFIX

__all__ = ["Store", "Shard", "StoreError", "NOTES_FOLDER", "LOCK_FILE", "BACKUP_AGE"]

LOCK_FILE = "store.lock"
BACKUP_AGE = 300.0  # seconds a shard must be left alone before a save refreshes its .bak
_BACKUP = ".bak"
_REMEMBERED = 64  # shards whose last seen bytes and parse are kept
_DOC_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")
_TEMP_FILE = re.compile(r"\.[A-Za-z0-9][A-Za-z0-9_.-]*\.yaml(?:\.bak)?\.[A-Za-z0-9_]+\.tmp")


class StoreError(Exception):
    """A store operation that failed; one line naming the file (and line and column)."""


@dataclass
class Shard:
    """One document's notes as loaded."""

    document: DocumentRef | None  # None when nothing is stored for the document yet
    notes: list[Note] = field(default_factory=list)  # live notes, no tombstones, by target.start
    position: Position | None = None
    read_only: bool = False  # the file does not parse or fails its checks: it is never written
    problem: str = ""  # one line for the user when read_only, or when the .bak copy was used
    doc_id: str = ""
    meta: DocMeta = field(default_factory=DocMeta)  # tags, state, star (a value that does not read: the default)
    meta_problems: list[str] = field(default_factory=list)  # "line L, column C: …" for each such value


@dataclass(frozen=True, slots=True)
class _Seen:
    """A shard's bytes as this store last read or wrote them, and their parse."""

    raw: bytes
    data: ShardData


class Store:
    """Notes, bookmarks and positions under ``data_dir``; safe across threads and processes."""

    def __init__(self, data_dir: Path, *, backup_age: float = BACKUP_AGE) -> None:
        self.data_dir = Path(data_dir)
        self.notes_dir = self.data_dir / NOTES_FOLDER
        self.lock_path = self.data_dir / LOCK_FILE
        self.backup_age = backup_age
        self._lock = FileLock(self.lock_path)
        self._seen: OrderedDict[str, _Seen] = OrderedDict()
        self._seen_lock = threading.Lock()
        self._meta_index: MetaIndex | None = None

    @property
    def meta_index(self) -> MetaIndex:
        """The copy of every document's tags, state and star (``doc_meta``), kept in step by every save."""
        if self._meta_index is None:
            self._meta_index = MetaIndex(self)
        return self._meta_index

    def path_of(self, doc_id: str) -> Path:
        """The shard file of ``doc_id``; StoreError for an id that cannot name a file."""
        if not isinstance(doc_id, str) or not _DOC_ID.fullmatch(doc_id):
            raise StoreError(f"document id {doc_id!r} cannot name a notes file")
        return self.notes_dir / f"{doc_id}{_SUFFIX}"

    # -- reading ---------------------------------------------------------------------------

    def load(self, doc_id: str) -> Shard:
        """The notes of ``doc_id``. Never raises: a bad file comes back read-only with a problem."""
        return self._load(doc_id, remember=True)

    def shards(self) -> Iterator[Shard]:
        """Every document with notes, bookmarks or a position (and every unreadable shard)."""
        try:
            names = sorted(os.listdir(self.notes_dir))
        except FileNotFoundError:
            return
        except OSError as error:
            raise StoreError(f"{self.notes_dir}: cannot list ({error.strerror or error})") from None
        self._remove_temp_files([name for name in names if _TEMP_FILE.fullmatch(name)])
        for name in names:
            doc_id = name[: -len(_SUFFIX)]
            if not name.endswith(_SUFFIX) or not _DOC_ID.fullmatch(doc_id):
                continue
            shard = self._load(doc_id, remember=False)
            if shard.notes or shard.position is not None or shard.read_only:
                yield shard

    def _load(self, doc_id: str, *, remember: bool) -> Shard:
        try:
            path = self.path_of(doc_id)
        except StoreError as error:
            return Shard(None, read_only=True, problem=str(error), doc_id=doc_id)
        try:
            data = self._parsed(path, doc_id, _read_bytes(path), remember=remember)
        except StoreError as error:
            return _from_backup(path.with_name(path.name + _BACKUP), doc_id, str(error))
        return _shard_of(path, data)

    def _parsed(self, path: Path, doc_id: str, raw: bytes | None, *, remember: bool = True) -> ShardData:
        if raw is None:
            return ShardData(doc_id)
        with self._seen_lock:
            seen = self._seen.get(doc_id)
        if seen is not None and seen.raw == raw:
            return seen.data
        data = _parse(path, doc_id, raw)
        if remember:
            self._remember(doc_id, raw, data)
        return data

    def _remember(self, doc_id: str, raw: bytes, data: ShardData) -> None:
        with self._seen_lock:
            self._seen[doc_id] = _Seen(raw, data)
            self._seen.move_to_end(doc_id)
            while len(self._seen) > _REMEMBERED:
                self._seen.popitem(last=False)

    # -- writing ---------------------------------------------------------------------------

    def put_note(self, document: DocumentRef, note: Note) -> None:
        """Add ``note``, or replace the stored note of the same id unless that one is newer."""
        if note.doc_id != document.id:
            note = replace(note, doc_id=document.id)
        self._update(document, lambda shard: shard.put(note))

    def delete_note(self, document: DocumentRef, note_id: str) -> None:
        """Delete a note: it stays as a tombstone (deleted, new ``updated``) so merges keep it deleted."""
        self._update(document, lambda shard: shard.delete(note_id))

    def put_position(self, document: DocumentRef, position: Position) -> None:
        """Keep the reading position, unless the stored one is newer."""
        self._update(document, lambda shard: shard.set_position(position))

    def organise(self, document: DocumentRef, change: Change) -> bool:
        """Apply ``change`` (tags added or removed, state, star) to what is stored now; True if it changed.

        Applied under the lock to the shard as it is on disk, so changes made by another
        process meanwhile (other tags) are kept. A value of the file that does not read
        (a hand edit) is not replaced: StoreError names the file and line.
        """
        path = self.path_of(document.id)

        def apply(shard: ShardData) -> int:
            if not shard.added:
                shard.added = self.meta_index.added(document.id)
            try:
                return int(shard.organise(change, str(path)))
            except ShardFileError as error:
                raise StoreError(f"{path}: {error}; nothing was saved") from None

        return bool(self._update(document, apply))

    def import_notes(self, document: DocumentRef, notes: Iterable[Note]) -> int:
        """Add the notes whose id is new, or that are newer than the stored ones; how many changed.

        A time in the future (a clock ahead, a hand edit) is brought back to now, so that
        an imported note never outranks what the user does next.
        """
        incoming = [
            replace(note, doc_id=document.id, created=clamped(note.created), updated=clamped(note.updated))
            for note in notes
        ]
        return self._update(document, lambda shard: sum(shard.put(note, tie_wins=False) for note in incoming))

    def move_notes(self, old_id: str, document: DocumentRef) -> int:
        """Move everything kept for ``old_id`` to ``document`` (a moved file); how many entries moved.

        The entries are merged into the new document's shard by the usual rules (so
        a position saved since the move, or notes already there, are kept), then the
        old shard is renamed ``<old-id>.yaml.moved``: set aside, never deleted.
        """
        if old_id == document.id:
            return 0
        old_path = self.path_of(old_id)
        moved = 0
        for _attempt in range(5):
            raw = _read_bytes(old_path)
            if raw is None:
                return moved
            old = _parse(old_path, old_id, raw)
            if old.problems or (old.schema_version > SCHEMA_VERSION):
                raise StoreError(f"{old_path}: has entries that do not read; fix the file first, nothing was moved")

            def change(shard: ShardData, old: ShardData = old) -> int:
                count = 0
                for note in old.notes.values():
                    count += shard.put(replace(note, doc_id=document.id), tie_wins=False)
                if old.position is not None:
                    count += shard.set_position(old.position)
                for key, value in old.extra.items():
                    shard.extra.setdefault(key, value)
                return count or 1  # written even when nothing is new: the document's path is

            moved += self._update(document, change)
            with self._lock:
                if _read_bytes(old_path) != raw:  # written meanwhile: move what was added too
                    continue
                target = old_path.with_name(old_path.name + ".moved")
                number = 1
                while target.exists():
                    number += 1
                    target = old_path.with_name(f"{old_path.name}.moved{number}")
                os.replace(old_path, target)
                with self._seen_lock:
                    self._seen.pop(old_id, None)
                return moved
        raise StoreError(f"{old_path}: kept changing while its notes were moved; try again")

    def _update(self, document: DocumentRef, change: Callable[[ShardData], int]) -> int:
        """Read, change, check and write one shard under the lock; how many entries changed."""
        path = self.path_of(document.id)
        with self._lock:
            try:
                raw = _read_bytes(path)
                current = self._parsed(path, document.id, raw)
            except StoreError as error:
                raise StoreError(f"{error}; nothing was saved") from None
            if current.schema_version > SCHEMA_VERSION:
                raise StoreError(f"{_newer_schema(path, current)}; nothing was saved")
            shard = current.copy()
            changed = int(change(shard))
            if not changed:
                return 0
            if shard.document != document:
                shard.document = document
            _check_not_emptied(path, current, shard)
            try:
                payload = dump_shard(shard).encode("utf-8")
            except ShardFileError as error:
                raise StoreError(f"{path}: {error}; nothing was saved") from None
            self._back_up(path, raw)
            _write(path, payload)
            if not shard.problems:  # set-aside entries are placed again on the next read
                self._remember(document.id, payload, shard)
            self.meta_index.record(document.id, shard.meta, path, _meta_problem(path, shard))
            return changed

    def _back_up(self, path: Path, raw: bytes | None) -> None:
        """Copy the current file to ``.bak`` when there is none, or when it was left alone long enough."""
        if raw is None:
            return
        backup = path.with_name(path.name + _BACKUP)
        try:
            age = time.time() - path.stat().st_mtime
        except OSError:
            return
        if age < self.backup_age and backup.exists():
            return
        _write(backup, raw)

    def _remove_temp_files(self, names: list[str]) -> None:
        """Temp files of writes that were killed half-way (any seen under the lock is stale)."""
        if not names:
            return
        with self._lock:
            for name in names:
                try:
                    (self.notes_dir / name).unlink()
                except OSError:
                    pass


def _read_bytes(path: Path) -> bytes | None:
    """The shard's bytes, None when there is none; never blocks on a FIFO nor reads without end."""
    try:
        return read_regular(path)
    except NotReadable as error:
        raise StoreError(f"{path}: {error}") from None
    except OSError as error:
        raise StoreError(f"{path}: cannot read ({error.strerror or error})") from None


def _parse(path: Path, doc_id: str, raw: bytes) -> ShardData:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise StoreError(f"{path}: line {line}, column {column}: not UTF-8 text") from None
    try:
        return parse_shard(text, doc_id)
    except ShardFileError as error:
        raise StoreError(f"{path}: {error}") from None


def _from_backup(backup: Path, doc_id: str, problem: str) -> Shard:
    """A shard that cannot be read: read-only, with the notes of its backup copy where that one is good."""
    try:
        raw = _read_bytes(backup)
        data = _parse(backup, doc_id, raw) if raw is not None else None
    except StoreError:
        data = None
    if data is None or data.schema_version > SCHEMA_VERSION:
        return Shard(None, read_only=True, problem=f"{problem}; left as it is until fixed", doc_id=doc_id)
    return Shard(
        data.document,
        data.live_notes(),
        data.position,
        read_only=True,
        problem=f"{problem}; showing its backup copy {backup.name}, read-only until the file is fixed",
        doc_id=doc_id,
    )


def _write(path: Path, payload: bytes) -> None:
    try:
        atomic_write(path, payload)
    except OSError as error:
        raise StoreError(f"{path}: cannot save ({error.strerror or error}); the file on disk is unchanged") from None


def _shard_of(path: Path, data: ShardData) -> Shard:
    if data.schema_version > SCHEMA_VERSION:
        problem = _newer_schema(path, data)
        return Shard(data.document, data.live_notes(), data.position, True, problem, data.doc_id, data.meta)
    problem = ""
    if data.problems:
        more = f" (and {len(data.problems) - 1} more)" if len(data.problems) > 1 else ""
        problem = f"{path}: {data.problems[0]}{more}; set aside and kept as written"
    meta_problems = [problem for _value, problem in data.bad_meta.values()]
    return Shard(data.document, data.live_notes(), data.position, False, problem, data.doc_id, data.meta, meta_problems)


def _meta_problem(path: Path, data: ShardData) -> str:
    problems = [problem for _value, problem in data.bad_meta.values()]
    return f"{path}: {problems[0]}; shown as inbox, the file is left as it is" if problems else ""


def _newer_schema(path: Path, data: ShardData) -> str:
    return (
        f"{path}: schema_version {data.schema_version} is newer than this reader knows "
        f"({SCHEMA_VERSION}); opened read-only"
    )


def _check_not_emptied(path: Path, before: ShardData, after: ShardData) -> None:
    """Refuse to turn a non-empty notes list into an empty one without tombstones."""
    if before.entries and not after.entries:
        raise StoreError(f"{path}: refusing to save an empty notes list over {before.entries} notes")
