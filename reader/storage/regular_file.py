"""Reading the store's own files: regular files only, never more than a cap.

A notes file can be replaced by anything a user (or a sync tool) puts in the data
folder: a named pipe (FIFO), whose ``open`` or ``read`` blocks for ever, or a link
to ``/dev/zero``, whose ``read`` never ends. The file is opened non-blocking and
checked with ``fstat`` (what was opened, not what the name led to a moment before)
before a byte is read, and no more than ``limit`` bytes are ever read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["NotReadable", "read_regular", "MAX_SHARD_BYTES"]

MAX_SHARD_BYTES = 256 * 1024 * 1024  # a shard of 20,000 notes is about 15 MB
_CHUNK = 1 << 20
_KINDS = (
    (stat.S_ISFIFO, "FIFO"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISDIR, "folder"),
)


class NotReadable(Exception):
    """A file that is there but is not read: the reason in a few words (``not a regular file: FIFO``)."""


def read_regular(path: Path, limit: int = MAX_SHARD_BYTES) -> bytes | None:
    """The bytes of ``path`` (a link followed), None when there is no such file.

    Raises :class:`NotReadable` for anything but a regular file, or one larger than
    ``limit`` bytes (checked before reading and again while reading, for a file that
    grows); ``OSError`` for what the system refuses (permission).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise NotReadable("not a regular file: folder") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "unknown kind")
            raise NotReadable(f"not a regular file: {kind}")
        if info.st_size > limit:
            raise NotReadable(f"larger than {_size(limit)}")
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, min(_CHUNK, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise NotReadable(f"larger than {_size(limit)}")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _size(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{limit:,} bytes"
