"""One document's notes file (a shard): its layout, its checks, and the merge rules.

```yaml
schema_version: 1
document:            # id (the file's name), path, title, source
  id: 3f9a1c2b4d5e
  path: /home/me/articles/fed.txt
  title: Fed holds rates steady
  source: example.com
tags: [policy, economy/rates]   # the document's tags (free text, any case, a/b nested)
state: later         # inbox (when absent), later or archive
favourite: true      # starred
added: '2026-11-20T09:00:00Z'   # when the document was first seen
position:            # where the reader was (newest wins)
  target: {exact: …, prefix: …, suffix: …, start: 10234, end: 10266, text_hash: …}
  percent: 41
  updated: '2026-11-24T18:40:02Z'
notes:               # notes and bookmarks, in document order; deleted ones kept as tombstones
  - id: 01a2…
    kind: note
    text: |
      A note of
      several lines.
    target: {…}
    created: '2026-11-24T18:40:02Z'
    updated: '2026-11-24T18:41:10Z'
```

A document path that is not valid UTF-8 (a file name of other bytes, held as a
``str`` with surrogate escapes, as ``os.fsdecode`` gives it) cannot be written to a
YAML file as it is: ``path`` then holds it with each bad byte shown as U+FFFD (for
the eye), and ``path_bytes`` the exact bytes, percent-encoded (``/lib/x%FF.txt``),
which is what is read back. A title of such bytes is written with U+FFFD.

Unknown keys (at the top, in ``document`` and in each note) are kept on rewrite. A
file that does not parse, or whose layout is wrong, raises :class:`ShardFileError`
and must never be overwritten. A note or position that fails its checks inside an
otherwise good file is set aside: kept verbatim on rewrite, reported in ``problems``.
"""

from __future__ import annotations

import os
import re
import threading
from collections import OrderedDict
from urllib.parse import quote_from_bytes, unquote_to_bytes
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from reader.core.notes import (
    BadNote,
    DocumentRef,
    Note,
    Position,
    Target,
    note_from_dict,
    moment,
    newer,
    note_to_dict,
    now,
    position_from_dict,
    position_to_dict,
)
from reader.core.organise import STATES, BadValue, Change, DocMeta, check_state, clean_tags
from reader.storage.shard_text import NOTES_LINE, item_text, load_shard_text, without_end_marker
from reader.storage.yaml_text import YamlTextError, dump_yaml, dump_yaml_plain, node_mark

__all__ = ["SCHEMA_VERSION", "ShardFileError", "ShardData", "parse_shard", "dump_shard", "to_mapping", "tombstone_of"]

SCHEMA_VERSION = 1
_META_KEYS = ("tags", "state", "favourite", "added")  # the document's own values (``core.organise``)
_TOP_KEYS = ("schema_version", "document", *_META_KEYS, "position", "notes")
_HEAD_KEYS = ("schema_version", "document", *_META_KEYS, "position")
_DOCUMENT_KEYS = ("id", "path", "title", "source")
# notes whose item text and parse are remembered: a save walks every note of its shard in
# order, so a least-recently-used memo smaller than the shard forgets each note just
# before it is needed and every save dumps and parses the whole shard again
_REMEMBERED_NOTES = 100_000
_PATH_BYTES = "path_bytes"  # the path's bytes, percent-encoded, when they are not UTF-8
_SURROGATES = re.compile("[\ud800-\udfff]")


class ShardFileError(ValueError):
    """A shard that cannot be read or written; the message is ``line L, column C: problem``."""


