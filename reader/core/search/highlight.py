"""Where a query's words are in a text: hits for the content pane, snippets for lists.

Matching is case- and accent-insensitive, on a folded copy of the text that
keeps every character's offset (``é`` → ``e``, one for one), so a hit's
offsets are offsets into the document's normalized text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from os.path import commonprefix

from reader.core.search.analysis import CJK_RANGES, STEM_MIN, WORD_RUN, fold_text, stem, stop_words
from reader.core.search.query import ParsedQuery

__all__ = ["Snippet", "Hit", "HitPattern", "fold_text", "has_cjk", "hit_pattern", "find_hits", "make_snippet", "query_stops"]

SNIPPET_WIDTH = 160
_REMEMBERED = 50_000  # words a pattern remembers the alternative of
_PASSAGE_HITS = 4096  # hits looked at for the best passage
_SPACES = re.compile(r"\s+")
_SPACE = re.compile(r"\s")
_CJK = re.compile(f"[{CJK_RANGES}]")


@dataclass(frozen=True, slots=True)
class Snippet:
    text: str
    spans: tuple[tuple[int, int], ...]  # highlighted ranges inside ``text``


class Hit:
    """A match of a :class:`HitPattern` (``start()``, ``end()``, ``span()``, ``group()`` like ``re.Match``)."""

    __slots__ = ("_start", "_end", "string", "lastindex")

    def __init__(self, start: int, end: int, string: str, lastindex: int = 1) -> None:
        self._start = start
        self._end = end
        self.string = string
        self.lastindex = lastindex  # which alternative of the pattern (1 for the first)

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

    A word the ranking finds by its stem (``progenitors`` finds ``progenitor``)
    matches every word beginning like it whose stem, in one of ``languages``, is
    the query word's: the regex finds the candidates, :meth:`accepts` stems them.
    ``group`` tells which of the query's word groups (:meth:`ParsedQuery.terms`,
    those searched for) a match is of.
    """

    def __init__(
        self,
        regex: re.Pattern[str],
        fast: re.Pattern[str],
        kinds: list[tuple[bool, bool, bool]],
        stems: list[tuple[tuple[str, frozenset[str]], ...]] | None = None,
        groups: list[int] | None = None,
        alternatives: list[str] | None = None,
    ) -> None:
        self.regex = regex
        self.fast = fast  # no capturing group: Python's re then skips to the words' first letters
        self.kinds = kinds  # per alternative: check the start, check the end, is a prefix
        self.stems = stems or [()] * len(kinds)  # per alternative: (language, the stems it accepts)
        self.groups = groups or list(range(len(kinds)))  # per alternative: its word group
        self.stemmed = any(self.stems)
        self._alone = [re.compile(a) for a in alternatives] if alternatives else []  # each of fast's alternatives
        self._which: dict[str, int] = {}

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    def finditer(self, text: str, cjk: bool | None = None) -> Iterator[Hit] | Iterator[re.Match[str]]:
        """Every hit in ``text`` (``cjk``: whether it has CJK characters, if known)."""
        if cjk is None:
            cjk = has_cjk(text)
        if not cjk:
            if not self.stemmed:
                return self.fast.finditer(text)
            return self._verified(self.fast.finditer(text))
        return self._checked(text)

    def _verified(self, matches: Iterator[re.Match[str]]) -> Iterator[Hit]:
        for match in matches:
            alternative = self.which(match.group())
            if alternative:
                yield Hit(match.start(), match.end(), match.string, alternative)

    def which(self, found: str) -> int:
        """Which alternative (1 for the first) the text of a match of ``fast`` is a hit of;
        0 when it is none (a candidate word without the stem: ``cite`` for ``city``). A word
        of a stem is a hit of the alternative of that stem (``generals`` for ``general``,
        ``generated`` for ``generation``, though both begin ``genera``)."""
        number = self._which.get(found)
        if number is None:
            number = 0
            for index, alone in enumerate(self._alone):
                if alone.fullmatch(found) and (not self.stems[index] or _has_stem(found, self.stems[index])):
                    number = index + 1
                    break
            if len(self._which) > _REMEMBERED:
                self._which.clear()
            self._which[found] = number
        return number

    def accepts(self, match: re.Match[str]) -> bool:
        """Whether a match of ``fast`` is a hit (a candidate for a stem has that stem)."""
        return not self.stemmed or bool(self.which(match.group()))

    def group_of(self, match: Hit | re.Match[str]) -> int:
        """The word group of a hit found by :meth:`finditer`."""
        if isinstance(match, Hit):
            return self.groups[match.lastindex - 1]
        return self.groups[max(self.which(match.group()), 1) - 1]

    def _checked(self, text: str) -> Iterator[Hit]:
        length = len(text)
        for match in self.regex.finditer(text):
            start, end = match.span()
            alternative = (match.lastindex or 1) - 1
            check_start, check_end, prefix = self.kinds[alternative]
            if check_start and start > 0 and _latin(text[start - 1]):
                continue
            if prefix or self.stems[alternative]:
                while end > start and _is_cjk(text[end - 1]):
                    end -= 1
            elif check_end and end < length and _latin(text[end]):
                continue
            if end > start:
                number = alternative + 1
                if self.stems[alternative] and not _has_stem(text[start:end], self.stems[alternative]):
                    number = self.which(text[start:end])
                if number:
                    yield Hit(start, end, text, number)

    def search(self, text: str, cjk: bool | None = None) -> Hit | re.Match[str] | None:
        return next(iter(self.finditer(text, cjk)), None)


