"""Text made safe to show on a terminal: every control character made visible.

Whatever reader shows that came from outside (a file's name or title, a path, a
note, a tag, a bookmark name, an error message) goes through ``visible`` at the
edge, on the command line and in every widget, so that no escape sequence
(``ESC]0;…BEL`` sets the window title, ``ESC[2J`` clears the screen,
``ESC]52;c;…`` writes the clipboard) and no bidi override (which reorders what
follows it) reaches the terminal:

- C0 controls and DEL become their Unicode control pictures (ESC is ``␛``);
  a tab and a line feed are kept where a text of several lines is meant
  (``multiline=True``), otherwise a tab is a space and a line feed ``␊``;
  a carriage return is always ``␍`` (it would move the cursor back);
- C1 controls (U+0080–U+009F, CSI among them) become ``\\x9b``-style text;
- bidi controls (embeddings, overrides, isolates, marks) become ``⟨RLO⟩``-style
  marks, so nothing is reordered;
- line and paragraph separators (U+2028/9) are line feeds, treated as above;
- lone surrogates (the escapes ``os.fsdecode`` gives a file name's bad bytes)
  become U+FFFD.

Plain Python: no Rich, no Textual. ``visible_json`` is the lossless counterpart
for JSON output: the same characters written as ``\\uXXXX`` escapes.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["has_unsafe", "visible", "visible_in_place", "visible_json", "visible_json_text"]

_BIDI_NAMES = {
    "\u061c": "ALM",
    "\u200e": "LRM",
    "\u200f": "RLM",
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
}
_BIDI = "".join(_BIDI_NAMES)

# Everything that is replaced, in one class: C0 (tab and line feed included, kept
# below when multi-line), DEL, C1, line/paragraph separators, bidi, surrogates.
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}\ud800-\udfff]")
# The same less C0, which json.dumps escapes in strings (outside them a JSON text
# holds only its layout's line feeds and spaces).
_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f\u2028\u2029{_BIDI}\ud800-\udfff]")


def _picture(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if code <= 0x9F:
        return f"\\x{code:02x}"
    if char in _BIDI_NAMES:
        return f"\u27e8{_BIDI_NAMES[char]}\u27e9"
    return "\ufffd"  # a lone surrogate


_SINGLE = {chr(c): _picture(chr(c)) for c in range(0x20)} | {"\x7f": "\u2421"}
_SINGLE |= {chr(c): _picture(chr(c)) for c in range(0x80, 0xA0)}
_SINGLE |= {c: _picture(c) for c in _BIDI_NAMES}
_SINGLE |= {"\t": " ", "\u2028": "\u240a", "\u2029": "\u240a"}
_MULTI = _SINGLE | {"\t": "\t", "\n": "\n", "\u2028": "\n", "\u2029": "\n"}


def visible(text: object, *, multiline: bool = False) -> str:
    """``text`` (or ``str(text)``) with every control made visible; see the module."""
    text = text if isinstance(text, str) else str(text)
    if text.isascii() and text.isprintable():
        return text  # the common case: nothing to replace
    table = _MULTI if multiline else _SINGLE
    return _UNSAFE.sub(lambda match: table.get(match.group(), "\ufffd"), text)


def _one(replacement: str) -> str:
    return replacement if len(replacement) == 1 else "\ufffd"


_SINGLE_ONE = str.maketrans({char: _one(shown) for char, shown in _SINGLE.items()})
_MULTI_ONE = str.maketrans({char: _one(shown) for char, shown in _MULTI.items()})


def visible_in_place(text: str, *, multiline: bool = False) -> str:
    """Like ``visible``, one character for one, so offsets into ``text`` still hold
    (a document's text, a snippet with its hits): controls are their pictures, C1
    and bidi controls and lone surrogates U+FFFD."""
    if text.isascii() and text.isprintable():
        return text
    shown = text.translate(_MULTI_ONE if multiline else _SINGLE_ONE)
    if not _SURROGATE.search(shown):
        return shown
    return _SURROGATE.sub("\ufffd", shown)


def has_unsafe(text: str, *, multiline: bool = False) -> bool:
    """Whether ``visible`` would change ``text``."""
    return visible(text, multiline=multiline) != text


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def visible_json(value: Any, **options: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, **options)`` with C1 controls, bidi
    controls, line separators and lone surrogates written as ``\\uXXXX`` (json
    already escapes C0): the same data, read back exactly, safe on a terminal."""
    return visible_json_text(json.dumps(value, ensure_ascii=False, **options))


def visible_json_text(text: str) -> str:
    """A JSON text (as ``json.dumps`` wrote it) with the characters ``visible``
    would replace written as ``\\uXXXX`` escapes: they can only be inside its
    strings, where the escape reads back as the same character."""
    return _JSON_UNSAFE.sub(_json_escape, text)