@dataclass
class ShardData:
    """Everything one shard file holds, tombstones and set-aside entries included."""

    doc_id: str
    schema_version: int = SCHEMA_VERSION
    document: DocumentRef | None = None
    document_extra: dict[str, Any] = field(default_factory=dict)
    position: Position | None = None
    bad_position: Any = None  # a position that failed its checks, kept verbatim
    notes: dict[str, Note] = field(default_factory=dict)  # by id; tombstones included
    bad_notes: list[Any] = field(default_factory=list)  # entries that failed their checks, kept verbatim
    extra: dict[str, Any] = field(default_factory=dict)  # unknown top-level keys
    problems: list[str] = field(default_factory=list)  # "line L, column C: …" per entry set aside
    tags: tuple[str, ...] = ()
    state: str = ""  # "" when the file names none (inbox)
    favourite: bool = False
    added: str = ""
    bad_meta: dict[str, tuple[Any, str]] = field(default_factory=dict)  # key → (value as written, problem)

    def copy(self) -> ShardData:
        return replace(
            self,
            bad_meta=dict(self.bad_meta),
            document_extra=dict(self.document_extra),
            notes=dict(self.notes),
            bad_notes=list(self.bad_notes),
            extra=dict(self.extra),
            problems=list(self.problems),
        )

    @property
    def entries(self) -> int:
        """How many entries the ``notes:`` list holds (tombstones and set-aside ones too)."""
        return len(self.notes) + len(self.bad_notes)

    @property
    def meta(self) -> DocMeta:
        """The document's tags, state and star as a reader shows them (a bad value: the default)."""
        return DocMeta(self.tags, self.state or "inbox", self.favourite, self.added, self.position is not None)

    def organise(self, change: Change, where: str) -> bool:
        """Apply ``change`` to the document's values; True if anything changed.

        A value the file holds that did not read (a hand edit) is not replaced:
        ShardFileError names it (``where`` is the file) and nothing changes.
        """
        for key in sorted(change.touches()):
            if key in self.bad_meta:
                raise ShardFileError(f"{self.bad_meta[key][1]}; fix the file first")
        before = self.meta
        after = change.apply(before)
        if after == before and (change.state is None or self.state == change.state):
            return False
        self.tags, self.favourite = after.tags, after.favourite
        if change.state is not None:
            self.state = change.state
        if not self.added:
            self.added = now()
        return True

    def live_notes(self) -> list[Note]:
        """Notes and bookmarks not deleted, in document order."""
        return sorted((note for note in self.notes.values() if not note.deleted), key=_order)

    # -- merge rules: higher ``rev``, then later ``updated`` wins; a tombstone is a note like any other

    def put(self, note: Note, *, tie_wins: bool = True) -> bool:
        """Add or replace ``note`` unless the stored one is newer; True if anything changed."""
        existing = self.notes.get(note.id)
        if existing == note or not _wins(note, existing, tie_wins):
            return False
        self.notes[note.id] = note
        return True

    def delete(self, note_id: str) -> bool:
        """Turn a live note into a tombstone; True if there was one."""
        existing = self.notes.get(note_id)
        if existing is None or existing.deleted:
            return False
        self.notes[note_id] = tombstone_of(existing)
        return True

    def set_position(self, position: Position) -> bool:
        if self.position == position and self.bad_position is None:
            return False
        if self.position is not None and _later(self.position.updated, position.updated):
            return False
        self.position = position
        self.bad_position = None
        return True


def tombstone_of(note: Note) -> Note:
    """A deleted note: its id, kind and times, ``rev`` one more; its text and quote are dropped."""
    start = note.target.start
    return replace(
        note,
        deleted=True,
        updated=now(),
        rev=note.rev + 1,
        text="",
        tags=(),
        name="",
        section="",
        extra={},
        target=Target(exact="", prefix="", suffix="", start=start, end=start, text_hash=""),
    )


def _wins(incoming: Note, existing: Note | None, tie_wins: bool) -> bool:
    if existing is None:
        return True
    verdict = newer(incoming, existing)
    return tie_wins if verdict is None else verdict


def _later(stored: str, incoming: str) -> bool:
    """True if the stored position's time is after the incoming one's (a future time counts as now)."""
    return moment(stored) > moment(incoming)


def _order(note: Note) -> tuple[int, int, str, str]:
    return note.target.start, note.target.end, note.created, note.id


# -- reading ------------------------------------------------------------------------------


def parse_shard(text: str, doc_id: str) -> ShardData:
    """The shard in ``text``; raises :class:`ShardFileError` when it must not be rewritten."""
    try:
        data, lines = load_shard_text(text)
    except YamlTextError as error:
        raise ShardFileError(error.placed()) from None
    if data is None:
        return ShardData(doc_id)
    if not isinstance(data, dict):
        found = _kind(data)
        raise ShardFileError(_at(text, (), f"expected a mapping (schema_version, document, notes), found {found}"))
    shard = ShardData(doc_id, schema_version=_schema_version(data, text))
    if shard.schema_version > SCHEMA_VERSION:
        try:  # best effort: show what this version understands, never write it
            _fill(shard, data, text, lines)
        except ShardFileError:
            shard = ShardData(doc_id, schema_version=shard.schema_version)
        return shard
    _fill(shard, data, text, lines)
    return shard


def _schema_version(data: Mapping[str, Any], text: str) -> int:
    version = data.get("schema_version", SCHEMA_VERSION)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        message = f"schema_version must be a whole number ≥ 1, found {version!r}"
        raise ShardFileError(_at(text, ("schema_version",), message))
    return version


