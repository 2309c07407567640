"""Searchers for worker threads: reused across keystrokes, never shared by two threads."""

from __future__ import annotations

import threading

from reader.core.search.index import SearchIndex
from reader.core.search.searcher import Searcher

__all__ = ["SearcherPool"]


class SearcherPool:
    """Opening a searcher costs tens of milliseconds; a search borrows one and gives it back.

    The app's library searches run one at a time (:mod:`reader.ui.search_runner`), so
    they reuse one searcher and its caches; a thread that searches at the same time
    as them (another caller) gets its own.
    """

    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self._free: list[Searcher] = []
        self._lock = threading.Lock()

    def take(self) -> Searcher:
        with self._lock:
            if self._free:
                return self._free.pop()
        from reader.ui.organiser import FieldSearcher  # the fields tag:, is:… from the store's values

        return FieldSearcher(self.index)

    def give(self, searcher: Searcher) -> None:
        with self._lock:
            if len(self._free) < 4:
                self._free.append(searcher)
                return
        searcher.close()
