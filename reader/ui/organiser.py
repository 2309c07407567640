"""The app's copy of every document's tags, state and star, and the searches that use them.

Read once from the store's meta index (``storage.doc_meta``: ~0.2 s for 16,000
shards, off the UI thread), then changed in memory with every change the app saves,
so the next keystroke's ``tag:``/``is:`` search sees it without reading anything.
``FieldSearcher`` is the searcher the app's pool lends: a query with such fields is
answered by ``core.search.meta_filter`` over these values.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reader.core.notes import DocumentRef
from reader.core.organise import Change, DocMeta
from reader.core.search.meta_filter import MetaFilter, search_with_fields
from reader.core.search.searcher import Searcher, SearchResults
from reader.storage.paths import Paths
from reader.storage.store import Store, StoreError

__all__ = ["Organiser", "FieldSearcher", "organiser_for"]


class Organiser:
    """Every document's values for the app; safe across threads."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._metas: dict[str, DocMeta] | None = None
        self.problems: list[str] = []
        self.filters: dict[object, MetaFilter] = {}  # the last query's filter (search_with_fields)
        self.version = 0
        self._lock = threading.Lock()

    def metas(self, seen: Iterable[str] = ()) -> dict[str, DocMeta]:
        with self._lock:
            if self._metas is None:
                snapshot = self.store.meta_index.snapshot(seen)
                self._metas, self.problems = snapshot.metas, snapshot.problems
            return self._metas

    def get(self, doc_id: str) -> DocMeta:
        return self.metas().get(doc_id) or DocMeta()

    def apply(self, documents: list[DocumentRef], change: Change) -> tuple[list[tuple[DocumentRef, DocMeta]], list[str]]:
        """Save ``change`` for each document; (each document changed with its values before, errors)."""
        metas = self.metas()
        changed: list[tuple[DocumentRef, DocMeta]] = []
        errors: list[str] = []
        for document in documents:
            before = metas.get(document.id) or DocMeta()
            try:
                if self.store.organise(document, change):
                    changed.append((document, before))
            except StoreError as error:
                errors.append(str(error))
                continue
            with self._lock:
                metas[document.id] = self.store.load(document.id).meta
        self._changed()
        return changed, errors

    def restore(self, previous: list[tuple[DocumentRef, DocMeta]]) -> None:
        """Undo: each document's tags, state and star set back to what they were."""
        metas = self.metas()
        for document, before in previous:
            now_meta = metas.get(document.id) or DocMeta()
            change = Change(
                add=before.tags,
                remove=tuple(tag for tag in now_meta.tags if tag not in before.tags),
                state=before.state,
                favourite=before.favourite,
            )
            try:
                self.store.organise(document, change)
            except StoreError:
                continue
            with self._lock:
                metas[document.id] = self.store.load(document.id).meta
        self._changed()

    def tags(self) -> list[str]:
        """Every tag in use, most used first (for completion)."""
        counts: dict[str, tuple[int, str]] = {}
        for meta in self.metas().values():
            for tag in meta.tags:
                count, shown = counts.get(tag.casefold(), (0, tag))
                counts[tag.casefold()] = (count + 1, shown)
        return [shown for _key, (_count, shown) in sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))]

    def _changed(self) -> None:
        with self._lock:
            self.version += 1
            self.filters.clear()


_ORGANISERS: dict[Path, Organiser] = {}
_ORGANISERS_LOCK = threading.Lock()


def organiser_for(data_dir: Path | None = None) -> Organiser:
    """The one organiser of this process for ``data_dir`` (default: the environment's data folder)."""
    folder = Path(data_dir) if data_dir is not None else Paths.from_environment().data_dir
    with _ORGANISERS_LOCK:
        found = _ORGANISERS.get(folder)
        if found is None:
            found = _ORGANISERS[folder] = Organiser(Store(folder))
        return found


class FieldSearcher(Searcher):
    """A searcher that answers the fields about documents from the organiser's values."""

    def search(self, text: str, **options: Any) -> SearchResults:
        if "only" in options or ":" not in text:
            return super().search(text, **options)
        organiser = organiser_for()
        return search_with_fields(
            _Plain(self), text, organiser.metas, cached=organiser.filters, **options
        )


class _Plain:
    """The searcher seen without its fields (search_with_fields calls the plain search)."""

    def __init__(self, searcher: FieldSearcher) -> None:
        self._searcher = searcher
        self._store = searcher._store  # noqa: SLF001

    def search(self, text: str, **options: Any) -> SearchResults:
        return Searcher.search(self._searcher, text, **options)
