"""Hostile anchoring: random texts, random edits and hand-edited targets never break ``anchor``.

Property-based (Hypothesis, derandomized, no example database). Notes are made on a
random text, the text is edited at random places (insertions, deletions,
replacements), and every note is placed again with ``anchor`` and ``anchor_all``:
nothing raises, every place is inside the new text, and a result that claims the
quote was found whole (``EXACT``, ``MOVED``) holds exactly the quote. Targets as a
hand-edited store may hold them (offsets past the end, empty quotes, odd context)
and ``find_quote`` with any quote get the same treatment.
"""

from __future__ import annotations

import hashlib
import re

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from reader.core.anchor_matches import fuzzy_allowed
from reader.core.anchors import Anchoring, Status, anchor, anchor_all, find_quote
from reader.core.notes import CONTEXT, Target, make_target

SETTINGS = settings(
    derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

PIECES = [
    "a", "b", "e", " ", " ", "\n", "\n\n", "the ", "quick ", "brown ", "fox. ", "over ", "the lazy dog ",
    "中", "文", "数字经济", "é", "e\u0301", "😀", "\u2028", "\x00", "\t", "—", "Ⅻ",
]
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(PIECES), max_size=250).map("".join),
)
prose = st.lists(
    st.sampled_from("the quick brown fox jumps over a lazy dog 中文 数字 naïve 😀 and then".split() + ["\n\n"]),
    min_size=5,
    max_size=300,
).map(" ".join)
edits = st.lists(
    st.tuples(st.sampled_from(["insert", "delete", "replace"]), st.floats(0, 1), st.integers(0, 60), texts),
    max_size=6,
)
hand_edited = st.builds(
    Target,
    exact=texts,
    prefix=texts,
    suffix=texts,
    start=st.integers(0, 10**7),
    end=st.integers(0, 10**7),
    text_hash=st.sampled_from(["", "0" * 40, "not a hash"]),
)


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def edited(text: str, changes: list[tuple[str, float, int, str]]) -> str:
    for kind, where, size, piece in changes:
        at = int(where * len(text))
        if kind == "insert":
            text = text[:at] + piece + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + size :]
        else:
            text = text[:at] + piece[:size] + text[at + size :]
    return text


def targets_on(text: str, spans: list[tuple[float, float]]) -> list[Target]:
    out = []
    for a, b in spans:
        start, end = sorted((int(a * len(text)), int(b * len(text))))
        out.append(make_target(text, start, end, text_hash(text)))
    return out


def assert_placed(result: Anchoring, target: Target, text: str) -> None:
    assert 0 <= result.start <= result.end <= len(text), (result, len(text))
    assert 0.0 <= result.score <= 1.0 + 1e-9
    if result.status in (Status.EXACT, Status.MOVED):
        assert text[result.start : result.end] == target.exact, (result, target)
    if result.status is Status.DETACHED:
        assert not result.attached


spans = st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=6)


@settings(SETTINGS, max_examples=400)
@given(text=texts, where=spans, changes=edits, others=st.lists(hand_edited, max_size=2))
def test_random_edits_never_break_anchoring(
    text: str, where: list[tuple[float, float]], changes: list, others: list[Target]
) -> None:
    targets = targets_on(text, where) + others
    new = edited(text, changes)
    results = anchor_all(targets, new, text_hash(new))
    assert len(results) == len(targets)
    for target, result in zip(targets, results, strict=True):
        assert_placed(result, target, new)
        assert_placed(anchor(target, new, text_hash(new)), target, new)


@settings(SETTINGS, max_examples=200)
@given(target=hand_edited, text=texts)
def test_hand_edited_targets_never_break_anchoring(target: Target, text: str) -> None:
    for stated_hash in (text_hash(text), target.text_hash):
        assert_placed(anchor(target, text, stated_hash), target, text)


