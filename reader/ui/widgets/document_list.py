"""The list pane: the library (later, search results) as a fast OptionList."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.core.library import DocumentInfo

__all__ = ["DocumentList"]


class DocumentList(OptionList):
    """One row per document: its title, then source and reading time, dimmed."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.documents: list[DocumentInfo] = []

    def set_documents(self, documents: list[DocumentInfo], keep: str | None = None) -> None:
        """Replace the rows; keep the highlight on document id ``keep`` when present."""
        self.documents = documents
        self.set_options(Option(_prompt(doc), id=doc.id) for doc in documents)
        if not documents:
            return
        index = next((i for i, doc in enumerate(documents) if doc.id == keep), 0)
        self.highlighted = index

    def document_at(self, index: int | None) -> DocumentInfo | None:
        if index is None or not 0 <= index < len(self.documents):
            return None
        return self.documents[index]

    def select_document(self, document_id: str) -> None:
        for index, doc in enumerate(self.documents):
            if doc.id == document_id:
                self.highlighted = index
                return


def _prompt(doc: DocumentInfo) -> Text:
    details = [part for part in (doc.source, doc.date) if part]
    length = f"{doc.minutes} min" if doc.minutes else "empty"
    details.append(length)
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append(" ".join(doc.title.split()) or doc.path.name, style="bold")
    text.append("\n")
    text.append(" · ".join(" ".join(d.split()) for d in details), style="dim")
    return text
