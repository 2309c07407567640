"""Parsed books and papers kept beside the search index, so opening one does not parse it again.

Extracting a PDF's text takes seconds (~25 pages a second); an EPUB's hundreds of
chapters take one. The indexing processes parse every EPUB and PDF anyway: they
keep each :class:`~reader.core.document.Document` here, one file per document
(named by its id), and the app reads it back in milliseconds when the same file
is opened.

An entry is used only for the file it was made from: its size, its mtime (ns) and
a hash of its bytes must all be those of the file read now; a changed file is
parsed again (and its entry replaced by whoever writes). An entry that cannot be
read (another version's, damaged, cut short) is a miss, never an error.

The format is small and plain (no pickle: a file in the cache folder is data, never
code): a magic line with the version, then zlib-compressed JSON holding the text
once and the blocks as offsets into it (a block's text is a slice of the text),
the sections rebuilt from the heading blocks. The magic line also says which
version of the readers made the entry (:data:`PARSERS`): a change to what
:mod:`.epub` or :mod:`.pdf` make of a file raises it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from reader.core.document import BLOCK_SEPARATOR, Block, BlockKind, Document, Mark, Page, Section, document_id

__all__ = ["PARSED", "CacheKey", "DocumentCache", "decode_document", "encode_document", "CACHED_FORMATS"]

PARSED = "parsed"  # the folder of the search index that holds the entries
VERSION = 2  # of this file format (2: a mark is start, end, kind and href)
# of what the EPUB and PDF readers make of a file: raised with any change to their output, so
# entries made by an older reader are parsed again (an index rebuild also empties the cache)
PARSERS = 4
_MAGIC = b"reader-document %d/%d\n" % (VERSION, PARSERS)
CACHED_FORMATS = frozenset({"epub", "pdf"})  # slow to parse; a text is parsed about as fast as read back
_KINDS = list(BlockKind)
_KIND_INDEX = {kind: number for number, kind in enumerate(_KINDS)}


@dataclass(frozen=True, slots=True)
class CacheKey:
    """What a file was when its entry was made."""

    size: int
    mtime_ns: int
    hash: str

    @classmethod
    def of(cls, data: bytes, stat: os.stat_result) -> CacheKey:
        return cls(stat.st_size, stat.st_mtime_ns, hashlib.blake2b(data, digest_size=16).hexdigest())


class DocumentCache:
    """The folder of entries; ``write=False`` only reads (the app: the indexing processes write)."""

    def __init__(self, folder: Path, *, write: bool = True, formats: frozenset[str] = CACHED_FORMATS) -> None:
        self.folder = folder
        self.write = write
        self.formats = formats

    def _entry(self, path: Path) -> Path:
        return self.folder / f"{document_id(path)}.doc"

    def get(self, path: Path, key: CacheKey, mtime: float) -> Document | None:
        """The document kept for ``path`` if it was made from the file as ``key`` says it is now."""
        try:
            data = self._entry(path).read_bytes()
        except OSError:
            return None
        return decode_document(data, path, key, mtime)

    def put(self, document: Document, key: CacheKey) -> None:
        """Keep ``document`` (a write that fails leaves no entry, and is no error: it is a cache)."""
        if not self.write or document.format not in self.formats:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(encode_document(document, key))
                os.replace(temp, self._entry(document.path))
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError:
            pass

    def drop(self, ids: list[str]) -> None:
        """Forget the entries of these document ids (removed from the library)."""
        for doc_id in ids:
            try:
                (self.folder / f"{doc_id}.doc").unlink(missing_ok=True)
            except OSError:
                pass


def encode_document(document: Document, key: CacheKey) -> bytes:
    blocks: list[object] = []
    for block in document.blocks:
        marks = [value for mark in block.marks for value in (mark.start, mark.end, mark.kind, mark.href)]
        blocks.append([_KIND_INDEX[block.kind], block.start, block.end, block.level, block.marker, marks])
    body = {
        "key": [key.size, key.mtime_ns, key.hash],
        "format": document.format,
        "title": document.title,
        "source": document.source,
        "date": document.date,
        "encoding": document.encoding,
        "sort_date": document.sort_date,
        "language": document.language,
        "words": document.words,
        "text": document.text,
        "blocks": blocks,
        "headings": [[s.block, s.level] for s in document.sections],
        "pages": [[page.offset, page.label] for page in document.pages],
    }
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    return _MAGIC + zlib.compress(payload, 1)


def decode_document(data: bytes, path: Path, key: CacheKey, mtime: float) -> Document | None:
    """The document an entry holds, for ``path``; None when it is not for the file as ``key``
    says it is now, or cannot be read back whole."""
    if not data.startswith(_MAGIC):
        return None
    try:
        body = json.loads(zlib.decompress(data[len(_MAGIC) :]).decode("utf-8", "surrogatepass"))
        if body["key"] != [key.size, key.mtime_ns, key.hash]:
            return None
        text = body["text"]
        blocks = []
        end = 0
        for kind, start, stop, level, marker, flat in body["blocks"]:
            if not (isinstance(start, int) and isinstance(stop, int) and end <= start <= stop <= len(text)):
                return None
            marks = tuple(Mark(flat[i], flat[i + 1], flat[i + 2], flat[i + 3]) for i in range(0, len(flat), 4))
            blocks.append(Block(_KINDS[kind], text[start:stop], start, stop, int(level), str(marker), marks))
            end = stop + len(BLOCK_SEPARATOR)
        sections = tuple(
            Section(blocks[number].text, number, blocks[number].start, int(level))
            for number, level in body["headings"]
        )
        pages = tuple(Page(int(offset), str(label)) for offset, label in body["pages"])
        return Document(
            id=document_id(path),
            path=path,
            format=str(body["format"]),
            title=str(body["title"]),
            source=str(body["source"]),
            date=str(body["date"]),
            encoding=str(body["encoding"]),
            blocks=tuple(blocks),
            sections=sections,
            text=text,
            words=int(body["words"]),
            size=key.size,
            mtime=mtime,
            sort_date=str(body["sort_date"]),
            pages=pages,
            language=str(body["language"]),
        )
    except (ValueError, KeyError, TypeError, IndexError, zlib.error, UnicodeDecodeError, RecursionError):
        return None
