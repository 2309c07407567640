"""The list pane: the library, or search results, drawn a screen at a time.

The library can be sorted (title, source, date, length, recently read) and
narrowed to one source; each row shows how far the reader got (unread, a
percentage, or read).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from reader.core.library import DocumentInfo, path_text
from reader.core.organise import DocMeta
from reader.core.views import in_view, view_label
from reader.core.visible import visible
from reader.ui.widgets.doc_marks import star, tag_words
from reader.ui.widgets.virtual_list import VirtualList

if TYPE_CHECKING:  # annotations only: the search modules load when a search is first made
    from reader.core.search.searcher import SearchHit

__all__ = ["DocumentList", "Progress", "SORTS"]

SORTS = {"title": "title", "source": "source", "date": "date, newest first", "length": "length", "recent": "recently read"}
READ = 97  # percent from which a document counts as read


@dataclass(frozen=True, slots=True)
class Progress:
    """How far the reader got in a document, and when they last read it."""

    percent: int
    updated: str  # ISO time


class DocumentList(VirtualList):
    """Two lines per document: its title, then source and reading time, dimmed.

    A search result takes three lines at most (one without a snippet).
    """

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="down"),
        Binding("k", "cursor_up", "Up", show=False, id="up"),
        Binding("g", "first", "First", show=False, id="top"),
        Binding("G", "last", "Last", show=False, id="bottom"),
        Binding("s", "sort", "Sort", id="sort_library"),
        Binding("f", "filter", "Source", id="filter_source"),
    ]

    class FilterRequested(Message):
        """The user wants to narrow the library to one source (the screen asks which)."""

        def __init__(self, sources: list[tuple[str, int]]) -> None:
            super().__init__()
            self.sources = sources  # (source, documents), most documents first

    class SortRequested(Message):
        """The user wants another order (the screen asks which, the current one marked)."""

    class Arranged(Message):
        """The order or the filter changed: says how, for the status line."""

        def __init__(self, description: str) -> None:
            super().__init__()
            self.description = description

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(item_height=2, id=id)
        self.library: list[DocumentInfo] = []  # every document
        self.documents: list[DocumentInfo] = []  # those shown, in the order shown
        self.results: list[SearchHit] | None = None  # search results shown instead of the library
        self.progress: dict[str, Progress] = {}
        self.sort = "title"
        self.source: str | None = None  # only this source, when set
        self.view = "all"  # the view shown (reader.core.views): all, inbox, later, archive, favourites, tag:NAME
        self.metas: dict[str, DocMeta] = {}  # each document's tags, state and star (the app's organiser's)
        self._heights: dict[tuple[object, ...], int] = {}  # a search result's height, by what decides it

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("sort", "filter") and self.results is not None:
            return False  # search results keep their ranking
        return True

    def set_documents(self, documents: list[DocumentInfo], keep: str | None = None) -> None:
        """Replace the library; keep the highlight on document id ``keep`` when present."""
        self.library = documents
        self.results = None
        self._arrange(keep)

    def set_progress(self, progress: dict[str, Progress]) -> None:
        self.progress = progress
        if self.results is None:
            current = self.document_at(self.highlighted)
            self._arrange(current.id if current else None)

    def mark_progress(self, document_id: str, progress: Progress) -> None:
        """One document's progress changed: redraw its row only (unless the order depends on it)."""
        self.progress[document_id] = progress
        if self.results is not None:
            return
        if self.sort == "recent":
            current = self.document_at(self.highlighted)
            self._arrange(current.id if current else None)
            return
        for index, doc in enumerate(self.documents):
            if doc.id == document_id:
                self.refresh_item(index)
                return

    def arrangement(self) -> str:
        total = len(self.library)
        shown = f"{len(self.documents)} of {total} document{'s' if total != 1 else ''}" if self.source is not None else ""
        parts = [f"sorted by {SORTS[self.sort]}"]
        if self.view != "all":
            parts.insert(0, f"{view_label(self.view)}: {len(self.documents)}")
        if self.source is not None:
            parts.insert(0, f"from {self.source or 'no source'}: {shown}")
        return " · ".join(parts)

    def action_sort(self) -> None:
        self.post_message(self.SortRequested())

    def sort_by(self, sort: str) -> None:
        """Show the library in the order ``sort`` (a key of ``SORTS``)."""
        self.sort = sort
        current = self.document_at(self.highlighted)
        self._arrange(current.id if current else None)
        self.post_message(self.Arranged(self.arrangement()))

    def action_filter(self) -> None:
        counts: dict[str, int] = {}
        for doc in self.library:
            if self._in_view(doc):
                counts[doc.source] = counts.get(doc.source, 0) + 1
        self.post_message(self.FilterRequested(sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))))

    def filter_source(self, source: str | None) -> None:
        """Show only the documents of ``source`` (None: all)."""
        self.source = source
        current = self.document_at(self.highlighted)
        self._arrange(current.id if current else None)
        self.post_message(self.Arranged(self.arrangement()))

    def _arrange(self, keep: str | None) -> None:
        shown = [doc for doc in self.library if (self.source is None or doc.source == self.source) and self._in_view(doc)]
        shown.sort(key=self._sort_key())
        self.documents = shown
        index = next((i for i, doc in enumerate(shown) if doc.id == keep), 0) if keep is not None else 0
        self.set_item_count(len(shown), highlight=index)

    def _in_view(self, doc: DocumentInfo) -> bool:
        return self.view == "all" or in_view(self.view, self.metas.get(doc.id) or _INBOX)

    def show_view(self, view: str) -> None:
        """Show only the documents of ``view`` (a key of ``reader.core.views``), the sort and source kept."""
        self.view = view
        self.rearrange()
        self.post_message(self.Arranged(self.arrangement()))

    def rearrange(self) -> None:
        """Show the library again (tags, states or stars changed), the highlight kept when still shown."""
        if self.results is None:
            index = self.highlighted
            current = self.document_at(index)
            self._arrange(current.id if current else None)
            if current is not None and index is not None and self.documents and self.document_at(self.highlighted) is not current:
                self.highlighted = min(index, len(self.documents) - 1)  # gone from the view: the next one
        else:
            self.refresh()

    def _sort_key(self):  # type: ignore[no-untyped-def]
        title = lambda doc: (doc.title.casefold(), path_text(doc))  # noqa: E731
        if self.sort == "source":
            return lambda doc: (not doc.source, doc.source.casefold(), *title(doc))
        if self.sort == "date":
            # the date the document gives, newest first; then those that give none, by
            # their file's date (the list marks it as such)
            from reader.core.dates import parse_date  # (its patterns and email.utils: ~6 ms, not at start-up)

            def by_date(doc: DocumentInfo) -> tuple[object, ...]:
                day = parse_date(doc.date) if doc.date else None
                if day is not None:
                    return (0, -day.toordinal(), *title(doc))
                return (1, -doc.mtime, *title(doc))

            return by_date
        if self.sort == "length":
            return lambda doc: (doc.words, *title(doc))
        if self.sort == "recent":
            progress = self.progress
            return lambda doc: (doc.id not in progress, _negated(progress[doc.id].updated if doc.id in progress else ""), *title(doc))
        return title

    def set_results(self, hits: list[SearchHit]) -> None:
        """Show search results: title, source and hits, and a snippet with the words marked."""
        self.results = hits
        self.set_item_count(len(hits), self._result_heights(), highlight=0)

    def _result_heights(self) -> list[int]:
        """Each result's height, remembered by what decides it: keystroke after keystroke the same
        results come back with the same snippets, and a wrapped snippet is measured by rendering it."""
        width = self._content_width()
        known = self._heights
        if len(known) > 4000:
            known.clear()
        heights = []
        for hit in self.results or ():
            key = (width, hit.title, hit.path.name, hit.source, hit.hits, hit.exact, hit.snippet)
            height = known.get(key)
            if height is None:
                height = known[key] = self.item_lines(_result_prompt(hit, max(width - 2, 1)), width)
            heights.append(height)
        return heights

    def on_resize(self) -> None:
        if self.results is not None:  # snippets wrap again: their heights change
            self.set_item_count(len(self.results), self._result_heights(), highlight=self.highlighted)
        super().on_resize()

    def item_key(self, index: int) -> Hashable | None:
        """A result's look is decided by what it shows (the next keystroke brings back the same
        results, mostly): it is drawn once; a document's row depends on the sort and progress too."""
        if self.results is None:
            return None
        hit = self.results[index]
        return (hit.id, hit.title, hit.path.name, hit.source, hit.hits, hit.exact, hit.snippet, self.metas.get(hit.id))

    def render_item(self, index: int, width: int) -> Text:
        if self.results is not None:
            hit = self.results[index]
            return _result_prompt(hit, width, self.metas.get(hit.id))
        doc = self.documents[index]
        return _prompt(doc, self.progress.get(doc.id), width, file_date=self.sort == "date", meta=self.metas.get(doc.id))

    def row_text(self, index: int, width: int = 200) -> str:
        """The plain text of row ``index`` (title, then details or snippet) in ``width`` columns."""
        return self.render_item(index, width).plain

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


