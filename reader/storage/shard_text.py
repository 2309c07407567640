"""A shard's YAML text taken apart note by note, so unchanged notes are not parsed again.

A shard as the store writes it is a mapping whose ``notes:`` key, at column 0, is
followed by one block-sequence item per note, each starting with ``- `` at column
0 and continuing over indented, blank or comment lines::

    schema_version: 1        ┐ head
    document: …              ┘
    notes:
    - id: a…                 ┐ one item
      text: …                ┘
    - id: b…                 ┐ another
      …                      ┘
    extra_key: …             ] tail (unknown top-level keys)

Each item's text is loaded once and remembered (by its text) in a bounded cache;
the head and tail are loaded together. Loading the pieces gives the same data as
loading the whole text, because the pieces are exactly the whole text with the
``notes:`` line taken out, and each item is loaded on its own, so what is
remembered for a text does not depend on its neighbours. A text of any other shape (flow style, an indented list,
other line breaks than ``\\n``, document markers) is loaded whole, as is one whose
pieces do not load on their own (an alias to an anchor in another note): the
whole-text load then gives the answer, or the error with its place.

Saving a note therefore costs parsing and dumping that one note, plus joining
texts, whatever the number of notes in the shard.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from reader.storage.yaml_text import YamlTextError, dump_yaml, load_yaml

__all__ = ["Pieces", "split_notes", "load_shard_text", "item_text", "NOTES_LINE"]

NOTES_LINE = "notes:"
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")  # line breaks to YAML, not to str.split("\n")
_NOTES_LINE = re.compile(r"^notes:\n", re.MULTILINE)
_NOT_AN_ITEM_LINE = re.compile(r"\n(?:[^ #\n-]|-[^ \n])")  # at column 0: not indented, blank, a comment or "- "
_HEAD_MARKERS = re.compile(r"^(?:---|\.\.\.|%)", re.MULTILINE)
_TAIL_MARKERS = re.compile(r"^(?:-|\.\.\.|%|notes:)", re.MULTILINE)
_MISSING = object()
_CACHE_CHARS = 8_000_000  # item texts remembered, in characters (the parsed data is a few times that)


@dataclass(frozen=True, slots=True)
class Pieces:
    head: str  # the text before the notes: line
    items: list[tuple[int, str]]  # (1-based line, text) of each note item
    tail: str  # the top-level keys after the notes


def split_notes(text: str) -> Pieces | None:
    """The pieces of a shard's text; None when it is not in the shape described above."""
    if not text.endswith("\n") or any(mark in text for mark in _OTHER_BREAKS):
        return None
    notes_line = _NOTES_LINE.search(text)
    if notes_line is None or _HEAD_MARKERS.search(text, 0, notes_line.start()):
        return None
    body = notes_line.end()
    if not text.startswith("- ", body):
        return None
    other = _NOT_AN_ITEM_LINE.search(text, body - 1)  # the first line at column 0 that starts no item
    tail = len(text) if other is None else other.start() + 1
    if _TAIL_MARKERS.search(text, tail) or "\n-\n" in text[body - 1 : tail]:
        return None
    items: list[tuple[int, str]] = []
    line = text.count("\n", 0, body) + 1
    for piece in text[body + 2 : tail - 1].split("\n- "):
        item = f"- {piece}\n"
        items.append((line, item))
        line += item.count("\n")
    return Pieces(text[: notes_line.start()], items, text[tail:])


def load_shard_text(text: str) -> tuple[Any, list[int] | None]:
    """The data of a shard's text and the line of each note item (None when loaded whole).

    Raises :class:`YamlTextError` (with line and column) when the text is not YAML.
    """
    pieces = split_notes(text)
    if pieces is not None:
        try:
            top = load_yaml(pieces.head + pieces.tail)
            items = _ITEMS.load([item for _, item in pieces.items])
        except YamlTextError:
            items = None
        if items is not None and (top is None or (isinstance(top, dict) and "notes" not in top)):
            data = dict(top or {})
            data["notes"] = items
            return data, [line for line, _ in pieces.items]
    return load_yaml(text), None


def item_text(item: Any) -> str:
    """One note item as YAML text that can follow the ``notes:`` line."""
    return without_end_marker(dump_yaml([item]))


def without_end_marker(text: str) -> str:
    """``text`` without a trailing ``...`` (written after a block scalar that keeps its last breaks)."""
    return text[:-4] if text.endswith("\n...\n") else text


class _ItemCache:
    """Item text → loaded item, least recently used first out, bounded by total text length."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._chars = 0
        self._items: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def load(self, texts: list[str]) -> list[Any] | None:
        """The item of each text, each loaded on its own; None when a text is not one item.

        Loading each on its own keeps a remembered item independent of its neighbours
        (an alias to another note's anchor fails here, and the whole text is loaded).
        """
        items = []
        for text in texts:
            with self._lock:
                item = self._items.get(text, _MISSING)
                if item is not _MISSING:
                    self._items.move_to_end(text)
            if item is _MISSING:
                loaded = load_yaml(text)
                if not isinstance(loaded, list) or len(loaded) != 1:
                    return None
                item = loaded[0]
                with self._lock:
                    self._remember(text, item)
            items.append(item)
        return items

    def _remember(self, text: str, item: Any) -> None:
        if text in self._items or len(text) > self._limit:
            return
        self._items[text] = item
        self._chars += len(text)
        while self._chars > self._limit:
            old, _ = self._items.popitem(last=False)
            self._chars -= len(old)


_ITEMS = _ItemCache(_CACHE_CHARS)
