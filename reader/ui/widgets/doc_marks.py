"""What a row shows of a document's own values, in the library list and in search results alike:
a star before a starred document's title, its tags as ``#a #b`` leading the details."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.core.organise import DocMeta

__all__ = ["STAR", "star", "tag_words"]

STAR = "★ "


def star(meta: DocMeta | None) -> str:
    """``★ `` for a starred document, else nothing."""
    return STAR if meta is not None and meta.favourite else ""


def tag_words(meta: DocMeta | None) -> str:
    """The document's tags as ``#a #b`` (nothing when it has none)."""
    return " ".join("#" + tag for tag in meta.tags) if meta is not None else ""
