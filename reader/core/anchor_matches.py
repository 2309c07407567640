"""The places a note's target may have gone to in a new text, each with its score.

``reader.core.anchors`` decides among them; this module finds and scores them:

- ``exact_matches``: occurrences of the quote, scored by context and place;
- ``approximate_matches``: edlib matches of the quote alone and of the quote
  with its context, near the expected place first, then wider, then wherever
  pieces of it are found whole;
- ``score``: Hypothesis's ``matchQuote`` weighting,
  (50·quote + 20·prefix + 20·suffix + 2·position) / 92, each term 0–1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum

from reader.core.document import count_words
from reader.core.notes import Target
from reader.core.quote_match import TextCodes, edits, search, search_in_context, seeds, similarity

__all__ = [
    "MATCH_THRESHOLD",
    "MIN_FUZZY_CHARS",
    "MIN_FUZZY_WORDS",
    "WINDOWS",
    "PERFECT",
    "Status",
    "Anchoring",
    "DETACHED",
    "score",
    "fuzzy_allowed",
    "exact_matches",
    "approximate_matches",
    "occurrences",
]

MATCH_THRESHOLD = 0.78  # lowest score accepted for a moved or approximate match
MIN_FUZZY_CHARS = 16  # shorter quotes are only found exactly (a CJK character counts twice)
MIN_FUZZY_WORDS = 4  # fewer words, too: only exactly (a CJK character counts as a word)
MAX_ERRORS = 256  # most edits an approximate match may have (Hypothesis's cap)
WINDOWS = (4096, 65536)  # characters searched each side of the expected place, in turn
MAX_OCCURRENCES = 64  # exact occurrences scored, nearest first (and those with matching context)
MAX_MATCHES = 8  # approximate matches (or seeded stretches of text) looked at, nearest first

_QUOTE, _PREFIX, _SUFFIX, _POSITION = 50, 20, 20, 2
_TOTAL = _QUOTE + _PREFIX + _SUFFIX + _POSITION
PERFECT = (_QUOTE + _PREFIX + _SUFFIX) / _TOTAL  # quote and context exact: only the place may differ

_CJK = re.compile(
    "[\u2e80-\u2fdf\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)


class Status(str, Enum):
    """How a target was found in the current text."""

    EXACT = "exact"  # same text, or the offsets still hold the quote
    MOVED = "moved"  # the exact quote, found elsewhere by its context
    FUZZY = "fuzzy"  # an approximate match that scored above the threshold
    DETACHED = "detached"  # not found: shown apart, with its quote, never dropped


@dataclass(frozen=True, slots=True)
class Anchoring:
    """Where a target is in the current text: ``[start, end)``, how found, how sure (0–1)."""

    status: Status
    start: int
    end: int
    score: float

    @property
    def attached(self) -> bool:
        return self.status is not Status.DETACHED


DETACHED = Anchoring(Status.DETACHED, 0, 0, 0.0)


def score(target: Target, text: str, start: int, end: int, errors: int, hint: int) -> float:
    """How well ``text[start:end]``, ``errors`` edits away from the quote, matches ``target``."""
    quote = max(0.0, 1.0 - errors / len(target.exact)) if target.exact else 1.0
    prefix = _context(target.prefix, text[max(0, start - len(target.prefix)) : start])
    suffix = _context(target.suffix, text[end : end + len(target.suffix)])
    position = max(0.0, 1.0 - abs(start - hint) / len(text)) if text else 0.0
    return (_QUOTE * quote + _PREFIX * prefix + _SUFFIX * suffix + _POSITION * position) / _TOTAL


def _context(kept: str, found: str) -> float:
    return similarity(kept, found) if kept else 1.0  # no context kept (start or end of the text)


def fuzzy_allowed(exact: str) -> bool:
    """Whether a quote is long enough to be looked for approximately."""
    size = len(exact.strip()) + len(_CJK.findall(exact))
    return size >= MIN_FUZZY_CHARS and count_words(exact)[0] >= MIN_FUZZY_WORDS


# -- exact --------------------------------------------------------------------------------


def exact_matches(target: Target, text: str, hint: int, lo: int = 0, hi: int | None = None) -> list[Anchoring]:
    """The occurrences of the quote in ``text[lo:hi]``, scored by their context and place."""
    size = len(target.exact)
    found = list(occurrences(text, target.exact, lo, hi))
    if len(found) > MAX_OCCURRENCES:
        found = _likely(found, target, text, hint)
    return [Anchoring(Status.MOVED, at, at + size, score(target, text, at, at + size, 0, hint)) for at in found]


def _likely(found: list[int], target: Target, text: str, hint: int) -> list[int]:
    """Of many occurrences, those with a few characters of matching context, then the nearest."""
    before, after, size = target.prefix[-4:], target.suffix[:4], len(target.exact)
    matching = [
        at
        for at in found
        if (before and text[at - len(before) : at] == before)
        or (after and text[at + size : at + size + len(after)] == after)
    ]
    nearest = sorted(matching, key=lambda at: abs(at - hint)) + sorted(found, key=lambda at: abs(at - hint))
    return list(dict.fromkeys(nearest))[:MAX_OCCURRENCES]


def occurrences(text: str, quote: str, lo: int = 0, hi: int | None = None) -> Iterator[int]:
    """Every offset of ``quote`` in ``text[lo:hi]``, overlapping ones too."""
    hi = len(text) if hi is None else hi
    at = text.find(quote, lo, hi)
    while at != -1:
        yield at
        at = text.find(quote, at + 1, hi)


# -- approximate --------------------------------------------------------------------------


def approximate_matches(
    target: Target, codes: TextCodes, hint: int, found: Sequence[Anchoring]
) -> list[Anchoring]:
    """Approximate matches near ``hint``, searching wider until one (or one of ``found``) is good enough.

    Past the widest window, only where pieces of the quote and its context are
    found whole: scanning all of a 5 MB text with edlib costs some 50 ms a note.
    """
    size = len(codes.text)
    matches: list[Anchoring] = []
    for reach in WINDOWS:
        lo, hi = max(0, hint - reach), min(size, hint + len(target.exact) + reach)
        matches += _matches(target, codes, lo, hi, hint, split=reach == WINDOWS[0])
        if (lo, hi) == (0, size) or any(match.score >= MATCH_THRESHOLD for match in [*found, *matches]):
            return matches
    for lo, hi in _seeded_windows(target, codes.text, hint):
        matches += _matches(target, codes, lo, hi, hint, split=False)
    return matches


def _seeded_windows(target: Target, text: str, hint: int) -> list[tuple[int, int]]:
    """Stretches of text around exact hits of pieces of the target, nearest ``hint`` first."""
    whole = target.prefix + target.exact + target.suffix
    slack = len(whole) // 2 + 16
    windows: list[tuple[int, int]] = []
    for start in seeds(text, whole):
        lo, hi = max(0, start - slack), min(len(text), start + len(whole) + slack)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
    return sorted(windows, key=lambda window: abs(window[0] - hint))[:MAX_MATCHES]


def _matches(target: Target, codes: TextCodes, start: int, end: int, hint: int, *, split: bool) -> list[Anchoring]:
    """Scored approximate matches in ``text[start:end]``: the quote alone, and with its context.

    edlib reports only the matches with the fewest edits; with ``split`` the
    text each side of the best match in context is searched again, so that a
    passage and a less edited copy of it nearby both get scored.
    """
    exact, prefix, suffix, text = target.exact, target.prefix, target.suffix, codes.text
    most = min(MAX_ERRORS, len(exact) // 2)
    most_whole = min(MAX_ERRORS, (len(prefix) + len(exact) + len(suffix)) // 2)
    spans = []
    for match in search(codes, exact, start, end, most, near=hint, limit=MAX_MATCHES):
        spans.append((match.start, match.end))
        # the quote alone may end a word short or long: its context pins its ends down
        slack = len(exact) // 4 + 8
        lo, hi = max(0, match.start - len(prefix) - slack), min(len(text), match.end + len(suffix) + slack)
        pinned = search_in_context(codes, prefix, exact, suffix, lo, hi, most_whole, near=match.end)
        if pinned is not None:
            spans.append((pinned.start, pinned.end))
    best = search_in_context(codes, prefix, exact, suffix, start, end, most_whole, near=hint)
    if best is not None:
        spans.append((best.start, best.end))
        sides = ((start, best.start - len(prefix)), (best.end + len(suffix), end)) if split else ()
        for lo, hi in sides:
            other = search_in_context(codes, prefix, exact, suffix, lo, hi, most_whole, near=hint)
            if other is not None:
                spans.append((other.start, other.end))
    scored = []
    for first, last in dict.fromkeys(spans):
        errors = edits(exact, text[first:last])
        if errors <= most:
            status = Status.MOVED if errors == 0 else Status.FUZZY
            scored.append(Anchoring(status, first, last, score(target, text, first, last, errors, hint)))
    return scored