def _fill(shard: ShardData, data: Mapping[str, Any], text: str, lines: list[int] | None) -> None:
    shard.document, shard.document_extra = _document(data.get("document"), shard.doc_id, text)
    _fill_meta(shard, data, text)
    shard.extra = {key: value for key, value in data.items() if key not in _TOP_KEYS}
    raw_position = data.get("position")
    if raw_position is not None:
        try:
            shard.position = position_from_dict(raw_position)
        except (ValueError, OverflowError) as error:  # BadNote, or a value no check foresaw (percent: .nan)
            shard.bad_position = raw_position
            shard.problems.append(_at(text, ("position",), _reason(error, "position")))
    notes = data.get("notes")
    if notes is None:
        return
    if not isinstance(notes, list):
        raise ShardFileError(_at(text, ("notes",), f"notes must be a list, found {_kind(notes)}"))
    for number, item in enumerate(notes):
        try:
            note = _NOTES_OF_ITEMS.note_of(item, shard.doc_id, where=f"note {number + 1}")
        except (ValueError, OverflowError) as error:  # BadNote, or a value no check foresaw (start: 0b1…1)
            shard.bad_notes.append(item)
            reason = _reason(error, f"note {number + 1}")
            if lines is not None:
                shard.problems.append(f"line {lines[number]}, column 1: {reason}")
            else:
                shard.problems.append(_at(text, ("notes", number), reason))
            continue
        shard.put(note, tie_wins=False)  # an id twice in a hand-edited file: the newer copy


def _fill_meta(shard: ShardData, data: Mapping[str, Any], text: str) -> None:
    """The document's tags, state, star and first-seen time; a bad one is kept as written, with its problem."""
    for key in _META_KEYS:
        value = data.get(key)
        if value is None:
            continue
        try:
            if key == "tags":
                shard.tags = clean_tags([value] if isinstance(value, str) else _text_list(value))
            elif key == "state":
                shard.state = check_state(value) if isinstance(value, str) else check_state("")
            elif key == "favourite":
                if not isinstance(value, bool):
                    raise BadValue(f"favourite must be true or false, found {value!r}")
                shard.favourite = value
            else:
                shard.added = value if isinstance(value, str) else _iso_or_fail(value)
        except BadValue as error:
            reason = str(error)
            if key == "state":
                reason = f"state must be one of {', '.join(STATES)}, found {value!r}"
            elif key == "tags":
                reason = f"tags must be a list of tags: {reason}"
            shard.bad_meta[key] = (value, _at(text, (key,), reason))
            shard.problems.append(shard.bad_meta[key][1])


def _text_list(value: Any) -> list[str]:
    if not isinstance(value, list):
        raise BadValue(f"found {_kind(value)}")
    for item in value:
        if not isinstance(item, str):
            raise BadValue(f"{item!r} is not text (quote it)")
    return value


