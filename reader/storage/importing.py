"""Bringing another service's export into the library: articles saved, links queued, notes made.

``plan`` sorts what an export holds against what the library has (the summary
``reader import`` shows before asking); ``apply`` does it:

- an article whose text is in the export is saved into the articles folder as it
  is there (``ArticlesFolder.save``: a new name, never over a file), its metadata
  carrying what the other service knew: ``imported_from``, ``added``, ``read``,
  ``tags``, ``state`` (``later``, ``archive``), ``favourite``; the tags, state, star
  and first-seen time go into the store too (``Store.organise``), as ``reader tag``
  and the app keep them;
- a link without its text joins the pending queue (``reader add --retry`` fetches
  it, and can be stopped and run again: what arrived is not fetched twice);
  what the export knew of it waits in ``.reader/imported.jsonl`` (one JSON object
  a line, appended), and :func:`arrived` (called by the Adder when it saves an
  article) writes it into the article's metadata and makes its notes;
- each highlight becomes a reader note anchored by its quote in the saved text
  (the exact quote, else the same words with any spacing or case); a quote not
  found is kept as a detached note, never dropped. A note's id is made from the
  article's address and the highlight, so importing again adds nothing.

Duplicates are found by :func:`~reader.core.urls.url_key` (the library's articles,
the queue, and the export itself).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reader.core.articles import ArticleMeta, file_stem, utc_now
from reader.core.imports import Highlight, ImportedArticle, ParsedExport
from reader.core.notes import DocumentRef, Kind, Note, Target, new_note
from reader.core.urls import url_key
from reader.storage.articles import META_DIR, ArticlesFolder, Pending

__all__ = ["Plan", "Applied", "plan", "apply", "arrived", "WAITING_NAME"]

WAITING_NAME = "imported.jsonl"
_MAX_WAITING = 512 * 1024 * 1024
_CONTENT_TYPES = {".html": "text/html", ".md": "text/markdown", ".txt": "text/plain"}


@dataclass
class Plan:
    """What an import will do."""

    export: ParsedExport
    to_save: list[ImportedArticle] = field(default_factory=list)  # their text is in the export
    to_queue: list[ImportedArticle] = field(default_factory=list)  # links: fetched later
    known: list[ImportedArticle] = field(default_factory=list)  # in the library, queued, or twice in the export
    by_title: dict[str, list[Highlight]] = field(default_factory=dict)

    @property
    def highlights(self) -> int:
        return sum(len(a.highlights) for a in self.to_save + self.to_queue) + sum(len(h) for h in self.by_title.values())

    @property
    def tags(self) -> set[str]:
        return {tag.casefold() for a in self.to_save + self.to_queue for tag in a.tags}


@dataclass
class Applied:
    saved: list[Path] = field(default_factory=list)
    queued: int = 0
    notes: int = 0  # notes made (anchored or detached)
    detached: int = 0  # of those, the ones whose quote was not found in the text
    problems: list[str] = field(default_factory=list)


def plan(export: ParsedExport, folder: ArticlesFolder) -> Plan:
    result = Plan(export)
    try:
        queued = {url_key(item.url) for item in folder.pending()}
    except OSError as error:
        export.problems.append(str(error))
        queued = set()
    seen: set[str] = set()
    for article in export.articles:
        key = url_key(article.url)
        if key in seen or folder.find({key}) is not None or (key in queued and article.content is None):
            result.known.append(article)
            continue
        seen.add(key)
        (result.to_save if article.content is not None else result.to_queue).append(article)
    result.by_title = dict(export.by_title)
    return result


def apply(
    work: Plan,
    folder: ArticlesFolder,
    store: Any,
    progress: Callable[[int], None] | None = None,
) -> Applied:
    """Save, queue, and make the notes of ``work`` (``store``: a :class:`~reader.storage.store.Store`)."""
    applied = Applied()
    service = work.export.service
    for article in work.to_save:
        try:
            path = folder.save(article.content or b"", _meta(article, service), _stem(article), _suffix(article))
        except OSError as error:
            applied.problems.append(f"{article.url}: not saved ({error.strerror or error})")
            continue
        applied.saved.append(path)
        _organise(store, path, article.title, _extra(article, service), applied)
        _make_notes(store, path, article.url, article.highlights, applied)
        if progress is not None:
            progress(1)
    if work.to_queue or work.by_title:
        _queue(folder, work, applied)
        if progress is not None:
            progress(len(work.to_queue))
    if work.by_title:
        _notes_by_title(folder, store, work.by_title, applied)
    return applied


# -- saving ---------------------------------------------------------------------------------


def _suffix(article: ImportedArticle) -> str:
    return article.suffix if article.suffix in _CONTENT_TYPES else ".html"


def _stem(article: ImportedArticle) -> str:
    return file_stem(article.title, article.added or utc_now(), article.url)


def _extra(article: ImportedArticle | dict[str, Any], service: str) -> dict[str, Any]:
    """What the other service knew, as the article's metadata keeps it (empty values left out)."""
    if isinstance(article, dict):
        values = {key: article.get(key) for key in ("added", "read", "tags", "state", "favourite")}
    else:
        values = {
            "added": article.added,
            "read": article.read,
            "tags": list(article.tags),
            "state": article.state,
            "favourite": article.favourite,
        }
    extra: dict[str, Any] = {"imported_from": service, "imported": utc_now()}
    extra.update({key: value for key, value in values.items() if value})
    return extra


