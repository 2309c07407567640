"""Spans of text for selections: word boundaries and screen columns to offsets.

Plain functions over a document's normalized text, so a selection made with
the keyboard or the mouse always starts and ends on whole words.
"""

from __future__ import annotations

import re

from reader.core.wrap import cell_width

__all__ = ["column_offset", "next_word_end", "previous_word_end", "trim_span", "word_span"]

_WORD = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``–``end`` without the spaces at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def next_word_end(text: str, offset: int) -> int:
    """The end of the word after ``offset`` (or the end of the text)."""
    match = _WORD.search(text, offset)
    return len(text) if match is None else match.end()


def previous_word_end(text: str, offset: int, floor: int) -> int:
    """The end of the word before the one ending at ``offset``, never before ``floor``."""
    best = floor
    for match in _WORD.finditer(text, floor, offset):
        if match.end() < offset:
            best = match.end()
    return best


def word_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``–``end`` grown to whole words at both ends."""
    while start > 0 and _is_word(text[start - 1]) and start < len(text) and _is_word(text[start]):
        start -= 1
    while end < len(text) and end > 0 and _is_word(text[end - 1]) and _is_word(text[end]):
        end += 1
    return trim_span(text, start, end)


def column_offset(text: str, start: int, end: int, column: int) -> int:
    """The offset in ``text[start:end]`` drawn at screen ``column`` (cells from the row's text start)."""
    if column <= 0:
        return start
    cells = 0
    for offset in range(start, end):
        cells += cell_width(text[offset])
        if cells > column:
            return offset
    return end


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"
