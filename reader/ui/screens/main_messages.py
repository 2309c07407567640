"""What the main screen's workers report back (posted from worker threads)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # annotations only: the search and notes modules load when first used
    from reader.core.document import Document
    from reader.core.library import DocumentInfo, Skipped
    from reader.core.notes import Target
    from reader.core.search.index import SearchIndex, UpdateReport
    from reader.core.search.searcher import SearchResults
    from reader.ui.widgets.document_list import Progress
    from reader.ui.widgets.notes_panel import NoteEntry

__all__ = [
    "LibraryProgress",
    "DocumentLoaded",
    "IndexReady",
    "IndexProgress",
    "IndexCommitted",
    "IndexListed",
    "IndexDone",
    "SearchDone",
    "FindDone",
    "HitsFound",
    "NotesLoaded",
    "NotesListed",
    "StoreFailed",
    "ExportDone",
    "ProgressLoaded",
    "IndexBroken",
]


class LibraryProgress(Message):
    """The library as read so far; ``done``: all of it, or (``from_index``) all the index
    knows, the index update then reading what is new or changed on disk."""

    def __init__(
        self, documents: list[DocumentInfo], skipped: list[Skipped], done: bool, from_index: bool = False
    ) -> None:
        super().__init__()
        self.documents = documents
        self.skipped = skipped
        self.done = done
        self.from_index = from_index


class DocumentLoaded(Message):
    def __init__(
        self,
        document: Document | None,
        *,
        error: str = "",
        hits: list[tuple[int, int]] | None = None,
        landing: int = 0,
        target: Target | None = None,
        partial: bool = False,
        shown: threading.Event | None = None,
    ) -> None:
        super().__init__()
        self.document = document
        self.error = error
        self.hits = hits or []
        self.landing = landing  # the hit to show first
        self.target = target  # or the passage to show (a note or bookmark chosen from a list)
        self.partial = partial  # the start of a long document, shown while the rest is read
        self.shown = shown  # set once the start is on screen (the worker waits for it)


class IndexReady(Message):
    """The index is open; ``update``: start bringing it up to date with the library now."""

    def __init__(self, index: SearchIndex, notices: list[str], update: bool = False) -> None:
        super().__init__()
        self.index = index
        self.notices = notices
        self.update = update


class IndexProgress(Message):
    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class IndexCommitted(Message):
    """A batch is committed: searches see more of the library."""


class IndexListed(Message):
    """The index update added or changed these documents (their summaries) and removed these ids."""

    def __init__(self, documents: list[DocumentInfo], removed: list[str]) -> None:
        super().__init__()
        self.documents = documents
        self.removed = removed


class IndexDone(Message):
    def __init__(self, report: UpdateReport | None, error: str = "") -> None:
        super().__init__()
        self.report = report
        self.error = error


class SearchDone(Message):
    def __init__(self, text: str, results: SearchResults | None, suggestion: str = "") -> None:
        super().__init__()
        self.text = text
        self.results = results
        self.suggestion = suggestion


class FindDone(Message):
    def __init__(
        self,
        text: str,
        hits: list[tuple[int, int]],
        offset: int,
        *,
        document: Document | None = None,
        starts: list[int] | None = None,
        longest: int | None = None,
    ) -> None:
        super().__init__()
        self.text = text
        self.hits = hits
        self.offset = offset
        self.document = document  # the document searched
        self.starts = starts  # each hit's start, and the longest hit's length, worked out in the worker
        self.longest = longest


class HitsFound(Message):
    """A search's hits in the document already on screen (opened again from the results)."""

    def __init__(self, document: Document, hits: list[tuple[int, int]], landing: int) -> None:
        super().__init__()
        self.document = document
        self.hits = hits
        self.landing = landing


class NotesLoaded(Message):
    """A document's notes, anchored in its text, and where to show it (``offset``)."""

    def __init__(
        self, doc_id: str, entries: list[NoteEntry], offset: int | None, problem: str, read_only: bool
    ) -> None:
        super().__init__()
        self.doc_id = doc_id
        self.entries = entries
        self.offset = offset
        self.problem = problem
        self.read_only = read_only


class NotesListed(Message):
    """Every note (or bookmark) of the library, for the library-wide list."""

    def __init__(self, kind: str, entries: list[NoteEntry], problems: list[str]) -> None:
        super().__init__()
        self.kind = kind
        self.entries = entries
        self.problems = problems


class StoreFailed(Message):
    """A save did not happen: ``problem`` is one line naming the file."""

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem


class ExportDone(Message):
    """An export finished: ``done`` says what was written; ``problem`` what went wrong."""

    def __init__(self, done: str, problem: str = "") -> None:
        super().__init__()
        self.done = done
        self.problem = problem


class ProgressLoaded(Message):
    """Every document's reading progress, from the store."""

    def __init__(self, progress: dict[str, Progress]) -> None:
        super().__init__()
        self.progress = progress


class IndexBroken(Message):
    """A search found the index deleted or damaged (``error``, if it raised)."""

    def __init__(self, pool: object, error: BaseException | None) -> None:
        super().__init__()
        self.pool = pool
        self.error = error
