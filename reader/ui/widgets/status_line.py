"""The status line: the open document, the section you are in, how far along."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.widgets import Static

from reader.core.document import Document
from reader.core.visible import visible

__all__ = ["StatusLine", "page_of"]


class StatusLine(Static):
    """One line: message or document title on the left, section and percent on the right."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._left = ""
        self._section = ""
        self._percent = ""
        self._flag = ""
        self._page = ""

    def set_flag(self, flag: str) -> None:
        """A state that lasts (``notes read-only``): shown at the right until set to ""."""
        if flag != self._flag:
            self._flag = flag
            self._draw()

    @property
    def flag(self) -> str:
        return self._flag

    def set_page(self, page: str) -> None:
        """The page at the top of the view (``p. 12 of 114``, see :func:`page_of`), shown before
        the percent with the next position; "" for a document without pages."""
        self._page = page

    def show_position(
        self, title: str, section: str, percent: int | None, hits: str = "", selected: str = "", left: str = ""
    ) -> None:
        """``hits``: the search hit counter, ``3/17``, shown before the percent;
        ``selected``: how much is selected, before that; ``left``: the reading time left, first."""
        self._left = title
        self._section = section
        self._percent = "" if percent is None else f"{percent:>3}%"
        for part in (left, hits, selected):
            if part:
                self._percent = f"{part}  {self._percent}"
        self._draw()

    def show_message(self, message: str) -> None:
        self._left = message
        self._section = ""
        self._percent = ""
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        width = max(self.size.width - 2, 20)
        percent = self._percent
        if self._page and percent:
            percent = f"{self._page}  {percent}"
        if self._flag:
            percent = f"{self._flag}  {percent}" if percent else self._flag
        room = width - cell_len(percent) - 2
        left_room = room if not self._section else min(cell_len(self._left), room // 2)
        left = _fit(self._left, left_room)
        section = _fit(self._section, room - cell_len(left) - 2)
        text = Text(" " + left, style="bold")
        gap = width - cell_len(left) - cell_len(section) - cell_len(percent) - 1
        text.append(" " * max(gap, 1))
        text.append(section, style="dim")
        if self._flag:
            text.append(" ")
            text.append(self._flag, style="bold reverse")
            percent = percent[len(self._flag) :]
        text.append(" " + percent if not self._flag else percent)
        self.update(text, layout=False)  # one row, its width the screen's: nothing to lay out again


def _fit(text: str, cells: int) -> str:
    text = visible(" ".join(text.split()))  # a title, a section, a message: controls made visible
    if cells <= 1:
        return ""
    if cell_len(text) <= cells:
        return text
    return set_cell_size(text, cells - 1) + "…"


def page_of(document: Document, offset: int) -> str:
    """``p. 12 of 114`` (printed page numbers), ``p. xiv`` (another label), "" without pages."""
    label = document.page_at(offset)
    if not label:
        return ""
    last = document.pages[-1].label
    return f"p. {label} of {last}" if label.isdigit() and last.isdigit() else f"p. {label}"
