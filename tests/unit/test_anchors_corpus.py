"""Anchoring on real documents from the corpus, after seeded random edits.

Ten documents (eight English, two Chinese; text, reStructuredText, Markdown and
HTML) are read with ``read_document``; 40 notes are made on each, on random
word-aligned spans of 5–40 words; then the normalized text is edited while
tracking where every original character went, so the right place of every note
is known. Every scenario inserts an editor's note on top and 2–5 paragraphs
elsewhere; ``words`` also replaces 2.5 % of the words, ``deleted`` removes 10 %
of the paragraphs, ``mixed`` does both.

Each note ends up re-attached (most of the found text is the note's own),
on a similar passage (text that was a near copy of the quote before the edits:
a repeated paragraph, a parallel section, a table row), attached wrongly
(anywhere else: must never happen), detached although its text survived
("lost"), or detached because most of it was deleted or rewritten. Both
``anchor`` (one note at a time) and ``anchor_all`` are measured. Run with ``-s``
to see the figures.
"""

from __future__ import annotations

import hashlib
import random
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from reader.core.anchors import Anchoring, Status, anchor, anchor_all
from reader.core.formats import read_document
from reader.core.notes import Target, make_target
from reader.core.quote_match import edits
from tests.conftest import CORPUS

pytestmark = pytest.mark.corpus

DOCUMENTS = (
    "en-books/austen-emma.txt",
    "en-tech-python-rst/library--stdtypes.rst.txt",
    "en-tech-kernel-rst/trace--histogram.rst.txt",
    "en-speeches-commons/commons-2004-09-08-899276-graham-allen.txt",
    "en-tech-gnu-debian/debian-constitution-1.6.txt",
    "en-news-bbc/bbc-politics-290.txt",
    "markdown/markdownlint--doc--Rules.md",
    "html-python-docs/reference--datamodel.html",
    "zh-markdown/harvesttext--README.md",
    "zh-tech-kernel-rst/zh_CN--process--coding-style.rst.txt",
)
NOTES_PER_DOCUMENT = 40
SCENARIOS = ("inserted", "words", "deleted", "mixed")
SURVIVED = 0.8  # a detached note whose text survived at least this much counts as lost
MAX_LOST = 0.02  # at most this share of the notes may be lost
SIMILAR = 0.25  # text at most this different from the quote before the edits is a similar passage
MAX_SIMILAR = 0.05  # at most this share of the notes may land on a similar passage

_TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\s\u3400-\u9fff\uf900-\ufaff]+")


@dataclass(frozen=True)
class Edited:
    """An edited text; for each original character its new offset, and back (-1: none)."""

    text: str
    moved_to: list[int]
    came_from: list[int]


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> Edited:
    """Replace ``text[at:at+size]`` by ``new`` for each (at, size, new), none overlapping."""
    moved_to = [-1] * len(text)
    parts: list[str] = []
    length = kept = 0
    for at, size, new in sorted(edits):
        if at < kept:
            continue
        moved_to[kept:at] = range(length, length + at - kept)
        parts += [text[kept:at], new]
        length += at - kept + len(new)
        kept = at + size
    moved_to[kept:] = range(length, length + len(text) - kept)
    parts.append(text[kept:])
    came_from = [-1] * (length + len(text) - kept)
    for old, new in enumerate(moved_to):
        if new >= 0:
            came_from[new] = old
    return Edited("".join(parts), moved_to, came_from)


def paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text)]


def invented_paragraph(rng: random.Random, vocabulary: list[str]) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(rng.randint(30, 150)))


