"""Searching the index: ranked hits with snippets.

One ``Searcher`` per thread, kept across keystrokes and refreshed after the
index changes (opening one is the expensive part). Two ways to answer:

- while typing (``typing=True``): :mod:`.instant`, from posting lists held in
  memory — the word being typed is a prefix, quoted phrases are matched as
  all their words;
- a finished query: Whoosh's own matchers, with exact phrases, BM25F.

Snippets come from the document store's normalized text. While typing, only
the first ``TYPING_SCAN`` characters of each document are looked at (and
kept, folded, for the next keystrokes); a finished query reads it all.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import query as wq

from reader.core.search.analysis import fold_text, query_tokens
from reader.core.search.docstore import DocStore
from reader.core.search.highlight import Snippet, has_cjk, hit_pattern, make_snippet
from reader.core.search.index import SearchIndex
from reader.core.search.instant import Instant
from reader.core.search.query import FIELDS, Clause, ParsedQuery, parse_query

__all__ = ["Searcher", "SearchHit", "SearchResults"]

TYPING_SCAN = 10_000  # characters of a document looked at for its snippet while typing
SNIPPET_SCAN = 200_000  # … for a finished query without full counts
_HEADS = 256  # documents whose folded beginning is kept across keystrokes
_BUGS = (TypeError, AttributeError, NameError, AssertionError, RecursionError, UnboundLocalError)


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    path: Path
    title: str
    source: str
    score: float
    snippet: Snippet
    hits: int
    format: str = ""

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "path": str(self.path),
            "format": self.format,
            "score": round(self.score, 4),
            "snippet": self.snippet.text,
            "highlights": [list(span) for span in self.snippet.spans],
            "hits": self.hits,
        }


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: ParsedQuery
    hits: tuple[SearchHit, ...] = ()
    total: int = 0
    message: str = ""
    suggestion: str = ""
    ids: tuple[str, ...] = field(default=())


class Searcher:
    """Searches one index; not shared between threads."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self._searcher = index.whoosh.searcher()
        self._store: DocStore = index.store()
        self._instant = Instant(self._searcher, self._store)
        self._heads: OrderedDict[str, tuple[str, str, bool]] = OrderedDict()

    def close(self) -> None:
        self._searcher.close()
        self._store.close()

    def close_quietly(self) -> None:
        """Close what can be closed of a searcher whose files may be gone."""
        for part in (self._searcher, self._store):
            try:
                part.close()
            except Exception:  # noqa: BLE001, S110 - nothing to keep from a broken searcher
                pass

    def refresh(self) -> None:
        """See what was committed since this searcher was opened."""
        try:
            fresh = self._searcher.refresh()
        except TypeError:
            # Whoosh cannot refresh a reader of an empty index (it has no segments
            # to reuse): open a new searcher instead
            fresh = self.index.whoosh.searcher()
            self._searcher.close()
        if fresh is not self._searcher:
            self._searcher = fresh
            self._instant = Instant(fresh, self._store)
            self._heads.clear()

    def search(
        self,
        text: str,
        *,
        limit: int = 20,
        typing: bool = False,
        snippets: int | None = None,
        full_counts: bool = False,
        within: list[Path] | None = None,
    ) -> SearchResults:
        """Ranked hits for ``text``; snippets for the first ``snippets`` (default: all).

        ``within``: only documents that are, or are under, one of these paths.
        Never raises for a bad query; a damaged index gives a message (and is
        rebuilt the next time it is opened).
        """
        parsed = parse_query(text, typing=typing)
        if parsed.empty:
            return SearchResults(parsed, message=parsed.message)
        limit = max(1, limit)
        scope = [os.path.abspath(path) for path in within] if within else None
        try:
            if typing:
                ranked, total = self._typed(parsed, limit, scope)
            else:
                ranked, total = self._finished(parsed, limit, scope)
            return self._results(parsed, ranked, total, typing, snippets, full_counts)
        except _BUGS as error:  # a mistake of ours, not of the index: say so, keep the index
            return SearchResults(parsed, message=f"the search failed ({type(error).__name__}: {error})"[:160])
        except Exception as error:  # noqa: BLE001 - a damaged index must not crash the caller
            self.index.mark_damaged()
            message = f"the search index is damaged ({type(error).__name__}); it will be rebuilt"
            return SearchResults(parsed, message=message)

    def _typed(self, parsed: ParsedQuery, limit: int, scope: list[str] | None) -> tuple[list[tuple[str, float]], int]:
        ranked, total = self._instant.search(parsed, limit, scope)
        return [(self._instant.doc_id(docnum), score) for docnum, score in ranked], total

    def _finished(
        self, parsed: ParsedQuery, limit: int, scope: list[str] | None
    ) -> tuple[list[tuple[str, float]], int]:
        whoosh_query = self._build(parsed)
        if whoosh_query is None:
            return [], 0
        restrict = wq.Or([wq.Term("within", path) for path in scope]) if scope else None
        results = self._searcher.search(whoosh_query, limit=limit, filter=restrict)
        if results.has_exact_length():
            total = len(results)
        else:  # Whoosh skipped blocks that could not reach the top: count them, unscored
            total = len(self._searcher.search(whoosh_query, limit=None, scored=False, filter=restrict))
        return [(hit["id"], hit.score) for hit in results], total

    def _results(  # type: ignore[no-untyped-def]
        self, parsed: ParsedQuery, ranked, total: int, typing: bool, snippets: int | None, full_counts: bool
    ) -> SearchResults:
        infos = {info.id: info for info in self._store.infos(doc_id for doc_id, _ in ranked)}
        pattern = hit_pattern(parsed)
        hits = []
        for number, (doc_id, score) in enumerate(ranked):
            info = infos.get(doc_id)
            if info is None:
                continue
            if snippets is None or number < snippets:
                if typing:
                    head, folded, cjk = self._head(doc_id)
                    snippet, count = make_snippet(head, pattern, folded=folded, cjk=cjk)
                else:
                    scan = None if full_counts else SNIPPET_SCAN
                    snippet, count = make_snippet(self._store.text(doc_id, scan), pattern)
            else:
                snippet, count = Snippet("", ()), 0
            hits.append(SearchHit(doc_id, info.path, info.title, info.source, score, snippet, count, info.format))
        suggestion = "" if hits or typing else self.suggest(parsed)
        return SearchResults(parsed, tuple(hits), total, parsed.message, suggestion, tuple(i for i, _ in ranked))

    def _head(self, doc_id: str) -> tuple[str, str, bool]:
        """The beginning of a document, folded, and whether it has CJK (kept for the next keystrokes)."""
        found = self._heads.get(doc_id)
        if found is not None:
            self._heads.move_to_end(doc_id)
            return found
        text = self._store.text(doc_id, TYPING_SCAN)
        folded = fold_text(text)
        found = self._heads[doc_id] = (text, folded, has_cjk(folded))
        if len(self._heads) > _HEADS:
            self._heads.popitem(last=False)
        return found

    def suggest(self, parsed: ParsedQuery) -> str:
        """A corrected query when words are not in the index ("did you mean")."""
        changed = False
        words = []
        for clause in parsed.clauses:
            out = []
            for word in clause.words:
                token = word.lower()
                tokens = query_tokens(word)
                unknown = len(tokens) == 1 and not tokens[0].isdigit()
                if unknown and self._searcher.doc_frequency("body", tokens[0]) == 0:
                    corrector = self._searcher.corrector("body")
                    options = corrector.suggest(tokens[0], limit=1, maxdist=1) or corrector.suggest(
                        tokens[0], limit=1, maxdist=2
                    )
                    if options:
                        token = options[0]
                        changed = True
                out.append(token)
            text = " ".join(out)
            if len(out) > 1:
                text = f'"{text}"'
            if clause.field:
                text = f"{clause.field}:{text}"
            words.append(("-" if clause.negated else "") + text)
        return " ".join(words) if changed else ""

    # -- building Whoosh queries (a finished query) ------------------------------------------

    def _build(self, parsed: ParsedQuery) -> wq.Query | None:
        required: list[wq.Query] = []
        excluded: list[wq.Query] = []
        for clause in parsed.clauses:
            options = [self._clause(c) for c in (clause, *clause.alternatives)]
            options = [o for o in options if o is not None]
            if not options:
                continue
            target = wq.Or(options) if len(options) > 1 else options[0]
            (excluded if clause.negated else required).append(target)
        if not required:
            return None
        positive: wq.Query = wq.And(required) if len(required) > 1 else required[0]
        if excluded:
            positive = wq.AndNot(positive, wq.Or(excluded))
        return positive

    def _clause(self, clause: Clause) -> wq.Query | None:
        fields = (clause.field,) if clause.field else FIELDS
        tokens = [token for word in clause.words for token in query_tokens(word)]
        if not tokens:
            return None
        return wq.Or([_words(f, tokens) for f in fields]) if len(fields) > 1 else _words(fields[0], tokens)


def _words(field_name: str, tokens: list[str]) -> wq.Query:
    if len(tokens) == 1:
        return wq.Term(field_name, tokens[0])
    return wq.Phrase(field_name, tokens)
