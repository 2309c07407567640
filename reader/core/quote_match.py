"""Approximate string matching for anchors: where a quote sits in a text, and at what cost.

Built on edlib (Myers' bit-vector edit distance, in C). edlib compares bytes, so
text is turned into one byte a character first:

- ``TextCodes`` holds a whole text's codes, made once and shared by every note
  anchored on it. ASCII text is its own code; any other character becomes the
  XOR of the two low bytes of its code point, so two different characters may
  share a code. Those codes only *find* candidate places; ``edits``,
  ``infix_edits`` and ``similarity`` then count on codes made for the quote at
  hand, where every character of the quote has a code of its own (up to 255 of
  them) and every other character is 0, which is exact.
- Edit distance is Levenshtein's: one insertion, deletion or substitution is
  one error, as in Hypothesis's ``matchQuote``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import edlib

__all__ = [
    "Match",
    "TextCodes",
    "project",
    "search",
    "search_in_context",
    "seeds",
    "edits",
    "infix_edits",
    "similarity",
]

_CIGAR = re.compile(r"(\d+)([=XID])")


@dataclass(frozen=True, slots=True)
class Match:
    """A place ``[start, end)`` where a quote was found with ``errors`` edits."""

    start: int
    end: int
    errors: int


def project(text: str) -> bytes:
    """One byte a character of ``text``: the same character always gives the same byte."""
    if text.isascii():
        return text.encode("ascii")
    wide = text.encode("utf-32-le", "surrogatepass")
    low = int.from_bytes(wide[0::4], "little")
    high = int.from_bytes(wide[1::4], "little")
    return (low ^ high).to_bytes(len(text), "little")


@dataclass(frozen=True)
class TextCodes:
    """A text and, made on first use, its one-byte-a-character codes (see ``project``)."""

    text: str

    @cached_property
    def codes(self) -> bytes:
        return project(self.text)

    def window(self, start: int, end: int) -> bytes:
        """Codes of ``text[start:end]``, without coding the whole text for a small window."""
        if "codes" in self.__dict__ or end - start >= len(self.text) // 2:
            return self.codes[start:end]
        return project(self.text[start:end])


def search(
    codes: TextCodes, quote: str, start: int, end: int, max_errors: int, *, near: int = 0, limit: int = 8
) -> list[Match]:
    """Places in ``text[start:end]`` holding ``quote`` with the fewest edits (at most ``max_errors``).

    Up to ``limit`` of them, nearest ``near`` first. Offsets are into the whole
    text; ``errors`` are counted on the shared codes, so for non-ASCII text they
    may be a little low: recount with ``edits``.
    """
    query = project(quote)
    errors, ends = _best_ends(query, codes, start, end, max_errors, near, limit)
    matches = []
    for last in ends:
        lo = max(start, last - len(query) - errors)
        found = edlib.align(query, codes.window(lo, last), mode="HW", task="locations", k=errors)
        if found["editDistance"] >= 0:
            matches.append(Match(lo + found["locations"][-1][0], last, errors))
    return matches


def search_in_context(
    codes: TextCodes, prefix: str, quote: str, suffix: str, start: int, end: int, max_errors: int, *, near: int = 0
) -> Match | None:
    """Where ``quote`` sits inside the best place of ``prefix + quote + suffix`` in ``text[start:end]``.

    The context pins the quote's ends down, and tells a passage from a copy of
    it elsewhere. ``errors`` counts the edits of the whole, context included.
    """
    if not quote:
        return None
    query = project(prefix + quote + suffix)
    errors, ends = _best_ends(query, codes, start, end, max_errors, near, 1)
    if not ends:
        return None
    lo = max(start, ends[0] - len(query) - errors)
    found = edlib.align(query, codes.window(lo, ends[0]), mode="HW", task="path", k=errors)
    if found["editDistance"] < 0:
        return None
    first = lo + found["locations"][0][0]
    begin, finish = _quote_ends(found["cigar"], first, len(prefix), len(prefix) + len(quote))
    return Match(begin, finish, errors)


def _best_ends(
    query: bytes, codes: TextCodes, start: int, end: int, max_errors: int, near: int, limit: int
) -> tuple[int, list[int]]:
    """The fewest edits of ``query`` in ``text[start:end]``, and where such matches end (exclusive).

    Only ends are asked of edlib: finding the start of every equally good match
    costs an alignment each, and a poor quote may have thousands of them. Of a
    run of neighbouring ends the first stands for the run; ``limit`` ends are
    kept, nearest ``near``.
    """
    if not query or end <= start:
        return -1, []
    found = edlib.align(query, codes.window(start, end), mode="HW", task="distance", k=max_errors)
    errors = found["editDistance"]
    if errors < 0:
        return -1, []
    ends: list[int] = []
    previous = -2
    for _, last in found["locations"]:
        if last != previous + 1:
            ends.append(start + last + 1)
        previous = last
    return errors, sorted(ends, key=lambda at: abs(at - near))[:limit]


def _quote_ends(cigar: str, at: int, first: int, last: int) -> tuple[int, int]:
    """Text offsets of query characters ``first`` (its start) and ``last - 1`` (its end).

    Text the query lacks (``D``) at either end of the quote stays outside it.
    """
    begin = finish = None
    query, target = 0, at
    for count, op in _CIGAR.findall(cigar):
        size = int(count)
        if op == "D":
            target += size
            continue
        if begin is None and query + size > first:
            begin = target + (first - query if op != "I" else 0)
        if finish is None and query + size >= last:
            finish = target + (last - query if op != "I" else 0)
        query += size
        if op != "I":
            target += size
    begin = target if begin is None else begin
    finish = target if finish is None else finish
    return begin, max(begin, finish)


def seeds(text: str, query: str, *, count: int = 6, size: int = 12, common: int = 64) -> list[int]:
    """Where ``query`` may start in ``text``, from exact hits of ``count`` pieces of it.

    Pieces of ``size`` characters, evenly spread over the query, are looked up
    whole (a scan of the text each, about 2 ms for 5 MB); a piece found more than
    ``common`` times says nothing and is dropped. An approximate match that keeps
    any one piece intact starts near one of the offsets returned.
    """
    if len(query) < size:
        return []
    pieces = min(count, len(query) // size)
    step = (len(query) - size) / max(1, pieces - 1)
    starts: list[int] = []
    for number in range(pieces):
        offset = round(number * step)
        piece = query[offset : offset + size]
        found = []
        at = text.find(piece)
        while at != -1 and len(found) <= common:
            found.append(at - offset)
            at = text.find(piece, at + 1)
        if len(found) <= common:
            starts += found
    return sorted(set(starts))


def _pair_codes(query: str, target: str) -> tuple[bytes, bytes]:
    """Exact codes for comparing ``query`` with ``target``: one per character of the query."""
    if query.isascii() and target.isascii():
        return query.encode("ascii"), target.encode("ascii")
    alphabet: dict[str, int] = {}
    for char in query:
        if char not in alphabet:
            alphabet[char] = len(alphabet) % 255 + 1
    return bytes(alphabet[char] for char in query), bytes(alphabet.get(char, 0) for char in target)


def edits(a: str, b: str) -> int:
    """Levenshtein distance between ``a`` and ``b``."""
    if not a or not b:
        return max(len(a), len(b))
    query, target = _pair_codes(a, b)
    return int(edlib.align(query, target, mode="NW", task="distance")["editDistance"])


def infix_edits(needle: str, haystack: str) -> int:
    """Fewest edits that turn ``needle`` into some substring of ``haystack``."""
    if not needle:
        return 0
    if not haystack:
        return len(needle)
    query, target = _pair_codes(needle, haystack)
    return int(edlib.align(query, target, mode="HW", task="distance")["editDistance"])


def similarity(needle: str, haystack: str) -> float:
    """1 − edits/len(needle) for the best place of ``needle`` in ``haystack`` (0 when empty)."""
    if not needle or not haystack:
        return 0.0
    return max(0.0, 1.0 - infix_edits(needle, haystack) / len(needle))
