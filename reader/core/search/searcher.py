"""Searching the index: a parsed query becomes Whoosh queries; hits get snippets.

One ``Searcher`` per thread, kept across keystrokes and refreshed after the
index changes (opening one is the expensive part). The word being typed is a
prefix: matched through the title's edge n-grams at any length, and in the
body through its most frequent completions in the lexicon once it has three
characters (a one- or two-letter prefix in the body would expand to thousands
of terms; while it is that short it only narrows by title).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import query as wq

from reader.core.search.analysis import word_analyzer
from reader.core.search.docstore import DocStore
from reader.core.search.highlight import Snippet, hit_pattern, make_snippet
from reader.core.search.index import SearchIndex
from reader.core.search.query import FIELDS, Clause, ParsedQuery, parse_query

__all__ = ["Searcher", "SearchHit", "SearchResults"]

MIN_BODY_PREFIX = 3
PREFIX_EXPANSIONS = 24
SNIPPET_SCAN = 200_000  # characters of a document looked at for its snippet while typing


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
        self._analyzer = word_analyzer()
        self._expansions: dict[str, list[str]] = {}

    def close(self) -> None:
        self._searcher.close()
        self._store.close()

    def refresh(self) -> None:
        """See what was committed since this searcher was opened."""
        fresh = self._searcher.refresh()
        if fresh is not self._searcher:
            self._searcher = fresh
            self._expansions.clear()

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
        """
        parsed = parse_query(text, typing=typing)
        if parsed.empty:
            return SearchResults(parsed, message=parsed.message)
        whoosh_query = self._build(parsed)
        if whoosh_query is None:
            return SearchResults(parsed, message=parsed.message)
        scope = None
        if within:
            scope = wq.Or([wq.Term("within", os.path.abspath(path)) for path in within])
        results = self._searcher.search(whoosh_query, limit=limit, filter=scope)
        total = results.estimated_length() if not results.has_exact_length() else len(results)
        ranked = [(hit["id"], hit.score) for hit in results]
        infos = {info.id: info for info in self._store.infos(doc_id for doc_id, _ in ranked)}
        pattern = hit_pattern(parsed)
        hits = []
        for index, (doc_id, score) in enumerate(ranked):
            info = infos.get(doc_id)
            if info is None:
                continue
            if snippets is None or index < snippets:
                scan = None if full_counts else SNIPPET_SCAN
                snippet, count = make_snippet(self._store.text(doc_id), pattern, scan=scan)
            else:
                snippet, count = Snippet("", ()), 0
            hits.append(SearchHit(doc_id, info.path, info.title, info.source, score, snippet, count, info.format))
        suggestion = "" if hits or typing else self.suggest(parsed)
        return SearchResults(parsed, tuple(hits), total, parsed.message, suggestion, tuple(i for i, _ in ranked))

    def suggest(self, parsed: ParsedQuery) -> str:
        """A corrected query when words are not in the index ("did you mean")."""
        changed = False
        words = []
        for clause in parsed.clauses:
            out = []
            for word in clause.words:
                token = word.lower()
                if self._searcher.doc_frequency("body", token) == 0 and not token.isdigit():
                    corrector = self._searcher.corrector("body")
                    options = corrector.suggest(token, limit=1, maxdist=1) or corrector.suggest(
                        token, limit=1, maxdist=2
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

    # -- building Whoosh queries --------------------------------------------------------

    def _build(self, parsed: ParsedQuery) -> wq.Query | None:
        required: list[wq.Query] = []
        optional: list[wq.Query] = []
        excluded: list[wq.Query] = []
        for clause in parsed.clauses:
            options = [self._clause(c) for c in (clause, *clause.alternatives)]
            options = [o for o in options if o is not None]
            if not options:
                # a one- or two-letter word being typed: it narrows by title, or waits
                if clause.prefix and not clause.negated:
                    optional.append(self._title_prefix(clause.words[-1]))
                continue
            target = wq.Or(options) if len(options) > 1 else options[0]
            (excluded if clause.negated else required).append(target)
        if not required:
            if not optional:
                return None
            positive: wq.Query = wq.Or(optional)
        else:
            positive = wq.And(required) if len(required) > 1 else required[0]
            if optional:
                positive = wq.AndMaybe(positive, wq.Or(optional))
        if excluded:
            positive = wq.AndNot(positive, wq.Or(excluded))
        return positive

    def _clause(self, clause: Clause) -> wq.Query | None:
        fields = (clause.field,) if clause.field else FIELDS
        words = list(clause.words)
        prefix = words.pop() if clause.prefix else None
        parts: list[wq.Query] = []
        if words:
            parts.append(wq.Or([self._words(f, words) for f in fields]))
        if prefix is not None:
            prefix_query = self._prefix(prefix, clause.field)
            if prefix_query is None:
                if not parts:
                    return None
            else:
                parts.append(prefix_query)
        if not parts:
            return None
        return wq.And(parts) if len(parts) > 1 else parts[0]

    def _tokens(self, text: str) -> list[str]:
        return [t.text for t in self._analyzer(text, mode="query")]

    def _words(self, field_name: str, words: list[str]) -> wq.Query:
        tokens = [token for word in words for token in self._tokens(word)]
        if len(tokens) == 1:
            return wq.Term(field_name, tokens[0])
        return wq.Phrase(field_name, tokens)

    def _title_prefix(self, prefix: str) -> wq.Query:
        tokens = self._tokens(prefix)
        return wq.Term("title_ng", tokens[0][:12] if tokens else prefix.lower())

    def _prefix(self, prefix: str, field_name: str | None) -> wq.Query | None:
        tokens = self._tokens(prefix)
        if not tokens:
            return None
        if len(tokens) > 1 or tokens[0] != prefix.lower() and not prefix.isascii():
            # CJK: bigrams already behave like a prefix; search it as a phrase
            return wq.Or([self._words(f, [prefix]) for f in ((field_name,) if field_name else FIELDS)])
        token = tokens[0]
        if len(token) < MIN_BODY_PREFIX and field_name not in ("title", "source"):
            return None  # too short to expand in the body: _build uses it to rank by title
        options: list[wq.Query] = []
        if field_name in (None, "title", "source"):
            options.append(wq.Term("title_ng", token[:12]))
        if len(token) >= MIN_BODY_PREFIX:
            fields = (field_name,) if field_name else ("body", "sections")
            for term in self._expand(token):
                options.extend(wq.Term(f, term) for f in fields)
        if not options:
            return None
        return wq.Or(options)

    def _expand(self, prefix: str) -> list[str]:
        """The most frequent body terms starting with ``prefix`` (cached per searcher)."""
        cached = self._expansions.get(prefix)
        if cached is None:
            reader = self._searcher.reader()
            found = reader.most_frequent_terms("body", number=PREFIX_EXPANSIONS, prefix=prefix)
            cached = [term.decode("utf-8") if isinstance(term, bytes) else term for _, term in found]
            if prefix not in cached and reader.doc_frequency("body", prefix):
                cached.append(prefix)
            self._expansions[prefix] = cached
        return cached
