"""Searchers for worker threads: reused across keystrokes, never shared by two threads."""

from __future__ import annotations

import threading

from reader.core.search.index import SearchIndex
from reader.core.search.searcher import Searcher

__all__ = ["SearcherPool"]


class SearcherPool:
    """Opening a searcher costs tens of milliseconds; a worker borrows one and gives it back.

    A cancelled search may still be running when the next keystroke's starts, so
    two may be out at once: each gets its own.
    """

    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self._free: list[Searcher] = []
        self._lock = threading.Lock()

    def take(self) -> Searcher:
        with self._lock:
            if self._free:
                return self._free.pop()
        return Searcher(self.index)

    def give(self, searcher: Searcher) -> None:
        with self._lock:
            if len(self._free) < 4:
                self._free.append(searcher)
                return
        searcher.close()
