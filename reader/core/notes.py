"""Notes, bookmarks and reading positions: what the reader keeps about a passage.

Plain data, no YAML: the store (``reader.storage.store``) turns these into YAML
mappings and back through ``to_dict``/``from_dict``; anchoring
(``reader.core.anchors``) finds a ``Target`` again in a document's text; export
(``reader.core.export``) renders them.

Identity and place are separate. A note's ``id`` never changes; its place is a
``Target``: a W3C text-quote selector (``exact`` with ``prefix`` and ``suffix``)
plus a text-position selector (``start``/``end``, offsets into the document's
normalized text ``Document.text``) and the hash of the text those offsets were
taken on (``Document.text_hash``). The target is written once, when the note is
made (or re-attached by the user); where it is found in a later version of the
text is computed on open and never rewrites it.

Times are ISO 8601 strings in UTC with a ``Z`` (``2026-11-24T18:40:02Z``), so that
YAML keeps them as text. A time read with another offset (``+09:00``) or none is
normalised to that form; one that is not a time is kept as written. Times are never
compared as text: :func:`instant` gives the moment a time names.

Which of two copies of a note is the later one is decided by ``rev`` first, a count
of the changes made to it: every edit, deletion and restore writes one more than the
copy it started from, so the user's action supersedes what it replaced whatever the
clocks say. Only copies of the same ``rev`` (edited apart, by two writers at once) are
ordered by their ``updated`` instant, a time in the future counting as now. A note
without ``rev`` (files from before it) has ``rev`` 0.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reader.core.document import Document

__all__ = [
    "CONTEXT",
    "Kind",
    "DocumentRef",
    "Target",
    "Note",
    "Position",
    "BadNote",
    "now",
    "instant",
    "newer",
    "clamped",
    "moment",
    "new_id",
    "make_target",
    "new_note",
    "target_to_dict",
    "target_from_dict",
    "note_to_dict",
    "note_from_dict",
    "position_to_dict",
    "position_from_dict",
]

CONTEXT = 32  # characters of prefix and suffix kept around a quote (Hypothesis's contextLen)


class BadNote(ValueError):
    """A stored note, target or position that does not hold together (says which field)."""


class Kind(str, Enum):
    NOTE = "note"  # a highlighted passage, with or without text
    BOOKMARK = "bookmark"  # a place, optionally named


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """The document a note belongs to, as the store and exports name it."""

    id: str  # Document.id
    path: str  # absolute path, as text
    title: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class Target:
    """Where a note points: the quoted text, its context and its offsets."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    text_hash: str  # Document.text_hash of the text the offsets were taken on


@dataclass(frozen=True, slots=True)
class Note:
    """A note or a bookmark on one document. Immutable: edits make a new one."""

    id: str
    doc_id: str
    kind: Kind
    target: Target
    created: str
    updated: str
    text: str = ""  # the user's note (may be several lines); empty for a bare highlight
    tags: tuple[str, ...] = ()
    name: str = ""  # a bookmark's optional name
    section: str = ""  # the heading the passage sat under when the note was made
    page: str = ""  # the printed page it sat on (a PDF's), when the note was made
    deleted: bool = False  # a tombstone: kept so that a merge does not bring it back
    rev: int = 0  # changes made to the note: each edit writes one more than the copy it replaced
    extra: Mapping[str, Any] = field(default_factory=dict)  # unknown keys, kept on save

    def edited(self, **changes: Any) -> Note:
        """A copy with ``changes``, a fresh ``updated`` time and ``rev`` one more: it supersedes this one."""
        return replace(self, updated=now(), rev=self.rev + 1, **changes)

    def tombstone(self) -> Note:
        return self.edited(deleted=True)

    def restored(self) -> Note:
        """This note brought back after its deletion: ``rev`` two more, past the tombstone made from it."""
        return replace(self, updated=now(), rev=self.rev + 2, deleted=False)


