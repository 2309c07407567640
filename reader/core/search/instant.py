"""Search as you type: BM25 from posting lists held in memory, no Whoosh matchers.

Whoosh scores a query by walking a tree of matchers in Python, a few
microseconds per posting: a common word (``list`` is in 6,000 of the
corpus's 16,500 documents) or a typed prefix expanded to its completions
costs 50–300 ms per keystroke. While typing, the same questions come back
keystroke after keystroke, so this engine reads each term's posting list
once (block by block, as Whoosh stores it), turns it into a dictionary
``{document number: score}`` and keeps it; a query is then answered with
dictionary and set operations that run in C:

- a completed word: BM25 in each field (the field boosts are in the stored
  weights), summed over the fields — the same scores Whoosh gives;
- several terms for one word (``e-mail``, a CJK word's bigrams, a quoted
  phrase): all of them (their order is checked only by the final search);
- the word being typed: its title edge n-gram (BM25), plus, from three
  characters on, the body's most common completions (from the store's
  vocabulary) up to a budget of postings, each scored by its IDF alone;
  one or two characters only rank by title (and the exact two-letter word);
- AND = intersection, ``OR`` = union, ``-word`` = difference; then the top
  ``limit`` by score.

Everything is cached per index generation (a ``refresh()`` that sees a commit
starts afresh), within a budget of postings.
"""

from __future__ import annotations

import heapq
import re
from collections import OrderedDict
from collections.abc import Iterable
from math import log
from operator import itemgetter

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher as WhooshSearcher
from whoosh.util.numeric import byte_to_length, length_to_byte

from reader.core.search.analysis import (
    EDGE_MAX,
    LANGUAGES,
    MIN_COMPLETION,
    fold,
    is_cjk,
    language_marker,
    query_tokens,
    stemmed_term,
    stop_words,
)
from reader.core.search.docstore import DocStore
from reader.core.search.query import FIELDS, Clause, ParsedQuery

__all__ = ["Instant"]

K1 = 1.2
B = 0.75
TITLE_WEIGHT = 0.25  # the title's BM25 beside the body's (which holds the title too)
COMPLETION_BUDGET = 6_000  # postings read for the completions of one typed prefix
MAX_COMPLETIONS = 24
COMMON = 1_000  # a word in more documents than this and than a quarter of them is "everywhere"
COMMON_FLOOR = 50  # … and for ranking the documents with all the words first, more than this
CACHE_BUDGET = 2_000_000  # scores kept in memory (about 100 bytes each)

Scores = dict[int, float]

_HYPHENATED = re.compile(r"[^\W\d_]+(?:[-‐‑–—/][^\W\d_]+)+")  # letters joined by hyphens: split


