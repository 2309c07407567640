"""The outline: the open document's sections, to jump to one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from reader.core.document import Document
from reader.ui.screens.list_dialog import ListDialog

__all__ = ["OutlineScreen"]


class OutlineScreen(ListDialog[int | None]):
    """Pick a section; dismisses with its index, or None."""

    BINDINGS = [
        Binding("escape,o,q", "dismiss(None)", "Close", id="close_outline"),
    ]

    def __init__(self, document: Document, current: int = 0) -> None:
        super().__init__()
        self.document = document
        self.start = current

    def compose(self) -> ComposeResult:
        with Vertical(id="outline-dialog", classes="dialog"):
            yield Label(f"Outline · {len(self.document.sections)} sections", classes="dialog-title")
            options = []
            for index, section in enumerate(self.document.sections):
                indent = "  " * max(section.level - 1, 0)
                options.append(Option(Text(indent + " ".join(section.title.split())), id=str(index)))
            yield OptionList(*options, id="outline-list")

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)
