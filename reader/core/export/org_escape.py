"""Plain text made safe for Org: it reads as written, never as Org markup or structure.

Org's own escape is the zero-width space (U+200B, the Org manual's "Escape
Character"): one goes after each character that could open an object, so that
emphasis (``*/_=~+``), links and footnotes (``[``), timestamps and targets
(``<``), entities and LaTeX (``\\``), export snippets (``@@``), macros (``{{{``),
sub- and superscripts (``_``, ``^``) and inline code (``src_``, ``call_``) never
start; ``$`` (LaTeX math, which a zero-width space does not stop) is written as
Org's entity ``\\dollar{}``. A line that does not start with a letter gets a
zero-width space in front, so it never reads as a heading, list item, table,
keyword, comment, drawer, fixed-width line or rule. A reader of the file drops
every U+200B to get the text back (a zero-width space in the text itself is not
told apart from one of these).

Org tags (``[[:alnum:]_@#%]``) are percent-encoded: every other character as
``%XX`` of its UTF-8 bytes, ``%`` itself included, so ``a/b`` is ``a%2Fb`` and
percent-decoding gives each tag back exactly.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ZWSP", "org_inline", "org_lines", "org_headline", "org_tag"]

ZWSP = "\u200b"
_AFTER = re.compile(r"[*/_=~+\[<\\^@{]")
_CODE = re.compile(r"(?<=src)_|(?<=call)_")
_KEYWORD = re.compile(r"^(?:[A-Z]+(?=\s|$)|\[#)")  # TODO, DONE, COMMENT, a user's own keywords, [#A]
_TAGS_AT_END = re.compile(r"\s:[^\s:]+(?::[^\s:]+)*:$")


def org_inline(text: str) -> str:
    """``text`` with no Org object in it (no line structure handled: see :func:`org_lines`)."""
    text = _CODE.sub(ZWSP + "_", text)
    text = _AFTER.sub(lambda m: m.group(0) + ZWSP, text)
    return text.replace("$", "\\dollar{}")


def org_lines(lines: list[str]) -> list[str]:
    """Each line as literal Org paragraph text; blank lines stay blank (paragraph breaks)."""
    out = []
    for line in lines:
        line = org_inline(line.strip(" \t"))
        if line and not _is_letter(line[0]):
            line = ZWSP + line
        out.append(line)
    return out


def org_headline(text: str) -> str:
    """A headline's text: no keyword, priority or comment at its start, no tags at its end."""
    line = org_inline(text)
    if _KEYWORD.match(line):
        line = ZWSP + line
    if _TAGS_AT_END.search(line):
        line += ZWSP
    return line


def org_tag(tag: str) -> str:
    """``tag`` as an Org tag; percent-decoding gives it back."""
    return "".join(ch if _tag_char(ch) else _percent(ch) for ch in tag)


def _percent(ch: str) -> str:
    return "".join(f"%{byte:02X}" for byte in ch.encode("utf-8", "surrogatepass"))


def _tag_char(ch: str) -> bool:
    return ch in "_@#" or unicodedata.category(ch) in ("Lu", "Ll", "Lt", "Lm", "Lo", "Nd")


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch).startswith("L")
