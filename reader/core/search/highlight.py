"""Where a query's words are in a text: hits for the content pane, snippets for lists.

Matching is case- and accent-insensitive, on a folded copy of the text that
keeps every character's offset (``é`` → ``e``, one for one), so a hit's
offsets are offsets into the document's normalized text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from reader.core.search.analysis import CJK_RANGES, WORD_RUN, fold_text
from reader.core.search.query import ParsedQuery

__all__ = ["Snippet", "Hit", "HitPattern", "fold_text", "has_cjk", "hit_pattern", "find_hits", "make_snippet"]

SNIPPET_WIDTH = 160
_CJK = re.compile(f"[{CJK_RANGES}]")


@dataclass(frozen=True, slots=True)
class Snippet:
    text: str
    spans: tuple[tuple[int, int], ...]  # highlighted ranges inside ``text``


class Hit:
    """A match of a :class:`HitPattern` (``start()``, ``end()``, ``span()``, ``group()`` like ``re.Match``)."""

    __slots__ = ("_start", "_end", "string")

    def __init__(self, start: int, end: int, string: str) -> None:
        self._start = start
        self._end = end
        self.string = string

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def span(self) -> tuple[int, int]:
        return self._start, self._end

    def group(self, _: int = 0) -> str:
        return self.string[self._start : self._end]


class HitPattern:
    """Where a query's words are in a folded text, as the index sees words.

    Two regexes of the words as literals (fast: each starts with a literal).
    Word boundaries: only a Latin-like word character next to a Latin-like end
    of a word spoils a match (CJK text has no spaces, and ``Python语言`` holds
    the word ``python``). In text without CJK that is ``\\w``, checked inside the
    regex (``fast``); in text with CJK it is checked after each match of
    ``regex``. Like a compiled regex it has ``finditer``, ``search`` and ``pattern``.
    """

    def __init__(self, regex: re.Pattern[str], fast: re.Pattern[str], kinds: list[tuple[bool, bool, bool]]) -> None:
        self.regex = regex
        self.fast = fast
        self.kinds = kinds  # per alternative: check the start, check the end, is a prefix

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    def finditer(self, text: str, cjk: bool | None = None) -> Iterator[Hit] | Iterator[re.Match[str]]:
        """Every hit in ``text`` (``cjk``: whether it has CJK characters, if known)."""
        if cjk is None:
            cjk = has_cjk(text)
        if not cjk:
            return self.fast.finditer(text)
        return self._checked(text)

    def _checked(self, text: str) -> Iterator[Hit]:
        length = len(text)
        for match in self.regex.finditer(text):
            start, end = match.span()
            check_start, check_end, prefix = self.kinds[(match.lastindex or 1) - 1]
            if check_start and start > 0 and _latin(text[start - 1]):
                continue
            if prefix:
                while end > start and _is_cjk(text[end - 1]):
                    end -= 1
            elif check_end and end < length and _latin(text[end]):
                continue
            if end > start:
                yield Hit(start, end, text)

    def search(self, text: str, cjk: bool | None = None) -> Hit | re.Match[str] | None:
        return next(iter(self.finditer(text, cjk)), None)


def has_cjk(text: str) -> bool:
    return not text.isascii() and _CJK.search(text) is not None


def _is_cjk(char: str) -> bool:
    return char >= "\u2e80" and bool(_CJK.match(char))


def _latin(char: str) -> bool:
    """A word character that is not CJK (what a Latin-like word is made of)."""
    return (char.isalnum() or char == "_") and not _is_cjk(char)


def hit_pattern(query: ParsedQuery) -> HitPattern | None:
    """One pattern matching every positive word group of the query, longest first.

    A query word is split as the index splits it (``e-mail`` matches ``e mail``,
    ``3.11`` matches ``3.11``); the word being typed matches as a prefix.
    """
    alternatives: list[tuple[str, str, tuple[bool, bool, bool]]] = []
    for words, prefix in query.terms():
        runs = [run for word in words for run in WORD_RUN.findall(fold_text(word))]
        if not runs:
            continue
        regex = fast = ""
        for index, run in enumerate(runs):
            if index:
                joint = r"\W*" if _is_cjk(runs[index - 1][-1]) or _is_cjk(run[0]) else r"\W+"
                regex += joint
                fast += joint
            literal = re.escape(run)
            regex += literal
            fast += literal
            if index == 0 and not _is_cjk(run[0]):
                fast += rf"(?<!\w{literal})"  # after the literal, so the regex still starts with one
        open_end = prefix and not _is_cjk(runs[-1][-1])
        if open_end:
            regex += r"\w*"
            fast += r"\w*"
        elif not _is_cjk(runs[-1][-1]):
            fast += r"(?!\w)"
        kind = (not _is_cjk(runs[0][0]), not _is_cjk(runs[-1][-1]), open_end)
        alternatives.append((regex, fast, kind))
    if not alternatives:
        return None
    alternatives.sort(key=lambda item: len(item[0]), reverse=True)
    regex = re.compile("|".join(f"({a})" for a, _, _ in alternatives))
    fast = re.compile("|".join(f"(?:{f})" for _, f, _ in alternatives))
    return HitPattern(regex, fast, [kind for _, _, kind in alternatives])


def find_hits(text: str, query: ParsedQuery, folded: str | None = None) -> list[tuple[int, int]]:
    """Every hit of the query in ``text`` as (start, end) offsets, in order."""
    pattern = hit_pattern(query)
    if pattern is None:
        return []
    haystack = folded if folded is not None else fold_text(text)
    return [hit.span() for hit in pattern.finditer(haystack)]


def make_snippet(
    text: str,
    pattern: HitPattern | None,
    width: int = SNIPPET_WIDTH,
    scan: int | None = None,
    folded: str | None = None,
    cjk: bool | None = None,
) -> tuple[Snippet, int]:
    """A window of ``text`` around its first hit, and how many hits the text has.

    ``scan`` limits the work to the text's first ``scan`` characters (hits past
    them are not counted): what a list row needs while the user types.
    ``folded``: ``fold_text(text)`` if the caller has it already; ``cjk``: whether it
    has CJK characters, if known.
    """
    if not text:
        return Snippet("", ()), 0
    if scan is not None and len(text) > scan:
        text = text[:scan]
        folded = folded[:scan] if folded is not None else None
    if folded is None or len(folded) != len(text):
        folded = fold_text(text)
    hits = list(pattern.finditer(folded, cjk)) if pattern is not None else []
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
