"""Finding a note's passage again after the document was edited.

``anchor`` places one ``Target`` (``reader.core.notes``) in a document's current
normalized text; ``anchor_all`` places many, sharing the work. The order, after
Hypothesis's client:

1. the text hash is unchanged and the offsets hold the quote: ``EXACT``;
2. the offsets still hold the quote: ``EXACT``;
3. the quote occurs elsewhere: the occurrence whose prefix and suffix match best,
   nearest the old place, wins: ``MOVED``;
4. an approximate match, with at most min(256, len/2) edits: ``FUZZY``;
5. nothing scored at least ``MATCH_THRESHOLD``: ``DETACHED``, never guessed.

Steps 3 and 4 compete on one score, (50·quote + 20·prefix + 20·suffix +
2·position) / 92 (``reader.core.anchor_matches``); matches within ``NEAR_TIE``
of the best (copies of a passage) are told apart by their place. Quotes shorter
than ``MIN_FUZZY_CHARS`` characters or ``MIN_FUZZY_WORDS`` words are only found
exactly, and only with their context: a word or two matches too many places.
An empty quote (a bare place) is found by its prefix and suffix together.

``find_quote`` locates a quote typed by a user (the command line's ``--quote``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reader.core.anchor_matches import (
    DETACHED,
    MATCH_THRESHOLD,
    MIN_FUZZY_CHARS,
    MIN_FUZZY_WORDS,
    PERFECT,
    WINDOWS,
    Anchoring,
    Status,
    approximate_matches,
    exact_matches,
    fuzzy_allowed,
    occurrences,
    score,
)
from reader.core.notes import Target
from reader.core.quote_match import TextCodes

__all__ = [
    "MATCH_THRESHOLD",
    "MIN_FUZZY_CHARS",
    "MIN_FUZZY_WORDS",
    "NEAR_TIE",
    "Status",
    "Anchoring",
    "anchor",
    "anchor_all",
    "find_quote",
]

NEAR_TIE = 0.02  # matches scoring this close to the best are told apart by their place


def anchor(target: Target, text: str, text_hash: str) -> Anchoring:
    """Where ``target`` is in ``text`` (whose ``Document.text_hash`` is ``text_hash``)."""
    return anchor_all([target], text, text_hash)[0]


def anchor_all(targets: Iterable[Target], text: str, text_hash: str) -> list[Anchoring]:
    """``anchor`` for many targets on one text, in the same order.

    Cheaper and surer than one call each: the text is coded for approximate
    search once, and a target that is not plainly found is looked for where its
    plainly found neighbours say the text around it went, which also tells
    copies of a passage apart.
    """
    targets = list(targets)
    codes = TextCodes(text)
    first = [_first_pass(target, text, text_hash) for target in targets]
    shifts = _Shifts(targets, first)
    return [
        step.result if step.final else _second_pass(target, codes, shifts.hint(target.start))
        for target, step in zip(targets, first, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class _Step:
    """What the cheap steps found; ``final`` when nothing more is worth trying."""

    result: Anchoring
    final: bool


def _first_pass(target: Target, text: str, text_hash: str) -> _Step:
    """Steps 1–3 where they settle it: same text, offsets holding, or quote and context found whole."""
    exact, start, end = target.exact, target.start, target.end
    held = 0 <= start <= end <= len(text) and text[start:end] == exact
    if held and target.text_hash and target.text_hash == text_hash:
        return _Step(Anchoring(Status.EXACT, start, end, 1.0), True)
    if not exact:
        return _Step(_anchor_caret(target, text, held), True)
    if held and (fuzzy_allowed(exact) or score(target, text, start, end, 0, start) >= MATCH_THRESHOLD):
        return _Step(Anchoring(Status.EXACT, start, end, 1.0), True)
    reach = WINDOWS[-1]  # a perfect match nearby will do: no need to scan all of a long text
    found = exact_matches(target, text, start, max(0, start - reach), end + reach) or exact_matches(
        target, text, start
    )
    best = _choose(found, start)
    if best is not None and best.score >= PERFECT:
        if not any(other is not best and other.score >= best.score - NEAR_TIE for other in found):
            return _Step(best, True)
    return _Step(DETACHED, False)


def _second_pass(target: Target, codes: TextCodes, hint: int) -> Anchoring:
    """Steps 2–5 around ``hint``, where the target's neighbours say its offsets went.

    The quote found whole right there is taken, as in step 2; otherwise the best
    of the exact and the approximate matches, if good enough.
    """
    text, exact = codes.text, target.exact
    end = hint + len(exact)
    if hint != target.start and text[hint:end] == exact:
        here = score(target, text, hint, end, 0, hint)
        if fuzzy_allowed(exact) or here >= MATCH_THRESHOLD:
            return Anchoring(Status.MOVED, hint, end, here)
    found = exact_matches(target, text, hint)
    if fuzzy_allowed(exact):
        found += approximate_matches(target, codes, hint, found)
    best = _choose(found, hint)
    return best if best is not None and best.score >= MATCH_THRESHOLD else DETACHED


def _choose(found: Sequence[Anchoring], hint: int) -> Anchoring | None:
    """The best scored match; of several nearly as good, the nearest ``hint``."""
    if not found:
        return None
    top = max(match.score for match in found)
    floor = top - NEAR_TIE if top < MATCH_THRESHOLD else max(MATCH_THRESHOLD, top - NEAR_TIE)
    close = (match for match in found if match.score >= floor)
    return min(close, key=lambda match: (abs(match.start - hint), -match.score))


def _anchor_caret(target: Target, text: str, held: bool) -> Anchoring:
    """An empty quote: the place between its prefix and suffix, found together."""
    joined = target.prefix + target.suffix
    start = target.start
    if not joined:
        return DETACHED
    if held and text[start - len(target.prefix) : start + len(target.suffix)] == joined:
        return Anchoring(Status.EXACT, start, start, 1.0)
    if len(joined) < MIN_FUZZY_CHARS:
        return DETACHED
    found = min(occurrences(text, joined), key=lambda at: abs(at - start), default=None)
    if found is None:
        return DETACHED
    caret = found + len(target.prefix)
    return Anchoring(Status.MOVED, caret, caret, score(target, text, caret, caret, 0, start))


class _Shifts:
    """Where plainly found targets moved, to guess where the others went."""

    def __init__(self, targets: Sequence[Target], steps: Sequence[_Step]) -> None:
        pairs = sorted(
            (target.start, step.result.start)
            for target, step in zip(targets, steps, strict=True)
            if step.final and step.result.attached
        )
        self._old = [old for old, _ in pairs]
        self._new = [new for _, new in pairs]

    def hint(self, old_start: int) -> int:
        """``old_start`` moved as far as its nearest plainly found neighbour above (or below)."""
        if not self._old:
            return old_start
        index = max(0, bisect_right(self._old, old_start) - 1)
        return max(0, old_start + self._new[index] - self._old[index])


def find_quote(text: str, quote: str, near: int = 0) -> tuple[int, int] | None:
    """``(start, end)`` of ``quote`` in ``text``, the occurrence nearest ``near``; None if absent.

    The exact quote first; failing that, the same words with any whitespace
    between them, in any case.
    """
    quote = quote.strip()
    if not quote:
        return None
    spans = [(at, at + len(quote)) for at in occurrences(text, quote)]
    if not spans:
        loose = re.compile(r"\s+".join(map(re.escape, quote.split())), re.IGNORECASE)
        spans = [match.span() for match in loose.finditer(text)]
    return min(spans, key=lambda span: abs(span[0] - near), default=None)
