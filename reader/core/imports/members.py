"""The files of an export that comes as a ZIP archive or a folder (Omnivore's), read with care.

Only the names listed are ever opened, and a name is never used to write anything:
- a ZIP member whose name climbs out (``..``), is absolute or holds a NUL is left out
  (one line in the problems); more than :data:`MAX_MEMBERS` members, a member over
  :data:`MAX_MEMBER_BYTES` expanded or expanding more than :data:`MAX_RATIO` times
  (a zip bomb), or all of them over :data:`MAX_TOTAL_BYTES`, refuse the archive;
  a member is read at most to its limit whatever its header says;
- in a folder, only regular files at the top and one folder down are listed; links
  are left out (an export pointing at ``/etc/passwd`` brings nothing in).
"""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

from reader.core.imports import BadImport

__all__ = ["Members", "ZipMembers", "FolderMembers", "MAX_MEMBER_BYTES"]

MAX_MEMBERS = 200_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 8 * 1024 * 1024 * 1024
MAX_RATIO = 200
_RATIO_FROM = 1024 * 1024


class Members:
    """Names (``content/x.html``) and their bytes."""

    name: str
    problems: list[str]

    def names(self) -> list[str]:
        raise NotImplementedError

    def read(self, member: str) -> bytes | None:
        raise NotImplementedError

    def close(self) -> None:
        pass


def _unsafe(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return "\x00" in name or name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":")


class ZipMembers(Members):
    def __init__(self, path: Path, name: str) -> None:
        self.name = name
        self.problems = []
        try:
            self.zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile as error:
            raise BadImport(f"{name}: not a ZIP archive ({error})") from None
        except (OSError, ValueError, EOFError, NotImplementedError) as error:
            raise BadImport(f"{name}: damaged ZIP archive ({error})") from None
        infos = self.zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise BadImport(f"{name}: too many members in the archive ({len(infos)})")
        self._infos: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            if _unsafe(info.filename):
                self.problems.append(f"{name}: unsafe member name {info.filename[:80]!r}: left out")
                continue
            if info.file_size > MAX_MEMBER_BYTES:
                self.problems.append(f"{name}: {info.filename[:80]}: too large ({info.file_size // (1024 * 1024)} MB expanded): left out")
                continue
            if info.file_size > _RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise BadImport(f"{name}: zip bomb: {info.filename[:80]!r} expands {info.file_size // max(info.compress_size, 1)} times")
            total += info.file_size
            self._infos[info.filename] = info
        if total > MAX_TOTAL_BYTES:
            raise BadImport(f"{name}: the archive expands to {total // (1024 ** 3)} GB: too large")

    def names(self) -> list[str]:
        return list(self._infos)

    def read(self, member: str) -> bytes | None:
        info = self._infos.get(member)
        if info is None:
            return None
        try:
            with self.zip.open(info) as handle:
                data = handle.read(MAX_MEMBER_BYTES + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as error:
            self.problems.append(f"{self.name}: {member[:80]}: cannot be read ({error}): left out")
            return None
        if len(data) > MAX_MEMBER_BYTES:
            self.problems.append(f"{self.name}: {member[:80]}: larger than its header says: left out")
            return None
        return data

    def close(self) -> None:
        self.zip.close()


class FolderMembers(Members):
    def __init__(self, root: Path, name: str) -> None:
        self.name = name
        self.problems = []
        self.root = root
        self._names: list[str] = []
        for prefix, folder in (("", root), *((f"{sub}/", root / sub) for sub in _subfolders(root))):
            try:
                entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
            except OSError as error:
                self.problems.append(f"{name}: {prefix or '.'}: cannot be listed ({error.strerror or error})")
                continue
            for entry in entries:
                if entry.is_symlink():
                    self.problems.append(f"{name}: {prefix}{entry.name}: a link: left out")
                elif entry.is_file(follow_symlinks=False):
                    self._names.append(prefix + entry.name)
                if len(self._names) > MAX_MEMBERS:
                    raise BadImport(f"{name}: too many files in the folder")

    def names(self) -> list[str]:
        return list(self._names)

    def read(self, member: str) -> bytes | None:
        if member not in self._names:
            return None
        path = self.root / member
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as error:
            self.problems.append(f"{self.name}: {member}: cannot be read ({error.strerror or error}): left out")
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_MEMBER_BYTES:
                self.problems.append(f"{self.name}: {member}: not a regular file of at most 64 MB: left out")
                return None
            chunks = []
            size = 0
            while size <= MAX_MEMBER_BYTES:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            return b"".join(chunks)[: MAX_MEMBER_BYTES + 1]
        finally:
            os.close(fd)


def _subfolders(root: Path) -> list[str]:
    found = []
    for name in ("content", "highlights"):
        path = root / name
        if path.is_dir() and not path.is_symlink():
            found.append(name)
    return found
