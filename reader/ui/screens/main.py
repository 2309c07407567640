"""The main screen: the list pane and the content pane, and the workers behind them."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from textual.timer import Timer
    from textual.widgets import ProgressBar

    from collections.abc import Callable

    from reader.core.notes import Target
    from reader.core.relink import Ambiguity
    from reader.core.search.index import SearchIndex
    from reader.core.search.query import ParsedQuery
    from reader.ui.search_pool import SearcherPool
    from reader.ui.search_runner import LatestRunner

from reader.core.document import Document, ParseStopped
from reader.core.formats import PREVIEW_CHARS, UnreadableDocument, read_document
from reader.core.formats.doc_cache import PARSED, DocumentCache
from reader.core.library import DocumentInfo, Skipped, candidates, info_of, read_infos
from reader.ui import startup, trace
from reader.ui.messages import OpenDocument
from reader.ui.screens.main_messages import (
    DocumentLoaded,
    FindDone,
    HitsFound,
    IndexCommitted,
    IndexBroken,
    IndexDone,
    IndexListed,
    IndexProgress,
    IndexReady,
    LibraryProgress,
    SearchDone,
)
from reader.ui.screens.main_links import LinksPart
from reader.ui.screens.main_notes import NotesPart
from reader.ui.screens.main_organise import TYPED as ORGANISE_TYPED, OrganisePart
from reader.ui.screens.main_relink import relink_in_background
from reader.ui.screens.main_watch import WatchPart
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.key_footer import KeyFooter
from reader.ui.widgets.notes_panel import NotesPanel
from reader.ui.widgets.search_bar import SearchBar
from reader.ui.widgets.status_line import StatusLine, page_of

__all__ = ["MainScreen"]

_BATCH = 500  # documents per list update while the library loads
_RELIST = 0.5  # seconds: while indexing lists new documents, the list is redone at most this often
_RESULTS = 200  # search results listed
_SNIPPETS = 30  # of which get a snippet (more than fit on a screen)


class MainScreen(NotesPart, OrganisePart, WatchPart, LinksPart):
    """Library (or search results) on the left, the open document on the right."""

    # the list has the focus from the start: Textual's default ("*") gave it to the hidden
    # search bar first, then on_mount moved it, and each move restyles the left pane
    AUTO_FOCUS = "#list"

    BINDINGS = [
        Binding("slash", "search", "Search", id="search", priority=True),
        Binding("ctrl+f", "find", "Find", id="find", priority=True),
        Binding("tab", "switch_pane", "Switch pane", id="switch_pane", priority=True),
        Binding("o", "outline", "Outline", id="outline"),
        Binding("ctrl+n", "add_url", "Add URL", id="add_url"),
        Binding("escape", "back", "Back", id="back", show=False),
    ]

    def __init__(
        self,
        library_paths: list[Path],
        index_dir: Path | None = None,
        data_dir: Path | None = None,
        *,
        reopen_last: bool = False,
    ) -> None:
        super().__init__()
        self.init_notes(data_dir)
        self.init_organise()
        self.reopen_last = reopen_last  # open the document read last once the progress is known
        self.library_paths = library_paths
        self.index_dir = index_dir
        self.documents: list[DocumentInfo] = []
        self.skipped: list[Skipped] = []
        self.library_loading = True
        self._listed = 0  # documents in the list while the library is being read
        self.search_index: SearchIndex | None = None
        self.indexing = False
        self._reading: tuple[int, int] | None = None  # files read / to read by the running index update
        self._unlisted: dict[str, DocumentInfo | None] = {}  # what indexing changed, not listed yet (None: removed)
        self._relist_timer: Timer | None = None
        self._list_drawn = threading.Event()  # the library listed from the index is on screen
        self._pool: SearcherPool | None = None
        self.search_query: ParsedQuery | None = None  # the library search shown in the list, if any
        self._before_search: str | None = None  # the highlighted document when the search began
        self._searches: LatestRunner | None = None  # the thread library searches run on, one at a time
        self._shown: SearchDone | None = None  # the search whose results the list shows
        self.missing_notes: list[Ambiguity] = []  # documents with notes whose file is gone, not matched
        self._relinked = False  # the notes of moved documents were looked for this session
        self._saved_offsets: dict[str, int | None] = {}  # document id → its reading position, found on opening

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                yield SearchBar(id="search")
                # (the indexing progress bar is mounted above the list when first needed)
                yield DocumentList(id="list")
            yield DocumentView(id="content")
            yield NotesPanel(id="notes")
        yield StatusLine(id="status")
        yield KeyFooter(id="footer")

    def on_mount(self) -> None:
        if self.focused is None:
            self.query_one(DocumentList).focus()  # (AUTO_FOCUS did not: the terminal had not the focus)
        if self._open_lone():
            return  # listed and shown in the first frame
        self.query_one(StatusLine).show_message("Reading the library…")
        self.load_library()

    def _open_lone(self) -> bool:
        """A library of one small document is read here, before the first frame, which then
        shows the list and the document at once (one frame made, not three); False for any
        other library (read in the worker)."""
        from reader.core.lone_document import lone_document

        lone = lone_document(self.library_paths)
        if lone is None:
            return False
        path, skipped = lone
        try:
            document = read_document(path)
        except UnreadableDocument as error:
            self.library_progress(LibraryProgress([], [*skipped, Skipped(path, error.reason)], done=True))
            return True
        except Exception:  # noqa: BLE001 - the worker reads it again and says what is wrong
            return False
        document.reading_minutes  # noqa: B018 - for the status line's time left
        self._saved_offsets[document.id] = self.saved_offset(document)
        self.library_progress(LibraryProgress([info_of(document)], skipped, done=True))
        self.notes_after_frame = True  # no worker thread shares the interpreter with the first frame
        try:
            self.document_loaded(DocumentLoaded(document))
        finally:
            self.notes_after_frame = False
        return True

    def on_unmount(self) -> None:
        # (Textual calls the bases' on_unmount too: the notes part saves, the watch part stops watching)
        if self._searches is not None:
            self._searches.stop()  # a search running posts nothing to a screen that is gone

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.focused, Input) and action in (
            "search", "switch_pane", "outline", "toggle_notes", "bookmarks", "all_notes", "undo_delete", "export",
            "add_url",
        ):
            return False  # let the search bar have the key
        if isinstance(self.focused, Input) and action in ORGANISE_TYPED:
            return False
        if not self.organise_allowed(action):
            return False
        if action == "undo_delete" and not self._deleted:
            return False
        return True

    # -- library ------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="library")
    def load_library(self) -> None:
        worker = get_current_worker()
        if self.index_dir is not None and self._list_from_index():
            return  # listed from the index; the index update reads what is new or changed
        found, skipped = candidates(self.library_paths)
        if len(found) == 1:
            # a library of one document: read it once, list it and open it
            self._read_single(found[0], skipped)
            return
        if self.index_dir is not None:
            # a library new to the index: indexing it lists it, reading each file once
            self.post_message(LibraryProgress([], skipped, done=True, from_index=True))
            self._open_index(update=True)
            return
        documents: list[DocumentInfo] = []
        for item in read_infos(found):
            if worker.is_cancelled:
                return
            if isinstance(item, Skipped):
                skipped.append(item)
                continue
            documents.append(item)
            if len(documents) % _BATCH == 0:
                self.post_message(LibraryProgress(list(documents), list(skipped), done=False))
        self.post_message(LibraryProgress(documents, skipped, done=True))

    def _list_from_index(self) -> bool:
        """List the library from the summaries the index keeps, before walking its folders or
        reading any file. False if the index cannot be opened, or knows fewer than two of
        the library's documents (a new library; one document, which is opened at once).

        The index update that follows (``index_library``) walks the library, compares every
        file's size and mtime with what the index recorded, reads only the new and changed
        ones, and posts what it added and removed (``IndexListed``): the list follows the disk.
        """
        from reader.core.search.docstore import DocStore
        from reader.core.search.stamp import looks_usable

        assert self.index_dir is not None
        stored = self.index_dir / "documents.sqlite"
        if not looks_usable(self.index_dir) or not stored.exists():
            return False
        try:
            # the summaries first (SQLite alone, no Whoosh): the list shows while the index opens
            store = DocStore(stored)
            try:
                documents = store.infos(under=[os.path.abspath(path) for path in self.library_paths])
            finally:
                store.close()
        except Exception:  # noqa: BLE001 - a store that cannot be read here: read the files instead
            return False
        if len(documents) < 2:
            return False
        self.post_message(LibraryProgress(documents, [], done=True, from_index=True))
        # then the index, here, once the list is on screen (opening it meanwhile slowed the list down)
        worker = get_current_worker()
        deadline = time.monotonic() + 5
        while not self._list_drawn.wait(0.05):
            if worker.is_cancelled:
                return True  # the app is ending: it must not wait for this thread
            if time.monotonic() > deadline:
                break
        self._open_index(update=True)
        return True

    def _open_index(self, update: bool = False) -> SearchIndex | None:
        """Open the search index (repairing it if need be) and say so (``update``: and bring it up
        to date once the screen knows it); None if it cannot be opened."""
        from reader.core.search.index import IndexBusy, SearchIndex

        assert self.index_dir is not None
        try:
            index = SearchIndex(self.index_dir, wait=1.0)  # a rebuild waits for another reader's update
        except IndexBusy as error:
            self._read_unlisted()
            self.post_message(IndexDone(None, f"Search is unavailable: {error}."))
            return None
        except OSError as error:
            self._read_unlisted()  # the list still shows the library
            self.post_message(IndexDone(None, f"Search is unavailable: cannot open {self.index_dir} ({error})"))
            return None
        self.post_message(IndexReady(index, list(index.notices), update))
        return index

    def _read_single(self, path: Path, skipped: list[Skipped]) -> None:
        try:
            document = self._read_streaming(path)  # a long one's start is shown first
        except UnreadableDocument as error:
            self.post_message(LibraryProgress([], [*skipped, Skipped(path, error.reason)], done=True))
            return
        except ParseStopped:
            return  # the app is ending
        self.post_message(LibraryProgress([info_of(document)], skipped, done=True))
        self.post_message(DocumentLoaded(document))

    @on(LibraryProgress)
    def library_progress(self, message: LibraryProgress) -> None:
        self.skipped = message.skipped
        # listed from the index, the library is whole once the index update has compared it with the disk
        self.library_loading = not message.done or message.from_index
        # Rebuilding the list costs in proportion to its length: while the library is
        # read, list it again only when it has doubled (and once at the end), so a
        # library of 50,000 is listed ~10 times, not 100 times, and the app stays usable.
        if not message.done and len(message.documents) < 2 * self._listed:
            self.query_one(StatusLine).show_message(f"Reading the library… {_documents(len(message.documents))}")
            return
        self._listed = len(message.documents)
        if message.done:
            self.call_after_refresh(trace.mark, "listed", str(len(message.documents)))
        self.documents = message.documents  # in no order: the list pane sorts what it shows
        doc_list = self.query_one(DocumentList)
        if doc_list.results is None:
            current = doc_list.document_at(doc_list.highlighted)
            doc_list.set_documents(self.documents, keep=current.id if current else None)
        if message.done:
            self._library_summary()
            if message.from_index:
                self.indexing = True  # the index opens, then brings the library up to date (IndexReady)
            # the list is drawn first: the work that follows (progress, index, watching) would
            # hold the interpreter while that frame is made (~30 ms on the seed)
            self.call_after_refresh(self._after_listed, message.from_index)
        else:
            self.query_one(StatusLine).show_message(f"Reading the library… {_documents(len(self.documents))}")

    def _after_listed(self, from_index: bool) -> None:
        """The library is on screen: read the reading positions, bring the index up to date, watch."""
        startup.release()  # the garbage collector, held off while the app started
        self.load_progress()
        self.load_metas()
        if from_index:
            self._list_drawn.set()
        elif self.index_dir is not None:
            self.index_library()
        self.start_watching()

    def show_skipped(self) -> None:
        """The files that are not in the library, each with its reason."""
        from textual.content import Content

        from reader.ui.screens.pick import PickScreen

        from reader.core.visible import visible

        # a name that is not UTF-8 is shown with its bad bytes replaced, controls made visible
        choices = [(Content(visible(f"{item.path}: {item.reason}")), None) for item in self.skipped]
        self.app.push_screen(PickScreen(f"{len(choices)} files skipped", choices))

    def update_library(self, documents: list[DocumentInfo]) -> None:
        """The library changed on disk: list it again, keeping the highlight."""
        self.documents = documents
        doc_list = self.query_one(DocumentList)
        if doc_list.results is None:
            current = doc_list.document_at(doc_list.highlighted)
            doc_list.set_documents(self.documents, keep=current.id if current else None)

    def _library_summary(self) -> None:
        self.reopen_when_listed()
        count = len(self.documents)
        text = _documents(count)
        if self.skipped:
            text += f", {len(self.skipped)} skipped (which and why: Skipped files in the palette)"
        if self.indexing and self._reading:
            text += f" · reading new files {self._reading[0]}/{self._reading[1]}"
        view = self.query_one(DocumentView)
        if view.document is None:
            self.query_one(StatusLine).show_message(text)
            if count:
                view.placeholder = "Choose a document from the list (Enter to open, / to search)."
            elif self.indexing:
                view.placeholder = "Reading the library…"
            else:
                view.placeholder = "No documents found here."
            view.refresh()

    # -- the search index ---------------------------------------------------------------

    @work(thread=True, exclusive=True, group="index")
    def index_library(self) -> None:
        from reader.core.search.index import IndexBusy  # loaded here, off the start-up path

        worker = get_current_worker()
        index = self.search_index or self._open_index()
        if index is None:
            return
        try:
            report = index.update(
                self.library_paths,
                progress=lambda done, total: self.post_message(IndexProgress(done, total)),
                committed=lambda: self.post_message(IndexCommitted()),
                cancelled=lambda: worker.is_cancelled,
                wait=0.5,
                listed=lambda documents, removed: self.post_message(IndexListed(documents, removed)),
            )
        except IndexBusy:
            self._read_unlisted()
            self.post_message(IndexDone(None, "Another reader is updating the search index; searching what it has."))
            return
        except OSError as error:
            self.post_message(IndexDone(None, f"The search index could not be updated ({error})."))
            return
        self.post_message(IndexDone(report))

    def _read_unlisted(self) -> None:
        """The index is busy with another reader, or cannot be opened: read the files the list
        lacks (new, or changed since it was listed), as without an index, listing them as they come."""
        found, _ = candidates(self.library_paths)
        listed = {os.path.abspath(info.path): (info.size, info.mtime) for info in self.documents}
        missing = []
        for path in found:
            try:
                stat = path.stat()
            except OSError:
                continue
            if listed.get(os.path.abspath(path)) != (stat.st_size, stat.st_mtime):
                missing.append(path)
        documents: list[DocumentInfo] = []
        for item in read_infos(missing):
            if isinstance(item, DocumentInfo):
                documents.append(item)
            if len(documents) >= _BATCH:
                self.post_message(IndexListed(documents, []))
                documents = []
        if documents:
            self.post_message(IndexListed(documents, []))

    @on(IndexListed)
    def index_listed(self, message: IndexListed) -> None:
        """The index update added, changed or removed documents: the list follows, listed again at
        most every ``_RELIST`` seconds (each listing sorts the whole library on this thread)."""
        for info in message.documents:
            self._unlisted[info.id] = info
        for doc_id in message.removed:
            self._unlisted[doc_id] = None
        if not self.documents:
            self._apply_listed()  # the first documents show at once
        elif self._relist_timer is None:
            self._relist_timer = self.set_timer(_RELIST, self._apply_listed)

    def _apply_listed(self) -> None:
        if self._relist_timer is not None:
            self._relist_timer.stop()
            self._relist_timer = None
        changes, self._unlisted = self._unlisted, {}
        if changes:
            kept = [info for info in self.documents if info.id not in changes]
            self.update_library([*kept, *(info for info in changes.values() if info is not None)])
            if not self.indexing:
                self._library_summary()

    def stop_indexing(self) -> None:
        """Cancel the running index update (what it committed stays searchable)."""
        self.workers.cancel_group(self, "index")
        self._reindex_pending = False
        self.indexing = False
        self._hide_index_bar()
        self.notify("Indexing stopped; it goes on from there the next time reader starts.", title="Search index")

    @on(IndexReady)
    def index_ready(self, message: IndexReady) -> None:
        self.search_index = message.index
        from reader.ui.search_pool import SearcherPool

        self._pool = SearcherPool(message.index)
        self.indexing = True
        for notice in message.notices:
            self.notify(notice, title="Search index", severity="warning")
        if message.update:
            self.index_library()
        if self.query_one(SearchBar).display and self.query_one(SearchBar).mode == "library":
            self._search(self.query_one(SearchBar).value)

    def _index_bar(self) -> ProgressBar:
        """The indexing progress bar above the list, mounted the first time it is shown (a
        bar is four widgets to style, at every start, for what most starts never show)."""
        from textual.widgets import ProgressBar

        bars = self.query("#index-progress").results(ProgressBar)
        bar = next(bars, None)
        if bar is None:
            bar = ProgressBar(id="index-progress", show_eta=False)
            self.query_one("#left").mount(bar, before=self.query_one(DocumentList))
        return bar

    def _hide_index_bar(self) -> None:
        for bar in self.query("#index-progress"):
            bar.display = False

    @on(IndexProgress)
    def index_progress(self, message: IndexProgress) -> None:
        self._reading = (message.done, message.total)
        if message.total > 20:
            bar = self._index_bar()
            bar.display = True
            bar.update(total=message.total, progress=message.done)
            if self.search_query is None:
                self._library_summary()

    @on(IndexCommitted)
    def index_committed(self) -> None:
        search = self.query_one(SearchBar)
        if search.display and search.mode == "library" and search.value.strip():
            self._search(search.value)  # more of the library is searchable now

    @on(IndexDone)
    def index_done(self, message: IndexDone) -> None:
        self._apply_listed()
        self.indexing = False
        self._reading = None
        self.library_loading = False
        self.call_after_refresh(trace.mark, "index-done", str(len(self.documents)))
        if message.report is not None:
            self.skipped = message.report.skipped
            if not self._relinked:
                self._relinked = True
                relink_in_background(self)
        if self.search_query is None:
            self._library_summary()
        elif self._shown is not None and not isinstance(self.focused, DocumentView):
            # the search's status said "so far (indexing)": the index is whole now, and the
            # search runs once more over all of it (whatever the last commit's re-run saw)
            self.query_one(StatusLine).show_message(self._search_status(self._shown))
            bar = self.query_one(SearchBar)
            if bar.display and bar.mode == "library" and bar.value.strip():
                self._search(bar.value)
        if self._reindex_pending:
            self._reindex_pending = False
            self.call_later(self.reindex)
        self._hide_index_bar()
        if message.error:
            self.notify(message.error, title="Search index", severity="warning")
        elif message.report is not None and (message.report.added or message.report.updated):
            changed = len(message.report.added) + len(message.report.updated)
            if changed > 20:
                self.notify(f"Indexed {_documents(changed)} in {message.report.seconds:.0f} s.", title="Search index")

    # -- searching the library ----------------------------------------------------------

    def action_search(self) -> None:
        bar = self.query_one(SearchBar)
        doc_list = self.query_one(DocumentList)
        if self.search_query is None and doc_list.results is None:
            current = doc_list.document_at(doc_list.highlighted)
            self._before_search = current.id if current else None
        bar.start("library", bar.value if bar.mode == "library" else "")
        self.remove_class("-reading")
        self.set_focus(bar)  # synchronous: keys typed right after "/" reach the bar

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        if self.query_one(SearchBar).mode == "document":
            self._find(event.value)
        else:
            self._search(event.value)

    def _search(self, text: str) -> None:
        if not text.strip():
            if self._searches is not None:
                self._searches.stop()
            self.search_query = None
            self._shown = None
            self.query_one(DocumentList).set_documents(self.documents, keep=self._before_search)
            self.query_one(StatusLine).show_message("Type to search the library")
            return
        self.run_search(text)

    def run_search(self, text: str) -> None:
        """Search the library for ``text`` on the search thread; the search in flight gives way.

        At most one search runs: a keystroke supersedes it (it stops between its
        phases: results, snippets, "did you mean") and a superseded search posts nothing.
        """
        if self._searches is None:
            from reader.ui.search_runner import LatestRunner

            self._searches = LatestRunner("search")
        pool, index_dir, within = self._pool, self.index_dir, list(self.library_paths)

        def search(superseded: Callable[[], bool]) -> None:
            if pool is None:
                if not superseded():
                    self.post_message(SearchDone(text, None, "The search index is being prepared…"))
                return
            if index_dir is not None and not (index_dir / "FORMAT").exists():
                self.post_message(IndexBroken(pool, FileNotFoundError(index_dir)))  # deleted under us
                return
            try:
                searcher = pool.take()
            except Exception as error:  # noqa: BLE001 - the index went away under us (deleted, damaged)
                self.post_message(IndexBroken(pool, error))
                return
            try:
                searcher.refresh()
                results = searcher.search(
                    text, limit=_RESULTS, typing=True, snippets=_SNIPPETS, within=within, superseded=superseded
                )
                suggestion = ""
                if not results.query.empty and not superseded():
                    suggestion = searcher.suggest_typed(results, superseded)
            except Exception as error:  # noqa: BLE001 - as above; Searcher.search itself never raises
                searcher.close_quietly()
                self.post_message(IndexBroken(pool, error))
                return
            pool.give(searcher)
            if results.message.startswith("the search index is damaged"):
                self.post_message(IndexBroken(pool, None))
            if not superseded():
                self.post_message(SearchDone(text, results, suggestion))

        self._searches.submit(search)

    @on(IndexBroken)
    def index_broken(self, message: IndexBroken) -> None:
        """The index was deleted or damaged while the app ran: rebuild it, say so once."""
        if message.pool is not self._pool:
            return  # already being repaired
        if self._searches is not None:
            self._searches.stop()
        self._pool = None
        self.search_index = None
        if message.error is not None and self.index_dir is not None:
            from reader.core.search.index import SearchIndex

            SearchIndex.mark_damaged_at(self.index_dir)
        # the reopened index says what it found, once (IndexReady's notice)
        self.query_one(StatusLine).show_message("Rebuilding the search index…")
        self.reindex()

    @on(SearchDone)
    def search_done(self, message: SearchDone) -> None:
        bar = self.query_one(SearchBar)
        if message.text != bar.value or bar.mode != "library" or not bar.display:
            return  # a result for an older keystroke, or for a search already left
        self.call_after_refresh(trace.mark, "search-drawn", message.text)
        status = self.query_one(StatusLine)
        if message.results is None:
            status.show_message(message.suggestion)
            return
        self.search_query = message.results.query
        self._shown = message
        self.query_one(DocumentList).set_results(list(message.results.hits))
        status.show_message(self._search_status(message))

    def _search_status(self, message: SearchDone) -> str:
        """How many results, whether the index is still being built, and "did you mean"."""
        results = message.results
        assert results is not None
        partial = " so far (indexing)" if self.indexing else ""
        if results.hits:
            shown = f"{results.total} result{'s' if results.total != 1 else ''}{partial}"
        else:
            shown = f"No results{partial}"
        if message.suggestion:
            shown += f" · did you mean: {message.suggestion}" + (" (index incomplete)" if partial else "")
        if results.message:
            shown += f" · {results.message}"
        return shown

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        bar = self.query_one(SearchBar)
        if bar.mode == "document":
            self.focus_content()
            return
        doc_list = self.query_one(DocumentList)
        hit = doc_list.result_at(doc_list.highlighted)
        if hit is not None:
            self._open_path(hit.path, hit.title, self.search_query)
            self.focus_content()

    def leave_search(self) -> None:
        """Back to the library, with the document that was highlighted before."""
        bar = self.query_one(SearchBar)
        bar.display = False
        if self._searches is not None:
            self._searches.stop()  # the search in flight posts nothing
        self.search_query = None
        self._shown = None
        self.query_one(DocumentList).set_documents(self.documents, keep=self._before_search)
        self.focus_list()
        self._library_summary()
        view = self.query_one(DocumentView)
        if view.hit_count:
            view.set_hits([])  # the search's words are no longer marked, nor counted
        if view.document is not None:
            self._show_position(view)  # not the search's counts

    # -- find in the open document -----------------------------------------------------

    def action_find(self) -> None:
        view = self.query_one(DocumentView)
        if view.document is None:
            self.notify("Open a document first.", severity="information")
            return
        bar = self.query_one(SearchBar)
        bar.start("document", bar.value if bar.mode == "document" else "")
        self.set_focus(bar)

    def _find(self, text: str) -> None:
        view = self.query_one(DocumentView)
        if view.document is None:
            return
        if not text.strip():
            self.workers.cancel_group(self, "find")  # a find in flight posts nothing now
            view.set_hits([])
            self._show_position(view)
            return
        self.run_find(text, view.document, view.offset_at_top())

    @work(thread=True, exclusive=True, group="find")
    def run_find(self, text: str, document: Document, offset: int) -> None:
        """Find ``text`` in ``document``: a keystroke supersedes the find in flight, which
        gives up between two pieces of the text and posts nothing."""
        # find in the page: the words in sequence, as typed, the last one possibly unfinished
        phrase = '"' + text.replace('"', " ").strip() + (" " if text.endswith(" ") else "")
        from reader.core.search.query import parse_query
        from reader.core.search.text_hits import Stopped, find_hits_in

        worker = get_current_worker()
        try:
            hits = find_hits_in(document, parse_query(phrase, typing=True), stop=lambda: worker.is_cancelled)
        except Stopped:
            return
        starts = [start for start, _ in hits]
        longest = max((end - start for start, end in hits), default=0)
        if not worker.is_cancelled:
            self.post_message(FindDone(text, hits, offset, document=document, starts=starts, longest=longest))

    @on(FindDone)
    def find_done(self, message: FindDone) -> None:
        bar = self.query_one(SearchBar)
        if bar.mode != "document" or bar.value != message.text:
            return
        view = self.query_one(DocumentView)
        if message.document is not None and message.document is not view.document:
            return  # found in the start of a document since replaced by the whole (found again there)
        view.set_hits(message.hits, starts=message.starts, longest=message.longest)
        if message.hits:
            view.go_to_hit(view.hit_after(message.offset))
        else:
            self.query_one(StatusLine).show_message(f"Not found: {message.text}")

    # -- opening documents ------------------------------------------------------------

    @on(DocumentList.Selected, "#list")
    def list_selected(self, event: DocumentList.Selected) -> None:
        doc_list = self.query_one(DocumentList)
        hit = doc_list.result_at(event.index)
        if hit is not None:
            self._open_path(hit.path, hit.title, self.search_query)
            self.focus_content()
            return
        info = doc_list.document_at(event.index)
        if info is not None:
            self.open_document(info)
            self.focus_content()

    @on(OpenDocument)
    def open_by_id(self, message: OpenDocument) -> None:
        for info in self.documents:
            if info.id == message.document_id:
                if self.search_query is not None:
                    self.leave_search()
                self.query_one(DocumentList).select_document(info.id)
                self.open_document(info)
                self.focus_content()
                return
        self.notify(f"No document with id {message.document_id}", severity="warning")

    def open_document(self, info: DocumentInfo) -> None:
        self._open_path(info.path, info.title, None)

    def _open_path(self, path: Path, title: str, query: ParsedQuery | None, target: Target | None = None) -> None:
        view = self.query_one(DocumentView)
        shown = view.document
        if query is not None and target is None and shown is not None and not view.partial and _unchanged(shown, path):
            self.find_in_open(shown, query)  # the document on screen: find the hits, move the view
            return
        self.keep_position()  # of the document being left
        self.note_progress()
        self.query_one(StatusLine).show_message(f"Opening {title}…")
        self._read_document(path, query, target)

    def reload_open(self, path: Path, title: str, target: Target) -> None:
        """Read the open document again (it changed on disk), at the same passage."""
        self._read_document(path, None, target)

    def open_at(self, path: Path, title: str, target: Target) -> None:
        """Open the document at ``path`` showing the passage of ``target``."""
        if self.search_query is not None:
            self.leave_search()
        self._open_path(path, title, None, target)
        self.focus_content()

    @work(thread=True, exclusive=True, group="open")
    def _read_document(self, path: Path, query: ParsedQuery | None, target: Target | None = None) -> None:
        worker = get_current_worker()
        try:
            document = self._read_streaming(path)
        except UnreadableDocument as error:
            self.post_message(DocumentLoaded(None, error=str(error)))
            return
        except ParseStopped:
            return  # another document was asked for, or the app is ending
        hits, landing = [], 0
        if query is not None:
            found = _hits_and_landing(document, query)
            if found is None:
                return
            hits, landing = found
        if not worker.is_cancelled:
            self.post_message(DocumentLoaded(document, hits=hits, landing=landing, target=target))

    def _read_streaming(self, path: Path) -> Document:
        """Read the document at ``path`` in a worker; a long one's start is shown first.

        The start (see ``read_document``'s ``preview``) is posted, and the whole is parsed
        once it is on screen, then laid out for the pane here, in the worker. The parse
        gives up (``ParseStopped``) when the worker is cancelled: a newer open, or the app
        ending, never waits for a long parse.
        """
        worker = get_current_worker()
        view = self.query_one(DocumentView)

        def preview(start: Document) -> None:
            if worker.is_cancelled:
                return
            shown = threading.Event()
            self.post_message(DocumentLoaded(start, partial=True, shown=shown))
            while not shown.wait(0.05) and not worker.is_cancelled:
                pass  # the first screen is drawn before the rest is parsed

        # a book or paper the index has parsed is read back from it, not parsed again
        parsed = DocumentCache(self.index_dir / PARSED, write=False) if self.index_dir is not None else None
        document = read_document(path, preview=preview, stop=lambda: worker.is_cancelled, cache=parsed)
        if len(document.text) > PREVIEW_CHARS:
            view.prepare(document)
            document.text_hash  # noqa: B018 - worked out here, not at the first scroll
        document.reading_minutes  # noqa: B018 - counted here (CJK characters of a long text), not in the status line
        # where the reader left it, found here: the document opens there in its first frame
        self._saved_offsets[document.id] = self.saved_offset(document)
        return document

    @work(thread=True, exclusive=True, group="open")
    def find_in_open(self, document: Document, query: ParsedQuery) -> None:
        """A search's hits in the document on screen (opened again from the results)."""
        found = _hits_and_landing(document, query)
        if found is not None and not get_current_worker().is_cancelled:
            self.post_message(HitsFound(document, *found))

    @on(HitsFound)
    def hits_found(self, message: HitsFound) -> None:
        view = self.query_one(DocumentView)
        if view.document is not message.document:
            return
        view.set_hits(message.hits, current=message.landing)
        self._show_position(view)

    @on(DocumentLoaded)
    def document_loaded(self, message: DocumentLoaded) -> None:
        if message.document is None:
            self.notify(message.error, title="Cannot open", severity="error")
            self.query_one(StatusLine).show_message(message.error)
            return
        view = self.query_one(DocumentView)
        document = message.document
        if message.partial:
            if view.document is not None and view.document.id == document.id and not view.partial:
                # read again (changed on disk): the version on screen stays until the whole
                # new one replaces it, at the passage asked for
                if message.shown is not None:
                    message.shown.set()
                return
            view.show(document, partial=True)
            if message.shown is not None:
                self.call_after_refresh(message.shown.set)
            self.preview_moved()
            return
        moved = False
        saved = self._saved_offsets.pop(document.id, None)
        if message.hits or message.target is not None:
            saved = None  # a search's hit or a note's passage is shown instead
        if view.partial and view.document is not None and view.document.id == document.id:
            # the whole of the document whose start is on screen: the same text stays at the top
            offset = view.carried_offset(document)
            if offset == 0 and saved is not None:
                offset = saved  # not scrolled meanwhile: to where the reader left it
            moved = offset > 0
            view.show(document, offset)
        else:
            view.show(document, saved or 0)
            moved = saved is not None
        if message.hits:
            view.set_hits(message.hits, current=message.landing)
        restore = not message.hits and message.target is None and not moved
        self.notes_opened(document, restore=restore, target=message.target)
        self._show_position(view)
        bar = self.query_one(SearchBar)
        if bar.display and bar.mode == "document" and bar.value.strip():
            self._find(bar.value)  # typed while the start was shown: find in the whole

    @on(DocumentView.PreviewMoved)
    def preview_moved(self) -> None:
        """The start of a long document is shown: where it is, and that the rest is coming."""
        view = self.query_one(DocumentView)
        if view.document is not None:
            section = view.current_section()
            self.query_one(StatusLine).show_position(
                view.document.title, section.title if section else "", None, hits="reading the rest…"
            )

    @on(DocumentView.PositionChanged)
    def position_changed(self) -> None:
        self._show_position(self.query_one(DocumentView))
        self.position_moved()

    @on(DocumentView.HitChanged)
    @on(DocumentView.SelectionChanged)
    def hit_changed(self) -> None:
        self._show_position(self.query_one(DocumentView))


    def _show_position(self, view: DocumentView) -> None:
        document = view.document
        if document is None:
            return
        if view.empty:
            self.query_one(StatusLine).show_position(document.title, "", None, hits="empty")
            return
        section = view.current_section()
        hits = f"{view.current_hit + 1}/{view.hit_count}" if view.hit_count and view.current_hit >= 0 else ""
        self.query_one(StatusLine).set_page(page_of(document, view.offset_at_top()))
        percent = view.percent()
        self.query_one(StatusLine).show_position(
            document.title, section.title if section else "", percent, hits=hits,
            selected=view.selection_summary(), left=_time_left(document, percent),
        )

    # -- panes ------------------------------------------------------------------------

    def focus_content(self) -> None:
        self.add_class("-reading")
        self.set_focus(self.query_one(DocumentView))

    def focus_list(self) -> None:
        self.remove_class("-reading")
        self.set_focus(self.query_one(DocumentList))

    def action_switch_pane(self) -> None:
        """Tab: the list, the document, the notes panel when it is shown, and round again."""
        panel = self.query_one(NotesPanel)
        if isinstance(self.focused, DocumentView) and panel.display:
            panel.focus()
        elif isinstance(self.focused, (DocumentView, NotesPanel)):
            self.focus_list()
        else:
            self.focus_content()

    def action_back(self) -> None:
        focused = self.focused
        bar = self.query_one(SearchBar)
        view = self.query_one(DocumentView)
        if focused is bar:
            if bar.mode == "library":
                self.leave_search()
            else:
                bar.display = False
                self.focus_content()
        elif isinstance(focused, DocumentView):
            if view.hit_count and bar.mode == "document":
                view.set_hits([])  # Esc clears what find highlighted
                self._show_position(view)
            else:
                self.focus_list()
        elif self.search_query is not None:
            self.leave_search()

    def action_add_url(self) -> None:
        """Fetch an article into the articles folder (the address typed, or the clipboard's)."""
        from reader.ui.screens.add_url import start_add

        start_add(self)

    def open_added(self, path: Path, title: str) -> None:
        """An article just added: open it (the list shows it once it is read)."""
        if self.search_query is not None:
            self.leave_search()
        self._open_path(path, title, None)
        self.focus_content()

    def action_outline(self) -> None:
        view = self.query_one(DocumentView)
        if view.document is None or not view.document.sections:
            self.notify("This document has no sections.", severity="information")
            return
        from reader.ui.screens.outline import OutlineScreen

        def jump(index: int | None) -> None:
            if index is not None:
                view.jump_to_section(index)
                self.focus_content()

        current = view.current_section()
        start = view.document.sections.index(current) if current else 0
        self.app.push_screen(OutlineScreen(view.document, start), jump)


def _time_left(document: Document, percent: int) -> str:
    """``9 min left``; "" at the end or when it was not counted yet (in the open worker)."""
    if "cjk_chars" not in document.memo or percent >= 100:
        return ""
    left = round(document.reading_minutes * (100 - percent) / 100)
    return f"{left} min left" if left >= 1 else "< 1 min left"


def _documents(count: int) -> str:
    """``1 document``, ``5 documents``."""
    return f"{count} document{'s' if count != 1 else ''}"


def _unchanged(document: Document, path: Path) -> bool:
    """Whether ``path`` is the file ``document`` was read from, as it was then."""
    if document.path != path and document.path.resolve(strict=False) != path.resolve(strict=False):
        return False
    try:
        stat = os.stat(path)
    except OSError:
        return False
    return (stat.st_size, stat.st_mtime) == (document.size, document.mtime)


def _hits_and_landing(document: Document, query: ParsedQuery) -> tuple[list[tuple[int, int]], int] | None:
    """In a worker: every hit of ``query`` in ``document`` and the one to land on first;
    None if the worker was cancelled meanwhile."""
    from reader.core.search.landing import landing_hit
    from reader.core.search.text_hits import Stopped, find_hits_in

    worker = get_current_worker()
    try:
        hits = find_hits_in(document, query, stop=lambda: worker.is_cancelled)
    except Stopped:
        return None
    return hits, landing_hit(document, hits, query)
