"""The articles folder: fetched pages saved as files the user owns.

```
articles/
  2026-12-04-title-words.html        the page's bytes exactly as fetched
  .reader/
    2026-12-04-title-words.yaml      title, url, final_url, canonical_url, fetched, content_type, file
    pending.yaml                     addresses that could not be fetched yet, and why
    imported.jsonl                   what an import knew of the addresses it queued
    queue.lock                       held while the queue is read, changed and written
```

The folder is part of the library (``reader locate articles``; ``articles:`` in the
config moves it). The metadata folder is hidden, so the library never lists it.

Nothing is ever overwritten: a new article is written to a temporary file, synced,
and linked to a name no file holds (``-2``, ``-3``… after the name when it is taken),
so a crash leaves either no article or a whole one; ``replace`` (``reader add
--refresh``) swaps an article's bytes atomically under the same name, so its notes
stay with it and re-anchor in the new text.

The queue is changed by reading it, merging and writing it back, by ``reader add``
in the shell and by the app at once: each read-modify-write holds ``queue_lock``
(a :class:`~reader.storage.locking.FileLock` on ``.reader/queue.lock``), so no
run writes over a failure another queued meanwhile.
"""

from __future__ import annotations

import errno
import os
import tempfile
from dataclasses import dataclass, replace as replaced
from pathlib import Path
from typing import Any

from reader.core.articles import ArticleMeta, BadMeta
from reader.storage.atomic import atomic_write, fsync_folder
from reader.storage.config import Config
from reader.storage.locking import FileLock
from reader.storage.paths import Paths
from reader.storage.regular_file import NotReadable, read_regular
from reader.storage.yaml_text import YamlTextError, dump_yaml, load_yaml

__all__ = ["ArticlesFolder", "Pending", "articles_dir", "META_DIR", "PENDING_NAME", "QUEUE_LOCK_NAME"]

META_DIR = ".reader"
PENDING_NAME = "pending.yaml"
QUEUE_LOCK_NAME = "queue.lock"
_META_LIMIT = 1024 * 1024
_PENDING_LIMIT = 64 * 1024 * 1024
_MAX_NAME_TRIES = 1000


def articles_dir(paths: Paths, config: Config) -> Path:
    """The articles folder: the config's ``articles:``, else ``articles`` in the data folder."""
    return config.articles if config.articles is not None else paths.articles_dir


@dataclass(frozen=True, slots=True)
class Pending:
    """An address waiting in the queue: why it failed last, when, how often."""

    url: str
    reason: str
    failed: str  # UTC, ISO 8601
    attempts: int = 1
    not_before: str | None = None  # the server's Retry-After, as a UTC time

    def to_mapping(self) -> dict[str, Any]:
        data: dict[str, Any] = {"url": self.url, "reason": self.reason, "failed": self.failed, "attempts": self.attempts}
        if self.not_before:
            data["not_before"] = self.not_before
        return data


