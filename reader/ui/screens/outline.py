"""The outline: the open document's sections, to jump to one.

A long book has thousands of sections (a 50 MB text ~4,000): they are listed
in a :class:`~reader.ui.widgets.virtual_list.VirtualList`, which draws only
the rows on screen, where an OptionList rendered and measured every one of them
before the outline showed (~0.3 s for 1,700 sections).
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from reader.core.document import Document, Section
from reader.core.visible import visible
from reader.ui.screens.list_dialog import ListDialog
from reader.ui.widgets.virtual_list import VirtualList

__all__ = ["OutlineScreen", "SectionList"]


class SectionList(VirtualList):
    """The sections, one a row, indented by level."""

    def __init__(self, sections: tuple[Section, ...], start: int = 0, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sections = sections
        self.start = start

    def on_mount(self) -> None:
        self.set_item_count(len(self.sections), highlight=self.start)
        self.call_after_refresh(self.scroll_to_highlight)  # once it has a height

    def render_item(self, index: int, width: int) -> RenderableType:
        section = self.sections[index]
        indent = "  " * max(section.level - 1, 0)
        return Text(indent + visible(" ".join(section.title.split())), no_wrap=True, overflow="ellipsis")


class OutlineScreen(ListDialog[int | None]):
    """Pick a section; dismisses with its index, or None (``j``/``k`` from ListDialog move)."""

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
            yield SectionList(self.document.sections, self.start, id="outline-list")

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # ListDialog's on_mount looks for an OptionList
        self.query_one(SectionList).focus()

    def action_cursor_down(self) -> None:
        self.query_one(SectionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(SectionList).action_cursor_up()

    @on(VirtualList.Selected)
    def chosen(self, event: VirtualList.Selected) -> None:
        self.dismiss(event.index)
