"""Where a query's words are in a text: hits for the content pane, snippets for lists.

Matching is case- and accent-insensitive, on a folded copy of the text that
keeps every character's offset (``é`` → ``e``, one for one), so a hit's
offsets are offsets into the document's normalized text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from reader.core.search.analysis import CJK_RANGES
from reader.core.search.query import ParsedQuery

__all__ = ["Snippet", "fold_text", "hit_pattern", "find_hits", "make_snippet"]

SNIPPET_WIDTH = 160
_CJK = re.compile(f"[{CJK_RANGES}]")
_ASCII_LOWER = {i: i + 32 for i in range(ord("A"), ord("Z") + 1)}


@dataclass(frozen=True, slots=True)
class Snippet:
    text: str
    spans: tuple[tuple[int, int], ...]  # highlighted ranges inside ``text``


@lru_cache(maxsize=65536)
def _fold_char(char: str) -> str:
    lower = char.lower()
    if len(lower) != 1:
        return char
    base = "".join(c for c in unicodedata.normalize("NFKD", lower) if not unicodedata.combining(c))
    return base if len(base) == 1 else lower


def fold_text(text: str) -> str:
    """Lower case, accents removed, same length as ``text`` (offsets are kept)."""
    if text.isascii():
        return text.translate(_ASCII_LOWER)
    table = dict(_ASCII_LOWER)
    for char in set(text):
        if not char.isascii():
            table[ord(char)] = _fold_char(char)
    return text.translate(table)


def hit_pattern(query: ParsedQuery) -> re.Pattern[str] | None:
    """One regex matching every positive word group of the query, longest first."""
    alternatives = []
    for words, prefix in query.terms():
        folded = ["".join(_fold_char(c) for c in word) for word in words]
        parts = []
        for index, word in enumerate(folded):
            last = index == len(folded) - 1
            cjk = bool(_CJK.match(word))
            piece = re.escape(word)
            if not cjk:
                piece = r"(?<!\w)" + piece + (r"\w*" if prefix and last else r"(?!\w)")
            parts.append(piece)
        alternatives.append(r"\W+".join(parts))
    if not alternatives:
        return None
    alternatives.sort(key=len, reverse=True)
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


def find_hits(text: str, query: ParsedQuery, folded: str | None = None) -> list[tuple[int, int]]:
    """Every hit of the query in ``text`` as (start, end) offsets, in order."""
    pattern = hit_pattern(query)
    if pattern is None:
        return []
    haystack = folded if folded is not None else fold_text(text)
    return [(m.start(), m.end()) for m in pattern.finditer(haystack) if m.end() > m.start()]


def make_snippet(
    text: str, pattern: re.Pattern[str] | None, width: int = SNIPPET_WIDTH, scan: int | None = None
) -> tuple[Snippet, int]:
    """A window of ``text`` around its first hit, and how many hits the text has.

    ``scan`` limits the work to the text's first ``scan`` characters (hits past
    them are not counted): what a list row needs while the user types.
    """
    if not text:
        return Snippet("", ()), 0
    if scan is not None and len(text) > scan:
        text = text[:scan]
    folded = fold_text(text)
    hits = list(pattern.finditer(folded)) if pattern is not None else []
    if not hits:
        end = _cut(text, 0, width)
        return Snippet(" ".join(text[:end].split()), ()), 0
    first = hits[0].start()
    start = max(0, first - width // 4)
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    end = _cut(text, start, width)
    window = text[start:end]
    # collapse whitespace, mapping the hit offsets into the collapsed window
    out: list[str] = []
    mapping: list[int] = []
    previous_space = False
    for index, char in enumerate(window):
        if char.isspace():
            if previous_space:
                continue
            char = " "
            previous_space = True
        else:
            previous_space = False
        mapping.append(index)
        out.append(char)
    position = {original: new for new, original in enumerate(mapping)}
    spans = []
    for match in hits:
        if match.start() >= end:
            break
        a, b = match.start() - start, min(match.end(), end) - start
        if a in position and b - 1 in position:
            spans.append((position[a], position[b - 1] + 1))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix)
    snippet = prefix + "".join(out).strip() + suffix
    lead = len("".join(out)) - len("".join(out).lstrip())
    spans = [(a + shift - lead, b + shift - lead) for a, b in spans]
    return Snippet(snippet, tuple(spans)), len(hits)


def _cut(text: str, start: int, width: int) -> int:
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start + width // 2, end)
        if space > 0:
            end = space
    return end