_INBOX = DocMeta()


def _negated(text: str) -> tuple[int, ...]:
    """A key that sorts strings (ISO dates and times) newest first."""
    return tuple(-ord(char) for char in text)


def reading_time(minutes: int) -> str:
    """``13 min``; from an hour on, ``11 h 38 min`` (``2 h`` when round)."""
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def _prompt(
    doc: DocumentInfo, progress: Progress | None, width: int, *, file_date: bool = False, meta: DocMeta | None = None
) -> Text:
    """Two lines: the title; source and date, with length and progress kept at the right end.

    In a narrow pane the source and date give way (with an ellipsis), never how long
    the document is or how far the reader got. ``file_date``: a document that gives no
    date shows its file's, marked as such (the list is sorted by date). ``meta``: a
    starred document's title starts with ★, its tags (``#a #b``) lead the second line.
    """
    shown_date = doc.date
    if file_date and (not doc.date or _parse_date(doc.date) is None) and doc.mtime:
        shown_date = f"file {datetime.fromtimestamp(doc.mtime).date().isoformat()}"
    tags = tag_words(meta)
    about = visible(" · ".join(" ".join(part.split()) for part in (tags, doc.source, shown_date) if part))
    length = [reading_time(doc.minutes) if doc.minutes else "empty"]
    if progress is not None:
        length.append("read" if progress.percent >= READ else f"{progress.percent}%")
    right = " · ".join(length)
    room = width - cell_len(right) - 3  # " · " between the two
    if about and room >= 4:
        fitted = Text(about)
        fitted.truncate(room, overflow="ellipsis")
        cut = fitted.plain
        if cut != about:  # cut short: not on a space or a separator
            cut = cut.removesuffix("…").rstrip(" ·") + "…"
        details = f"{cut} · {right}"
    else:
        details = right
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    if progress is None:
        text.append("• ", style="bold")  # not opened yet
    if star(meta):
        text.append(star(meta), style="bold")
    text.append(visible(" ".join(doc.title.split()) or doc.path.name), style="bold")
    text.append("\n")
    text.append(details, style="dim")
    return text


def _result_prompt(hit: SearchHit, width: int, meta: DocMeta | None = None) -> Text:
    """At most three rows: ★ title, tags, source and hits; the snippet's best passage, words marked."""
    from reader.ui.widgets.result_rows import result_prompt

    return result_prompt(hit, width, meta)


def _parse_date(text: str) -> date | None:
    from reader.core.dates import parse_date  # loaded when the list is sorted by date, not at start-up

    return parse_date(text)
