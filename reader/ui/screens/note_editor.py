"""The note editor: the quoted passage, the note (several lines) and its tags."""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from reader.core.visible import visible

__all__ = ["NoteEditor", "NoteEdit", "parse_tags"]

_QUOTE_SHOWN = 320  # characters of the passage shown above the editor


@dataclass(frozen=True, slots=True)
class NoteEdit:
    """What the editor gives back: ``delete`` or the new text and tags."""

    text: str = ""
    tags: tuple[str, ...] = ()
    delete: bool = False


def parse_tags(value: str) -> tuple[str, ...]:
    """Tags typed as ``a, b c`` or ``#a #b``: each once, in the order given."""
    seen: dict[str, None] = {}
    for tag in re.split(r"[,\s]+", value):
        tag = tag.strip().lstrip("#")
        if tag:
            seen.setdefault(tag, None)
    return tuple(seen)


class NoteEditor(ModalScreen[NoteEdit | None]):
    """Write or change a note; ``ctrl+s`` saves, ``Esc`` leaves it as it was (asking first
    when something was typed)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save_note"),  # not priority: after the keys typed before it
        Binding("escape", "cancel", "Cancel", id="cancel_note"),
    ]

    def __init__(self, quote: str, text: str = "", tags: tuple[str, ...] = (), *, existing: bool = False) -> None:
        super().__init__()
        self.quote = quote
        self.text = text
        self.tags = tags
        self.existing = existing
        # shown with their controls made visible (an escape sequence in an imported note
        # must not reach the terminal); kept as they were unless the user changes them
        self.shown_text = visible(text, multiline=True)
        self.shown_tags = visible(" ".join(f"#{tag}" for tag in tags))

    def compose(self) -> ComposeResult:
        quote = visible(" ".join(self.quote.split()))
        if len(quote) > _QUOTE_SHOWN:
            quote = quote[: _QUOTE_SHOWN - 1].rstrip() + "…"
        with Vertical(id="note-dialog", classes="dialog"):
            yield Label("Edit note" if self.existing else "New note", classes="dialog-title")
            yield Static(quote, id="note-quote", markup=False)
            yield TextArea(self.shown_text, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Input(self.shown_tags, placeholder="tags: #idea #todo", id="note-tags")
            with Horizontal(id="note-buttons"):
                yield Button("Save  ctrl+s", id="note-save", variant="primary")
                if self.existing:
                    yield Button("Delete", id="note-delete", variant="error")
                yield Button("Cancel  esc", id="note-cancel")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        text = (self.text if text == self.shown_text else text).strip("\n")
        tags = self.query_one("#note-tags", Input).value
        self.dismiss(NoteEdit(text=text, tags=self.tags if tags == self.shown_tags else parse_tags(tags)))

    def changed(self) -> bool:
        """Whether the text or the tags differ from what the editor opened with."""
        return (
            self.query_one(TextArea).text != self.shown_text
            or self.query_one("#note-tags", Input).value != self.shown_tags
        )

    def action_cancel(self) -> None:
        """Leave the note as it was; a draft typed here is lost only once the user says so."""
        if not self.changed():
            self.dismiss(None)
            return

        def answer(choice: tuple[bool] | None) -> None:
            if choice == (True,):
                self.dismiss(None)

        self.app.push_screen(discard_question("Discard what you typed?", "Discard the changes"), answer)

    @on(Input.Submitted, "#note-tags")
    def tags_submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#note-save")
    def save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#note-delete")
    def delete_pressed(self) -> None:
        self.dismiss(NoteEdit(delete=True))

    @on(Button.Pressed, "#note-cancel")
    def cancel_pressed(self) -> None:
        self.action_cancel()


def discard_question(title: str, discard: str) -> ModalScreen[tuple[bool] | None]:
    """Ask before a draft is thrown away: keep editing (first, and Esc) or ``discard``."""
    from reader.ui.screens.pick import PickScreen

    return PickScreen(title, [("Keep editing", False), (discard, True)])
