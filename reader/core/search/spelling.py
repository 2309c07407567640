""""Did you mean": the indexed word closest to a misspelled one, in milliseconds.

Whoosh's corrector walks the whole term graph of every segment (minutes on
16,500 documents). Here the candidates come from the document store's
vocabulary (every body word of three characters or more, with its document
count), bounded the way typing slips are: the same first letter and a length
within the edits allowed (one edit up to four characters, two beyond). A
cheap letter-set test leaves a few hundred of the few thousand candidates for
edlib's edit distance; two neighbouring letters exchanged count as one edit.
The closest wins, then the one in most documents.

The words of a first letter and a length are read once, with their letter
sets, and kept for the next keystrokes: some 10–30 ms the first time, a few
milliseconds after. At most ``MAX_EXAMINED`` candidates are looked at for one
word (the same length first, then one letter more or less, then two), so a
huge vocabulary costs no more than that; and ``QUERY_EXAMINED`` for a whole query
(words read from the vocabulary counted too; the words past it are left as they are).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

import edlib

from reader.core.search.docstore import DocStore

__all__ = ["MAX_EXAMINED", "QUERY_EXAMINED", "Speller", "swapped"]

MAX_EXAMINED = 20_000  # candidates looked at for one word, at most
QUERY_EXAMINED = 20_000  # words read and looked at for all the words of one query (a pasted paragraph of typos)

_KEPT = 40  # (first letter, length) lists of words kept
_CHECKED = 8  # best candidates checked against the index, in order

Marked = list[tuple[str, int, int]]  # word, documents, letter set


class Speller:
    """Corrections from one document store; not shared between threads."""

    def __init__(self, store: DocStore) -> None:
        self.store = store
        self._kept: OrderedDict[tuple[str, int], Marked] = OrderedDict()
        self.examined = 0  # candidates looked at by the last correct()
        self.read = 0  # … and words read from the vocabulary for it

    def clear(self) -> None:
        """Forget the words read (the vocabulary grew)."""
        self._kept.clear()

    def correct(self, word: str, indexed: Callable[[str], bool], limit: int = MAX_EXAMINED) -> str:
        """The word closest to ``word`` (already folded) for which ``indexed`` is true, or "";
        at most ``limit`` candidates looked at."""
        if not word:
            return ""
        edits = 1 if len(word) <= 4 else 2
        letters = _letter_set(word)
        ranked = []
        self.examined = self.read = 0
        by_length = self._words(word[0], len(word) - edits, len(word) + edits)
        nearest_first = sorted(range(len(by_length)), key=lambda i: abs(i - edits))
        for words in (by_length[i] for i in nearest_first):
            room = min(limit, MAX_EXAMINED) - self.examined
            if room <= 0:
                break
            words = words[:room]
            self.examined += len(words)
            for term, df, mask in words:
                if (mask & ~letters).bit_count() > edits or (letters & ~mask).bit_count() > edits:
                    continue  # more letters added or lost than edits allowed
                distance = edlib.align(word, term, "NW", "distance", 2)["editDistance"]
                if distance == 2 and swapped(word, term):
                    distance = 1  # two letters the wrong way round: one slip of the fingers
                if 0 <= distance <= edits and term != word:
                    ranked.append((distance, -df, term))
        ranked.sort()
        for _, _, term in ranked[:_CHECKED]:
            if indexed(term):  # the vocabulary's counts only grow: still in a document?
                return term
        return ""

    def _words(self, first: str, shortest: int, longest: int) -> list[Marked]:
        """The words of each length from ``shortest`` to ``longest`` beginning with ``first``."""
        lengths = range(shortest, longest + 1)
        missing = [length for length in lengths if (first, length) not in self._kept]
        if missing:
            read: dict[int, Marked] = {length: [] for length in missing}
            for term, df in self.store.words_from(first, missing[0], missing[-1]):
                self.read += 1
                marked = read.get(len(term))
                if marked is not None:
                    marked.append((term, df, _letter_set(term)))
            for marked in read.values():
                marked.sort(key=lambda item: -item[1])  # the most common first (kept when the bound cuts)
            self._kept.update(((first, length), marked) for length, marked in read.items())
        out = []
        for length in lengths:
            self._kept.move_to_end((first, length))
            out.append(self._kept[(first, length)])
        while len(self._kept) > _KEPT:
            self._kept.popitem(last=False)
        return out


def _letter_set(word: str) -> int:
    mask = 0
    for char in set(word):
        mask |= 1 << (ord(char) & 63)
    return mask


def swapped(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with two neighbouring letters exchanged."""
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
