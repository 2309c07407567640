"""A short list to pick one thing from (a source to filter the library by)."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

__all__ = ["PickScreen"]

T = TypeVar("T")


class PickScreen(ModalScreen[tuple[T] | None], Generic[T]):
    """Pick one of ``choices`` (label, value); dismisses with ``(value,)``, or None."""

    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Close", id="close_pick"),
        Binding("j", "cursor_down", show=False, id="down"),
        Binding("k", "cursor_up", show=False, id="up"),
    ]

    def __init__(self, title: str, choices: list[tuple[str, T]], current: int = 0) -> None:
        super().__init__()
        self.heading = title
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-dialog", classes="dialog"):
            yield Label(self.heading, classes="dialog-title")
            yield OptionList(*(Option(label) for label, _ in self.choices), id="pick-list")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self.current
        options.focus()

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss((self.choices[event.option_index][1],))
