"""A short list to pick one thing from (a source to filter the library by)."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from reader.core.visible import visible
from reader.ui.screens.list_dialog import ListDialog

__all__ = ["PickScreen"]

T = TypeVar("T")


class PickScreen(ListDialog[tuple[T] | None], Generic[T]):
    """Pick one of ``choices`` (label, value); dismisses with ``(value,)``, or None."""

    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Close", id="close_pick"),
    ]

    def __init__(self, title: str, choices: list[tuple[str | Content, T]], current: int = 0) -> None:
        super().__init__()
        self.heading = title
        self.choices = choices
        self.start = current

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-dialog", classes="dialog"):
            yield Label(visible(self.heading), classes="dialog-title", markup=False)
            labels = (Content(visible(label)) if isinstance(label, str) else label for label, _ in self.choices)
            yield OptionList(*(Option(label) for label in labels), id="pick-list", markup=False)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss((self.choices[event.option_index][1],))
