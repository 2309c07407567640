"""The main screen following the library on disk while it runs.

``WatchPart`` (a base of ``MainScreen``) starts a watcher thread once the
library is read. Added and changed documents are read again and listed, removed
ones dropped; the search index is brought up to date; the open document is
reloaded at the same passage when it changes, and kept on screen (the last
version read) when it is deleted, with one notice each time.
"""

from __future__ import annotations

import threading
from pathlib import Path

from textual import on, work
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, get_current_worker

from reader.core.library import DocumentInfo, Skipped, read_infos
from reader.core.notes import make_target
from reader.core.watch import watch_library

__all__ = ["WatchPart", "LibraryChanged", "LibraryReread"]


class LibraryChanged(Message):
    """Files under the library changed on disk (posted from the watcher thread)."""

    def __init__(self, updated: set[Path], removed: set[Path]) -> None:
        super().__init__()
        self.updated = updated
        self.removed = removed


class LibraryReread(Message):
    """The changed files, read again."""

    def __init__(self, documents: list[DocumentInfo], skipped: list[Skipped], removed: set[Path]) -> None:
        super().__init__()
        self.documents = documents
        self.skipped = skipped
        self.removed = removed


class WatchPart(Screen[None]):
    """Keeps the list, the index and the open document in step with the files."""

    _watch_stop: threading.Event | None = None
    _reindex_pending = False

    def start_watching(self) -> None:
        if self._watch_stop is None:
            self._watch_stop = threading.Event()
            self.watch_files(self._watch_stop)

    def on_unmount(self) -> None:
        if self._watch_stop is not None:
            self._watch_stop.set()

    @work(thread=True, exclusive=True, group="watch")
    def watch_files(self, stop: threading.Event) -> None:
        worker = get_current_worker()
        try:
            watch_library(
                self.library_paths,  # type: ignore[attr-defined]
                _Either(stop, worker),
                lambda updated, removed: self.post_message(LibraryChanged(updated, removed)),
            )
        except (OSError, RuntimeError) as error:  # no file events here (limits, permissions)
            self.app.call_from_thread(
                self.notify, f"Changes on disk will not be followed ({error}).", severity="warning"
            )

    @on(LibraryChanged)
    def library_changed(self, message: LibraryChanged) -> None:
        self.reread(sorted(message.updated), message.removed)

    @work(thread=True, exclusive=False, group="reread")
    def reread(self, paths: list[Path], removed: set[Path]) -> None:
        documents: list[DocumentInfo] = []
        skipped: list[Skipped] = []
        for item in read_infos(paths):
            (skipped if isinstance(item, Skipped) else documents).append(item)  # type: ignore[arg-type]
        self.post_message(LibraryReread(documents, skipped, removed))

    @on(LibraryReread)
    def library_reread(self, message: LibraryReread) -> None:
        screen = self  # MainScreen
        gone = {path.resolve(strict=False) for path in message.removed}
        gone |= {item.path.resolve(strict=False) for item in message.skipped}
        fresh = {doc.id: doc for doc in message.documents}
        before = {doc.id for doc in screen.documents}  # type: ignore[attr-defined]
        kept = [
            doc
            for doc in screen.documents  # type: ignore[attr-defined]
            if doc.id not in fresh and doc.path.resolve(strict=False) not in gone
        ]
        documents = sorted([*kept, *fresh.values()], key=lambda d: (d.title.casefold(), str(d.path)))
        added = len(set(fresh) - before)
        changed = len(set(fresh) & before)
        dropped = len(before) - len(kept) - changed
        screen.update_library(documents)  # type: ignore[attr-defined]
        parts = [f"{n} {word}" for n, word in ((added, "added"), (changed, "changed"), (dropped, "removed")) if n]
        if parts:
            self.notify("Library: " + ", ".join(parts) + ".", title="On disk", timeout=4)
        self._follow_open_document(set(fresh), gone)
        self.reindex()

    def reindex(self) -> None:
        """Bring the search index up to date now, or when the running update ends."""
        if getattr(self, "index_dir", None) is None:
            return
        if getattr(self, "indexing", False):
            self._reindex_pending = True
            return
        self.index_library()  # type: ignore[attr-defined]

    def _follow_open_document(self, fresh: set[str], gone: set[Path]) -> None:
        from reader.ui.widgets.document_view import DocumentView

        view = self.query_one(DocumentView)
        document = view.document
        if document is None:
            return
        if document.id in fresh:
            top = view.offset_at_top()
            target = make_target(document.text, top, min(top + 64, len(document.text)), document.text_hash)
            self.notify(f"{document.title} changed on disk; showing the new version.", title="On disk")
            self.reload_open(document.path, document.title, target)  # type: ignore[attr-defined]
        elif document.path.resolve(strict=False) in gone:
            self.notify(
                f"{document.title} is gone from disk; this is the last version read.",
                title="On disk",
                severity="warning",
                timeout=8,
            )


class _Either:
    """Stops the watcher when the screen goes or its worker is cancelled (the app ends)."""

    def __init__(self, stop: threading.Event, worker: Worker[None]) -> None:
        self.stop = stop
        self.worker = worker

    def is_set(self) -> bool:
        return self.stop.is_set() or self.worker.is_cancelled
