"""What the main screen's workers report back (posted from worker threads)."""

from __future__ import annotations

from textual.message import Message

from reader.core.document import Document
from reader.core.library import DocumentInfo, Skipped
from reader.core.search.index import SearchIndex, UpdateReport
from reader.core.search.searcher import SearchResults

__all__ = [
    "LibraryProgress",
    "DocumentLoaded",
    "IndexReady",
    "IndexProgress",
    "IndexCommitted",
    "IndexDone",
    "SearchDone",
    "FindDone",
]


class LibraryProgress(Message):
    def __init__(self, documents: list[DocumentInfo], skipped: list[Skipped], done: bool) -> None:
        super().__init__()
        self.documents = documents
        self.skipped = skipped
        self.done = done


class DocumentLoaded(Message):
    def __init__(
        self,
        document: Document | None,
        *,
        error: str = "",
        hits: list[tuple[int, int]] | None = None,
        landing: int = 0,
    ) -> None:
        super().__init__()
        self.document = document
        self.error = error
        self.hits = hits or []
        self.landing = landing  # the hit to show first


class IndexReady(Message):
    def __init__(self, index: SearchIndex, notices: list[str]) -> None:
        super().__init__()
        self.index = index
        self.notices = notices


class IndexProgress(Message):
    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class IndexCommitted(Message):
    """A batch is committed: searches see more of the library."""


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
    def __init__(self, text: str, hits: list[tuple[int, int]], offset: int) -> None:
        super().__init__()
        self.text = text
        self.hits = hits
        self.offset = offset
