"""The base of the dialogs that are one list to pick from (outline, notes, sources)."""

from __future__ import annotations

from typing import TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList

__all__ = ["ListDialog"]

T = TypeVar("T")


class ListDialog(ModalScreen[T]):
    """A modal with one OptionList: focused on mount at ``start``, moved with ``j``/``k``."""

    BINDINGS = [
        Binding("j", "cursor_down", show=False, id="down"),
        Binding("k", "cursor_up", show=False, id="up"),
    ]

    start = 0  # the option highlighted when the dialog opens

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            options.highlighted = self.start
        options.focus()

    def action_cursor_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()
