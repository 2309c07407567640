"""The document model: blocks, sections and one normalized plain text.

Every format reader produces a :class:`Document`. Downstream code (the content
pane, search hits, anchors, export) speaks in character offsets into
``Document.text``, the normalized plain text, so one coordinate system serves
all of them. Each block knows its ``start``/``end`` in that text.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from pathlib import Path

__all__ = [
    "Block",
    "BlockKind",
    "Document",
    "DocumentBuilder",
    "Mark",
    "Page",
    "ParseStopped",
    "Section",
    "document_id",
    "count_words",
]

BLOCK_SEPARATOR = "\n\n"
CHECK_EVERY = 512  # blocks between two looks at a builder's ``stop``
_PIECE = 1 << 20  # characters counted in one go: a long text is counted piece by piece
_SPACE = re.compile(r"\s")
WORDS_PER_MINUTE = 230
CJK_CHARS_PER_MINUTE = 400

_CJK = (
    "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u31a0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
)


class ParseStopped(Exception):
    """A parse given up because its ``stop`` said so (the document is no longer wanted)."""


@cache
def _cjk_char() -> re.Pattern[str]:
    return re.compile(f"[{_CJK}]")


@cache
def _word() -> re.Pattern[str]:
    # compiled on first use: these Unicode classes cost ~10 ms, which start-up need not pay
    return re.compile(rf"[^\W{_CJK}]+(?:['’.-][^\W{_CJK}]+)*")


class BlockKind(str, Enum):
    """What a block is; the content pane styles each kind."""

    TITLE = "title"
    BYLINE = "byline"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    QUOTE = "quote"
    LIST_ITEM = "list_item"
    CODE = "code"
    PRE = "pre"  # preformatted prose: line breaks kept, lines still wrapped
    RULE = "rule"


@dataclass(frozen=True, slots=True)
class Mark:
    """An inline span inside a block (``start``/``end`` relative to the block)."""

    start: int
    end: int
    kind: str  # "strong", "em", "code", "link", "label"
    href: str = ""  # a link's address as the file writes it (relative ones too); "" for other marks


@dataclass(frozen=True, slots=True)
class Block:
    """One block of the document and where its text sits in ``Document.text``."""

    kind: BlockKind
    text: str
    start: int
    end: int
    level: int = 0  # heading level, list nesting depth
    marker: str = ""  # list bullet or number, shown before the text
    marks: tuple[Mark, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """A heading: its text, its block and its offset in ``Document.text``."""

    title: str
    block: int
    offset: int
    level: int = 1


@dataclass(frozen=True, slots=True)
class Page:
    """Where a printed page starts in ``Document.text``, and its label ("12", "xiv")."""

    offset: int
    label: str


@dataclass(frozen=True, slots=True, repr=False)
class Document:
    """A parsed document. Immutable; reading it again gives an equal object."""

    id: str
    path: Path
    format: str
    title: str
    source: str
    date: str
    encoding: str
    blocks: tuple[Block, ...]
    sections: tuple[Section, ...]
    text: str
    words: int
    size: int = 0
    mtime: float = 0.0
    sort_date: str = ""  # the date as YYYY-MM-DD (from the date, meta tags, front matter), for sorting
    pages: tuple[Page, ...] = ()  # a paged format's (PDF) page starts, in text order; else empty
    language: str = ""  # the language the file declares ("fr", "ja": an EPUB's dc:language), "" if none
    # figures worked out from the text on first use (a 20 MB text's hash is ~50 ms)
    memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def __repr__(self) -> str:
        # short: Textual describes a worker by the repr of its arguments, on the UI thread
        # (the generated repr of a 20 MB document took ~1 s, at every find keystroke)
        return (
            f"Document(id={self.id!r}, path={str(self.path)!r}, title={self.title!r}, "
            f"blocks={len(self.blocks)}, chars={len(self.text)})"
        )

    @property
    def reading_minutes(self) -> int:
        """Estimated reading time in whole minutes (at least one)."""
        return reading_minutes(self.words, self.cjk_chars)

    @property
    def cjk_chars(self) -> int:
        found = self.memo.get("cjk_chars")
        if found is None:
            found = self.memo["cjk_chars"] = sum(1 for _ in _cjk_char().finditer(self.text)) if not self.text.isascii() else 0
        return found  # type: ignore[return-value]

    @property
    def text_hash(self) -> str:
        """A hash of the normalized text; anchors use it to spot edits."""
        found = self.memo.get("text_hash")
        if found is None:
            digest = hashlib.sha1()
            for start in range(0, len(self.text), _PIECE):  # no long C call on a long text
                digest.update(self.text[start : start + _PIECE].encode("utf-8"))
            found = self.memo["text_hash"] = digest.hexdigest()
        return found  # type: ignore[return-value]

    def block_at(self, offset: int) -> int:
        """Index of the block holding ``offset`` (or the nearest one before it)."""
        lo, hi = 0, len(self.blocks) - 1
        if hi < 0:
            return -1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.blocks[mid].start <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def page_at(self, offset: int) -> str:
        """The label of the page a text offset falls on ("" for a document without pages)."""
        lo, hi = 0, len(self.pages) - 1
        if hi < 0 or offset < self.pages[0].offset:
            return self.pages[0].label if self.pages else ""
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.pages[mid].offset <= offset:
                lo = mid
            else:
                hi = mid - 1
        return self.pages[lo].label

    def section_at(self, offset: int) -> Section | None:
        """The section a text offset falls in, if any."""
        current = None
        for section in self.sections:
            if section.offset > offset:
                break
            current = section
        return current


def document_id(path: Path) -> str:
    """A stable id from the document's absolute path (edits keep the id)."""
    key = str(path.expanduser().resolve(strict=False))
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def count_words(text: str, stop: Callable[[], bool] | None = None) -> tuple[int, int]:
    """Words (Latin-like runs plus one per CJK character) and CJK characters.

    A long text is counted a piece at a time, cut at white space (no word holds
    any), looking at ``stop`` between pieces: :class:`ParseStopped` if it says so.
    """
    words = cjk = 0
    start = 0
    while start < len(text):
        end = len(text)
        if end - start > _PIECE:
            space = _SPACE.search(text, start + _PIECE)
            end = space.start() if space else len(text)
        piece = text[start:end] if start or end < len(text) else text
        # counted as the matches go by: findall on a 50 MB text built a list of every
        # word (~400 MB held at once)
        words += sum(1 for _ in _word().finditer(piece))
        if not piece.isascii():
            cjk += sum(1 for _ in _cjk_char().finditer(piece))
        start = end
        if stop is not None and start < len(text) and stop():
            raise ParseStopped
    return words + cjk, cjk


