"""Where to land in a document opened from a search: the first passage that has it all."""

from __future__ import annotations

from reader.core.document import Document
from reader.core.search.highlight import fold_text, hit_pattern
from reader.core.search.query import ParsedQuery
from reader.core.search.text_hits import document_language

__all__ = ["landing_hit"]


def landing_hit(document: Document, hits: list[tuple[int, int]], query: ParsedQuery) -> int:
    """The index of the first hit in the first block matching the most of the query's words.

    For ``smart city`` that is the first paragraph with both words (``cities``
    is ``city`` to the ranking, by its stem), not the first ``smart`` of the document.
    """
    if not hits:
        return 0
    pattern = hit_pattern(query, (document_language(document),))
    if pattern is None:
        return 0
    wanted = len(set(pattern.groups))  # the word groups searched for (stop words among others are not)
    best_score, best_hit = 0, 0
    seen: dict[int, set[int]] = {}
    first_in_block: dict[int, int] = {}
    for index, (start, end) in enumerate(hits):
        block = document.block_at(start)
        first_in_block.setdefault(block, index)
        fragment = fold_text(document.text[start:end])
        for match in pattern.finditer(fragment):
            if match.start() == 0 and match.end() == len(fragment):
                seen.setdefault(block, set()).add(pattern.group_of(match))
        score = len(seen.get(block, ()))
        if score > best_score:
            best_score, best_hit = score, first_in_block[block]
            if score == wanted:
                break
    return best_hit