def _meta(article: ImportedArticle, service: str) -> ArticleMeta:
    return ArticleMeta(
        url=article.url,
        final_url=article.url,
        canonical_url=None,
        fetched=article.added or utc_now(),
        title=article.title,
        content_type=_CONTENT_TYPES[_suffix(article)],
        extra=_extra(article, service),
    )


# -- links: the queue, and what waits for them ----------------------------------------------


def _queue(folder: ArticlesFolder, work: Plan, applied: Applied) -> None:
    with folder.queue_lock:  # ``reader add`` (or the app) may change the queue meanwhile
        _queue_held(folder, work, applied)


def _queue_held(folder: ArticlesFolder, work: Plan, applied: Applied) -> None:
    now = utc_now()
    reason = f"imported from {work.export.service}: not fetched yet"
    lines = [_waiting_line(article, work.export.service) for article in work.to_queue]
    lines += [
        json.dumps({"title": title, "highlights": [_highlight_map(h) for h in highlights], "service": work.export.service}, ensure_ascii=False)
        for title, highlights in work.by_title.items()
    ]
    _append_waiting(folder, lines)
    if work.to_queue:
        try:
            queue = folder.pending()
        except OSError:
            queue = []
        known = {url_key(item.url) for item in queue}
        for article in work.to_queue:
            if url_key(article.url) not in known:
                queue.append(Pending(url=article.url, reason=reason, failed=now, attempts=0))
                applied.queued += 1
        folder.set_pending(queue)


def _highlight_map(highlight: Highlight) -> dict[str, Any]:
    data: dict[str, Any] = {"quote": highlight.quote}
    if highlight.note:
        data["note"] = highlight.note
    if highlight.tags:
        data["tags"] = list(highlight.tags)
    if highlight.created:
        data["created"] = highlight.created
    return data


def _waiting_line(article: ImportedArticle, service: str) -> str:
    data: dict[str, Any] = {"url": article.url, "title": article.title, "service": service}
    data.update({key: value for key, value in _extra(article, service).items() if key not in ("imported_from", "imported")})
    if article.highlights:
        data["highlights"] = [_highlight_map(h) for h in article.highlights]
    return json.dumps(data, ensure_ascii=False)


def _append_waiting(folder: ArticlesFolder, lines: list[str]) -> None:
    if not lines:
        return
    folder.meta_dir.mkdir(parents=True, exist_ok=True)
    path = folder.meta_dir / WAITING_NAME
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
    try:
        size = os.fstat(fd).st_size
        try:
            if size:  # a line cut short by a crash ends here, so the next one starts clean
                os.write(fd, b"\n")
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        except BaseException:
            os.ftruncate(fd, size)  # all of this import's lines, or none
            raise
    finally:
        os.close(fd)


_cache: dict[str, tuple[tuple[int, int], dict[str, dict[str, Any]]]] = {}


def _waiting(folder: ArticlesFolder) -> dict[str, dict[str, Any]]:
    """The waiting entries by ``url_key`` (and ``title:…``), the last line of a key winning."""
    path = folder.meta_dir / WAITING_NAME
    try:
        info = path.stat()
    except OSError:
        return {}
    stamp = (info.st_mtime_ns, info.st_size)
    cached = _cache.get(str(path))
    if cached is not None and cached[0] == stamp:
        return cached[1]
    entries: dict[str, dict[str, Any]] = {}
    if info.st_size <= _MAX_WAITING:
        with open(path, "rb") as handle:
            for raw in handle:
                try:
                    data = json.loads(raw)
                except (ValueError, RecursionError):
                    continue  # a line cut short: what it held is lost, the others are kept
                if not isinstance(data, dict):
                    continue
                if isinstance(data.get("url"), str):
                    try:
                        entries[url_key(data["url"])] = data
                    except ValueError:
                        continue
                elif isinstance(data.get("title"), str):
                    entries["title:" + data["title"].casefold()] = data
    _cache[str(path)] = (stamp, entries)
    return entries


