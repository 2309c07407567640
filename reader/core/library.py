"""The library: every document under the folders and files the user names.

Walking is recursive; hidden files and folders are ignored, symlink loops are
followed once, links out of the library are not followed, and every file that
cannot be read is reported with a reason instead of stopping the scan. Reading many files uses all cores.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from reader.core.document import Document, reading_minutes
from reader.core.file_names import replace_bad_bytes
from reader.core.formats import UnreadableDocument, file_kind, format_of, read_document

__all__ = [
    "DocumentInfo",
    "Skipped",
    "ScanResult",
    "SYSTEM_TREES",
    "candidates",
    "find_files",
    "info_of",
    "is_under",
    "iter_scan",
    "path_text",
    "read_infos",
    "scan",
]

_PARALLEL_FROM = 200  # files; below this a process pool costs more than it saves
_CHUNK = 64


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What the list pane and ``reader list`` show of a document (no text)."""

    id: str
    path: Path
    format: str
    title: str
    source: str
    date: str
    words: int
    sections: int
    minutes: int
    size: int
    mtime: float
    encoding: str
    pages: int = 0  # a paged format's (PDF) pages; 0 for the others

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["path"] = str(self.path)
        return data


# ``path`` may be given as a str (the index's store lists 16,500 documents at start-up, and
# making their Path objects was 60 ms of the ~150): it is made a Path when first read, and
# kept. Every reader of ``info.path`` gets a Path; ``path_text`` gives the text without one.
_PATH_SLOT = DocumentInfo.path  # the slot's own descriptor (slots=True)


class _PathWhenRead:
    def __get__(self, info: DocumentInfo | None, owner: type | None = None) -> Path:
        if info is None:
            return self  # type: ignore[return-value]
        value = _PATH_SLOT.__get__(info, owner)
        if type(value) is str:
            value = Path(value)
            _PATH_SLOT.__set__(info, value)
        return value  # type: ignore[no-any-return]

    def __set__(self, info: DocumentInfo, value: Path | str) -> None:
        _PATH_SLOT.__set__(info, value)


DocumentInfo.path = _PathWhenRead()  # type: ignore[assignment,misc]


