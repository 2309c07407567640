"""A file the user named (an export's ``--output``, a file to import): checked, read and written
without ever replacing it.

The rules, for every write to such a file:

- a symbolic link is followed and the file it leads to is written; the link stays;
- only a regular file is read or written: a folder, a device, a named pipe (FIFO)
  or a socket is refused with a one-line reason, before anything is opened for
  writing (files are opened non-blocking and checked again with ``fstat``, so a
  FIFO swapped in meanwhile cannot hang the command);
- a read-only file (no write permission, or no write bit at all, which root
  would otherwise ignore) is refused;
- an existing file is written in place: its inode, hard links, owner and mode
  stay. An addition is appended, and cut off again if it cannot be written whole
  (disk full), so the file is as it was; a rewrite reserves its space first;
- a new file is written whole under a temporary name in the same folder, then
  linked to its name (never over a file that appeared meanwhile), with the mode
  the umask gives any new file.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from reader.storage.atomic import fsync_folder

__all__ = ["UserFileError", "NotWritable", "Target", "target_of", "read_user_file", "create", "append", "rewrite"]

_KINDS = (
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)
_OPEN = os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK  # the path is resolved: a link found there now is a swap
_NO_FALLOCATE = {errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL, errno.ENOSYS}


class UserFileError(Exception):
    """A file that cannot be read or written: one line naming it."""


class NotWritable(UserFileError):
    """The path cannot be written as a file at all (a folder, a device, read-only, no such folder)."""


@dataclass(frozen=True, slots=True)
class Target:
    """A path as given, the file it leads to, and that file's state when looked at (None: new)."""

    given: Path
    path: Path
    existing: os.stat_result | None


def target_of(given: Path) -> Target:
    """Where writing to ``given`` goes; NotWritable when it cannot be written as a regular file."""
    real = Path(os.path.realpath(given))
    try:
        info = os.stat(real)
    except FileNotFoundError:
        return Target(given, real, _check_new(given, real))
    except NotADirectoryError:
        blocker = _first_not_folder(real)
        raise NotWritable(f"no such folder: {given.parent}" + (f" ({blocker} is a file)" if blocker else "")) from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotWritable(f"{given} is a symbolic link that leads round in a loop") from None
        raise NotWritable(f"cannot use {given}: {error.strerror or error}") from None
    if stat.S_ISDIR(info.st_mode):
        raise NotWritable(f"{given} is a folder; give a file name")
    if not stat.S_ISREG(info.st_mode):
        raise NotWritable(f"{given} is {_kind(info)}, not a regular file; not written")
    if not info.st_mode & 0o222 or not os.access(real, os.W_OK):
        raise NotWritable(f"{given} is read-only; not written")
    return Target(given, real, info)


