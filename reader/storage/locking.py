"""A lock shared by threads and processes: a threading lock plus ``flock`` on a lock file.

The lock file is separate from the data it guards and is never renamed or
replaced (``os.replace`` swaps a data file's inode, so a lock taken on the data
file itself protects nothing). It is opened for each hold, close-on-exec, so a
forked child never inherits a held lock. ``flock`` locks belong to the open file,
so two ``FileLock`` objects exclude each other even inside one process.

Waiting is blocking (the kernel hands the lock over as soon as it is free); a
holder only keeps it for one read, merge and write, a few milliseconds.
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path
from types import TracebackType

__all__ = ["FileLock", "LockError"]


class LockError(OSError):
    """The lock file cannot be made, opened or locked: nothing it guards was touched.

    An OSError (with the errno and the lock file's name) so callers that treat
    any file error as "not saved" go on doing so.
    """


class FileLock:
    """``with FileLock(path):`` — exclusive across this object's threads and other processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread_lock = threading.Lock()
        self._fd: int | None = None

    def __enter__(self) -> FileLock:
        self._thread_lock.acquire()
        try:
            self._fd = _lock_file(self.path)
        except BaseException:
            self._thread_lock.release()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        fd, self._fd = self._fd, None
        try:
            if fd is not None:
                os.close(fd)  # closing the last descriptor releases the flock
        finally:
            self._thread_lock.release()


def _lock_file(path: Path) -> int:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as error:
        raise LockError(error.errno, error.strerror, error.filename) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError as error:
        os.close(fd)
        raise LockError(error.errno, error.strerror, str(path)) from None
    except BaseException:
        os.close(fd)
        raise
    return fd
