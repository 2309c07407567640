"""Searching the index: ranked hits with snippets.

One ``Searcher`` per thread, kept across keystrokes and refreshed after the
index changes (opening one is the expensive part). Two ways to answer:

- while typing (``typing=True``): the word being typed is a prefix;
- a finished query: every word is a word.

Both are answered by :mod:`.instant`, from posting lists held in memory
(Whoosh's own matchers score in Python, 0.1–1 s for a long query): any word
matches, the documents with all the words first, by BM25F over the stemmed
body and the title; a quoted phrase is checked in order by Whoosh's phrase
matcher.

Snippets come from the document store's normalized text: the passage with
the most of the query's words, marked as the ranking matched them (a word by
its stem in the document's language, told by its marker in the stemmed
field). While typing, the first ``TYPING_SCAN`` characters of each document
are looked at (and kept, folded, for the next keystrokes), then up to
``SNIPPET_SCAN`` if the words are not there; a finished query reads up to
``SNIPPET_SCAN`` (all of it with ``full_counts``). A document none of whose
words are in what was read has no snippet, and the rest of a long one is
counted from the postings. Only the first ``snippets`` results get one.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from reader.core.search.analysis import MIN_COMPLETION, STEM_MIN, fold_text, language_marker, query_tokens, stemmed_term
from reader.core.search.docstore import DocStore
from reader.core.search.highlight import HitPattern, Snippet, has_cjk, hit_pattern, make_snippet, query_stops
from reader.core.search.index import SearchIndex, within_term
from reader.core.search.instant import Instant
from reader.core.search.query import ParsedQuery, parse_query
from reader.core.search.spelling import QUERY_EXAMINED, Speller

__all__ = ["Searcher", "SearchHit", "SearchResults"]

Ranked = tuple[str, float, int]  # document id, score, Whoosh document number

TYPING_SCAN = 10_000  # characters of a document looked at for its snippet while typing
SNIPPET_SCAN = 200_000  # … for a finished query without full counts
TYPING_FARTHER = 300_000  # characters read past the beginnings, for all of one keystroke's snippets
_HEADS_KEPT = 2_560_000  # characters of documents' beginnings kept, folded, across keystrokes
_FARTHER_KEPT = 3_000_000  # … of texts read past their beginnings
_COUNTED_COMPLETIONS = 16  # a word being typed is counted in long documents up to this many completions
_COUNT_BUDGET = 50_000  # … and this many postings in all (else its count is a lower bound)
_NONE = Snippet("", ())
CLEARLY_MORE = 10  # a correction of a word known by its stem alone: in this many times as many documents
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
    exact: bool = True  # ``hits`` is the true count (else: at least this many)

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
            "hits_exact": self.exact,
        }


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: ParsedQuery
    hits: tuple[SearchHit, ...] = ()
    total: int = 0
    message: str = ""
    suggestion: str = ""
    ids: tuple[str, ...] = field(default=())


class DocFilter(Protocol):
    """Which documents of an index generation may be found (the query's fields about documents)."""

    def docnums(self, instant: Instant) -> set[int]: ...


class Searcher:
    """Searches one index; not shared between threads."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self._searcher = index.whoosh.searcher()
        self._store: DocStore = index.store()
        self._instant = Instant(self._searcher, self._store)
        self._heads = _FoldedTexts(_HEADS_KEPT)
        self._farthers = _FoldedTexts(_FARTHER_KEPT)
        self._farther = TYPING_FARTHER  # what this keystroke may still read past the beginnings
        self._speller = Speller(self._store)

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
        """See what was committed since this searcher was opened.

        A new Whoosh searcher, not ``searcher.refresh()``: that reuses the readers of
        the segments it had, with the deletions they had then, so a changed document
        went on being found by the words it no longer has.
        """
        if self._searcher.up_to_date():
            return
        fresh = self.index.whoosh.searcher()
        self._searcher.close()
        self._searcher = fresh
        self._instant = Instant(fresh, self._store)
        self._heads.clear()
        self._farthers.clear()
        self._speller.clear()

    def search(
        self,
        text: str,
        *,
        limit: int = 20,
        typing: bool = False,
        snippets: int | None = None,
        full_counts: bool = False,
        within: list[Path] | None = None,
        superseded: Callable[[], bool] | None = None,
        only: DocFilter | None = None,
    ) -> SearchResults:
        """Ranked hits for ``text``; snippets for the first ``snippets`` (default: all).

        ``within``: only documents that are, or are under, one of these paths.
        ``superseded``: asked between the phases (ranking, each snippet, the "did you
        mean"); once it is true the search stops and returns what it has, for nobody.
        Never raises for a bad query; a damaged index gives a message (and is
        rebuilt the next time it is opened). ``only``: the documents the query's ``tag:``,
        ``is:``… fields allow (``meta_filter``).
        """
        parsed = parse_query(text, typing=typing)
        if parsed.empty:
            return SearchResults(parsed, message=parsed.message)
        limit = max(1, limit)
        scope = [within_term(os.path.abspath(path)) for path in within] if within else None
        try:
            allowed = only.docnums(self._instant) if only is not None else None
            if typing:
                ranked, total = self._typed(parsed, limit, scope, allowed)
            else:
                ranked, total = self._finished(parsed, limit, scope, allowed)
            return self._results(parsed, ranked, total, typing, snippets, full_counts, superseded)
        except _BUGS as error:  # a mistake of ours, not of the index: say so, keep the index
            return SearchResults(parsed, message=f"the search failed ({type(error).__name__}: {error})"[:160])
        except Exception as error:  # noqa: BLE001 - a damaged index must not crash the caller
            self.index.mark_damaged()
            message = f"the search index is damaged ({type(error).__name__}); it will be rebuilt"
            return SearchResults(parsed, message=message)

    def _typed(
        self, parsed: ParsedQuery, limit: int, scope: list[str] | None, allowed: set[int] | None = None
    ) -> tuple[list[Ranked], int]:
        ranked, total = self._instant.search(parsed, limit, scope, phrases=True, allowed=allowed)
        return [(self._instant.doc_id(docnum), score, docnum) for docnum, score in ranked], total

    _finished = _typed  # the same engine: only the parse differs (no word is a prefix)

    def _results(
        self,
        parsed: ParsedQuery,
        ranked: list[Ranked],
        total: int,
        typing: bool,
        snippets: int | None,
        full_counts: bool,
        superseded: Callable[[], bool] | None = None,
    ) -> SearchResults:
        ids = tuple(doc_id for doc_id, _, _ in ranked)
        if superseded is not None and superseded():
            return SearchResults(parsed, (), total, parsed.message, "", ids)
        infos = {info.id: info for info in self._store.infos(ids)}
        self._farther = TYPING_FARTHER  # a keystroke reads farther into a few documents, not into all
        patterns: dict[str, HitPattern | None] = {}
        counter = _Counter(self, parsed)
        hits = []
        for number, (doc_id, score, docnum) in enumerate(ranked):
            info = infos.get(doc_id)
            if info is None:
                continue
            exact = True
            if snippets is None or number < snippets:
                if superseded is not None and superseded():
                    break
                language = self._language(docnum)
                pattern = patterns.get(language, False)
                if pattern is False:
                    pattern = patterns[language] = hit_pattern(parsed, (language,))
                snippet, count, whole = self._snippet(doc_id, pattern, typing, full_counts)
                if not whole:  # only the beginning was looked at: count the rest from the postings
                    true = counter.count(docnum, language)
                    if true is None:
                        exact = False  # a phrase in a long document: at least this many
                    else:
                        count = max(count, true)
            else:
                snippet, count = Snippet("", ()), 0
            hits.append(
                SearchHit(doc_id, info.path, info.title, info.source, score, snippet, count, info.format, exact)
            )
        suggestion = ""
        if not typing and not (superseded is not None and superseded()):
            suggestion = self.suggest(parsed, superseded)  # (only for words no document has)
        return SearchResults(parsed, tuple(hits), total, parsed.message, suggestion, ids)

    def _snippet(
        self, doc_id: str, pattern: HitPattern | None, typing: bool, full_counts: bool
    ) -> tuple[Snippet, int, bool]:
        """A document's snippet, its hits counted in what was read, and whether that was all of it.

        While typing, the kept beginning of the document; if the words are not in it,
        up to ``SNIPPET_SCAN`` characters. A document none of whose words are in what
        was read (found by its title, by a completion, or farther on) gets no snippet:
        its beginning (its title again, or a URL) would only look like a match.
        """
        if typing:
            head, folded, cjk = self._head(doc_id)
            snippet, count = make_snippet(head, pattern, folded=folded, cjk=cjk)
            whole = len(head) < TYPING_SCAN
            if count or whole:
                return (snippet if count else _NONE), count, whole
            if self._farther <= 0:  # this keystroke has read enough: the rest wait for the next
                return _NONE, 0, False
        if typing and not full_counts:
            text, folded, cjk = self._read_farther(doc_id)
            self._farther -= len(text)
            snippet, count = make_snippet(text, pattern, folded=folded, cjk=cjk)
            return (snippet if count else _NONE), count, len(text) < SNIPPET_SCAN
        text = self._store.text(doc_id, None if full_counts else SNIPPET_SCAN)
        if typing:
            self._farther -= len(text)
        snippet, count = make_snippet(text, pattern)
        return (snippet if count else _NONE), count, full_counts or len(text) < SNIPPET_SCAN

    def _language(self, docnum: int) -> str:
        """The language a document was stemmed in (its marker in the stemmed field)."""
        languages = self._instant.languages()
        if len(languages) > 1:
            for language in languages[1:]:
                if docnum in self._instant.presence("stemmed", language_marker(language)):
                    return language
        return "en"

    def _read_farther(self, doc_id: str) -> tuple[str, str, bool]:
        """Up to ``SNIPPET_SCAN`` characters of a document, folded, and whether it has CJK
        (kept for the next keystrokes, which bring back the same documents)."""
        return self._farthers.get(doc_id, lambda: self._store.text(doc_id, SNIPPET_SCAN))

    def _head(self, doc_id: str) -> tuple[str, str, bool]:
        """The beginning of a document, folded, and whether it has CJK (kept for the next keystrokes)."""
        return self._heads.get(doc_id, lambda: self._store.text(doc_id, TYPING_SCAN))

    def suggest(self, parsed: ParsedQuery, superseded: Callable[[], bool] | None = None) -> str:
        """A corrected query when words are not in the index ("did you mean").

        Each unknown word is compared with the body words that begin with its first
        letter and are about as long (the store's vocabulary), by edit distance: the
        closest, then the most common, wins. Bounded: milliseconds on 16,500 documents,
        at most ``QUERY_EXAMINED`` candidates for the whole query (a pasted paragraph of
        typos: the words past it are left as typed).
        """
        changed = False
        words = []
        room = QUERY_EXAMINED  # candidates left to look at for this query
        for clause in parsed.clauses:
            out = []
            for word in clause.words:
                if superseded is not None and superseded():
                    return ""
                token = word.lower()
                tokens = query_tokens(word)
                if room > 0 and len(tokens) == 1 and self._misspelled(tokens[0]):
                    better = self._speller.correct(tokens[0], self._indexed, room)
                    room -= max(1, self._speller.examined + self._speller.read)
                    if better and self._clearly_meant(tokens[0], better):
                        token = better
                        changed = True
                out.append(token)
            text = " ".join(out)
            if len(out) > 1:
                text = f'"{text}"'
            if clause.field:
                text = f"{clause.field}:{text}"
            words.append(("-" if clause.negated else "") + text)
        return " ".join(words) if changed else ""

    def suggest_typed(self, results: SearchResults, superseded: Callable[[], bool] | None = None) -> str:
        """"Did you mean" for a query being typed: when nothing is found, or when the word
        being typed begins no word of the library (finished, as far as the index can tell)
        and was found only by a stem it shares with another word (``goverment`` finds
        ``governess``). A word still being typed (``governm``) is never corrected."""
        if results.hits:
            typed = next((clause for clause in reversed(results.query.clauses) if clause.prefix), None)
            if typed is None or typed.negated:
                return ""
            tokens = query_tokens(typed.words[-1])
            if len(tokens) != 1 or len(tokens[0]) < MIN_COMPLETION or self._store.completions(tokens[0], 1):
                return ""
        return self.suggest(results.query, superseded)

    def _indexed(self, term: str) -> bool:
        """Whether a document has ``term`` (Whoosh's counts include deleted documents until a merge)."""
        if self._searcher.doc_frequency("body", term) == 0:
            return False
        return not self._searcher.reader().has_deletions() or bool(self._instant.presence("body", term))

    def _misspelled(self, token: str) -> bool:
        """A word that could be corrected: long enough, not a number or CJK, in no document as it is."""
        return len(token) >= MIN_COMPLETION and not token.isdigit() and token[0] < "\u2e80" and not self._indexed(token)

    def _clearly_meant(self, token: str, better: str) -> bool:
        """Whether ``better`` is worth offering for a word no document has as it is.

        A word whose stem no document has is offered its correction. A word known by its
        stem alone is another form of a word the library has (``progenitors`` where
        ``progenitor`` is) and is left alone, unless the correction is far more common than
        that stem: ``goverment`` shares the stem ``gover`` with ``governess`` in a few novels,
        while ``government`` is in thousands of documents.
        """
        stem_documents = max((len(self._instant.presence("stemmed", s)) for s in self._instant.stems(token)), default=0)
        if not stem_documents:
            return True
        return self._searcher.doc_frequency("body", better) >= CLEARLY_MORE * stem_documents


class _Counter:
    """True hit counts from the postings, for the documents whose text was not read whole.

    A hit is a match of one of the query's positive word groups, as highlighted:
    a finished word is every word of its stem, whose count in each document is
    in the stemmed field's postings (the stem of the document's language); a
    quoted word is that body term; the word being typed is every body word it
    begins (from the vocabulary, if there are few enough); a stop word among
    others is none. A phrase (or ``e-mail``, or CJK) is not in the postings as
    such: such a query gets no count here (None).
    """

    def __init__(self, searcher: Searcher, parsed: ParsedQuery) -> None:
        self.searcher = searcher
        self.parsed = parsed
        self._terms: list[tuple[str, str]] | None = None  # (field, term); a stem's term is per language
        self._ready = False

    def count(self, docnum: int, language: str = "en") -> int | None:
        if not self._ready:
            self._terms = self._countable()
            self._ready = True
        if self._terms is None:
            return None
        instant = self.searcher._instant
        total = 0
        for field, term in self._terms:
            if field == "stemmed":
                term = stemmed_term(term, language)
            total += int(instant.frequencies(field, term).get(docnum, 0))
        return total

    def _countable(self) -> list[tuple[str, str]] | None:
        terms: set[tuple[str, str]] = set()
        groups = self.parsed.searched()
        stops = query_stops(groups, self.searcher._instant.languages())
        for words, prefix, quoted in groups:
            tokens = [token for word in words for token in query_tokens(word)]
            if not tokens:
                continue
            if len(tokens) > 1 or tokens[0][0] >= "\u2e80":
                return None
            token = tokens[0]
            if not prefix and token in stops:
                continue
            if not prefix:
                stemmable = not quoted and len(token) >= STEM_MIN and not token[0].isdigit()
                terms.add(("stemmed", token) if stemmable else ("body", token))
                continue
            completions = self._completions(token)
            if completions is None:
                return None
            terms.update(("body", term) for term in completions)
        return sorted(terms)

    def _completions(self, prefix: str) -> list[str] | None:
        """Every body word beginning with ``prefix``, if there are few (with few postings)."""
        if len(prefix) < MIN_COMPLETION:
            return None  # the vocabulary has no words this short; and there are many completions
        found = self.searcher._store.completions(prefix, _COUNTED_COMPLETIONS + 1)
        if len(found) > _COUNTED_COMPLETIONS or sum(df for _, df in found) > _COUNT_BUDGET:
            return None
        return [term for term, _ in found]


class _FoldedTexts:
    """Texts with their folded form and whether they have CJK, the most recently used
    kept up to a number of characters."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._kept: OrderedDict[str, tuple[str, str, bool]] = OrderedDict()
        self._size = 0

    def get(self, doc_id: str, read: Callable[[], str]) -> tuple[str, str, bool]:
        found = self._kept.get(doc_id)
        if found is not None:
            self._kept.move_to_end(doc_id)
            return found
        text = read()
        folded = fold_text(text)
        found = self._kept[doc_id] = (text, folded, has_cjk(folded))
        self._size += len(text)
        while self._size > self.limit and len(self._kept) > 1:
            _, (dropped, _, _) = self._kept.popitem(last=False)
            self._size -= len(dropped)
        return found

    def clear(self) -> None:
        self._kept.clear()
        self._size = 0
