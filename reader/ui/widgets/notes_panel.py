"""Notes listed: the open document's notes in a side panel, or the library's in a dialog.

Each entry shows the quoted passage, the note, its tags and, when the passage
could not be found as it was, whether it moved, matched approximately or is
detached (then the quote is all there is; the note is never dropped).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.core.notes import Kind, Note
from reader.core.visible import visible

__all__ = ["NoteEntry", "NotesPanel", "entry_text", "note_as_text"]

_QUOTE = 140  # characters of a quote shown in a list
_STATUS_LABELS = {"fuzzy": "≈ approximate match", "detached": "⚠ detached: passage not found"}


@dataclass(frozen=True, slots=True)
class NoteEntry:
    """A note as listed: where it was found (``status``, ``start``) and in which document."""

    note: Note
    status: str = "exact"  # exact | moved | fuzzy | detached
    start: int = 0
    title: str = ""  # the document's title, shown in library-wide lists
    path: str = ""  # and its path, to open it from there


def entry_text(entry: NoteEntry, *, with_title: bool = False) -> Text:
    note = entry.note
    text = Text()
    if with_title and entry.title:
        text.append(visible(" ".join(entry.title.split())) + "\n", style="bold")
    if note.kind is Kind.BOOKMARK:
        text.append("◆ ", style="bold")
        text.append(_short(note.name) if note.name else _short(note.target.exact), style="italic" if not note.name else "")
    else:
        text.append("“" + _short(note.target.exact) + "”", style="italic")
        if note.text:
            text.append("\n" + _short(note.text, 200))
    if note.tags:
        text.append("\n" + " ".join(f"#{visible(tag)}" for tag in note.tags), style="dim")
    label = _STATUS_LABELS.get(entry.status)
    if label:
        text.append("\n" + label, style="bold" if entry.status == "detached" else "dim")
    return text


def _short(text: str, limit: int = _QUOTE) -> str:
    text = visible(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class NotesPanel(OptionList):
    """The open document's notes and bookmarks, in document order."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="down"),
        Binding("k", "cursor_up", "Up", show=False, id="up"),
        Binding("e", "edit", "Edit", id="edit_note"),
        Binding("d", "delete", "Delete", id="delete_note"),
        Binding("r", "reattach", "Re-attach", id="reattach_note"),
        Binding("y", "copy", "Copy", id="copy_note"),
    ]

    class Chosen(Message):
        """The user acted on a note: ``action`` is jump, edit, delete or reattach."""

        def __init__(self, entry: NoteEntry, action: str) -> None:
            super().__init__()
            self.entry = entry
            self.action = action

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[NoteEntry] = []

    def set_entries(self, entries: list[NoteEntry]) -> None:
        keep = self.current_entry()
        self.entries = entries
        self.clear_options()
        if not entries:
            self.add_option(Option(Text("No notes yet. Select a passage (v) and press a.", style="dim"), disabled=True))
            return
        self.add_options([Option(entry_text(entry), id=entry.note.id) for entry in entries])
        ids = [entry.note.id for entry in entries]
        self.highlighted = ids.index(keep.note.id) if keep and keep.note.id in ids else 0

    def current_entry(self) -> NoteEntry | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.entries):
            return None
        return self.entries[index]

    def _post(self, action: str) -> None:
        entry = self.current_entry()
        if entry is not None:
            self.post_message(self.Chosen(entry, action))

    def action_select(self) -> None:
        self._post("jump")

    def action_edit(self) -> None:
        self._post("edit")

    def action_delete(self) -> None:
        self._post("delete")

    def action_reattach(self) -> None:
        self._post("reattach")

    def action_copy(self) -> None:
        entry = self.current_entry()
        if entry is not None:
            self.app.copy_to_clipboard(note_as_text(entry.note))
            self.notify("Copied the note and its quote.", timeout=3)


def note_as_text(note: Note) -> str:
    """A note as plain text to paste elsewhere: the quote, then the note and its tags."""
    parts = [f"“{' '.join(note.target.exact.split())}”"]
    if note.name:
        parts.insert(0, note.name)
    if note.text:
        parts.append(note.text)
    if note.tags:
        parts.append(" ".join(f"#{tag}" for tag in note.tags))
    return "\n\n".join(parts)