class ArticlesFolder:
    """The saved articles and their metadata; the duplicate index is built on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.meta_dir = root / META_DIR
        self._index: dict[str, ArticleMeta] | None = None
        self.problems: list[str] = []  # metadata files that could not be read, one line each
        self.queue_lock = FileLock(self.meta_dir / QUEUE_LOCK_NAME)  # around each read-modify-write of the queue

    # -- what is there -------------------------------------------------------

    def articles(self) -> list[ArticleMeta]:
        """Every article whose metadata reads and whose file is there."""
        found = []
        try:
            names = sorted(os.listdir(self.meta_dir))
        except FileNotFoundError:
            return []
        except NotADirectoryError:
            raise OSError(errno.ENOTDIR, "not a folder", str(self.meta_dir)) from None
        for name in names:
            if not name.endswith(".yaml") or name.startswith(".") or name == PENDING_NAME:
                continue
            meta = self._read_meta(self.meta_dir / name)
            if meta is not None and meta.file and (self.root / meta.file).is_file():
                found.append(meta)
        return found

    def _read_meta(self, path: Path) -> ArticleMeta | None:
        try:
            data = read_regular(path, _META_LIMIT)
            if data is None:
                return None
            meta = ArticleMeta.from_mapping(load_yaml(data.decode("utf-8")))
        except (NotReadable, OSError, UnicodeDecodeError, YamlTextError, BadMeta) as error:
            self.problems.append(f"{path}: {error}")
            return None
        if not meta.file or "/" in meta.file or os.sep in meta.file or meta.file.startswith("."):
            self.problems.append(f"{path}: file must be a name in {self.root}, got {meta.file!r}")
            return None
        return meta

    def find(self, keys: set[str]) -> ArticleMeta | None:
        """The saved article one of ``keys`` (:func:`~reader.core.urls.url_key`) belongs to."""
        index = self._keys()
        for key in keys:
            if key in index:
                return index[key]
        return None

    def _keys(self) -> dict[str, ArticleMeta]:
        if self._index is None:
            self._index = {}
            for meta in self.articles():
                for key in meta.keys():
                    self._index.setdefault(key, meta)
        return self._index

    def path_of(self, meta: ArticleMeta) -> Path:
        return self.root / meta.file

    def meta_of(self, path: Path) -> ArticleMeta | None:
        """The metadata of the article saved as ``path`` (a file in this folder), or None."""
        stem = path.name.rsplit(".", 1)[0]
        meta_path = self.meta_dir / f"{stem}.yaml"
        if path.parent != self.root or not meta_path.is_file():
            return None
        meta = self._read_meta(meta_path)
        return meta if meta is not None and meta.file == path.name else None

    # -- writing -------------------------------------------------------------

    def save(self, data: bytes, meta: ArticleMeta, stem: str, suffix: str = ".html") -> Path:
        """Write a new article under ``stem`` (or ``stem-2``…), never over a file; its path."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = self._link_new(data, stem, suffix)
        meta = replaced(meta, file=path.name)
        try:
            self._write_meta(meta)
        except BaseException:
            os.unlink(path)  # no article without its metadata
            raise
        self._remember(meta)
        return path

    def replace(self, old: ArticleMeta, data: bytes, meta: ArticleMeta) -> Path:
        """``reader add --refresh``: the article's new bytes under its old name (its notes follow)."""
        path = self.path_of(old)
        meta = replaced(meta, file=old.file, extra={**old.extra, **meta.extra, "first_fetched": old.extra.get("first_fetched", old.fetched)})
        atomic_write(path, data)
        self._write_meta(meta)
        self._remember(meta)
        return path

    def _remember(self, meta: ArticleMeta) -> None:
        index = self._keys()
        for key in meta.keys():
            index[key] = meta

    def _write_meta(self, meta: ArticleMeta) -> None:
        stem = meta.file.rsplit(".", 1)[0]
        atomic_write(self.meta_dir / f"{stem}.yaml", dump_yaml(meta.to_mapping()))

    def _link_new(self, data: bytes, stem: str, suffix: str) -> Path:
        fd, temp = tempfile.mkstemp(prefix=".adding.", suffix=".tmp", dir=self.root)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            for number in range(1, _MAX_NAME_TRIES + 1):
                name = f"{stem}{suffix}" if number == 1 else f"{stem}-{number}{suffix}"
                if (self.meta_dir / f"{name.rsplit('.', 1)[0]}.yaml").exists():
                    continue  # metadata of an article whose file is gone: its name stays taken
                path = self.root / name
                try:
                    os.link(temp, path)  # fails where a file (or a link) has the name: never overwrites
                except FileExistsError:
                    continue
                except OSError as error:
                    if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                        raise
                    if not _reserve(path):  # a file system without hard links: reserve, then replace
                        continue
                    os.replace(temp, path)
                fsync_folder(self.root)
                return path
            raise OSError(errno.EEXIST, f"no free name for {stem}{suffix}", str(self.root))
        finally:
            try:
                os.unlink(temp)
            except FileNotFoundError:
                pass

    # -- the queue -----------------------------------------------------------

    @property
    def pending_file(self) -> Path:
        return self.meta_dir / PENDING_NAME

    def pending(self) -> list[Pending]:
        """The queue; a queue file that cannot be read is an OSError naming it."""
        try:
            data = read_regular(self.pending_file, _PENDING_LIMIT)
        except NotReadable as error:
            raise OSError(errno.EINVAL, str(error), str(self.pending_file)) from None
        if data is None:
            return []
        try:
            items = load_yaml(data.decode("utf-8"))
        except (UnicodeDecodeError, YamlTextError) as error:
            raise OSError(errno.EINVAL, f"not a queue of addresses ({error})", str(self.pending_file)) from None
        if items is None:
            return []
        if not isinstance(items, list):
            raise OSError(errno.EINVAL, "not a list of addresses", str(self.pending_file))
        queue = []
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("url"), str):
                attempts = item.get("attempts")
                queue.append(
                    Pending(
                        url=item["url"],
                        reason=str(item.get("reason") or ""),
                        failed=str(item.get("failed") or ""),
                        attempts=attempts if isinstance(attempts, int) and attempts > 0 else 1,
                        not_before=str(item["not_before"]) if item.get("not_before") else None,
                    )
                )
        return queue

    def set_pending(self, queue: list[Pending]) -> None:
        if not queue and not self.pending_file.exists():
            return
        atomic_write(self.pending_file, dump_yaml([item.to_mapping() for item in queue]) if queue else "[]\n")


def _reserve(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    os.close(fd)
    return True
