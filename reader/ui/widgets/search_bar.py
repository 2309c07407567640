"""The search bar over the list pane: the library's search, or find in the document."""

from __future__ import annotations

from textual.widgets import Input

__all__ = ["SearchBar"]

_PLACEHOLDERS = {
    "library": 'Search the library: words, "a phrase", -not, a OR b, title:word',
    "document": "Find in this document",
}


class SearchBar(Input):
    """An Input that knows what it searches: ``library`` or ``document``."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=_PLACEHOLDERS["library"], id=id)
        self.mode = "library"

    def start(self, mode: str, value: str = "") -> None:
        """Show the bar in ``mode`` with ``value`` (the Changed event is not posted)."""
        self.mode = mode
        self.placeholder = _PLACEHOLDERS[mode]
        with self.prevent(Input.Changed):
            self.value = value
        self.cursor_position = len(value)
        self.display = True