@dataclass(frozen=True, slots=True)
class Position:
    """Where the reader was in a document: the text at the top of the view."""

    target: Target
    percent: int
    updated: str


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_EARLIEST = datetime.min.replace(tzinfo=UTC)


def instant(value: str) -> datetime:
    """The moment an ISO 8601 time names, timezone-aware in UTC (no offset: UTC).

    A value that is not a time is the earliest moment, so that any real time is later.
    """
    try:
        parsed = datetime.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        return _EARLIEST
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00:00+01:00
        return _EARLIEST


def clamped(value: str) -> str:
    """``value`` in UTC (``…Z``), or ``now()`` when it names a moment in the future; text that is not a time as it is."""
    when = instant(value)
    return value if when == _EARLIEST else _iso(min(when, _this_second()))


def moment(value: str) -> datetime:
    """The instant of ``value`` for ordering: a time in the future counts as now."""
    return min(instant(value), _this_second())


def _this_second() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def newer(incoming: Note, existing: Note) -> bool | None:
    """True if ``incoming`` supersedes ``existing``, False if not, None for a tie.

    Higher ``rev`` first; at the same ``rev`` the later ``updated`` instant, a time in
    the future counting as now (a clock ahead, a hand edit, an import cannot outrank
    what is done now).
    """
    if incoming.rev != existing.rev:
        return incoming.rev > existing.rev
    mine, theirs = moment(incoming.updated), moment(existing.updated)
    if mine != theirs:
        return mine > theirs
    return None


def new_id() -> str:
    """A note id: random, never reused (hex of a UUID4, 32 characters)."""
    return uuid.uuid4().hex


