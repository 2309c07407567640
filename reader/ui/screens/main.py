"""The main screen: the list pane and the content pane, and the workers behind them."""

from __future__ import annotations

from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList
from textual.worker import get_current_worker

from reader.core.document import Document
from reader.core.formats import UnreadableDocument, read_document
from reader.core.library import DocumentInfo, Skipped, candidates, info_of, read_infos
from reader.ui.messages import OpenDocument
from reader.ui.widgets.document_list import DocumentList
from reader.ui.widgets.document_view import DocumentView
from reader.ui.widgets.status_line import StatusLine

__all__ = ["MainScreen"]

_BATCH = 500  # documents per list update while the library loads


class LibraryProgress(Message):
    def __init__(self, documents: list[DocumentInfo], skipped: list[Skipped], done: bool) -> None:
        super().__init__()
        self.documents = documents
        self.skipped = skipped
        self.done = done


class DocumentLoaded(Message):
    def __init__(self, document: Document | None, error: str = "") -> None:
        super().__init__()
        self.document = document
        self.error = error


class MainScreen(Screen[None]):
    """Library on the left, the open document on the right."""

    BINDINGS = [
        Binding("tab", "switch_pane", "Switch pane", id="switch_pane", priority=True),
        Binding("o", "outline", "Outline", id="outline"),
        Binding("escape", "back", "Back", id="back", show=False),
    ]

    def __init__(self, library_paths: list[Path]) -> None:
        super().__init__()
        self.library_paths = library_paths
        self.documents: list[DocumentInfo] = []
        self.skipped: list[Skipped] = []
        self.library_loading = True

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield DocumentList(id="list")
            yield DocumentView(id="content")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(StatusLine).show_message("Reading the library…")
        self.query_one(DocumentList).focus()
        self.load_library()

    # -- library ------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="library")
    def load_library(self) -> None:
        worker = get_current_worker()
        found, skipped = candidates(self.library_paths)
        if len(found) == 1:
            # a library of one document: read it once, list it and open it
            self._read_single(found[0], skipped)
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

    def _read_single(self, path: Path, skipped: list[Skipped]) -> None:
        try:
            document = read_document(path)
        except UnreadableDocument as error:
            self.post_message(LibraryProgress([], [*skipped, Skipped(path, error.reason)], done=True))
            return
        self.post_message(LibraryProgress([info_of(document)], skipped, done=True))
        self.post_message(DocumentLoaded(document))

    @on(LibraryProgress)
    def library_progress(self, message: LibraryProgress) -> None:
        self.documents = sorted(message.documents, key=lambda d: (d.title.casefold(), str(d.path)))
        self.skipped = message.skipped
        self.library_loading = not message.done
        doc_list = self.query_one(DocumentList)
        current = doc_list.document_at(doc_list.highlighted)
        doc_list.set_documents(self.documents, keep=current.id if current else None)
        if message.done:
            self._library_summary()
        else:
            self.query_one(StatusLine).show_message(f"Reading the library… {len(self.documents)} documents")

    def _library_summary(self) -> None:
        count = len(self.documents)
        text = f"{count} document{'s' if count != 1 else ''}"
        if self.skipped:
            text += f", {len(self.skipped)} skipped"
        view = self.query_one(DocumentView)
        if view.document is None:
            self.query_one(StatusLine).show_message(text)
            view.placeholder = (
                "Choose a document from the list (Enter to open)." if count else "No documents found here."
            )
            view.refresh()

    # -- opening documents ------------------------------------------------------------

    @on(OptionList.OptionSelected, "#list")
    def list_selected(self, event: OptionList.OptionSelected) -> None:
        info = self.query_one(DocumentList).document_at(event.option_index)
        if info is not None:
            self.open_document(info)
            self.focus_content()

    @on(OpenDocument)
    def open_by_id(self, message: OpenDocument) -> None:
        for info in self.documents:
            if info.id == message.document_id:
                self.query_one(DocumentList).select_document(info.id)
                self.open_document(info)
                self.focus_content()
                return
        self.notify(f"No document with id {message.document_id}", severity="warning")

    def open_document(self, info: DocumentInfo) -> None:
        self.query_one(StatusLine).show_message(f"Opening {info.title}…")
        self._read_document(info.path)

    @work(thread=True, exclusive=True, group="open")
    def _read_document(self, path: Path) -> None:
        try:
            document = read_document(path)
        except UnreadableDocument as error:
            self.post_message(DocumentLoaded(None, str(error)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(DocumentLoaded(document))

    @on(DocumentLoaded)
    def document_loaded(self, message: DocumentLoaded) -> None:
        if message.document is None:
            self.notify(message.error, title="Cannot open", severity="error")
            self.query_one(StatusLine).show_message(message.error)
            return
        view = self.query_one(DocumentView)
        view.show(message.document)
        self._show_position(view)

    @on(DocumentView.PositionChanged)
    def position_changed(self, message: DocumentView.PositionChanged) -> None:
        self._show_position(self.query_one(DocumentView))

    def _show_position(self, view: DocumentView) -> None:
        document = view.document
        if document is None:
            return
        section = view.current_section()
        self.query_one(StatusLine).show_position(document.title, section.title if section else "", view.percent())

    # -- panes ------------------------------------------------------------------------

    def focus_content(self) -> None:
        self.add_class("-reading")
        self.set_focus(self.query_one(DocumentView))

    def focus_list(self) -> None:
        self.remove_class("-reading")
        self.set_focus(self.query_one(DocumentList))

    def action_switch_pane(self) -> None:
        if isinstance(self.focused, DocumentView):
            self.focus_list()
        else:
            self.focus_content()

    def action_back(self) -> None:
        if isinstance(self.focused, DocumentView):
            self.focus_list()

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