def _check_new(given: Path, real: Path) -> None:
    folder = real.parent
    if not folder.is_dir():
        raise NotWritable(f"no such folder: {folder if os.path.islink(given) else given.parent}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise NotWritable(f"cannot make a file in {folder}: not writable")
    return None


def _first_not_folder(path: Path) -> Path | None:
    """The first of ``path``'s parents that exists and is not a folder."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            return parent
    return None


def _kind(info: os.stat_result) -> str:
    return next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")


# -- reading ---------------------------------------------------------------------------


def read_user_file(file: Path, *, limit: int | None = None) -> bytes:
    """The bytes of a regular file (symlinks followed); UserFileError for anything else.

    Never blocks on a FIFO or a device: the file is opened non-blocking and
    checked with ``fstat`` before a byte is read.
    """
    try:
        fd = os.open(file, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
    except FileNotFoundError:
        raise UserFileError(f"no such file: {file}") from None
    except IsADirectoryError:
        raise UserFileError(f"{file} is a folder, not a file") from None
    except OSError as error:
        raise UserFileError(f"cannot read {file}: {error.strerror or error}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UserFileError(f"{file} is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise UserFileError(f"{file} is {_kind(info)}, not a regular file; not read")
        if limit is not None and info.st_size > limit:
            raise UserFileError(f"{file} is too large ({info.st_size} bytes; at most {limit})")
        return _read_all(fd)
    except OSError as error:
        raise UserFileError(f"cannot read {file}: {error.strerror or error}") from None
    finally:
        os.close(fd)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def read_target(target: Target) -> bytes:
    """The bytes of an existing target, provided it is still the file that was checked."""
    fd = _open_checked(target, os.O_RDONLY)
    try:
        return _read_all(fd)
    except OSError as error:
        raise UserFileError(f"cannot read {target.given}: {error.strerror or error}") from None
    finally:
        os.close(fd)


# -- writing ---------------------------------------------------------------------------


def create(target: Target, payload: bytes) -> None:
    """Write a new file whole: a temporary file in the same folder, then linked to its name."""
    folder = target.path.parent
    temp = folder / f".reader-{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW, 0o666)
    except OSError as error:
        raise UserFileError(f"cannot write {target.given}: {error.strerror or error}") from None
    try:
        try:
            _write_all(fd, payload)
            os.fsync(fd)
        finally:
            os.close(fd)
        _link(temp, target)
    except OSError as error:
        raise UserFileError(f"cannot write {target.given}: {error.strerror or error}; nothing was written") from None
    finally:
        _unlink_quietly(temp)
    fsync_folder(folder)


def _link(temp: Path, target: Target) -> None:
    try:
        os.link(temp, target.path)  # fails, rather than replaces, when the name is taken
    except FileExistsError:
        raise UserFileError(f"{target.given} appeared while it was being written; not replaced") from None
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV):
            raise
        if os.path.lexists(target.path):  # a file system without hard links: rename, after a last look
            raise UserFileError(f"{target.given} appeared while it was being written; not replaced") from None
        os.rename(temp, target.path)


def append(target: Target, payload: bytes, *, expected_size: int) -> None:
    """Add ``payload`` at the end of an existing file that still has ``expected_size`` bytes.

    When the addition cannot be written whole, the file is cut back to its old
    length: it is as it was.
    """
    fd = _open_checked(target, os.O_WRONLY | os.O_APPEND)
    try:
        size = os.fstat(fd).st_size
        if size != expected_size:
            raise UserFileError(f"{target.given} changed while the export was made; try again")
        try:
            _write_all(fd, payload)
            os.fsync(fd)
        except OSError as error:
            _truncate_quietly(fd, size)
            reason = error.strerror or error
            raise UserFileError(f"cannot write {target.given}: {reason}; the file is as it was") from None
    finally:
        os.close(fd)


def rewrite(target: Target, payload: bytes) -> None:
    """Replace an existing file's contents in place (same inode, links, owner and mode).

    The space is reserved first where the file system can, so a full disk is
    found before the old contents are touched.
    """
    fd = _open_checked(target, os.O_WRONLY)
    try:
        size = os.fstat(fd).st_size
        try:
            _reserve(fd, len(payload), size)
        except OSError as error:
            raise UserFileError(f"cannot write {target.given}: {error.strerror or error}; the file is as it was") from None
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            _write_all(fd, payload)
            os.ftruncate(fd, len(payload))
            os.fsync(fd)
        except OSError as error:
            raise UserFileError(f"cannot write {target.given}: {error.strerror or error}; it may be incomplete") from None
    finally:
        os.close(fd)


def _reserve(fd: int, length: int, size: int) -> None:
    if length <= size:
        return
    try:
        os.posix_fallocate(fd, 0, length)
    except OSError as error:
        if error.errno in _NO_FALLOCATE:
            return
        _truncate_quietly(fd, size)
        raise


def _open_checked(target: Target, flags: int) -> int:
    """Open the checked file again, making sure it is still that regular file."""
    try:
        fd = os.open(target.path, flags | _OPEN)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UserFileError(f"{target.given} was replaced by a symbolic link meanwhile; not written") from None
        raise UserFileError(f"cannot open {target.given}: {error.strerror or error}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UserFileError(f"{target.given} is {_kind(info)}, not a regular file; not written")
        known = target.existing
        if known is not None and (info.st_dev, info.st_ino) != (known.st_dev, known.st_ino):
            raise UserFileError(f"{target.given} was replaced by another file meanwhile; not written")
    except BaseException:
        os.close(fd)
        raise
    return fd


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _truncate_quietly(fd: int, size: int) -> None:
    try:
        os.ftruncate(fd, size)
    except OSError:
        pass


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