def make_target(text: str, start: int, end: int, text_hash: str, *, context: int = CONTEXT) -> Target:
    """The target of ``text[start:end]``, with up to ``context`` characters each side."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    return Target(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
        start=start,
        end=end,
        text_hash=text_hash,
    )


def new_note(document: Document, kind: Kind, start: int, end: int, **fields: Any) -> Note:
    """A new note or bookmark on ``document.text[start:end]``: its target, section and times.

    ``fields``: the rest of the note (``text``, ``tags``, ``name``).
    """
    section = document.section_at(start)
    stamp = now()
    return Note(
        id=new_id(),
        doc_id=document.id,
        kind=kind,
        target=make_target(document.text, start, end, document.text_hash),
        created=stamp,
        updated=stamp,
        section=section.title if section is not None else "",
        page=document.page_at(start),
        **fields,
    )


# -- to and from plain mappings (what YAML and JSON hold) ---------------------------------

_TARGET_KEYS = ("exact", "prefix", "suffix", "start", "end", "text_hash")
_NOTE_KEYS = ("id", "kind", "created", "updated", "rev", "name", "text", "tags", "section", "page", "deleted", "target")


def target_to_dict(target: Target) -> dict[str, Any]:
    return {key: getattr(target, key) for key in _TARGET_KEYS}


def target_from_dict(data: object, where: str = "target") -> Target:
    if not isinstance(data, Mapping):
        raise BadNote(f"{where}: expected a mapping, found {_kind(data)}")
    exact = _text(data, "exact", where, required=True)
    start = _int(data, "start", where)
    end = _int(data, "end", where)
    if end < start:
        raise BadNote(f"{where}: end {end} is before start {start}")
    return Target(
        exact=exact,
        prefix=_text(data, "prefix", where),
        suffix=_text(data, "suffix", where),
        start=start,
        end=end,
        text_hash=_text(data, "text_hash", where),
    )


def note_to_dict(note: Note) -> dict[str, Any]:
    """A note as a plain mapping, keys in a readable order; empty optional keys left out."""
    data: dict[str, Any] = {"id": note.id, "kind": note.kind.value}
    if note.name:
        data["name"] = note.name
    if note.section:
        data["section"] = note.section
    if note.page:
        data["page"] = note.page
    if note.tags:
        data["tags"] = list(note.tags)
    data["text"] = note.text
    data["target"] = target_to_dict(note.target)
    data["created"] = note.created
    data["updated"] = note.updated
    if note.rev:
        data["rev"] = note.rev
    if note.deleted:
        data["deleted"] = True
    for key, value in note.extra.items():
        if key not in data:
            data[key] = value
    return data


def note_from_dict(data: object, doc_id: str, where: str = "note") -> Note:
    if not isinstance(data, Mapping):
        raise BadNote(f"{where}: expected a mapping, found {_kind(data)}")
    note_id = _text(data, "id", where, required=True)
    if not note_id.strip():
        raise BadNote(f"{where}: id is empty")
    kind_value = _text(data, "kind", where) or Kind.NOTE.value
    try:
        kind = Kind(kind_value)
    except ValueError:
        raise BadNote(f"{where}: kind {kind_value!r} is not one of note, bookmark") from None
    tags = data.get("tags") or []
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list):
        raise BadNote(f"{where}: tags must be a list, found {_kind(tags)}")
    deleted = data.get("deleted", False)
    if not isinstance(deleted, bool):
        raise BadNote(f"{where}: deleted must be true or false, found {deleted!r}")
    rev = data.get("rev", 0)
    if rev is None:
        rev = 0
    if isinstance(rev, bool) or not isinstance(rev, int) or rev < 0:
        raise BadNote(f"{where}: rev must be a whole number ≥ 0, found {rev!r}")
    created = _time(data, "created", where)
    return Note(
        id=note_id,
        doc_id=doc_id,
        kind=kind,
        target=target_from_dict(data.get("target"), f"{where}.target"),
        created=created,
        updated=_time(data, "updated", where) or created,
        text=_text(data, "text", where),
        tags=tuple(_scalar_text(tag) for tag in tags if tag is not None and _scalar_text(tag).strip()),
        name=_text(data, "name", where),
        section=_text(data, "section", where),
        page=_text(data, "page", where),
        deleted=deleted,
        rev=rev,
        extra={key: value for key, value in data.items() if key not in _NOTE_KEYS},
    )


def position_to_dict(position: Position) -> dict[str, Any]:
    return {
        "target": target_to_dict(position.target),
        "percent": position.percent,
        "updated": position.updated,
    }


def position_from_dict(data: object, where: str = "position") -> Position:
    if not isinstance(data, Mapping):
        raise BadNote(f"{where}: expected a mapping, found {_kind(data)}")
    percent = data.get("percent", 0)
    if isinstance(percent, bool) or not isinstance(percent, (int, float)) or not math.isfinite(percent):
        raise BadNote(f"{where}: percent must be a number, found {percent!r}")
    return Position(
        target=target_from_dict(data.get("target"), f"{where}.target"),
        percent=max(0, min(100, int(percent))),
        updated=_time(data, "updated", where),
    )


# -- field readers: YAML 1.1 turns hand-typed values into bools, ints and dates -------------


def _kind(value: object) -> str:
    return "nothing" if value is None else type(value).__name__


def _scalar_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return _iso(value)
    return str(value)


def _text(data: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        if required:
            raise BadNote(f"{where}: {key} is missing")
        return ""
    if isinstance(value, (Mapping, list)):
        raise BadNote(f"{where}: {key} must be text, found {_kind(value)}")
    return _scalar_text(value)


def _int(data: Mapping[str, Any], key: str, where: str) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadNote(f"{where}: {key} must be a whole number ≥ 0, found {value!r}")
    return value


def _iso(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat() + "Z"


def _time(data: Mapping[str, Any], key: str, where: str) -> str:
    """A time as ``YYYY-MM-DDTHH:MM:SSZ`` in UTC; text that is not a time is kept as written."""
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, (Mapping, list)):
        raise BadNote(f"{where}: {key} must be a time, found {_kind(value)}")
    text = _scalar_text(value)
    moment = instant(text)
    return text if moment == _EARLIEST else _iso(moment)