def _iso_or_fail(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise BadValue(f"added must be a time, found {_kind(value)}")


class _NotesOfItems:
    """The note read from each loaded item, by the item's identity (a bounded, thread-safe memo).

    Items of unchanged notes come back from the item cache as the same objects, so
    their notes are not checked and built again on every read. An entry keeps its
    item alive, so an identity is never reused while it is remembered.
    """

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._notes: OrderedDict[int, tuple[Any, str, Note]] = OrderedDict()
        self._lock = threading.Lock()

    def note_of(self, item: Any, doc_id: str, where: str) -> Note:
        """The note of ``item``; raises BadNote (naming ``where``) when it is not one."""
        with self._lock:
            known = self._notes.get(id(item))
        if known is not None and known[0] is item and known[1] == doc_id:
            return known[2]
        note = note_from_dict(item, doc_id, where=where)
        with self._lock:
            self._notes[id(item)] = (item, doc_id, note)
            self._notes.move_to_end(id(item))
            while len(self._notes) > self._limit:
                self._notes.popitem(last=False)
        return note


_NOTES_OF_ITEMS = _NotesOfItems(_REMEMBERED_NOTES)


def _document(value: Any, doc_id: str, text: str) -> tuple[DocumentRef | None, dict[str, Any]]:
    if value is None:
        return None, {}
    if not isinstance(value, dict):
        raise ShardFileError(_at(text, ("document",), f"document must be a mapping, found {_kind(value)}"))
    fields: dict[str, str] = {}
    for key in _DOCUMENT_KEYS:
        item = value.get(key)
        if isinstance(item, (dict, list)):
            raise ShardFileError(_at(text, ("document", key), f"document {key} must be text, found {_kind(item)}"))
        fields[key] = "" if item is None else str(item)
    if fields["id"] and fields["id"] != doc_id:
        raise ShardFileError(
            _at(text, ("document", "id"), f"document id {fields['id']!r} does not match the file's name ({doc_id})")
        )
    fields["id"] = doc_id
    encoded = value.get(_PATH_BYTES)
    if encoded is not None:
        if not isinstance(encoded, str):
            message = f"document {_PATH_BYTES} must be text, found {_kind(encoded)}"
            raise ShardFileError(_at(text, ("document", _PATH_BYTES), message))
        fields["path"] = os.fsdecode(unquote_to_bytes(encoded))
    extra = {key: item for key, item in value.items() if key not in _DOCUMENT_KEYS and key != _PATH_BYTES}
    return DocumentRef(**fields), extra


def _document_mapping(shard: ShardData) -> dict[str, Any]:
    """The ``document:`` block: a path that is not UTF-8 also as its bytes, percent-encoded."""
    assert shard.document is not None
    document: dict[str, Any] = {key: getattr(shard.document, key) for key in _DOCUMENT_KEYS}
    path = shard.document.path
    if _SURROGATES.search(path):
        document["path"] = _SURROGATES.sub("\ufffd", path)
        document[_PATH_BYTES] = quote_from_bytes(os.fsencode(path), safe="/ ")
    document["title"] = _SURROGATES.sub("\ufffd", shard.document.title)
    document.update((key, value) for key, value in shard.document_extra.items() if key not in document)
    return document


def _reason(error: Exception, where: str) -> str:
    """One line for an entry set aside: BadNote's own words, else what Python said (an int too long to print)."""
    if isinstance(error, BadNote):
        return str(error)
    return f"{where}: {str(error).split(';')[0]}".splitlines()[0]


def _at(text: str, path: tuple[str | int, ...], message: str) -> str:
    line, column = node_mark(text, path)
    return f"line {line}, column {column}: {message}" if line else message


def _kind(value: object) -> str:
    return "nothing" if value is None else type(value).__name__


# -- writing ------------------------------------------------------------------------------


def to_mapping(shard: ShardData) -> dict[str, Any]:
    """The plain mapping a shard is written as: known keys first, unknown ones after."""
    data: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    if shard.document is not None:
        data["document"] = _document_mapping(shard)
    for key, value in _meta_mapping(shard).items():
        data[key] = value
    if shard.position is not None:
        data["position"] = position_to_dict(shard.position)
    elif shard.bad_position is not None:
        data["position"] = shard.bad_position
    notes = sorted(shard.notes.values(), key=_order)
    data["notes"] = [note_to_dict(note) for note in notes] + list(shard.bad_notes)
    data.update((key, value) for key, value in shard.extra.items() if key not in data)
    return data


def _meta_mapping(shard: ShardData) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if shard.tags:
        values["tags"] = list(shard.tags)
    if shard.state:
        values["state"] = shard.state
    if shard.favourite:
        values["favourite"] = True
    if shard.added:
        values["added"] = shard.added
    for key, (value, _problem) in shard.bad_meta.items():
        values[key] = value
    return {key: values[key] for key in _META_KEYS if key in values}


def dump_shard(shard: ShardData) -> str:
    """The YAML text of ``shard``, read back and checked equal; ShardFileError if it is not.

    Each note is dumped on its own (and remembered, so an unchanged note is not dumped
    again); the text is read back through the same note-by-note loader, which loads
    every newly dumped note and the head and tail, and checked against the data.
    """
    mapping = to_mapping(shard)
    try:
        text = _joined_text(shard, mapping)
        if _reads_back(text, mapping):
            return text
        text = dump_yaml_plain(mapping)  # whole, without literal blocks
    except (ValueError, RecursionError) as error:  # an int too long to print, data nested too deep to dump
        raise ShardFileError(_reason(error, "a value cannot be written")) from None
    if _reads_back(text, mapping):
        return text
    raise ShardFileError("the notes would not read back as they were written")


def _joined_text(shard: ShardData, mapping: dict[str, Any]) -> str:
    head = {key: mapping[key] for key in _HEAD_KEYS if key in mapping}
    tail = {key: value for key, value in mapping.items() if key not in head and key != "notes"}
    notes = sorted(shard.notes.values(), key=_order)
    parts = [without_end_marker(dump_yaml(head))]
    if notes or shard.bad_notes:
        parts.append(NOTES_LINE + "\n")
        parts.extend(_NOTE_TEXTS.text_of(note) for note in notes)
        parts.extend(item_text(item) for item in shard.bad_notes)
    else:
        parts.append(NOTES_LINE + " []\n")
    if tail:
        parts.append(without_end_marker(dump_yaml(tail)))
    return "".join(parts)


def _reads_back(text: str, mapping: dict[str, Any]) -> bool:
    try:
        return bool(load_shard_text(text)[0] == mapping)
    except YamlTextError:
        return False


class _NoteTexts:
    """The YAML item text of each note as last dumped, by id (a bounded, thread-safe memo)."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._texts: OrderedDict[str, tuple[Note, str]] = OrderedDict()
        self._lock = threading.Lock()

    def text_of(self, note: Note) -> str:
        with self._lock:
            known = self._texts.get(note.id)
        if known is not None and known[0] == note:
            return known[1]
        text = item_text(note_to_dict(note))
        with self._lock:
            self._texts[note.id] = (note, text)
            self._texts.move_to_end(note.id)
            while len(self._texts) > self._limit:
                self._texts.popitem(last=False)
        return text


_NOTE_TEXTS = _NoteTexts(_REMEMBERED_NOTES)