class Instant:
    """Answers typed queries over one Whoosh searcher (one generation of the index)."""

    def __init__(self, searcher: WhooshSearcher, store: DocStore) -> None:
        self.searcher = searcher
        self.store = store
        reader = searcher.reader()
        self.leaves = [(leaf, offset) for leaf, offset in reader.leaf_readers()]
        self.count = max(1, reader.doc_count_all())
        self.deleted = [_deleted(leaf) for leaf, _ in self.leaves]
        self._norms: dict[str, list[tuple[bytes, list[float]]]] = {}
        self._cache: OrderedDict[tuple[object, ...], Scores] = OrderedDict()
        self._cached = 0
        self._ids: dict[int, str] = {}
        self._languages: list[str] | None = None
        self._all_stops: frozenset[str] | None = None

    # -- answering ---------------------------------------------------------------------

    def search(
        self,
        parsed: ParsedQuery,
        limit: int,
        within: Iterable[str] | None = None,
        phrases: bool = False,
        allowed: set[int] | frozenset[int] | None = None,
    ) -> tuple[list[tuple[int, float]], int]:
        """The top ``limit`` (document number, score) pairs and how many documents match.

        A document matches when it has any of the query's words: the documents with
        all of them (stop words and words in most documents aside) come first, the
        others follow, each group by BM25F. A quoted phrase and a ``field:`` word must
        match; ``-word`` excludes (a stop word excludes nothing). With ``phrases``, a
        phrase's words must also be in order (Whoosh checks the candidates).
        """
        required: list[Scores] = []
        optional: list[Scores] = []
        counted: list[Scores] = []  # the optional words a document needs to be among the first
        excluded: list[Scores] = []
        stops = self._stops(parsed)
        for clause in parsed.clauses:
            if clause.negated:
                if not (len(clause.words) == 1 and fold(clause.words[0]) in stops):
                    excluded.append(self._must(clause, phrases))
                continue
            if clause.alternatives or (len(clause.words) == 1 and clause.field is None):
                for scores, needed in self._shoulds(clause, stops, phrases):
                    optional.append(scores)
                    if needed:
                        counted.append(scores)
            else:
                required.append(self._must(clause, phrases))
        if not required and not optional:
            return [], 0
        required.sort(key=len)
        if required:
            if not required[0]:
                return [], 0
            candidates = set(required[0])
            for scores in required[1:]:
                candidates.intersection_update(scores.keys())
        else:
            candidates = set()
            for scores in optional:
                candidates.update(scores.keys())
        if within is not None:
            candidates.intersection_update(self._within(within))
        if allowed is not None:  # the query's fields about the document (``fields``, ``meta_filter``)
            candidates.intersection_update(allowed)
        for scores in excluded:
            candidates.difference_update(scores.keys())
        if not candidates:
            return [], 0
        score = _sum(required + optional)  # each posting once (a document's sum over the parts cost 4× more)
        everything: set[int] | frozenset[int] = frozenset()
        if len(counted) > 1:  # the documents with all the words rank first
            counted.sort(key=len)
            everything = candidates.intersection(counted[0].keys())
            for scores in counted[1:]:
                if not everything:
                    break
                everything.intersection_update(scores.keys())
        if everything:
            ranked = heapq.nlargest(limit, candidates, key=lambda doc: (doc in everything, score[doc]))
        else:
            ranked = heapq.nlargest(limit, candidates, key=score.__getitem__)
        return [(doc, score[doc]) for doc in ranked], len(candidates)

    def doc_id(self, docnum: int) -> str:
        found = self._ids.get(docnum)
        if found is None:
            found = self._ids[docnum] = self.searcher.stored_fields(docnum).get("id", "")
        return found

    # -- clauses -----------------------------------------------------------------------

    def _stops(self, parsed: ParsedQuery) -> frozenset[str]:
        """The query's stop words (of the library's languages), unless it has only stop words."""
        stops = self._stops_of_languages()
        words = [
            token
            for clause in parsed.clauses
            if not clause.negated
            for option in (clause, *clause.alternatives)
            for word in option.words
            for token in [fold(word), *query_tokens(word)]
        ]
        if all(word in stops for word in words):
            return frozenset()
        return stops

    def _shoulds(self, clause: Clause, stops: frozenset[str], phrases: bool = False) -> list[tuple[Scores, bool]]:
        """A bare word (or ``a OR b``): its scores, split at hyphens and dots (``e-mail`` is
        ``e`` and ``mail``), and whether a document needs it to be among the first."""
        if clause.alternatives:
            alone = Clause(clause.words, clause.field, clause.negated, clause.prefix)
            options = [self._option(option) for option in (alone, *clause.alternatives)]
            return [(_union(options), True)]
        word = clause.words[0]
        if clause.prefix:
            scores, needed = self._typed(word, clause.field)
            return [(scores, needed)] if scores or needed else []
        if fold(word) in stops:
            return []
        tokens = query_tokens(word)
        if len(tokens) > 1 and not _HYPHENATED.fullmatch(word):
            # CJK, ``3.11``, ``don't``, ``package.json``: its terms in order (``e-mail`` is split)
            return [(self._must(Clause((word,)), phrases), True)]
        out = []
        for token in tokens:
            if token in stops:
                continue
            scores = self._term(token, FIELDS)
            out.append((scores, not self._common(len(scores))))
        return out

    def _option(self, clause: Clause) -> Scores:
        """One side of ``a OR b``."""
        if len(clause.words) == 1 and clause.field is None and not clause.prefix:
            return _sum([scores for scores, _ in self._shoulds(clause, frozenset())])
        return self._must(clause, False)

    def _must(self, clause: Clause, phrases: bool) -> Scores:
        """The documents with all of a clause's words (in order, with ``phrases``)."""
        scores, _ = self._phrase_option(clause)
        if phrases and not clause.prefix and scores:
            tokens = [token for word in clause.words for token in query_tokens(word)]
            if len(tokens) > 1:
                inorder = self._in_order(clause.field or "body", tokens)
                scores = {doc: value for doc, value in scores.items() if doc in inorder}
        return scores

    def _phrase_option(self, clause: Clause) -> tuple[Scores, bool]:
        fields = (clause.field,) if clause.field else FIELDS
        words = list(clause.words)
        typed = words.pop() if clause.prefix else None
        parts = [self._word(word, fields) for word in words]
        if typed is not None:
            scores, typed_needed = self._typed(typed, clause.field)
            if not parts:
                return scores, typed_needed
            if typed_needed:
                parts.append(scores)  # (a one-letter end of a phrase is left for the next keystroke)
        return _intersection(parts), True

    def _in_order(self, field: str, tokens: list[str]) -> frozenset[int]:
        """The documents where ``tokens`` follow each other in ``field`` (Whoosh's phrase matcher)."""
        key = ("phrase", field, tuple(tokens))
        found = self._get(key)
        if found is None:
            found = dict.fromkeys(self.searcher.docs_for_query(wq.Phrase(field, tokens)), 0.0)
            self._put(key, found)
        return frozenset(found)

    def _word(self, word: str, fields: tuple[str, ...]) -> Scores:
        """A completed word: all its terms, in any of ``fields``."""
        return _intersection([self._term(term, fields) for term in query_tokens(word)])

    def _term(self, term: str, fields: tuple[str, ...]) -> Scores:
        """One term's BM25F: its stems in the body (each document's language) and the exact
        word in the title; in one field when the clause names it."""
        key = ("any", term, fields)
        found = self._get(key)
        if found is None:
            if fields == FIELDS:
                stems = _max([self.bm25("stemmed", s) for s in self.stems(term)])
                found = _sum([stems, self.bm25("title", term, TITLE_WEIGHT)])
            else:
                found = _sum([self.bm25(field, term) for field in fields])
            self._put(key, found)
        return found

    def stems(self, term: str) -> list[str]:
        """``term`` stemmed the ways the library's documents were (English, and each other language)."""
        out = []
        for language in self.languages():
            stemmed = stemmed_term(term, language)
            if stemmed not in out:
                out.append(stemmed)
        return out

    def languages(self) -> list[str]:
        """The languages the library's documents were stemmed in (English first, always)."""
        if self._languages is None:
            found = ["en"]
            for language in LANGUAGES:
                if language != "en" and self.searcher.doc_frequency("stemmed", language_marker(language)):
                    found.append(language)
            self._languages = found
        return self._languages

    def _typed(self, word: str, field: str | None) -> tuple[Scores, bool]:
        """The word being typed; whether it must match (one or two letters need not)."""
        key = ("typed", word, field)
        found = self._get(key)
        tokens = query_tokens(word)
        if not tokens:
            return {}, False
        last = tokens[-1]
        if is_cjk(last):
            # bigrams already behave like a prefix; one character is its own (unigram) term,
            # looked for in the title and body only (the other fields add look-ups, not hits)
            if found is None:
                single = len(tokens) == 1 and len(last) == 1
                found = self._word(word, (field,) if field else (("title", "body") if single else FIELDS))
                if len(tokens) > 1 and found:
                    # its bigrams in order, as when it is finished (数字经济 is not 数字 … 经济)
                    inorder = self._in_order(field or "body", tokens)
                    found = {doc: value for doc, value in found.items() if doc in inorder}
                self._put(key, found)
            return found, True
        title_only = field in ("title", "source")
        short = len(last) < MIN_COMPLETION
        if found is None:
            options: list[Scores] = []
            if field is None or title_only:
                options.append(self.impacts("title_ng", last[:EDGE_MAX]))
            if not title_only:
                body = (field,) if field else ("body", "sections")
                if short:
                    # a two-letter word as it is (unless it is everywhere, like "as")
                    if len(last) > 1 and not self._everywhere(self.searcher.doc_frequency("body", last)):
                        options.append(self._term(last, body))
                else:
                    # the body only: section titles are in the body too, and each field
                    # costs a look-up in every segment for every completion
                    options.append(self._completed(last, (field or "body",)))
                    if field is None:
                        options.append(self._as_finished(last))
            found = _sum(options)
            if len(tokens) > 1:
                found = _intersection([*(self._term(t, FIELDS) for t in tokens[:-1]), found])
            self._put(key, found)
        return found, not short or title_only or len(tokens) > 1

    def _as_finished(self, word: str) -> Scores:
        """The word being typed as if it were finished: its stems (``measuring`` finds
        ``measured``, a misspelt ``begining`` finds ``beginning``), as the finished query
        will, so the last keystroke never shows less than Enter. Not a stop word, nor a
        stem in most documents (reading its postings would cost the most and rank nothing)."""
        if word in self._stops_of_languages():
            return {}
        for stem in self.stems(word):
            if self._everywhere(self.searcher.doc_frequency("stemmed", stem)):
                return {}
        return self._term(word, FIELDS)

    def _stops_of_languages(self) -> frozenset[str]:
        if self._all_stops is None:
            self._all_stops = frozenset().union(*(stop_words(language) for language in self.languages()))
        return self._all_stops

    def _completed(self, prefix: str, fields: tuple[str, ...]) -> Scores:
        """Documents with a completion of ``prefix``, scored by the completion's IDF.

        The completions come from the store's vocabulary, most common first, as
        long as their postings fit in ``COMPLETION_BUDGET``; a word in more
        documents than the whole budget or than a quarter of the library (``that``
        for ``tha``) is left out: it would cost the most to read and rank nothing.
        """
        chosen: list[str] = []
        budget = COMPLETION_BUDGET
        for term, df in self.store.completions(prefix, MAX_COMPLETIONS):
            if df <= budget and not self._everywhere(df):
                chosen.append(term)
                budget -= df
        scores: Scores = {}
        # common completions first, rare ones last: a document with several keeps the rarest's score
        for term in chosen:
            for field in fields:
                scores.update(self.presence(field, term))
        return scores

    def _common(self, df: int) -> bool:
        """In so many documents that a document lacking it still has all the words that matter."""
        return df > COMMON_FLOOR and df > self.count // 4

    def _everywhere(self, df: int) -> bool:
        """In so many documents (a quarter of a large library) that it ranks nothing."""
        return df > COMMON and df > self.count // 4

    def _within(self, paths: Iterable[str]) -> set[int]:
        allowed: set[int] = set()
        for path in paths:
            allowed.update(self.presence("within", path).keys())
        return allowed

    # -- posting lists -----------------------------------------------------------------------

    def impacts(self, field: str, term: str) -> Scores:
        """BM25 of ``term`` in ``field`` for every document that has it."""
        key = ("bm25", field, term)
        found = self._get(key)
        if found is not None:
            return found
        lists = self._postings(field, term)
        found = {}
        df = sum(len(ids) for _, ids, _ in lists)
        if df:
            idf = log(self.count / (df + 1)) + 1
            found = self._saturated(field, lists, idf * (K1 + 1))
        self._put(key, found)
        return found

    def bm25(self, field: str, term: str, weight: float = 1.0) -> Scores:
        """BM25 of ``term`` in ``field`` with Lucene's IDF (never below zero, so a word in
        most documents weighs next to nothing), times ``weight``; the field's stored boost
        taken out of the term frequencies."""
        key = ("lucene", field, term, weight)
        found = self._get(key)
        if found is not None:
            return found
        lists = self._postings(field, term)
        found = {}
        df = sum(len(ids) for _, ids, _ in lists)
        if df:
            idf = log(1 + (self.count - df + 0.5) / (df + 0.5))
            boost = getattr(self.searcher.schema[field], "field_boost", 1.0) or 1.0
            found = self._saturated(field, lists, weight * idf * (K1 + 1), boost)
        self._put(key, found)
        return found

    def _saturated(
        self, field: str, lists: list[tuple[int, list[int], list[float]]], scale: float, boost: float = 1.0
    ) -> Scores:
        """``scale`` times BM25's saturation of each document's frequency of the term (its
        field's ``boost`` taken out), from the term's posting ``lists``."""
        found: Scores = {}
        norms = self._field_norms(field)
        for index, ids, weights in lists:
            offset = self.leaves[index][1]
            lengths, table = norms[index]
            if boost == 1.0:
                found.update(
                    {offset + d: scale * w / (w + table[lengths[d]]) for d, w in zip(ids, weights, strict=True)}
                )
            else:
                found.update(
                    {
                        offset + d: scale * (w / boost) / (w / boost + table[lengths[d]])
                        for d, w in zip(ids, weights, strict=True)
                    }
                )
        return found

    def presence(self, field: str, term: str) -> Scores:
        """Every document with ``term`` in ``field``, scored by the term's IDF alone (cheap)."""
        key = ("idf", field, term)
        found = self._get(key)
        if found is not None:
            return found
        lists = self._postings(field, term, weights=False)
        df = sum(len(ids) for _, ids, _ in lists)
        found = {}
        if df:
            idf = log(self.count / (df + 1)) + 1
            for index, ids, _ in lists:
                offset = self.leaves[index][1]
                found.update(dict.fromkeys([offset + d for d in ids] if offset else ids, idf))
        self._put(key, found)
        return found

    def frequencies(self, field: str, term: str) -> Scores:
        """How many times ``term`` is in ``field`` of each document that has it (true hit
        counts, however long the document: the postings' weights, divided by the field's boost)."""
        key = ("tf", field, term)
        found = self._get(key)
        if found is not None:
            return found
        boost = getattr(self.searcher.schema[field], "field_boost", 1.0) or 1.0
        found = {}
        for index, ids, weights in self._postings(field, term):
            offset = self.leaves[index][1]
            found.update({offset + d: round(w / boost) for d, w in zip(ids, weights, strict=True)})
        self._put(key, found)
        return found

    def _postings(self, field: str, term: str, weights: bool = True) -> list[tuple[int, list[int], list[float]]]:
        """(leaf, document numbers, weights) of ``term`` in each segment, deleted documents left out."""
        out = []
        for index, (leaf, _) in enumerate(self.leaves):
            try:
                # the segment's own matcher: SegmentReader.postings() wraps it in a filter of
                # deleted documents, which hides the blocks (they are filtered below instead)
                matcher = leaf._terms.matcher(field, leaf._text_to_bytes(field, term), leaf.schema[field].format)
            except (TermNotFound, KeyError):
                continue
            except AttributeError:  # another Whoosh inside
                try:
                    matcher = leaf.postings(field, term)
                except (TermNotFound, KeyError):
                    continue
            ids: list[int] = []
            found: list[float] = []
            if isinstance(matcher, W3LeafMatcher):
                # block by block: Whoosh decodes a block's ids and weights in one go
                while not matcher._atend:
                    matcher._read_ids()
                    ids.extend(matcher._ids)
                    if weights:
                        matcher._read_weights()
                        found.extend(matcher._weights)
                    matcher._next_block()
            else:
                while matcher.is_active():
                    ids.append(matcher.id())
                    if weights:
                        found.append(matcher.weight())
                    matcher.next()
            deleted = self.deleted[index]
            if deleted:
                if weights:
                    pairs = [(d, w) for d, w in zip(ids, found, strict=True) if d not in deleted]
                    ids, found = [d for d, _ in pairs], [w for _, w in pairs]
                else:
                    ids = [d for d in ids if d not in deleted]
            if ids:
                out.append((index, ids, found))
        return out

    def _field_norms(self, field: str) -> list[tuple[bytes, list[float]]]:
        """Per segment: each document's length byte, and the BM25 length factor of each byte."""
        norms = self._norms.get(field)
        if norms is None:
            average = self.searcher.avg_field_length(field) or 1.0
            table = [K1 * ((1 - B) + B * byte_to_length(b) / average) for b in range(256)]
            norms = [(_length_bytes(leaf, field), table) for leaf, _ in self.leaves]
            self._norms[field] = norms
        return norms

    # -- the cache ---------------------------------------------------------------------------

    def _get(self, key: tuple[object, ...]) -> Scores | None:
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
        return found

    def _put(self, key: tuple[object, ...], scores: Scores) -> None:
        self._cache[key] = scores
        self._cached += len(scores) + 1
        while self._cached > CACHE_BUDGET and len(self._cache) > 1:
            _, dropped = self._cache.popitem(last=False)
            self._cached -= len(dropped) + 1