def path_text(info: DocumentInfo) -> str:
    """``info.path`` as text, without making a Path of it (to sort 16,500 of them)."""
    value = _PATH_SLOT.__get__(info, DocumentInfo)
    return value if type(value) is str else str(value)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file the scan did not read, and why."""

    path: Path
    reason: str


@dataclass
class ScanResult:
    documents: list[DocumentInfo] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def info_of(document: Document) -> DocumentInfo:
    """The summary of a parsed document."""
    return DocumentInfo(
        id=document.id,
        path=document.path,
        format=document.format,
        # a title made from a file name may hold bytes that are not UTF-8
        title=replace_bad_bytes(document.title),
        source=replace_bad_bytes(document.source),
        date=document.date,
        words=document.words,
        sections=len(document.sections),
        minutes=reading_minutes(document.words, document.cjk_chars),
        size=document.size,
        mtime=document.mtime,
        encoding=document.encoding,
        pages=len(document.pages),
    )


def is_under(path: str, roots: list[str]) -> bool:
    """Whether the absolute ``path`` is one of ``roots`` (absolute, as strings) or inside one."""
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


# real folders whose files are never read through a link: the kernel's and the devices' trees
SYSTEM_TREES = ("/proc", "/sys", "/dev", "/run")


def find_files(paths: Iterable[Path]) -> Iterator[Path | Skipped]:
    """Every candidate file under ``paths``, in a stable order; skips reported.

    Symbolic links are followed within the library: a link to a folder is walked only
    when its real folder is inside one of ``paths`` (a link to ``/`` or to another tree
    is reported, not walked: add its target to the library to include it), a link to a
    file is read unless it leads into a system tree (``/proc``, ``/sys``, ``/dev``,
    ``/run``). Special files (named pipes, devices, sockets) are reported, never read.
    """
    paths = [root.expanduser() for root in paths]
    reals = []
    for root in paths:
        try:
            reals.append(os.path.realpath(root))
        except (OSError, ValueError):
            continue
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[str] = set()  # real paths, as strings: 50,000 resolved Paths held ~40 MB
    for root in paths:
        try:
            info = root.stat()
        except FileNotFoundError:
            yield Skipped(root, "no such file or folder")
            continue
        except OSError as error:
            yield Skipped(root, error.strerror or str(error))
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(root, seen_dirs, seen_files, reals)
        elif os.path.realpath(root) not in seen_files:  # named by the user: read whatever it is
            seen_files.add(os.path.realpath(root))
            yield root


def _walk(
    folder: Path, seen_dirs: set[tuple[int, int]], seen_files: set[str], roots: list[str]
) -> Iterator[Path | Skipped]:
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            info = current.stat()
        except OSError as error:
            yield Skipped(current, error.strerror or str(error))
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen_dirs:
            continue  # a symlink loop or a folder already walked
        seen_dirs.add(key)
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as error:
            yield Skipped(current, f"cannot list folder ({error.strerror or error})")
            continue
        folders = []
        real_folder = os.path.realpath(current)  # once per folder, not once per file
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    item = _link(path, entry, roots)
                    if isinstance(item, Skipped):
                        yield item
                    elif item == "":
                        folders.append(path)
                    elif item not in seen_files:
                        seen_files.add(item)
                        yield path
                    continue
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError as error:
                yield Skipped(path, error.strerror or str(error))
                continue
            if is_dir:
                folders.append(path)
            elif is_file:
                real = os.path.join(real_folder, entry.name)
                if real not in seen_files:
                    seen_files.add(real)
                    yield path
            elif format_of(path) is not None:  # a pipe, a device or a socket named like a document
                try:
                    mode = entry.stat(follow_symlinks=False).st_mode
                except OSError as error:
                    yield Skipped(path, error.strerror or str(error))
                    continue
                yield Skipped(path, f"{file_kind(mode)}, not a regular file")
        stack.extend(reversed(folders))


def _link(path: Path, entry: os.DirEntry[str], roots: list[str]) -> str | Skipped:
    """A symbolic link met in a walk: "" (a folder to walk), the real path of a file to read,
    or why it is skipped."""
    try:
        mode = entry.stat().st_mode  # the target's (cached by the entry)
    except FileNotFoundError:
        return Skipped(path, "broken symbolic link")
    except OSError as error:
        if error.errno == errno.ELOOP:
            return Skipped(path, "symbolic link loop")
        return Skipped(path, f"symbolic link to a file that cannot be reached ({error.strerror or error})")
    real = os.path.realpath(path)
    if stat.S_ISDIR(mode):
        if is_under(real, roots):
            return ""
        return Skipped(path, f"link to a folder outside the library, not followed ({real})")
    if not stat.S_ISREG(mode):
        return Skipped(path, f"link to {file_kind(mode)} ({real}), not a regular file")
    if is_under(real, list(SYSTEM_TREES)):
        return Skipped(path, f"link into a system folder ({real}), not followed")
    return real


def _read_info(path: Path) -> DocumentInfo | Skipped:
    try:
        return info_of(read_document(path))
    except UnreadableDocument as error:
        return Skipped(path, error.reason)
    except Exception as error:  # noqa: BLE001 - one bad file never stops a scan
        return Skipped(path, f"could not be read ({type(error).__name__}: {error})".splitlines()[0])


def _read_chunk(paths: list[Path]) -> list[DocumentInfo | Skipped]:
    from reader.core.processes import check_stop

    read = []
    for path in paths:
        check_stop()  # the pool is stopping (the scan was abandoned): drop this chunk
        read.append(_read_info(path))
    return read


def candidates(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """The files a scan would read, and the ones it skips at once (with reasons)."""
    found: list[Path] = []
    skipped: list[Skipped] = []
    for item in find_files(paths):
        if isinstance(item, Skipped):
            skipped.append(item)
        elif format_of(item) is None:
            skipped.append(Skipped(item, f"unsupported format ({item.suffix or 'no extension'})"))
        else:
            found.append(item)
    return found, skipped


def iter_scan(paths: Iterable[Path], *, parallel: bool = True) -> Iterator[DocumentInfo | Skipped]:
    """Each document's summary, or the reason a file was skipped, as they are read."""
    found, skipped = candidates(paths)
    yield from skipped
    yield from read_infos(found, parallel)


def scan(
    paths: Iterable[Path],
    *,
    progress: Callable[[int, int], None] | None = None,
    parallel: bool = True,
) -> ScanResult:
    """Read every document under ``paths``; ``progress(done, total)`` as it goes."""
    found, skipped = candidates(paths)
    result = ScanResult(skipped=skipped)
    total = len(found)
    items = read_infos(found, parallel)
    try:
        for done, item in enumerate(items, start=1):
            if isinstance(item, Skipped):
                result.skipped.append(item)
            else:
                result.documents.append(item)
            if progress is not None and (done % 64 == 0 or done == total):
                progress(done, total)
    finally:
        items.close()  # interrupted (Ctrl+C): stop the reading processes now, not when collected
    return result


def read_infos(paths: list[Path], parallel: bool = True) -> Iterator[DocumentInfo | Skipped]:
    """Read each file's summary (in a process pool when there are many)."""
    workers = os.cpu_count() or 1
    if not parallel or workers < 2 or len(paths) < _PARALLEL_FROM:
        for path in paths:
            yield _read_info(path)
        return
    chunks = [paths[i : i + _CHUNK] for i in range(0, len(paths), _CHUNK)]
    from reader.core.processes import process_pool

    with process_pool(workers) as pool:
        for chunk in pool.map(_read_chunk, chunks):
            yield from chunk