def _has_stem(word: str, stems: tuple[tuple[str, frozenset[str]], ...]) -> bool:
    return any(stem(word, language) in accepted for language, accepted in stems)


def has_cjk(text: str) -> bool:
    return not text.isascii() and _CJK.search(text) is not None


def _is_cjk(char: str) -> bool:
    return char >= "\u2e80" and bool(_CJK.match(char))


def _latin(char: str) -> bool:
    """A word character that is not CJK (what a Latin-like word is made of)."""
    return (char.isalnum() or char == "_") and not _is_cjk(char)


def hit_pattern(query: ParsedQuery, languages: Sequence[str] = ("en",)) -> HitPattern | None:
    """One pattern matching every positive word group of the query, longest first.

    A query word is split as the index splits it (``e-mail`` matches ``e mail``,
    ``3.11`` matches ``3.11``); the word being typed matches as a prefix; a
    finished word that is not quoted matches the words of its stem in
    ``languages`` (a document's language, as the ranking stemmed it). Stop
    words are left out, as the ranking leaves them, unless the query has nothing else.
    """
    groups = query.searched()
    stops = query_stops(groups, languages)
    alternatives: list[tuple[str, str, tuple[bool, bool, bool], tuple[tuple[str, frozenset[str]], ...], int]] = []
    for number, (words, prefix, quoted) in enumerate(groups):
        runs = [run for word in words for run in WORD_RUN.findall(fold_text(word))]
        if not runs:
            continue
        if len(runs) == 1 and not prefix and runs[0] in stops:
            continue
        stems = () if prefix or quoted or len(runs) != 1 else _stems_of(runs[0], languages)
        head = _stem_head(runs[0], stems) if stems else ""
        if head:
            literal = re.escape(head)
            alternatives.append((literal + r"\w*", literal + rf"(?<!\w{literal})\w*", (True, True, False), stems, number))
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
        alternatives.append((regex, fast, kind, (), number))
    if not alternatives:
        return None
    alternatives.sort(key=lambda item: len(item[0]), reverse=True)
    regex = re.compile("|".join(f"({a})" for a, *_ in alternatives))
    fast = re.compile("|".join(f"(?:{f})" for _, f, *_ in alternatives))
    return HitPattern(
        regex,
        fast,
        [kind for _, _, kind, _, _ in alternatives],
        [stems for *_, stems, _ in alternatives],
        [number for *_, number in alternatives],
        [f for _, f, *_ in alternatives],
    )


def query_stops(groups: list[tuple[tuple[str, ...], bool, bool]], languages: Sequence[str]) -> frozenset[str]:
    """The stop words of ``languages``, unless the query's words are all stop words."""
    stops: set[str] = set()
    for language in languages:
        stops.update(stop_words(language))
    words = [fold_text(word) for words, _, _ in groups for word in words]
    if all(word in stops for word in words):
        return frozenset()
    return frozenset(stops)


