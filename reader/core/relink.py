"""Notes whose document moved: which document in the library they belong to now.

A document's id is a hash of its path, so moving or renaming a file (or the whole
library folder) leaves its notes under the old id, attached to a path that no
longer exists: an *orphan*. This module decides, without touching any file,
which document of the library each orphan most likely is now, by the evidence
in order of strength:

1. **same text**: a document whose text hash is one the notes were taken on
   (each note's target and the reading position keep the hash of the text
   their offsets refer to);
2. **same title and file name**, confirmed by the quotes: the document was
   edited as well as moved;
3. **the quotes themselves**: among the documents that share the file name or
   the title, the one in which most of the notes' quotes are found.

A match is made only when it is unambiguous: one candidate at the strongest
level that has any, and no other orphan claiming the same document. Everything
else is reported as ambiguous, for ``reader relink OLD NEW`` to settle.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["Orphan", "Candidate", "Match", "Ambiguity", "Relinking", "find_moves", "QUOTES_CHECKED"]

QUOTES_CHECKED = 12  # quotes tried per candidate at most (the longest ones)
_SHORTEST_QUOTE = 12  # characters; shorter quotes prove nothing


@dataclass(frozen=True, slots=True)
class Orphan:
    """Notes kept for a path that no longer exists."""

    doc_id: str
    path: str
    title: str
    hashes: tuple[str, ...]  # text hashes the notes were taken on, newest first
    quotes: tuple[str, ...]  # the notes' quoted passages


@dataclass(frozen=True, slots=True)
class Candidate:
    """A document of the library that orphaned notes may belong to."""

    doc_id: str
    path: str
    title: str
    hash: str


@dataclass(frozen=True, slots=True)
class Match:
    orphan: Orphan
    candidate: Candidate
    reason: str  # "same text", "same title and file name", "quotes found"


@dataclass(frozen=True, slots=True)
class Ambiguity:
    orphan: Orphan
    candidates: tuple[Candidate, ...]  # empty: nothing in the library looks like it
    reason: str


@dataclass
class Relinking:
    matches: list[Match] = field(default_factory=list)
    ambiguous: list[Ambiguity] = field(default_factory=list)


def find_moves(
    orphans: Iterable[Orphan],
    candidates: Sequence[Candidate],
    text_of: Callable[[str], str],
) -> Relinking:
    """Where each orphan went; ``text_of(doc_id)`` gives a candidate's normalized text."""
    by_hash: dict[str, list[Candidate]] = {}
    by_name: dict[str, list[Candidate]] = {}
    by_title: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        by_hash.setdefault(candidate.hash, []).append(candidate)
        by_name.setdefault(_name(candidate.path), []).append(candidate)
        if candidate.title.strip():
            by_title.setdefault(_key(candidate.title), []).append(candidate)
    texts: dict[str, str] = {}

    def text(doc_id: str) -> str:
        if doc_id not in texts:
            texts[doc_id] = text_of(doc_id)
        return texts[doc_id]

    proposed: list[Match] = []
    result = Relinking()
    for orphan in orphans:
        found = _match(orphan, by_hash, by_name, by_title, text)
        if isinstance(found, Match):
            proposed.append(found)
        else:
            result.ambiguous.append(found)
    claims: dict[str, int] = {}
    for match in proposed:
        claims[match.candidate.doc_id] = claims.get(match.candidate.doc_id, 0) + 1
    for match in proposed:
        if claims[match.candidate.doc_id] > 1:
            others = tuple(m.candidate for m in proposed if m.candidate.doc_id == match.candidate.doc_id)
            result.ambiguous.append(Ambiguity(match.orphan, others[:1], "another moved document claims the same file"))
        else:
            result.matches.append(match)
    return result


def _match(
    orphan: Orphan,
    by_hash: dict[str, list[Candidate]],
    by_name: dict[str, list[Candidate]],
    by_title: dict[str, list[Candidate]],
    text: Callable[[str], str],
) -> Match | Ambiguity:
    others = lambda found: [c for c in found if c.doc_id != orphan.doc_id]  # noqa: E731
    # 1. the very text the notes were taken on
    for text_hash in orphan.hashes:
        same = others(by_hash.get(text_hash, []))
        if len(same) > 1:  # copies of one text: the file name decides
            same = [c for c in same if _name(c.path) == _name(orphan.path)] or same
        if len(same) == 1:
            return Match(orphan, same[0], "same text")
        if same:
            return Ambiguity(orphan, tuple(same), "several documents hold the same text")
    # 2 and 3. edited as well as moved: the name or the title, and the quotes
    named = others(by_name.get(_name(orphan.path), []))
    titled = others(by_title.get(_key(orphan.title), [])) if orphan.title.strip() else []
    both = [c for c in named if c in titled]
    pool = list(dict.fromkeys([*both, *named, *titled]))
    if not pool:
        return Ambiguity(orphan, (), "no document with the same text, name or title")
    quotes = sorted((q for q in set(orphan.quotes) if len(q.strip()) >= _SHORTEST_QUOTE), key=len, reverse=True)
    quotes = quotes[:QUOTES_CHECKED]
    if not quotes:  # bookmarks without text, or very short quotes: the name and title must agree
        if len(both) == 1:
            return Match(orphan, both[0], "same title and file name")
        return Ambiguity(orphan, tuple(pool), "no quotes to compare")
    scores = {c.doc_id: _found(quotes, text(c.doc_id)) for c in pool}
    needed = max(1, math.ceil(0.6 * len(quotes)))
    good = [c for c in pool if scores[c.doc_id] >= needed]
    if len(both) == 1 and both[0] in good:
        return Match(orphan, both[0], "same title and file name")
    if good:
        best = max(scores[c.doc_id] for c in good)
        top = [c for c in good if scores[c.doc_id] == best]
        if len(top) == 1:
            return Match(orphan, top[0], "quotes found")
        return Ambiguity(orphan, tuple(top), "the quotes are in several documents")
    return Ambiguity(orphan, tuple(pool), "the quotes are not found in the documents with that name or title")


def _found(quotes: list[str], text: str) -> int:
    return sum(1 for quote in quotes if quote in text)


def _name(path: str) -> str:
    return os.path.basename(path).casefold()


def _key(title: str) -> str:
    return " ".join(title.casefold().split())