def reading_minutes(words: int, cjk_chars: int = 0) -> int:
    latin = max(words - cjk_chars, 0)
    minutes = latin / WORDS_PER_MINUTE + cjk_chars / CJK_CHARS_PER_MINUTE
    return max(1, math.ceil(minutes)) if words else 0


@dataclass
class DocumentBuilder:
    """Collects blocks in order and lays out the normalized text."""

    path: Path
    format: str
    encoding: str = "utf-8"
    size: int = 0
    mtime: float = 0.0
    sort_date: str = ""  # the date as YYYY-MM-DD (from the date, meta tags, front matter), for sorting
    title: str = ""
    source: str = ""
    date: str = ""
    language: str = ""  # declared by the file: the primary subtag, lower case ("pt" of "pt-BR")
    _blocks: list[Block] = field(default_factory=list)
    _sections: list[Section] = field(default_factory=list)
    _parts: list[str] = field(default_factory=list)
    _length: int = 0
    _seen: set[str] = field(default_factory=set)
    _pages: list[Page] = field(default_factory=list)
    stop: Callable[[], bool] | None = None  # looked at now and then: True gives up the parse

    def check(self) -> None:
        """Give up (:class:`ParseStopped`) if ``stop`` says the document is no longer wanted."""
        if self.stop is not None and self.stop():
            raise ParseStopped

    def add(
        self,
        kind: BlockKind,
        text: str,
        *,
        level: int = 0,
        marker: str = "",
        marks: tuple[Mark, ...] = (),
        dedupe: bool = False,
    ) -> Block | None:
        """Append a block; empty text is ignored, and with ``dedupe`` a repeat of a block
        added the same way (a web page that holds its article twice).

        Plain text does not dedupe: there a repeat in the head (title, byline or lead
        again) is the text reader's to drop, and further down it is the author's (a
        refrain, "CHAPTER I" again in a second volume).
        """
        if kind is not BlockKind.RULE and not text.strip():
            return None
        if self.stop is not None and len(self._blocks) % CHECK_EVERY == CHECK_EVERY - 1:
            self.check()
        if dedupe:
            key = " ".join(text.split()).casefold()
            if key in self._seen:
                return None
            self._seen.add(key)
        if self._parts:
            self._parts.append(BLOCK_SEPARATOR)
            self._length += len(BLOCK_SEPARATOR)
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        block = Block(kind, text, start, self._length, level, marker, marks)
        if kind is BlockKind.HEADING:
            self._sections.append(Section(text, len(self._blocks), start, level or 1))
        self._blocks.append(block)
        return block

    def page(self, label: str, *, at: int | None = None) -> None:
        """The blocks added from now on are on the page ``label`` (until the next call); ``at``:
        the page starts there instead, inside the last block (a paragraph that runs over)."""
        # a page that adds no block starts where the next one does: page_at gives the later
        offset = self._length + (len(BLOCK_SEPARATOR) if self._parts else 0) if at is None else at
        self._pages.append(Page(offset, label))

    @property
    def length(self) -> int:
        """Characters of text laid out so far."""
        return self._length

    @property
    def blocks(self) -> list[Block]:
        return self._blocks

    def build(self) -> Document:
        text = "".join(self._parts)
        # the body's words: no word spans two blocks, so those of the text less the
        # title's and byline's (counting a second copy of the text cost as much again)
        words, _ = count_words(text, self.stop)
        for block in self._blocks:
            if block.kind in (BlockKind.TITLE, BlockKind.BYLINE):
                words -= count_words(block.text)[0]
        title = self.title.strip() or self.path.stem
        return Document(
            id=document_id(self.path),
            path=self.path,
            format=self.format,
            title=title,
            source=self.source.strip(),
            date=self.date.strip(),
            encoding=self.encoding,
            blocks=tuple(self._blocks),
            sections=tuple(self._sections),
            text=text,
            words=words,
            size=self.size,
            mtime=self.mtime,
            pages=tuple(self._pages),
            sort_date=self.sort_date,
            language=self.language,
        )
