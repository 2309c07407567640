"""The main screen's notes: bookmarks, notes, the notes panel and reading positions.

``NotesPart`` is the part of ``MainScreen`` that talks to the store. Loading a
document's shard and anchoring its notes run in a worker; so does every save,
one at a time in order (the store merges with what other instances wrote). The
panes show a change at once; a save that fails says so and keeps the note on
screen.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer

# anchoring (edlib), the store (YAML), exports and the dialogs load when first used,
# off the start-up path
if TYPE_CHECKING:
    from reader.core.document import Document
    from reader.storage.export_file import Scoped
    from reader.storage.store import Store
    from reader.ui.screens.export import ExportChoice
    from reader.ui.screens.note_editor import NoteEdit

from reader.core.notes import DocumentRef, Kind, Note, Position, make_target, new_note, now
from reader.storage.shard_paths import has_shard
from reader.ui import trace
from reader.ui.screens.main_messages import ExportDone, NotesListed, NotesLoaded, ProgressLoaded, StoreFailed
from reader.ui.widgets.document_list import DocumentList, Progress
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.notes_panel import NoteEntry, NotesPanel
from reader.ui.widgets.status_line import StatusLine

__all__ = ["NotesPart"]

POSITION_QUOTE = 64  # characters of text kept to find a reading position again
BOOKMARK_QUOTE = 80
POSITION_IDLE = 2.0  # seconds of stillness before a reading position is saved


class NotesPart(Screen[None]):
    """Notes, bookmarks and positions of the open document (mixed into MainScreen)."""

    BINDINGS = [
        Binding("A", "toggle_notes", "Notes", id="toggle_notes"),
        Binding("B", "bookmarks", "Bookmarks", id="bookmarks"),
        Binding("M", "all_notes", "All notes", id="all_notes", show=False),
        Binding("e", "export", "Export", id="export"),
        Binding("u", "undo_delete", "Undo delete", id="undo_delete", show=False),
    ]

    notes: dict[str, NoteEntry]
    _deleted: list[tuple[DocumentRef, Note]]

    def init_notes(self, data_dir: Path | None) -> None:
        self.data_dir = data_dir
        self._store: Store | None = None
        self._store_lock = threading.Lock()
        self.notes = {}
        self._deleted = []
        self._unsaved: dict[str, tuple[DocumentRef, Note]] = {}
        self._saves: deque[Callable[[], None]] = deque()  # store changes not yet written, oldest first
        self._saves_lock = threading.Lock()
        self._saving = False  # a worker is writing them
        self._position_timer: Timer | None = None
        self._position_shown: tuple[str, int] | None = None
        self._pending_position: tuple[DocumentRef, Position] | None = None  # the latest
        self._saved_position: tuple[DocumentRef, Position] | None = None  # the latest on disk
        self._read_only = ""  # why the open document's notes cannot be changed ("" when they can)
        self.notes_after_frame = False  # a document shown now loads its notes after the next frame
        self.reopen_last = False
        self._read_at: dict[str, str] = {}  # when each document was read last, to reopen the latest once listed

    @property
    def store(self) -> Store | None:
        """The notes store (None when notes are not kept), opened on first use."""
        if self._store is None and self.data_dir is not None:
            with self._store_lock:
                if self._store is None:
                    from reader.storage.store import Store

                    self._store = Store(self.data_dir)
        return self._store

    # -- the open document ------------------------------------------------------------

    def document_ref(self, document: Document) -> DocumentRef:
        return DocumentRef(id=document.id, path=str(document.path), title=document.title, source=document.source)

    def notes_opened(self, document: Document, *, restore: bool, target: object = None) -> None:
        """A document is shown: load its notes and, when ``restore``, its reading position."""
        self.notes = {}
        self._show_marks()
        self._set_read_only("")
        doc_list = self.query_one(DocumentList)
        if document.id not in doc_list.progress:
            doc_list.mark_progress(document.id, Progress(0, _moment()))  # no longer unread
        else:
            doc_list.mark_progress(document.id, Progress(doc_list.progress[document.id].percent, _moment()))
        if self.data_dir is None:
            return
        if self.notes_after_frame and has_shard(self.data_dir, document.id):
            # reopened before the first frame (the store is loaded for its place already):
            # its notes are marked in that frame too, not a moment later
            self.notes_loaded(self._read_notes(document, restore, target))
        elif self.notes_after_frame:
            # shown before the first frame, with nothing kept: the store loads once it is drawn
            self.call_after_refresh(self.load_notes, document, restore, target)
        else:  # (the store opens in the worker)
            self.load_notes(document, restore, target)

    def saved_offset(self, document: Document) -> int | None:
        """In a worker: where the reader left ``document`` (None: nowhere kept, or not found)."""
        try:
            if self.data_dir is None or not document.text:
                return None
            if self._store is None and not has_shard(self.data_dir, document.id):
                return None  # nothing kept for it: the store need not load (before the first frame)
            assert self.store is not None
            shard = self.store.load(document.id)  # (a bad file reads as read-only, with its problem)
            if shard.position is None:
                return None
            from reader.core.anchors import Status, anchor

            found = anchor(shard.position.target, document.text, document.text_hash)
        except Exception:  # noqa: BLE001 - the document opens at its top; load_notes says what is wrong
            return None
        return found.start if found.status is not Status.DETACHED else None

    @work(thread=True, exclusive=True, group="notes")
    def load_notes(self, document: Document, restore: bool, target: object) -> None:
        self.post_message(self._read_notes(document, restore, target))

    def _read_notes(self, document: Document, restore: bool, target: object) -> NotesLoaded:
        """The notes of ``document`` placed in its text (and the passage to show, if any)."""
        assert self.store is not None
        shard = self.store.load(document.id)
        from reader.core.anchors import Status, anchor, anchor_all

        # together: notes found plainly tell where the text moved for the others
        found_all = anchor_all([note.target for note in shard.notes], document.text, document.text_hash)
        entries = [NoteEntry(note, found.status.value, found.start) for note, found in zip(shard.notes, found_all, strict=True)]
        offset = None
        if target is not None:
            found = anchor(target, document.text, document.text_hash)  # type: ignore[arg-type]
            offset = found.start if found.status is not Status.DETACHED else None
        elif restore and shard.position is not None:
            found = anchor(shard.position.target, document.text, document.text_hash)
            offset = found.start if found.status is not Status.DETACHED else None
        return NotesLoaded(document.id, entries, offset, shard.problem, shard.read_only)

    @on(NotesLoaded)
    def notes_loaded(self, message: NotesLoaded) -> None:
        view = self.query_one(DocumentView)
        if view.document is None or view.document.id != message.doc_id:
            return
        self.notes = {entry.note.id: entry for entry in message.entries}
        self._show_marks()
        trace.mark("notes-loaded", message.doc_id)
        if message.read_only:
            self._set_read_only(message.problem or "its notes file cannot be read")
        if message.offset is not None:
            view.scroll_to_offset(message.offset)
        if message.problem:
            self.notify(message.problem, title="Notes", severity="warning", timeout=10)
        detached = sum(1 for entry in message.entries if entry.status == "detached")
        if detached:
            self.notify(
                f"{detached} note{'s' if detached != 1 else ''} could not be placed in the edited text; "
                "they are listed, with their quotes, in the notes panel (A).",
                title="Notes",
                severity="warning",
            )

    def _show_marks(self) -> None:
        entries = sorted(self.notes.values(), key=_order)
        placed = [entry for entry in entries if entry.status != "detached"]
        spans = [(e.start, e.start + len(e.note.target.exact), e.note.id) for e in placed if e.note.kind is Kind.NOTE]
        bookmarks = [e.start for e in placed if e.note.kind is Kind.BOOKMARK]
        self.query_one(DocumentView).set_marks(spans, bookmarks)
        self.query_one(NotesPanel).set_entries(entries)

    # -- making and changing notes -----------------------------------------------------

    @on(DocumentView.AnnotateRequested)
    def annotate(self, message: DocumentView.AnnotateRequested) -> None:
        view = self.query_one(DocumentView)
        document = view.document
        if document is None or not self._writable():
            return
        existing = self.notes.get(message.note_id) if message.note_id else None
        if existing is not None:
            self._edit(existing)
            return
        start, end = message.start, message.end

        def done(edit: NoteEdit | None) -> None:
            if edit is None or edit.delete:
                return
            note = new_note(document, Kind.NOTE, start, end, text=edit.text, tags=edit.tags)
            self._put(document, NoteEntry(note, "exact", note.target.start), saved="Note saved.")
            view.clear_selection()

        from reader.ui.screens.note_editor import NoteEditor

        self.app.push_screen(NoteEditor(document.text[start:end]), done)

    def _edit(self, entry: NoteEntry) -> None:
        document = self.query_one(DocumentView).document
        if document is None:
            return
        note = entry.note

        def done(edit: NoteEdit | None) -> None:
            if edit is None:
                return
            if edit.delete:
                self._delete(document, entry)
                return
            edited = note.edited(text=edit.text, tags=edit.tags)
            self._put(document, NoteEntry(edited, entry.status, entry.start), saved="Note saved.")

        from reader.ui.screens.note_editor import NoteEditor

        self.app.push_screen(NoteEditor(note.target.exact, note.text, note.tags, existing=True), done)

    @on(DocumentView.BookmarkRequested)
    def bookmark(self, message: DocumentView.BookmarkRequested) -> None:
        view = self.query_one(DocumentView)
        document = view.document
        if document is None or not self._writable():
            return
        here = [
            entry
            for entry in self.notes.values()
            if entry.note.kind is Kind.BOOKMARK and entry.status != "detached" and message.start <= entry.start < message.end
        ]
        if here:
            for entry in here:
                self._delete(document, entry, quiet=True)
            self.notify("Bookmark removed (u to undo).", title="Bookmarks")
            return
        note = new_note(document, Kind.BOOKMARK, message.start, min(message.end, message.start + BOOKMARK_QUOTE))
        self._put(document, NoteEntry(note, "exact", note.target.start))
        self.notify("Bookmarked. B lists bookmarks.", title="Bookmarks")

    def _put(self, document: Document, entry: NoteEntry, *, saved: str = "") -> None:
        """Show ``entry`` at once and save it; ``saved`` is said once it is on disk (never before)."""
        self.notes[entry.note.id] = entry
        self._show_marks()
        self.save_note(self.document_ref(document), entry.note, saved)

    def _delete(self, document: Document, entry: NoteEntry, *, quiet: bool = False) -> None:
        self.notes.pop(entry.note.id, None)
        self._show_marks()
        ref = self.document_ref(document)
        self._deleted.append((ref, entry.note))
        self.save_deletion(ref, entry.note.id)
        if not quiet:
            kind = "Bookmark" if entry.note.kind is Kind.BOOKMARK else "Note"
            self.notify(f"{kind} deleted (u to undo).", title="Notes")

    def action_undo_delete(self) -> None:
        if not self._deleted:
            self.notify("Nothing to undo.", severity="information")
            return
        view = self.query_one(DocumentView)
        if view.document is not None and view.document.id == self._deleted[-1][0].id and not self._writable():
            return
        ref, note = self._deleted.pop()
        restored = note.restored()  # past the tombstone its deletion wrote, whatever the clocks say
        self.save_note(ref, restored)
        view = self.query_one(DocumentView)
        if view.document is not None and view.document.id == ref.id:
            from reader.core.anchors import anchor

            found = anchor(restored.target, view.document.text, view.document.text_hash)
            self.notes[restored.id] = NoteEntry(restored, found.status.value, found.start)
            self._show_marks()
        self.notify("Restored.", title="Notes")

    def _writable(self) -> bool:
        if self.store is None:
            self.notify("Notes are not kept in this session.", severity="warning")
            return False
        if self._read_only:
            self.notify(
                f"Not saved: this document's notes are read-only until the file is fixed ({self._read_only}).",
                title="Notes",
                severity="warning",
                timeout=10,
                markup=False,
            )
            return False
        return True

    def _set_read_only(self, problem: str) -> None:
        """While the open document's notes file is broken (its backup shown, or nothing),
        no change is taken, and the status line says so for as long as it lasts."""
        self._read_only = problem
        self.query_one(StatusLine).set_flag("notes read-only" if problem else "")

    # -- saving (one at a time, in order) -----------------------------------------------

    def _in_order(self, job: Callable[[], None]) -> None:
        """Run a store change after every change asked for before it, in one worker at a time:
        the user's last action is the last one written (``d`` then ``u`` never lands reversed)."""
        with self._saves_lock:
            self._saves.append(job)
            if self._saving:
                return
            self._saving = True
        self._run_saves()

    @work(thread=True, exclusive=False, group="store")
    def _run_saves(self) -> None:
        while True:
            with self._saves_lock:
                if not self._saves:
                    self._saving = False
                    return
                job = self._saves.popleft()
            try:
                job()
            except Exception as error:  # noqa: BLE001 - one change that failed must not stop the ones after it
                self.post_message(StoreFailed(f"{type(error).__name__}: {error}"))

    def save_note(self, ref: DocumentRef, note: Note, saved: str = "") -> None:
        self._in_order(lambda: self._save_note_now(ref, note, saved))

    def _save_note_now(self, ref: DocumentRef, note: Note, saved: str) -> None:
        if self._store_call(lambda store: store.put_note(ref, note)):
            self._unsaved.pop(note.id, None)
            if saved:
                self.notify(saved, title="Notes")
            self._retry_unsaved()
        else:
            self._unsaved[note.id] = (ref, note)  # kept on screen; saved with the next save that works

    def _retry_unsaved(self) -> None:
        from reader.storage.store import StoreError

        for note_id, (ref, note) in list(self._unsaved.items()):
            if self.store is None:
                return
            try:
                self.store.put_note(ref, note)
            except (StoreError, OSError):
                return
            self._unsaved.pop(note_id, None)

    def save_deletion(self, ref: DocumentRef, note_id: str) -> None:
        self._in_order(lambda: self._store_call(lambda store: store.delete_note(ref, note_id)))

    def _store_call(self, call: Callable[[Store], None]) -> bool:
        """Run one store change; True if it was saved, else the user is told why."""
        from reader.storage.store import StoreError

        if self.store is None:
            return False
        try:
            call(self.store)
        except StoreError as error:
            self.post_message(StoreFailed(str(error)))
            return False
        except OSError as error:
            self.post_message(StoreFailed(f"could not write under {self.data_dir}: {error.strerror or error}"))
            return False
        return True

    @on(StoreFailed)
    def store_failed(self, message: StoreFailed) -> None:
        self.notify(f"Not saved: {message.problem}", title="Notes", severity="error", timeout=15)

    # -- reading position ----------------------------------------------------------------

    def position_moved(self) -> None:
        """The view scrolled: keep where the reader is, saved once they stop for a moment."""
        view = self.query_one(DocumentView)
        document = view.document
        if document is None or self.data_dir is None or not document.text or self._read_only:
            return  # (a read-only file keeps the position it has; the store opens when it saves)
        top = view.offset_at_top()
        if self._position_shown == (document.id, top):
            return
        self._position_shown = (document.id, top)
        target = make_target(document.text, top, min(top + POSITION_QUOTE, len(document.text)), document.text_hash)
        self._pending_position = (self.document_ref(document), Position(target, view.percent(), now()))
        if self._position_timer is not None:
            self._position_timer.stop()
        self._position_timer = self.set_timer(POSITION_IDLE, self.keep_position)

    def keep_position(self) -> None:
        """Save the reading position now (in a worker), if it changed since it was saved."""
        if self._pending_position is not None and self._pending_position is not self._saved_position:
            self.save_position(*self._pending_position)

    def save_position(self, ref: DocumentRef, position: Position) -> None:
        self._in_order(lambda: self._save_position_now(ref, position))

    def _save_position_now(self, ref: DocumentRef, position: Position) -> None:
        pending = self._pending_position
        if self._store_call(lambda store: store.put_position(ref, position)) and pending and pending[1] is position:
            self._saved_position = pending

    def on_unmount(self) -> None:
        # the app is ending and its workers with it: save what no worker saved, here
        pending = self._pending_position
        if pending is not None and pending is not self._saved_position:
            ref, position = pending
            self._store_call(lambda store: store.put_position(ref, position))

    # -- the notes panel and the library-wide lists --------------------------------------

    def action_toggle_notes(self) -> None:
        panel = self.query_one(NotesPanel)
        if panel.display and panel.has_focus:
            panel.display = False
            self.set_focus(self.query_one(DocumentView))
            return
        if self.query_one(DocumentView).document is None:
            self.notify("Open a document first.", severity="information")
            return
        panel.display = True
        panel.focus()

    @on(NotesPanel.Chosen)
    def note_chosen(self, message: NotesPanel.Chosen) -> None:
        view = self.query_one(DocumentView)
        document = view.document
        entry = self.notes.get(message.entry.note.id, message.entry)
        if document is None:
            return
        if message.action != "jump" and not self._writable():
            return
        if message.action == "jump":
            if entry.status == "detached":
                self.notify("This note's passage is not in the text any more. Select a passage and press r to re-attach it.")
                return
            view.scroll_to_offset(max(entry.start - 1, 0))
            view.select(entry.start, entry.start + len(entry.note.target.exact))
            self.set_focus(view)
        elif message.action == "edit":
            if entry.note.kind is Kind.BOOKMARK:
                self._rename_bookmark(document, entry)
            else:
                self._edit(entry)
        elif message.action == "delete":
            self._delete(document, entry)
        elif message.action == "reattach":
            selection = view.selection
            if selection is None:
                self.notify("Select the passage first (v, J/K, or drag), then press r.", severity="information")
                return
            target = make_target(document.text, selection[0], selection[1], document.text_hash)
            self._put(document, NoteEntry(entry.note.edited(target=target), "exact", target.start))
            view.clear_selection()
            self.notify("Re-attached.", title="Notes")

    def _rename_bookmark(self, document: Document, entry: NoteEntry) -> None:
        def done(edit: NoteEdit | None) -> None:
            if edit is None:
                return
            if edit.delete:
                self._delete(document, entry)
                return
            name = " ".join(edit.text.split())
            self._put(document, NoteEntry(entry.note.edited(name=name, tags=edit.tags), entry.status, entry.start))

        note = entry.note
        from reader.ui.screens.note_editor import NoteEditor

        self.app.push_screen(NoteEditor(note.target.exact, note.name, note.tags, existing=True), done)

    def action_bookmarks(self) -> None:
        self.list_everything(Kind.BOOKMARK)

    def action_all_notes(self) -> None:
        self.list_everything(Kind.NOTE)

    @work(thread=True, exclusive=True, group="notes-list")
    def list_everything(self, kind: Kind) -> None:
        entries: list[NoteEntry] = []
        problems: list[str] = []
        if self.store is not None:
            for shard in self.store.shards():
                if shard.problem:
                    problems.append(shard.problem)
                title = shard.document.title if shard.document else ""
                path = shard.document.path if shard.document else ""
                for note in shard.notes:
                    if note.kind is kind:
                        entries.append(NoteEntry(note, "exact", note.target.start, title, path))
        entries.sort(key=lambda e: (e.title.casefold(), e.note.doc_id, e.start))
        self.post_message(NotesListed(kind.value, entries, problems))

    @on(NotesListed)
    def notes_listed(self, message: NotesListed) -> None:
        from reader.ui.screens.notes_list import NotesListScreen

        for problem in message.problems:
            self.notify(problem, title="Notes", severity="warning")
        if message.kind == Kind.BOOKMARK.value:
            title, empty = "Bookmarks", "No bookmarks yet. Press b while reading to add one."
        else:
            title, empty = "Notes", "No notes yet. Select a passage (v) and press a."
        self.app.push_screen(NotesListScreen(title, message.entries, empty), self.go_to_entry)

    def go_to_entry(self, entry: NoteEntry | None) -> None:
        """Show a note or bookmark chosen from a library-wide list, opening its document."""
        if entry is None:
            return
        view = self.query_one(DocumentView)
        if view.document is not None and view.document.id == entry.note.doc_id:
            placed = self.notes.get(entry.note.id)
            if placed is not None and placed.status != "detached":
                view.scroll_to_offset(max(placed.start - 1, 0))
            self.set_focus(view)
            return
        self.open_at(Path(entry.path), entry.title, entry.note.target)  # type: ignore[attr-defined]

    # -- reading progress in the library -----------------------------------------------

    @work(thread=True, exclusive=True, group="progress")
    def load_progress(self) -> None:
        """How far the reader got in every document, for the list pane."""
        progress: dict[str, Progress] = {}
        if self.store is not None:
            for shard in self.store.shards():
                if shard.position is not None:
                    progress[shard.doc_id] = Progress(shard.position.percent, shard.position.updated)
        self.post_message(ProgressLoaded(progress))

    @on(ProgressLoaded)
    def progress_loaded(self, message: ProgressLoaded) -> None:
        doc_list = self.query_one(DocumentList)
        progress = {**message.progress, **doc_list.progress}
        for doc_id, opened in doc_list.progress.items():
            saved = message.progress.get(doc_id)
            if saved is not None and opened.percent == 0 and saved.percent > 0:
                # opened before the saved progress was read: it is where it was, not at 0 %
                progress[doc_id] = Progress(saved.percent, opened.updated)
        doc_list.set_progress(progress)
        if self.reopen_last:
            self._read_at = {doc_id: entry.updated for doc_id, entry in message.progress.items()}
            self.reopen_when_listed()

    def reopen_when_listed(self) -> None:
        """Open the document read last, where it was left, once it is listed (a library new to
        the index is listed as it is indexed), unless the user has opened or searched meanwhile."""
        if not self.reopen_last or not self._read_at:
            return
        doc_list = self.query_one(DocumentList)
        if self.query_one(DocumentView).document is not None or doc_list.results is not None or not doc_list.has_focus:
            self.reopen_last = False
            return
        listed = {info.id: info for info in doc_list.library}
        read = [(updated, doc_id) for doc_id, updated in self._read_at.items() if doc_id in listed]
        if not read:
            return
        self.reopen_last = False
        doc_id = max(read)[1]
        doc_list.select_document(doc_id)
        self.open_document(listed[doc_id])  # type: ignore[attr-defined]
        self.focus_content()  # type: ignore[attr-defined]

    def note_progress(self) -> None:
        """The open document's progress, into the list pane (when another is opened)."""
        view = self.query_one(DocumentView)
        if view.document is None:
            return
        self.query_one(DocumentList).mark_progress(view.document.id, Progress(view.percent(), _moment()))

    @on(DocumentList.FilterRequested)
    def filter_requested(self, message: DocumentList.FilterRequested) -> None:
        from reader.ui.screens.pick import PickScreen

        doc_list = self.query_one(DocumentList)
        choices: list[tuple[str, str | None]] = [(f"All sources ({len(doc_list.library)})", None)]
        choices += [(f"{source or 'No source'} ({count})", source) for source, count in message.sources]
        values = [value for _, value in choices]
        current = values.index(doc_list.source) if doc_list.source in values else 0

        def chosen(choice: tuple[str | None] | None) -> None:
            if choice is not None:
                doc_list.filter_source(choice[0])

        self.app.push_screen(PickScreen("Show documents from", choices, current), chosen)

    @on(DocumentList.SortRequested)
    def sort_requested(self) -> None:
        from reader.ui.screens.pick import PickScreen
        from reader.ui.widgets.document_list import SORTS

        doc_list = self.query_one(DocumentList)
        names = list(SORTS)
        choices = [(f"{'✓' if name == doc_list.sort else ' '} {description.capitalize()}", name) for name, description in SORTS.items()]

        def chosen(choice: tuple[str] | None) -> None:
            if choice is not None:
                doc_list.sort_by(choice[0])

        self.app.push_screen(PickScreen("Sort the library by", choices, names.index(doc_list.sort)), chosen)

    @on(DocumentList.Arranged)
    def arranged(self, message: DocumentList.Arranged) -> None:
        self.query_one(StatusLine).show_message(message.description[:1].upper() + message.description[1:])

    # -- export ----------------------------------------------------------------------------

    def action_export(self) -> None:
        from reader.ui.screens.export import ExportDialog

        if self.store is None:
            self.notify("Notes are not kept in this session.", severity="warning")
            return
        view = self.query_one(DocumentView)
        results = self.query_one(DocumentList).results
        scopes = (["document"] if view.document is not None else []) + ["all"] + (["results"] if results else [])
        found = {hit.id for hit in results or ()}
        doc_id = view.document.id if view.document is not None else None

        def chosen(choice: ExportChoice | None) -> None:
            if choice is not None:
                self.run_export(choice, doc_id, found)

        self.app.push_screen(ExportDialog(scopes, Path.cwd(), "results" if results else "document"), chosen)

    @work(thread=True, exclusive=True, group="export")
    def run_export(self, choice: ExportChoice, doc_id: str | None, found: set[str]) -> None:
        from reader.storage.export_file import ExportError, stored_documents, write_export

        assert self.store is not None
        try:
            documents, problems = stored_documents(self.store)
            documents = _scoped(documents, choice.scope, doc_id, found)
            if not documents:
                self.post_message(ExportDone("", "No notes to export in that scope."))
                return
            done = write_export(choice.path, choice.format, documents, now(), force=choice.force)
        except ExportError as error:
            self.post_message(ExportDone("", str(error)))
            return
        self.post_message(ExportDone(done[:1].upper() + done[1:] + ".", "; ".join(problems)))

    @on(ExportDone)
    def export_done(self, message: ExportDone) -> None:
        if message.done:
            self.notify(message.done, title="Export", timeout=10)
        if message.problem:
            self.notify(message.problem, title="Export", severity="warning" if message.done else "error", timeout=10)


def _moment() -> str:
    """Now, to the microsecond: orders documents opened within the same second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _scoped(documents: Scoped, scope: str, doc_id: str | None, found: set[str]) -> Scoped:
    if scope == "document":
        return [(ref, notes) for ref, notes in documents if ref.id == doc_id]
    if scope == "results":
        return [(ref, notes) for ref, notes in documents if ref.id in found]
    return documents


def _order(entry: NoteEntry) -> tuple[int, int, str]:
    # detached notes last, the others in document order
    return (1 if entry.status == "detached" else 0, entry.start, entry.note.created)
