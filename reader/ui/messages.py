"""App-wide requests that any widget or provider may post."""

from __future__ import annotations

from textual.message import Message

__all__ = ["OpenDocument"]


class OpenDocument(Message):
    """Open the document with this id (from the palette, a link, a list)."""

    def __init__(self, document_id: str) -> None:
        super().__init__()
        self.document_id = document_id
