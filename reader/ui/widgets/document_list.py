"""The list pane: the library (later, search results) as a fast OptionList."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.core.library import DocumentInfo
from reader.core.search.searcher import SearchHit

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
        self.results: list[SearchHit] | None = None  # search results shown instead of the library

    def set_documents(self, documents: list[DocumentInfo], keep: str | None = None) -> None:
        """Replace the rows; keep the highlight on document id ``keep`` when present."""
        self.documents = documents
        self.results = None
        self.set_options(Option(_prompt(doc), id=doc.id) for doc in documents)
        if not documents:
            return
        index = next((i for i, doc in enumerate(documents) if doc.id == keep), 0)
        self.highlighted = index

    def set_results(self, hits: list[SearchHit]) -> None:
        """Show search results: title, source and hits, and a snippet with the words marked."""
        self.results = hits
        self.set_options(Option(_result_prompt(hit), id=hit.id) for hit in hits)
        if hits:
            self.highlighted = 0

    def result_at(self, index: int | None) -> SearchHit | None:
        if self.results is None or index is None or not 0 <= index < len(self.results):
            return None
        return self.results[index]

    def document_at(self, index: int | None) -> DocumentInfo | None:
        if self.results is not None:
            return None
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


def _result_prompt(hit: SearchHit) -> Text:
    text = Text(no_wrap=False, end="")
    text.append(" ".join(hit.title.split()) or hit.path.name, style="bold")
    details = [part for part in (hit.source,) if part]
    if hit.hits:
        details.append(f"{hit.hits} hit{'s' if hit.hits != 1 else ''}")
    if details:
        text.append("\n")
        text.append(" · ".join(" ".join(d.split()) for d in details), style="dim")
    if hit.snippet.text:
        text.append("\n")
        snippet = Text(hit.snippet.text, style="italic")
        for start, end in hit.snippet.spans:
            snippet.stylize("bold reverse", start, end)
        text.append_text(snippet)
    return text
