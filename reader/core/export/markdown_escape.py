"""Plain text made safe for Markdown: it shows as written, never as Markdown structure.

Inline, every character CommonMark or the common extensions (GFM, Obsidian)
would read as markup is backslash-escaped: emphasis, code, links, tables,
strikethrough, math (``$``), highlights (``==``), comments (``%%``), tags (``#``),
HTML-looking ``<`` and entity-looking ``&``. At the start of a line, what would
open a block is escaped too: list markers, ``1.``, ``>``, ``---``/``===``
underlines, and indentation (which would make code) is dropped.
"""

from __future__ import annotations

import json
import re

__all__ = [
    "escape_inline",
    "escape_line",
    "escape_lines",
    "quote_block",
    "yaml_string",
    "split_lines",
    "obsidian_tag",
]

_INLINE = re.compile(
    r"[\\`*_\[\]{}|~$#^]"  # always markup somewhere (^: Obsidian's block ids, footnotes)
    r"|<(?=[A-Za-z/!?])"  # a tag, a comment, an autolink
    r"|&(?=#?[A-Za-z0-9]+;)"  # an entity
    r"|=(?==)|(?<==)="  # ==highlight==
    r"|%(?=%)|(?<=%)%"  # %%comment%%
)
_LINE_START = re.compile(r"^(?:[-+=>]|\d{1,9}(?=[.)]))")
_NEWLINE = re.compile(r"\r\n|\r|\n")
# what ends an Obsidian tag: white space, ASCII punctuation but _ - /, general punctuation
_NOT_IN_TAG = re.compile(r"[\s!-,.:-@\[-\^`{-~\u2000-\u206f\u2e00-\u2e7f]+")
# YAML (1.1 and 1.2) reads these inside a double-quoted scalar as line breaks or rejects them
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")


def split_lines(text: str) -> list[str]:
    """Lines split on ``\\r\\n``, ``\\r`` and ``\\n`` only (other separators stay text)."""
    return _NEWLINE.split(text)


def escape_inline(text: str) -> str:
    """``text`` as literal Markdown inline content."""
    return _INLINE.sub(lambda m: "\\" + m.group(0), text)


def escape_line(line: str) -> str:
    """One line as literal Markdown, safe at the start of a block."""
    line = escape_inline(line.strip(" \t"))
    match = _LINE_START.match(line)
    if match is None:
        return line
    if match.group(0)[0].isdigit():
        end = match.end()
        return line[:end] + "\\" + line[end:]
    return "\\" + line


def escape_lines(text: str) -> list[str]:
    """Every line of ``text`` escaped; blank lines stay (they separate paragraphs)."""
    return [escape_line(line) for line in split_lines(text.strip("\r\n"))]


def quote_block(text: str) -> str:
    """``text`` as a Markdown blockquote: every line prefixed ``> `` (``>`` when blank)."""
    return "\n".join(f"> {line}" if line else ">" for line in escape_lines(text))


def obsidian_tag(tag: str) -> str:
    """``tag`` as Obsidian reads a tag (no ``#``): what would end it becomes ``-``,
    and a tag of digits alone gets a leading ``_`` (Obsidian needs a non-digit);
    ``""`` when nothing is left."""
    name = _NOT_IN_TAG.sub("-", tag.lstrip("#")).strip("-_/")
    if name.isdecimal():
        name = "_" + name
    return name


def yaml_string(value: str) -> str:
    """A JSON string that YAML reads back as the same text (front matter values)."""
    text = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
