"""A search with the fields about documents (``tag:``, ``is:``, ``state:``, ``added:``).

The fields are taken out of the query (``fields.split_fields``); the words are
searched as ever, limited to the documents whose values (the store's, passed in as
a mapping: never the index's) pass the filter. So a tag added or a document
archived is found, or not, by the very next keystroke, with no re-indexing.

The filter works on Whoosh document numbers: the number → id map of an index
generation is read once (stored fields, ~N µs per document) and kept while that
generation is searched; the allowed numbers are kept per :class:`MetaFilter`, which
the app makes again only when the filter or the values change, so the keystrokes
after ``tag:policy`` cost what the same words cost alone. A query of fields only
lists the matching documents of the scope, by title.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable, Mapping
from pathlib import Path

from reader.core.organise import DocMeta
from reader.core.search.fields import FieldFilter, split_fields
from reader.core.search.highlight import Snippet
from reader.core.search.instant import Instant
from reader.core.search.query import parse_query
from reader.core.search.searcher import Searcher, SearchHit, SearchResults

__all__ = ["MetaFilter", "search_with_fields"]

_DEFAULT = DocMeta()
_IDS: weakref.WeakKeyDictionary[Instant, list[tuple[int, str]]] = weakref.WeakKeyDictionary()
_IDS_LOCK = threading.Lock()


class MetaFilter:
    """A query's fields over the store's values: which documents pass, by id and by document number."""

    def __init__(self, fields: FieldFilter, metas: Mapping[str, DocMeta]) -> None:
        self.fields = fields
        self.metas = metas
        self._docnums: weakref.WeakKeyDictionary[Instant, set[int]] = weakref.WeakKeyDictionary()

    def passes(self, doc_id: str) -> bool:
        return self.fields.matches(self.metas.get(doc_id, _DEFAULT))

    def docnums(self, instant: Instant) -> set[int]:
        found = self._docnums.get(instant)
        if found is None:
            passes = self.passes
            found = self._docnums[instant] = {docnum for docnum, doc_id in _numbered(instant) if passes(doc_id)}
        return found


def _numbered(instant: Instant) -> list[tuple[int, str]]:
    """Every live document's (number, id) in this generation of the index (read once)."""
    with _IDS_LOCK:
        found = _IDS.get(instant)
    if found is None:
        reader = instant.searcher.reader()
        found = [(docnum, fields.get("id", "")) for docnum, fields in reader.iter_docs()]
        with _IDS_LOCK:
            _IDS[instant] = found
    return found


def search_with_fields(
    searcher: Searcher,
    text: str,
    metas: Mapping[str, DocMeta] | Callable[[], Mapping[str, DocMeta]],
    *,
    limit: int | None = 20,
    typing: bool = False,
    within: list[Path] | None = None,
    cached: dict[object, MetaFilter] | None = None,
    **options: object,
) -> SearchResults:
    """``searcher.search`` for a query that may have document fields; ``limit=None``: every result.

    ``metas``: every document's values (or a function giving them, called only when the
    query has fields). ``cached``: a dict kept by the caller across keystrokes, where the
    filter of the last fields is kept (cleared by the caller when the values change).
    """
    words, fields, message = split_fields(text, typing=typing)
    if fields is None:
        count = _everything(searcher) if limit is None else limit
        return searcher.search(text, limit=count, typing=typing, within=within, **options)  # type: ignore[arg-type]
    if cached is not None and fields in cached:
        only = cached[fields]
    else:
        only = MetaFilter(fields, metas() if callable(metas) else metas)
        if cached is not None:
            cached.clear()
            cached[fields] = only
    count = _everything(searcher) if limit is None else limit
    if not words.strip() or parse_query(words, typing=typing).empty:
        results = _listed(searcher, only, count, within)
    else:
        results = searcher.search(words, limit=count, typing=typing, within=within, only=only, **options)  # type: ignore[arg-type]
    if message:
        joined = f"{message}; {results.message}" if results.message else message
        results = SearchResults(results.query, results.hits, results.total, joined, results.suggestion, results.ids)
    return results


def _everything(searcher: Searcher) -> int:
    return max(1, searcher._store.count())  # noqa: SLF001 - the same document store the searcher reads


def _listed(searcher: Searcher, only: MetaFilter, limit: int, within: list[Path] | None) -> SearchResults:
    """The documents of the scope that pass the filter, by title (a query of fields only)."""
    store = searcher._store  # noqa: SLF001 - the same document store the searcher reads
    under = [os.path.abspath(path) for path in within] if within else None
    infos = [info for info in store.infos(under=under) if only.passes(info.id)]
    infos.sort(key=lambda info: (info.title.casefold(), str(info.path)))
    hits = tuple(
        SearchHit(info.id, info.path, info.title, info.source, 0.0, Snippet("", ()), 0, info.format)
        for info in infos[:limit]
    )
    return SearchResults(parse_query(""), hits, len(infos), "", "", tuple(hit.id for hit in hits))
