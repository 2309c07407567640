"""A query's hits in a long text, found a piece at a time.

:func:`~reader.core.search.highlight.find_hits` folds and scans a text in one go:
on a 20 MB document that is a quarter of a second or more inside single C calls,
during which no other thread of the process runs (the app's screen and keys
included), and it cannot be given up half way. Here the text is folded and
scanned in pieces of :data:`PIECE` characters, looking at ``stop`` between two
pieces; the hits are the same, counted over the whole text.

The folded copy of a document's text is kept in the document's ``memo``, so
each keystroke of find-as-you-type scans, and only the first one folds.

A word found by its stem is found by the stems of the document's language
(:func:`document_language`, told as the index tells it, from its words).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from reader.core.document import Document
from reader.core.search.analysis import LANGUAGES, WORD_RUN, fold_text, guess_language
from reader.core.search.highlight import has_cjk, hit_pattern
from reader.core.search.query import ParsedQuery

__all__ = ["PIECE", "Stopped", "folded_text", "find_hits_in", "document_language"]

PIECE = 1 << 20  # characters folded or scanned in one C call (~1-5 ms)
_MARGIN = 4096  # a hit may run past its piece's end by this much before it is matched again whole
_fold_lock = threading.Lock()
_NOT_ASCII = re.compile(r"[^\x00-\x7f]")


class Stopped(Exception):
    """The search was given up (``stop`` said so)."""


def _check(stop: Callable[[], bool] | None) -> None:
    if stop is not None and stop():
        raise Stopped


def folded_text(document: Document, stop: Callable[[], bool] | None = None) -> str:
    """``fold_text(document.text)``, worked out once per document and a piece at a time."""
    with _fold_lock:  # two finds at once fold it once
        folded = document.memo.get("folded")
        if folded is None:
            text = document.text
            # the pieces folded so far are kept: a find given up half way (the next letter
            # typed) leaves them to the next one, which goes on from there
            pieces: list[str] = document.memo.setdefault("folded_pieces", [])  # type: ignore[assignment]
            for start in range(len(pieces) * PIECE, len(text), PIECE):
                _check(stop)
                pieces.append(_fold_piece(text[start : start + PIECE]))  # folding keeps every offset
            folded = document.memo["folded"] = "".join(pieces)
            del document.memo["folded_pieces"]
        return folded  # type: ignore[return-value]


def _fold_piece(piece: str) -> str:
    """``fold_text(piece)``; quicker where a few characters are not ASCII (curly quotes in English).

    ``fold_text`` lowers the text and then translates it through a table, which looks
    up every character (~1.5 s on 20 MB); here only the characters that are not ASCII
    are looked at, each folded as ``fold_text`` folds it alone.
    """
    if piece.isascii():
        return piece.lower()
    lower = piece.lower()
    if len(lower) != len(piece) or len(piece.encode("utf-8", "surrogatepass")) - len(piece) > len(piece) // 16:
        return fold_text(piece)  # a lower case of another length, or much beyond ASCII
    folds: dict[str, str] = {}

    def fold_char(match: re.Match[str]) -> str:
        char = match.group()
        folded = folds.get(char)
        if folded is None:
            folded = folds[char] = fold_text(char)
        return folded

    return _NOT_ASCII.sub(fold_char, lower)


_LANGUAGE_SAMPLE = 200_000  # characters whose words tell a document's language


def document_language(document: Document, folded: str | None = None) -> str:
    """The language the index stemmed ``document`` in (the one it declares if a stemmer has it,
    else the one its stop words tell; kept in its memo)."""
    found = document.memo.get("language")
    if found is None and document.language in LANGUAGES:
        found = document.memo["language"] = document.language  # declared by the file: the index used it
    if found is None:
        sample = (folded if folded is not None else fold_text(document.text[:_LANGUAGE_SAMPLE]))[:_LANGUAGE_SAMPLE]
        counts: dict[str, int] = {}
        for word in WORD_RUN.findall(sample):
            counts[word] = counts.get(word, 0) + 1
        found = document.memo["language"] = guess_language(counts)
    return found  # type: ignore[return-value]


def find_hits_in(
    document: Document, query: ParsedQuery, stop: Callable[[], bool] | None = None
) -> list[tuple[int, int]]:
    """Every hit of ``query`` in ``document.text`` as (start, end), in order; :class:`Stopped`
    when ``stop`` says so. The same hits as ``find_hits(document.text, query, languages=...)``
    in the document's language."""
    folded = folded_text(document, stop)
    pattern = hit_pattern(query, (document_language(document, folded),))
    if pattern is None:
        return []
    cjk = document.memo.get("has_cjk")
    if cjk is None:
        cjk = document.memo["has_cjk"] = has_cjk(folded)
    if cjk:  # the CJK checks look around each match in Python: scanned whole
        return [hit.span() for hit in pattern.finditer(folded, True)]
    regex = pattern.fast
    stemmed = pattern.stemmed
    hits: list[tuple[int, int]] = []
    length = len(folded)
    position = 0
    while position < length:
        _check(stop)
        piece_end = min(position + PIECE, length)
        window_end = min(piece_end + _MARGIN, length)
        following = piece_end  # where the next piece starts
        for match in regex.finditer(folded, position, window_end):
            start, end = match.span()
            if start >= piece_end:
                break
            if end >= window_end and window_end < length:
                # it touches the window's end, which looks like the end of the text to
                # the regex: find the real match from here against the whole text
                whole = regex.search(folded, start)
                if whole is None:
                    following = length
                elif whole.start() < piece_end:
                    if not stemmed or pattern.accepts(whole):
                        hits.append(whole.span())
                    following = max(whole.end(), piece_end)
                break
            if stemmed and not pattern.accepts(match):
                following = max(end, piece_end)
                continue
            hits.append((start, end))
            following = max(end, piece_end)
        position = following
    return hits