def _deleted(leaf) -> frozenset[int]:  # type: ignore[no-untyped-def]
    if not leaf.has_deletions():
        return frozenset()
    return frozenset(range(leaf.doc_count_all())) - frozenset(leaf.all_doc_ids())


def _length_bytes(leaf, field: str) -> bytes:  # type: ignore[no-untyped-def]
    """Every document's length in ``field`` as Whoosh stores it (one byte each)."""
    count = leaf.doc_count_all()
    try:
        column = leaf._perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
        raw = b"" if column is None else bytes(column._dbfile.get(column._basepos, column._count))
    except Exception:  # noqa: BLE001 - another Whoosh inside: ask document by document
        raw = bytes(length_to_byte(leaf.doc_field_length(d, field, 0) or 0) for d in range(count))
    return raw + bytes(max(0, count - len(raw)))


def _sum(parts: list[Scores]) -> Scores:
    parts = [p for p in parts if p]
    if not parts:
        return {}
    if len(parts) == 1:
        return parts[0]
    parts.sort(key=len, reverse=True)
    out = dict(parts[0])
    for part in parts[1:]:
        for doc, score in part.items():
            out[doc] = out.get(doc, 0.0) + score
    return out


def _union(parts: list[Scores]) -> Scores:
    return _sum(parts)


def _max(parts: list[Scores]) -> Scores:
    """Each document's best score among ``parts`` (a word's stems in several languages)."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return parts[0] if parts else {}
    out = dict(parts[0])
    for part in parts[1:]:
        for doc, score in part.items():
            if score > out.get(doc, 0.0):
                out[doc] = score
    return out


def _intersection(parts: list[Scores]) -> Scores:
    if not parts:
        return {}
    if len(parts) == 1:
        return parts[0]
    parts = sorted(parts, key=len)
    if not parts[0]:
        return {}
    keys = set(parts[0])
    for part in parts[1:]:
        keys.intersection_update(part.keys())
    return {doc: sum(part[doc] for part in parts) for doc in keys}
