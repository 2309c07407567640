"""Notes that follow their document when it moves: find the orphans, move them.

``reader.core.relink`` decides where an orphan went; this module gathers the
orphans from the notes store and the candidates from the search index's
document store, and moves the notes (``Store.move_notes``: merged into the new
document's shard, the old shard set aside as ``.moved``, nothing dropped).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from reader.core.notes import DocumentRef
from reader.core.relink import Ambiguity, Candidate, Match, Orphan, find_moves
from reader.core.search.docstore import DocStore
from reader.storage.store import Shard, Store, StoreError

__all__ = ["RelinkReport", "find_orphans", "library_candidates", "relink_moved", "move_document_notes"]


@dataclass
class RelinkReport:
    moved: list[Match] = field(default_factory=list)
    ambiguous: list[Ambiguity] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # one line each

    @property
    def orphans(self) -> int:
        return len(self.moved) + len(self.ambiguous) + len(self.failed)


def find_orphans(store: Store, exists: Callable[[str], bool] = os.path.lexists) -> list[Orphan]:
    """Every shard whose document's file is gone (unreadable shards are left alone)."""
    return [_orphan(shard) for shard in store.shards() if _is_orphan(shard, exists)]


def _is_orphan(shard: Shard, exists: Callable[[str], bool]) -> bool:
    if shard.read_only or shard.document is None or not shard.document.path:
        return False
    if not shard.notes:  # only a reading position: not worth a guess
        return False
    return not exists(shard.document.path)


def _orphan(shard: Shard) -> Orphan:
    assert shard.document is not None
    hashes: list[str] = []
    if shard.position is not None:
        hashes.append(shard.position.target.text_hash)
    for note in sorted(shard.notes, key=lambda n: n.updated, reverse=True):
        hashes.append(note.target.text_hash)
    return Orphan(
        doc_id=shard.doc_id or shard.document.id,
        path=shard.document.path,
        title=shard.document.title,
        hashes=tuple(h for h in dict.fromkeys(hashes) if h),
        quotes=tuple(note.target.exact for note in shard.notes if note.target.exact),
    )


def library_candidates(docs: DocStore, under: list[str] | None = None) -> tuple[list[Candidate], dict[str, DocumentRef]]:
    """The indexed documents (under ``under`` when given), and their refs by id."""
    hashes = {entry.id: entry.hash for entry in docs.entries().values()}
    candidates: list[Candidate] = []
    refs: dict[str, DocumentRef] = {}
    for info in docs.infos(under=under):
        if info.id not in hashes:
            continue
        path = str(info.path)
        candidates.append(Candidate(info.id, path, info.title, hashes[info.id]))
        refs[info.id] = DocumentRef(id=info.id, path=path, title=info.title, source=info.source)
    return candidates, refs


def relink_moved(
    store: Store,
    docs: DocStore,
    under: list[str] | None = None,
    orphans: Iterable[Orphan] | None = None,
) -> RelinkReport:
    """Move the notes of every orphan whose new place is unambiguous; report the rest."""
    found = list(find_orphans(store) if orphans is None else orphans)
    report = RelinkReport()
    if not found:
        return report
    candidates, refs = library_candidates(docs, under)
    decided = find_moves(found, candidates, docs.text)
    report.ambiguous = decided.ambiguous
    for match in decided.matches:
        try:
            store.move_notes(match.orphan.doc_id, refs[match.candidate.doc_id])
        except StoreError as error:
            report.failed.append(str(error))
        else:
            report.moved.append(match)
    return report


def move_document_notes(store: Store, old_id: str, document: DocumentRef) -> int:
    """Move one document's notes by hand (``reader relink OLD NEW``)."""
    return store.move_notes(old_id, document)