def make_edits(text: str, scenario: str, rng: random.Random) -> list[tuple[int, int, str]]:
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    vocabulary = sorted({text[a:b] for a, b in tokens})
    blocks = paragraphs(text)
    edits = [(0, 0, invented_paragraph(rng, vocabulary) + "\n\n")]  # an editor's note on top
    for _ in range(rng.randint(2, 5)):
        at = rng.choice(blocks)[0]
        edits.append((at, 0, invented_paragraph(rng, vocabulary) + "\n\n"))
    if scenario in ("words", "mixed"):
        for a, b in rng.sample(tokens, max(1, len(tokens) // 40)):  # 2.5 % of the words
            edits.append((a, b - a, rng.choice(vocabulary)))
    if scenario in ("deleted", "mixed"):
        for a, b in rng.sample(blocks, max(1, len(blocks) // 10)):  # 10 % of the paragraphs
            edits.append((a, b - a + 2 if text[b : b + 2] == "\n\n" else b - a, ""))
    return _without_overlaps(edits)


def _without_overlaps(edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    end = -1
    for at, size, new in sorted(edits, key=lambda edit: (edit[0], -edit[1])):
        if at >= end or (size == 0 and at == end):
            kept.append((at, size, new))
            end = max(end, at + size)
    return kept


def make_notes(text: str, rng: random.Random, count: int) -> list[Target]:
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    digest = text_hash(text)
    notes = []
    for _ in range(count):
        words = rng.randint(5, 40)
        first = rng.randrange(0, max(1, len(tokens) - words))
        notes.append(make_target(text, tokens[first][0], tokens[first + words - 1][1], digest))
    return notes


@dataclass
class Tally:
    counts: Counter[str]
    statuses: Counter[str]
    times: list[float]


def judge(target: Target, found: Anchoring, edited: Edited, original: str) -> str:
    """'right', 'similar', 'wrong', 'lost' (detached though intact) or 'gone' (detached, rightly).

    Attached is right when most of the found span is the note's own text;
    similar when it is text that was, before the edits, a near copy of the quote
    (at most ``SIMILAR`` of it different: a repeated paragraph, a parallel
    section, a row of a table), which edits to the passage and its context can
    make the better match; wrong otherwise. Detached is lost when the note's text is
    still there, at least ``SURVIVED`` of it, with nothing much inserted inside.
    """
    images = [at for at in edited.moved_to[target.start : target.end] if at >= 0]
    if not found.attached:
        if not images:
            return "gone"
        hull = max(images) + 1 - min(images)
        return "lost" if len(images) / max(hull, target.end - target.start) >= SURVIVED else "gone"
    inside = sum(1 for at in images if found.start <= at < found.end)
    if inside >= 0.5 * (found.end - found.start):
        return "right"
    origins = [at for at in edited.came_from[found.start : found.end] if at >= 0]
    if origins and edits(original[min(origins) : max(origins) + 1], target.exact) <= SIMILAR * len(target.exact):
        return "similar"
    return "wrong"


@pytest.fixture(scope="module")
def documents() -> list[str]:
    paths = [CORPUS / name for name in DOCUMENTS if (CORPUS / name).is_file()]
    if not paths:
        pytest.skip(f"corpus not found at {CORPUS}")
    return [read_document(Path(path)).text for path in paths]


def run(documents: list[str], scenario: str, together: bool) -> Tally:
    tally = Tally(Counter(), Counter(), [])
    for number, text in enumerate(documents):
        rng = random.Random(f"{scenario}-{number}")
        notes = make_notes(text, rng, NOTES_PER_DOCUMENT)
        edited = apply_edits(text, make_edits(text, scenario, rng))
        digest = text_hash(edited.text)
        if together:
            began = time.perf_counter()
            found = anchor_all(notes, edited.text, digest)
            tally.times += [(time.perf_counter() - began) / len(notes)] * len(notes)
        else:
            found = []
            for note in notes:
                began = time.perf_counter()
                found.append(anchor(note, edited.text, digest))
                tally.times.append(time.perf_counter() - began)
        for note, result in zip(notes, found, strict=True):
            tally.counts[judge(note, result, edited, text)] += 1
            tally.statuses[result.status.value] += 1
    return tally


def report(scenario: str, how: str, tally: Tally) -> str:
    counts, total = tally.counts, sum(tally.counts.values())
    ms = sorted(t * 1000 for t in tally.times)
    statuses = ", ".join(f"{status.value} {tally.statuses[status.value]}" for status in Status)
    return (
        f"{scenario:8} {how:10} {total} notes: {counts['right']} re-attached, "
        f"{counts['similar']} on a similar passage, {counts['wrong']} wrong, "
        f"{counts['gone'] + counts['lost']} detached ({counts['lost']} of them lost) [{statuses}]; "
        f"{statistics.median(ms):.3f} ms median, {statistics.mean(ms):.3f} ms mean a note"
    )


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_notes_reattach_after_edits(documents: list[str], scenario: str) -> None:
    alone = run(documents, scenario, together=False)
    together = run(documents, scenario, together=True)
    print("\n" + report(scenario, "anchor", alone) + "\n" + report(scenario, "anchor_all", together))
    for tally in (alone, together):
        total = sum(tally.counts.values())
        assert tally.counts["wrong"] == 0
        assert tally.counts["similar"] <= MAX_SIMILAR * total
        assert tally.counts["lost"] <= MAX_LOST * total
        assert tally.counts["right"] >= 0.75 * total
    assert together.counts["right"] >= alone.counts["right"]


@pytest.fixture(scope="module")
def five_mb() -> str:
    books = sorted((CORPUS / "en-books").glob("*.txt"))
    if not books:
        pytest.skip(f"corpus not found at {CORPUS}")
    return "\n\n".join(read_document(book).text for book in books)[:5_000_000]


def test_a_5_mb_text(five_mb: str) -> None:
    """The same edits on ten books joined (5,000,000 characters); then on text where nothing is left."""
    rng = random.Random("5 MB")
    notes = make_notes(five_mb, rng, 200)
    edited = apply_edits(five_mb, make_edits(five_mb, "mixed", rng))
    began = time.perf_counter()
    found = anchor_all(notes, edited.text, text_hash(edited.text))
    spent = time.perf_counter() - began
    counts = Counter(judge(note, result, edited, five_mb) for note, result in zip(notes, found, strict=True))
    gone = five_mb[::-1]  # every note's passage gone: the costliest case, every search fails
    began = time.perf_counter()
    lost = anchor_all(notes[:50], gone, text_hash(gone))
    spent_gone = time.perf_counter() - began
    print(
        f"\n5 MB mixed: {counts['right']} re-attached, {counts['similar']} similar, {counts['wrong']} wrong, "
        f"{counts['gone'] + counts['lost']} detached ({counts['lost']} lost) of 200; "
        f"{spent / 200 * 1000:.2f} ms a note; all gone: {spent_gone / 50 * 1000:.1f} ms a note"
    )
    assert counts["wrong"] == 0
    assert counts["lost"] <= MAX_LOST * 200
    assert counts["right"] >= 0.75 * 200
    assert all(not result.attached for result in lost)
