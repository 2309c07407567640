"""Where to land in a document opened from a search: the first passage that has it all."""

from __future__ import annotations

from reader.core.document import Document
from reader.core.search.highlight import fold_text, hit_pattern
from reader.core.search.query import Clause, ParsedQuery

__all__ = ["landing_hit"]


def landing_hit(document: Document, hits: list[tuple[int, int]], query: ParsedQuery) -> int:
    """The index of the first hit in the first block matching the most of the query's words.

    For ``smart city`` that is the first paragraph with both words, not the
    first ``smart`` of the document.
    """
    if not hits:
        return 0
    groups = query.terms()
    patterns = [hit_pattern(ParsedQuery(query.text, positive=(Clause(words, prefix=prefix),))) for words, prefix in groups]
    best_score, best_hit = 0, 0
    seen: dict[int, set[int]] = {}
    first_in_block: dict[int, int] = {}
    for index, (start, end) in enumerate(hits):
        block = document.block_at(start)
        first_in_block.setdefault(block, index)
        fragment = fold_text(document.text[start:end])
        for number, pattern in enumerate(patterns):
            if pattern is not None and any(
                m.start() == 0 and m.end() == len(fragment) for m in pattern.finditer(fragment)
            ):
                seen.setdefault(block, set()).add(number)
        score = len(seen.get(block, ()))
        if score > best_score:
            best_score, best_hit = score, first_in_block[block]
            if score == len(patterns):
                break
    return best_hit
