"""Word wrapping by terminal cells, as spans into the original text.

``wrap(text, width)`` returns ``(start, end)`` pairs: each row is
``text[start:end]``. Offsets, not copies, so the content pane can map a row
back to document offsets (hits, notes, the reading position) for free.
Breaks fall at spaces; a word longer than the row is cut; CJK text, which has
no spaces, may break after any character, except where the line-breaking rules of
CJK typesetting (kinsoku shori, UAX #14's CL/CP/NS/EX/IS and OP classes) forbid it:
a row never starts with closing punctuation, a full stop or comma, a small kana or
an iteration mark, and never ends with opening punctuation; ``\\n`` always breaks.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["wrap", "cell_width", "char_width", "NO_ROW_START", "NO_ROW_END"]

# kinsoku: what may not start a row (closing brackets and quotes, stops and commas,
# small kana, prolonged sound and iteration marks) and what may not end one (openers)
NO_ROW_START = frozenset(
    "，。、．・：；？！）］｝〕〉》」』】〙〗〟’”｠»›"
    "ヽヾーァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻゠〜～‼⁇⁈⁉"
    ",.:;!?)]}%"
)
NO_ROW_END = frozenset("（［｛〔〈《「『【〘〖〝‘“｟«‹([{")


@lru_cache(maxsize=65536)
def char_width(char: str) -> int:
    """Cells a character takes in a terminal: 0, 1 or 2."""
    if char < "\u0300":
        return 1 if char >= " " else 0
    if unicodedata.combining(char) or char in "\u200b\u200c\u200d\u2060\ufeff":
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def cell_width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(char_width(char) for char in text)


def wrap(text: str, width: int) -> list[tuple[int, int]]:
    """Rows of at most ``width`` cells covering ``text`` (spaces at breaks dropped)."""
    width = max(width, 1)
    rows: list[tuple[int, int]] = []
    start = 0
    length = len(text)
    while True:
        newline = text.find("\n", start)
        line_end = length if newline < 0 else newline
        if text.isascii() or text[start:line_end].isascii():
            _wrap_ascii(text, start, line_end, width, rows)
        else:
            _wrap_wide(text, start, line_end, width, rows)
        if newline < 0:
            return rows
        start = newline + 1


def _wrap_ascii(text: str, start: int, end: int, width: int, rows: list[tuple[int, int]]) -> None:
    if start == end:
        rows.append((start, end))
        return
    pos = start
    while pos < end:
        if end - pos <= width:
            rows.append((pos, end))
            return
        cut = text.rfind(" ", pos, pos + width + 1)
        if cut <= pos:
            rows.append((pos, pos + width))  # a word longer than the row
            pos += width
        else:
            row_end = cut
            while row_end > pos and text[row_end - 1] == " ":
                row_end -= 1
            rows.append((pos, row_end))
            pos = cut + 1
        while pos < end and text[pos] == " ":
            pos += 1


def _wrap_wide(text: str, start: int, end: int, width: int, rows: list[tuple[int, int]]) -> None:
    if start == end:
        rows.append((start, end))
        return
    pos = start
    while pos < end:
        cells = 0
        index = pos
        last_break = -1  # index after which a row may end
        while index < end:
            char = text[index]
            w = char_width(char)
            if cells + w > width:
                break
            cells += w
            if char == " " or (w == 2 and _may_break_after(text, index, end)):
                last_break = index
            index += 1
        if index >= end:
            rows.append((pos, end))
            return
        if text[index] == " ":
            row_end, next_pos = index, index + 1
        elif last_break >= pos:
            row_end = last_break if text[last_break] == " " else last_break + 1
            next_pos = last_break + 1
        else:
            row_end = next_pos = max(index, pos + 1)
        while row_end > pos and text[row_end - 1] == " ":
            row_end -= 1
        rows.append((pos, row_end))
        pos = next_pos
        while pos < end and text[pos] == " ":
            pos += 1


def _may_break_after(text: str, index: int, end: int) -> bool:
    """May a row end after ``text[index]`` (a wide character) by the kinsoku rules?"""
    if text[index] in NO_ROW_END:
        return False
    return index + 1 >= end or text[index + 1] not in NO_ROW_START