def _stems_of(word: str, languages: Sequence[str]) -> tuple[tuple[str, frozenset[str]], ...]:
    """The stem of ``word`` (folded) in each language, if it is a word the stemmed field stems."""
    if len(word) < STEM_MIN or _is_cjk(word[0]) or word[0].isdigit():
        return ()
    return tuple((language, frozenset((stem(word, language),))) for language in languages)


def _stem_head(word: str, stems: tuple[tuple[str, frozenset[str]], ...]) -> str:
    """What the words of these stems begin with: the word's and its stems' common
    beginning, a letter shorter (``city`` and ``citi`` → ``cit``: ``cities``), or ""."""
    head = commonprefix([word, *(s for _, accepted in stems for s in accepted)])
    if len(head) > 3:
        head = head[:-1]
    return head if len(head) >= 2 else ""


def find_hits(
    text: str, query: ParsedQuery, folded: str | None = None, languages: Sequence[str] = ("en",)
) -> list[tuple[int, int]]:
    """Every hit of the query in ``text`` as (start, end) offsets, in order (stems of ``languages``)."""
    pattern = hit_pattern(query, languages)
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
    """A window of ``text`` around its best passage, and how many hits the text has.

    The best passage holds the most of the query's word groups, then is not in
    the first line (the title, which the list shows already), then has the most
    hits; the first such. No hit: the text's beginning, nothing marked.
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
        return _window(text, 0, _cut(text, 0, width), []), 0
    assert pattern is not None
    best = hits[_best_passage(hits, pattern, text, width)].start()
    start = max(0, best - width // 4)
    if start:
        space = _SPACE.search(text, start, best)
        start = space.end() if space else start
    end = _cut(text, start, width)
    spans = [hit.span() for hit in hits if start <= hit.start() < end]
    return _window(text, start, end, spans), len(hits)


def _best_passage(hits: list[Hit] | list[re.Match[str]], pattern: HitPattern, text: str, width: int) -> int:
    """The index of the first hit of the best passage (see :func:`make_snippet`)."""
    hits = hits[:_PASSAGE_HITS]
    groups = [pattern.group_of(hit) for hit in hits]
    starts = [hit.start() for hit in hits]
    line_end = text.find("\n")
    title_end = line_end if 0 < line_end < len(text.rstrip()) else -1
    reach = width - width // 4  # a passage: what the window shows after its first hit
    counts: dict[int, int] = {}
    best, best_score = 0, (-1, False, -1)
    j = 0
    for i, start in enumerate(starts):
        while j < len(starts) and starts[j] < start + reach:
            counts[groups[j]] = counts.get(groups[j], 0) + 1
            j += 1
        score = (len(counts), start >= title_end, j - i)
        if score > best_score:
            best, best_score = i, score
        counts[groups[i]] -= 1
        if not counts[groups[i]]:
            del counts[groups[i]]
    return best


def _window(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> Snippet:
    """``text[start:end]`` with its whitespace runs made one space, "…" where it is cut,
    and ``spans`` (offsets into ``text``) moved into it."""
    window = text[start:end]
    runs = [(m.start(), m.end()) for m in _SPACES.finditer(window) if m.end() - m.start() > 1 or m.group() != " "]
    pieces = []
    shifts = [0]  # characters removed before the end of each run
    last = 0
    for a, b in runs:
        pieces.append(window[last:a])
        pieces.append(" ")
        shifts.append(shifts[-1] + (b - a - 1))
        last = b
    pieces.append(window[last:])
    body = "".join(pieces)
    starts = [a for a, _ in runs]

    def moved(offset: int) -> int:  # an offset into the window, in the collapsed window
        at = bisect_right(starts, offset) - 1
        if at >= 0 and offset < runs[at][1]:
            return runs[at][0] - shifts[at]  # inside a run: its one space
        return offset - shifts[at + 1]

    stripped = body.strip()
    lead = len(body) - len(body.lstrip())
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - lead
    out = []
    for a, b in spans:
        a, b = moved(a - start), moved(min(b, end) - 1 - start) + 1
        a, b = max(a + shift, len(prefix)), min(b + shift, len(prefix) + len(stripped))
        if a < b:
            out.append((a, b))
    return Snippet(prefix + stripped + suffix, tuple(out))


def _cut(text: str, start: int, width: int) -> int:
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start + width // 2, end)
        if space > 0:
            end = space
    return end
