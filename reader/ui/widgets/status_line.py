"""The status line: the open document, the section you are in, how far along."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

__all__ = ["StatusLine"]


class StatusLine(Static):
    """One line: message or document title on the left, section and percent on the right."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._left = ""
        self._right = ""

    def show_position(self, title: str, section: str, percent: int | None) -> None:
        self._left = title
        parts = [section] if section else []
        if percent is not None:
            parts.append(f"{percent}%")
        self._right = "  ".join(parts)
        self._draw()

    def show_message(self, message: str) -> None:
        self._left = message
        self._right = ""
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        width = max(self.size.width - 2, 10)
        right = self._right
        if len(right) > width // 2:
            right = right[: width // 2 - 1] + "…"
        room = width - len(right) - 2
        left = self._left if len(self._left) <= room else self._left[: max(room - 1, 0)] + "…"
        text = Text(" " + left, style="bold")
        text.append(" " * max(width - len(left) - len(right), 1))
        text.append(right, style="dim")
        self.update(text)
