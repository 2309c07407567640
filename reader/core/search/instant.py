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
from collections import OrderedDict
from collections.abc import Iterable
from math import log
from operator import itemgetter

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher as WhooshSearcher
from whoosh.util.numeric import byte_to_length, length_to_byte

from reader.core.search.analysis import EDGE_MAX, MIN_COMPLETION, is_cjk, query_tokens
from reader.core.search.docstore import DocStore
from reader.core.search.query import FIELDS, Clause, ParsedQuery

__all__ = ["Instant"]

K1 = 1.2
B = 0.75
COMPLETION_BUDGET = 6_000  # postings read for the completions of one typed prefix
MAX_COMPLETIONS = 24
COMMON = 1_000  # a word in more documents than this and than a quarter of them is "everywhere"
CACHE_BUDGET = 2_000_000  # scores kept in memory (about 100 bytes each)

Scores = dict[int, float]


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

    # -- answering ---------------------------------------------------------------------

    def search(
        self, parsed: ParsedQuery, limit: int, within: Iterable[str] | None = None
    ) -> tuple[list[tuple[int, float]], int]:
        """The top ``limit`` (document number, score) pairs and how many documents match."""
        required: list[Scores] = []
        optional: list[Scores] = []
        excluded: list[Scores] = []
        for clause in parsed.clauses:
            scores, needed = self._clause(clause)
            if clause.negated:
                excluded.append(scores)
            elif needed:
                required.append(scores)
            else:
                optional.append(scores)
        if not required:
            if not optional:
                return [], 0
            required, optional = [optional[0]], optional[1:]
        required.sort(key=len)
        if not required[0]:
            return [], 0
        allowed = self._within(within) if within is not None else None
        if len(required) == 1 and not optional and not excluded and allowed is None:
            scores = required[0]
            return heapq.nlargest(limit, scores.items(), key=itemgetter(1)), len(scores)
        candidates = set(required[0])
        for scores in required[1:]:
            candidates.intersection_update(scores.keys())
            if not candidates:
                return [], 0
        if allowed is not None:
            candidates.intersection_update(allowed)
        for scores in excluded:
            candidates.difference_update(scores.keys())
        parts = required + optional
        ranked = heapq.nlargest(
            limit, ((doc, sum(part.get(doc, 0.0) for part in parts)) for doc in candidates), key=itemgetter(1)
        )
        return ranked, len(candidates)

    def doc_id(self, docnum: int) -> str:
        found = self._ids.get(docnum)
        if found is None:
            found = self._ids[docnum] = self.searcher.stored_fields(docnum).get("id", "")
        return found

    # -- clauses -----------------------------------------------------------------------

    def _clause(self, clause: Clause) -> tuple[Scores, bool]:
        """The scores of a clause (with its OR alternatives) and whether it must match."""
        options = [self._option(option) for option in (clause, *clause.alternatives)]
        needed = any(n for _, n in options) or len(options) > 1
        if len(options) == 1:
            return options[0][0], options[0][1]
        return _union([scores for scores, _ in options]), needed

    def _option(self, clause: Clause) -> tuple[Scores, bool]:
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

    def _word(self, word: str, fields: tuple[str, ...]) -> Scores:
        """A completed word: all its terms, in any of ``fields``."""
        return _intersection([self._term(term, fields) for term in query_tokens(word)])

    def _term(self, term: str, fields: tuple[str, ...]) -> Scores:
        key = ("any", term, fields)
        found = self._get(key)
        if found is None:
            found = _sum([self.impacts(field, term) for field in fields])
            self._put(key, found)
        return found

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
            found = _sum(options)
            if len(tokens) > 1:
                found = _intersection([*(self._term(t, FIELDS) for t in tokens[:-1]), found])
            self._put(key, found)
        return found, not short or title_only or len(tokens) > 1

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
            scale = idf * (K1 + 1)
            norms = self._field_norms(field)
            for index, ids, weights in lists:
                offset = self.leaves[index][1]
                lengths, table = norms[index]
                found.update(
                    {offset + d: scale * w / (w + table[lengths[d]]) for d, w in zip(ids, weights, strict=True)}
                )
        self._put(key, found)
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