@settings(SETTINGS, max_examples=200)
@given(text=texts, where=spans, hashed=st.booleans())
def test_an_unchanged_text_keeps_every_place(text: str, where: list[tuple[float, float]], hashed: bool) -> None:
    targets = targets_on(text, where)
    if not hashed:  # no hash kept: the offsets holding the quote (and its context) decide
        targets = [Target(t.exact, t.prefix, t.suffix, t.start, t.end, "") for t in targets]
    for target, result in zip(targets, anchor_all(targets, text, text_hash(text)), strict=True):
        if target.exact or hashed:
            assert (result.status, result.start, result.end) == (Status.EXACT, target.start, target.end)
        else:
            assert_placed(result, target, text)


@settings(SETTINGS, max_examples=300)
@given(text=prose, a=st.floats(0, 1), length=st.integers(16, 200), where=st.floats(0, 1),
       piece=st.text(min_size=1, max_size=50), delete=st.booleans(), before=st.booleans())
def test_an_edit_away_from_a_passage_moves_it(
    text: str, a: float, length: int, where: float, piece: str, delete: bool, before: bool
) -> None:
    start = int(a * len(text))
    end = min(len(text), start + length)
    target = make_target(text, start, end, text_hash(text))
    assume(fuzzy_allowed(target.exact))
    # an edit that leaves the quote and its context (CONTEXT characters each side) alone
    at = int(where * max(0, start - CONTEXT)) if before else end + CONTEXT + int(where * (len(text) - end))
    assume(at <= len(text))
    size = min(len(piece), max(0, start - CONTEXT - at)) if before else len(piece)
    new = text[:at] + text[at + size :] if delete else text[:at] + piece + text[at:]
    assume(new.count(target.exact) == 1)
    event("checked")
    shift = (-size if delete else len(piece)) if before else 0
    result = anchor(target, new, text_hash(new))
    assert result.status in (Status.EXACT, Status.MOVED), result
    assert (result.start, result.end) == (start + shift, end + shift)


@settings(SETTINGS, max_examples=300)
@given(text=texts, quote=st.one_of(texts, st.text(max_size=40)), near=st.integers(-10, 10**6))
def test_find_quote_never_raises_and_finds_what_is_there(text: str, quote: str, near: int) -> None:
    found = find_quote(text, quote, near)
    wanted = quote.strip()
    if found is None:
        assert not wanted or wanted not in text
        return
    start, end = found
    assert 0 <= start <= end <= len(text)
    if wanted in text:
        event('exact')
        assert text[start:end] == wanted
    else:
        event('loose')
        loose = r"\s+".join(map(re.escape, wanted.split()))
        assert re.fullmatch(loose, text[start:end], re.IGNORECASE)


@settings(SETTINGS, max_examples=150)
@given(text=texts, quote_at=st.tuples(st.floats(0, 1), st.floats(0, 1)), near=st.integers(0, 400))
def test_find_quote_takes_the_copy_nearest(text: str, quote_at: tuple[float, float], near: int) -> None:
    start, end = sorted(int(x * len(text)) for x in quote_at)
    wanted = text[start:end].strip()
    if not wanted:
        return
    found = find_quote(text, wanted, near)
    assert found is not None and text[found[0] : found[1]] == wanted
    copies = [m.start() for m in re.finditer(f"(?={re.escape(wanted)})", text)]
    assert abs(found[0] - near) == min(abs(at - near) for at in copies)


@settings(SETTINGS, max_examples=150)
@given(
    text=prose,
    quote_at=st.tuples(st.floats(0, 1), st.integers(8, 80)),
    spacing=st.sampled_from([" ", "\n", "  \t"]),
    shout=st.booleans(),
)
def test_find_quote_takes_a_quote_typed_loosely(
    text: str, quote_at: tuple[float, int], spacing: str, shout: bool
) -> None:
    start = int(quote_at[0] * len(text))
    words = text[start : start + quote_at[1]].split()
    assume(words)
    typed = spacing.join(word.upper() if shout and word.isascii() else word for word in words)
    found = find_quote(text, typed)
    assert found is not None
    assert text[found[0] : found[1]].casefold().split() == [word.casefold() for word in words]
