"""Tags written as one line: ``policy, "smart city, hk", -old``.

Commas separate the tags; a tag holding a comma is written in double quotes, as
the search field writes ``tag:"smart city"`` (a quote inside quotes is doubled,
``""``). ``-`` before a tag (quoted or not) takes it off. :func:`join_tags` writes
tags so that :func:`split_tags` reads them back the same, so a field that starts
with a document's tags keeps every one of them when it is saved untouched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reader.core.organise import BadValue

__all__ = ["TagPart", "split_tags", "join_tags", "quote_tag", "last_part_start"]

_QUOTE = '"'


@dataclass(frozen=True, slots=True)
class TagPart:
    text: str  # as written, quotes taken off (not cleaned: ``clean_tag`` judges it)
    remove: bool = False  # written ``-name``
    quoted: bool = False


def split_tags(line: str) -> list[TagPart]:
    """The tags of ``line`` (empty parts left out); BadValue when a quote is not closed."""
    parts: list[TagPart] = []
    position, length = 0, len(line)
    while position <= length:
        start = _skip_spaces(line, position)
        remove = line.startswith('-"', start)
        opened = start + 1 if remove else start
        if line.startswith(_QUOTE, opened):
            text, after = _quoted(line, opened)
            end = _skip_spaces(line, after)
            if end < length and line[end] != ",":
                raise BadValue(f"put a comma after the quoted tag {_QUOTE}{text}{_QUOTE}")
            parts.append(TagPart(text, remove, quoted=True))
            position = end + 1
            continue
        end = line.find(",", start)
        end = length if end < 0 else end
        raw = line[start:end].strip()
        if raw.startswith("-") and raw != "-":
            parts.append(TagPart(raw[1:], remove=True))
        elif raw:
            parts.append(TagPart(raw))
        position = end + 1
    return parts


def quote_tag(tag: str) -> str:
    """``tag`` as the line writes it: in quotes when it holds a comma or begins with - or a quote."""
    if "," in tag or tag.startswith(("-", _QUOTE)):
        return _QUOTE + tag.replace(_QUOTE, _QUOTE * 2) + _QUOTE
    return tag


def join_tags(tags: Iterable[str]) -> str:
    return ", ".join(quote_tag(tag) for tag in tags)


def last_part_start(line: str) -> int:
    """Where the tag being typed begins: after the last comma outside quotes (spaces skipped)."""
    start, inside = 0, False
    for index, char in enumerate(line):
        if char == _QUOTE:
            inside = not inside  # a doubled quote flips twice: still inside
        elif char == "," and not inside:
            start = index + 1
    return _skip_spaces(line, start)


def _quoted(line: str, opening: int) -> tuple[str, int]:
    """The text of the quotes opening at ``opening`` and where it ends (after the closing quote)."""
    out: list[str] = []
    index = opening + 1
    while index < len(line):
        char = line[index]
        if char == _QUOTE:
            if line.startswith(_QUOTE, index + 1):
                out.append(_QUOTE)
                index += 2
                continue
            return "".join(out), index + 1
        out.append(char)
        index += 1
    shown = line[opening : opening + 21] + ("…" if len(line) > opening + 21 else "")
    raise BadValue(f"a quote is not closed: {shown}")


def _skip_spaces(line: str, position: int) -> int:
    while position < len(line) and line[position].isspace():
        position += 1
    return position