def arrived(folder: ArticlesFolder, meta: ArticleMeta, path: Path, store: Any = None) -> ArticleMeta:
    """An article was just saved (by ``reader add``): what an import knew of it is applied.

    Its tags, state, star and dates go into its metadata, its highlights become notes.
    Returns the metadata as now written. Quick when nothing waits (one ``stat``)."""
    waiting = _waiting(folder)
    if not waiting:
        return meta
    entry = next((waiting[key] for key in meta.keys() if key in waiting), None)
    by_title = waiting.get("title:" + meta.title.casefold()) if meta.title else None
    if entry is None and by_title is None:
        return meta
    if entry is not None:
        extra = _extra(entry, str(entry.get("service") or "an import"))
        meta = replace(meta, extra={**meta.extra, **extra})
        folder._write_meta(meta)
        folder._remember(meta)
    highlights = [*_highlights_of(entry), *_highlights_of(by_title)]
    if store is None:
        from reader.storage.paths import Paths
        from reader.storage.store import Store

        store = Store(Paths.from_environment().data_dir)
    applied = Applied()
    if entry is not None:
        _organise(store, path, meta.title, meta.extra, applied)
    _make_notes(store, path, meta.url, highlights, applied)
    return meta


def _highlights_of(entry: dict[str, Any] | None) -> list[Highlight]:
    if not entry or not isinstance(entry.get("highlights"), list):
        return []
    found = []
    for item in entry["highlights"]:
        if isinstance(item, dict) and isinstance(item.get("quote"), str):
            tags = item.get("tags") if isinstance(item.get("tags"), list) else []
            found.append(
                Highlight(
                    quote=item["quote"],
                    note=str(item.get("note") or ""),
                    tags=tuple(t for t in tags if isinstance(t, str)),
                    created=str(item.get("created") or ""),
                )
            )
    return found


def _notes_by_title(folder: ArticlesFolder, store: Any, by_title: dict[str, list[Highlight]], applied: Applied) -> None:
    """Highlights named by their article's title (Readwise): on the library's article of that title."""
    titles: dict[str, ArticleMeta] = {}
    for meta in folder.articles():
        titles.setdefault(meta.title.casefold(), meta)
    for title, highlights in by_title.items():
        meta = titles.get(title.casefold())
        if meta is not None:
            _make_notes(store, folder.path_of(meta), meta.url, highlights, applied)


# -- tags, state, star, first seen: the store's, as ``reader tag`` and the app keep them -----


def _organise(store: Any, path: Path, title: str, values: dict[str, Any], applied: Applied) -> None:
    """The article's tags, state and star from the export, and its ``added`` time, into the store."""
    from reader.core.document import document_id
    from reader.core.organise import BadValue, Change, DocMeta, check_state, clean_tag
    from reader.storage.store import StoreError

    tags = []
    for tag in values.get("tags") or ():
        try:
            tags.append(clean_tag(tag))
        except BadValue:
            continue
    try:
        state = check_state(values["state"]) if values.get("state") else None
    except BadValue:
        state = None
    change = Change(add=tuple(tags), state=state, favourite=True if values.get("favourite") else None)
    ref = DocumentRef(document_id(path), str(Path(path).resolve()), title, "")
    try:
        if values.get("added"):  # the store copies the first-seen time into the shard it writes
            store.meta_index.record(ref.id, DocMeta(added=str(values["added"])), None)
        if change.touches() or values.get("added"):
            store.organise(ref, change)
    except StoreError as error:
        applied.problems.append(str(error))


# -- notes ----------------------------------------------------------------------------------


def _make_notes(store: Any, path: Path, url: str, highlights: tuple[Highlight, ...] | list[Highlight], applied: Applied) -> None:
    if not highlights:
        return
    from reader.core.anchors import find_quote
    from reader.core.formats import UnreadableDocument, read_document
    from reader.storage.store import StoreError

    try:
        document = read_document(path)
    except (UnreadableDocument, OSError) as error:
        applied.problems.append(f"{path}: its highlights were not anchored ({getattr(error, 'reason', error)})")
        return
    key = url_key(url)
    notes: list[Note] = []
    for highlight in highlights:
        quote = highlight.quote.strip()
        if not quote:
            continue
        fields = {"text": highlight.note.strip(), "tags": tuple(highlight.tags)}
        span = find_quote(document.text, quote)
        if span is not None:
            note = new_note(document, Kind.NOTE, span[0], span[1], **fields)
        else:
            note = new_note(document, Kind.NOTE, 0, 0, **fields)
            note = replace(note, target=Target(exact=quote, prefix="", suffix="", start=0, end=0, text_hash=""), section="", page="")
            applied.detached += 1
        stamp = highlight.created or note.created
        ident = uuid.uuid5(uuid.NAMESPACE_URL, f"reader-import:{key}\n{quote}\n{highlight.note.strip()}").hex
        notes.append(replace(note, id=ident, created=stamp, updated=stamp))
    ref = DocumentRef(document.id, str(Path(path).resolve()), document.title, document.source)
    try:
        applied.notes += store.import_notes(ref, notes)
    except StoreError as error:
        applied.problems.append(str(error))


__all__ += ["META_DIR"]
