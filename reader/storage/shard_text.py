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
``notes:`` line taken out, and what is remembered for an item's text does not
depend on its neighbours (it was loaded on its own, or holds no anchor or alias).
A text of any other shape (flow style, an indented list, other line breaks than
``\\n``, document markers) is loaded whole, as is one whose pieces do not load on
their own (an alias to an anchor in another note): the whole-text load then gives
the answer, or the error with its place.

Saving a note therefore parses and dumps that one note; the rest of the work grows
with the shard only by look-ups, comparisons and joining texts.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from reader.storage.yaml_text import YamlTextError, dump_yaml, load_yaml

__all__ = ["Pieces", "split_notes", "load_shard_text", "item_text", "without_end_marker", "NOTES_LINE"]

NOTES_LINE = "notes:"
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")  # line breaks to YAML, not to str.split("\n")
_NOTES_LINE = re.compile(r"^notes:\n", re.MULTILINE)
_NOT_AN_ITEM_LINE = re.compile(r"\n(?:[^ #\n-]|-[^ \n])")  # at column 0: not indented, blank, a comment or "- "
_HEAD_MARKERS = re.compile(r"^(?:---|\.\.\.|%)", re.MULTILINE)
_TAIL_MARKERS = re.compile(r"^(?:-|\.\.\.|%|notes:)", re.MULTILINE)
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,])[&*]")  # where an anchor (&a) or an alias (*a) can start
_MISSING = object()
_FEW = 2  # new items loaded one by one; more, and the whole text is loaded at once
_CACHE_CHARS = 64_000_000  # item texts remembered, in characters (the parsed data is a few times that)
# (a cache smaller than one shard is no cache: each read walks the items in order and evicts
# the next one needed; 64 M characters hold a shard of about 100,000 notes)


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
    """The data of a shard's text and the line of each note item (None when not known).

    Items already seen come from the cache. A few new ones (a save, another
    instance's change) are loaded one by one with the head and tail; many (a shard
    read for the first time) are loaded with the whole text in one go, which is
    quicker, and remembered; one that may hold an anchor or alias (``&`` or ``*``
    after a space or at a line's start), whose meaning could depend on other items,
    is remembered only as it loads alone. Raises :class:`YamlTextError` (with line and
    column) when the text is not YAML.
    """
    pieces = split_notes(text)
    if pieces is None:
        return load_yaml(text), None
    texts = [item for _, item in pieces.items]
    lines = [line for line, _ in pieces.items]
    items = _ITEMS.known(texts)
    missing = [index for index, item in enumerate(items) if item is _MISSING]
    if len(missing) > _FEW:
        return _whole(text, texts, lines)
    try:
        top = load_yaml(pieces.head + pieces.tail)
        for index in missing:
            loaded = load_yaml(texts[index])
            if not isinstance(loaded, list) or len(loaded) != 1:
                return load_yaml(text), None
            items[index] = loaded[0]
            _ITEMS.remember(texts[index], loaded[0])
    except YamlTextError:
        return load_yaml(text), None  # the whole text's error, with its place
    if top is not None and (not isinstance(top, dict) or "notes" in top):
        return load_yaml(text), None
    data = dict(top or {})
    data["notes"] = items
    return data, lines


def _whole(text: str, texts: list[str], lines: list[int]) -> tuple[Any, list[int] | None]:
    data = load_yaml(text)
    notes = data.get("notes") if isinstance(data, dict) else None
    if not isinstance(notes, list) or len(notes) != len(texts):
        return data, None
    for piece, item in zip(texts, notes, strict=True):
        if not _MAYBE_ANCHOR.search(piece):
            _ITEMS.remember(piece, item)
            continue
        try:  # mostly "&" or "*" inside a text; what loads on its own needs nothing from the others
            loaded = load_yaml(piece)
        except YamlTextError:
            continue
        if isinstance(loaded, list) and len(loaded) == 1:
            _ITEMS.remember(piece, loaded[0])
    return data, lines


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

    def known(self, texts: list[str]) -> list[Any]:
        """The remembered item of each text, or ``_MISSING``."""
        with self._lock:
            items = [self._items.get(text, _MISSING) for text in texts]
            for text, item in zip(texts, items, strict=True):
                if item is not _MISSING:
                    self._items.move_to_end(text)
        return items

    def remember(self, text: str, item: Any) -> None:
        with self._lock:
            self._remember(text, item)

    def _remember(self, text: str, item: Any) -> None:
        if text in self._items or len(text) > self._limit:
            return
        self._items[text] = item
        self._chars += len(text)
        while self._chars > self._limit:
            old, _ = self._items.popitem(last=False)
            self._chars -= len(old)


_ITEMS = _ItemCache(_CACHE_CHARS)
