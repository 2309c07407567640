"""Bookmarks or notes across the whole library, to jump to one."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from reader.core.visible import visible
from reader.ui.screens.list_dialog import ListDialog
from reader.ui.widgets.notes_panel import NoteEntry, entry_text

__all__ = ["NotesListScreen"]


class NotesListScreen(ListDialog[NoteEntry | None]):
    """Pick a note or bookmark; dismisses with its entry, or None."""

    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Close", id="close_notes_list"),
    ]

    def __init__(self, title: str, entries: list[NoteEntry], empty: str) -> None:
        super().__init__()
        self.heading = title
        self.entries = entries
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical(id="notes-list-dialog", classes="dialog"):
            documents = len({entry.note.doc_id for entry in self.entries})
            count = f"{len(self.entries)} in {documents} document{'s' if documents != 1 else ''}"
            heading = f"{self.heading} · {count}" if self.entries else self.heading
            yield Label(visible(heading), classes="dialog-title", markup=False)
            if self.entries:
                options = [Option(entry_text(entry, with_title=True), id=str(i)) for i, entry in enumerate(self.entries)]
            else:
                options = [Option(Content(visible(self.empty)), disabled=True)]
            yield OptionList(*options, id="notes-list", markup=False)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        if self.entries:
            self.dismiss(self.entries[event.option_index])
