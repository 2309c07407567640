"""JSON export and import: every note as a W3C Web Annotation, losslessly.

::

    {"format": "reader-annotations", "version": 1, "exported": "…",
     "documents": [{"id", "title", "path", "source", "url",
       "annotations": [{"@context", "type": "Annotation", "id", "motivation",
         "created", "modified", "bodyValue", "tags",
         "target": {"source", "selector": [TextQuoteSelector, TextPositionSelector]},
         "reader": {"kind", "name", "section", "text_hash", "extra"}}]}]}

``motivation`` is ``highlighting``, ``commenting`` or ``bookmarking``. What the
W3C model has no place for (kind, bookmark name, section, the text hash and
unknown keys kept from the store) sits under ``reader``, so that
``parse_json(render_json(x)) == x``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from reader.core.export.common import Documents, live_in_order, motivation
from reader.core.export.links import file_uri
from reader.core.notes import BadNote, DocumentRef, Kind, Note, note_from_dict

__all__ = ["FORMAT", "VERSION", "BadExport", "render_json", "parse_json"]

FORMAT = "reader-annotations"
VERSION = 1
CONTEXT_IRI = "http://www.w3.org/ns/anno.jsonld"


class BadExport(ValueError):
    """A JSON export that cannot be read back; the message says what and where, in one line."""


# -- writing -------------------------------------------------------------------------------


def render_json(documents: Documents, *, exported: str) -> str:
    data = {
        "format": FORMAT,
        "version": VERSION,
        "exported": exported,
        "documents": [_document(document, notes) for document, notes in live_in_order(documents)],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, default=_plain) + "\n"


def _document(document: DocumentRef, notes: list[Note]) -> dict[str, Any]:
    return {
        "id": document.id,
        "title": document.title,
        "path": document.path,
        "source": document.source,
        "url": file_uri(document.path),
        "annotations": [_annotation(document, note) for note in notes],
    }


def _annotation(document: DocumentRef, note: Note) -> dict[str, Any]:
    target = note.target
    return {
        "@context": CONTEXT_IRI,
        "type": "Annotation",
        "id": note.id,
        "motivation": motivation(note),
        "created": note.created,
        "modified": note.updated,
        "bodyValue": note.text,
        "tags": list(note.tags),
        "target": {
            "source": file_uri(document.path),
            "selector": [
                {"type": "TextQuoteSelector", "exact": target.exact, "prefix": target.prefix, "suffix": target.suffix},
                {"type": "TextPositionSelector", "start": target.start, "end": target.end},
            ],
        },
        "reader": {
            "kind": note.kind.value,
            "name": note.name,
            "section": note.section,
            "text_hash": target.text_hash,
            "extra": dict(note.extra),
        },
    }


def _plain(value: object) -> object:
    """JSON for what YAML may have left in ``extra``: times as ISO text, sets as lists."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


# -- reading -------------------------------------------------------------------------------


def parse_json(text: str) -> list[tuple[DocumentRef, list[Note]]]:
    """The documents and notes of a JSON export; :class:`BadExport` if it is not one."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadExport(f"not JSON: {error.msg} at line {error.lineno}, column {error.colno}") from None
    except RecursionError:
        raise BadExport("not JSON: nested too deeply") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadExport(f'not a reader annotations export (no "format": "{FORMAT}")')
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise BadExport(f"version must be a whole number, found {version!r}")
    if version > VERSION:
        raise BadExport(f"version {version} is newer than this reader reads ({VERSION}); update reader")
    documents = _list(data, "documents", "export")
    return [_read_document(item, f"documents[{i}]") for i, item in enumerate(documents)]


def _read_document(item: object, where: str) -> tuple[DocumentRef, list[Note]]:
    if not isinstance(item, dict):
        raise BadExport(f"{where}: expected an object, found {_kind(item)}")
    doc_id = _text(item, "id", where)
    if not doc_id.strip():
        raise BadExport(f"{where}: id is missing")
    document = DocumentRef(
        id=doc_id,
        path=_text(item, "path", where),
        title=_text(item, "title", where),
        source=_text(item, "source", where),
    )
    annotations = _list(item, "annotations", where)
    notes = [_read_note(note, doc_id, f"{where}.annotations[{j}]") for j, note in enumerate(annotations)]
    return document, notes


def _read_note(item: object, doc_id: str, where: str) -> Note:
    if not isinstance(item, dict):
        raise BadExport(f"{where}: expected an object, found {_kind(item)}")
    own = item.get("reader", {})
    if not isinstance(own, dict):
        raise BadExport(f"{where}.reader: expected an object, found {_kind(own)}")
    extra = own.get("extra", {})
    if not isinstance(extra, dict):
        raise BadExport(f"{where}.reader.extra: expected an object, found {_kind(extra)}")
    quote, position = _selectors(item, where)
    kind = own.get("kind") or (Kind.BOOKMARK.value if item.get("motivation") == "bookmarking" else Kind.NOTE.value)
    mapping: dict[str, Any] = {
        "id": item.get("id"),
        "kind": kind,
        "created": item.get("created"),
        "updated": item.get("modified"),
        "text": item.get("bodyValue", ""),
        "tags": item.get("tags") or [],
        "name": own.get("name", ""),
        "section": own.get("section", ""),
        "target": {
            "exact": quote.get("exact"),
            "prefix": quote.get("prefix", ""),
            "suffix": quote.get("suffix", ""),
            "start": position.get("start"),
            "end": position.get("end"),
            "text_hash": own.get("text_hash", ""),
        },
    }
    for key, value in extra.items():
        if key not in mapping and key != "deleted":  # a tombstone is never imported
            mapping[key] = value
    try:
        return note_from_dict(mapping, doc_id, where)
    except BadNote as error:
        raise BadExport(str(error)) from None


def _selectors(item: Mapping[str, Any], where: str) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    target = item.get("target")
    if not isinstance(target, dict):
        raise BadExport(f"{where}.target: expected an object, found {_kind(target)}")
    selectors = target.get("selector")
    if isinstance(selectors, dict):
        selectors = [selectors]
    if not isinstance(selectors, list):
        raise BadExport(f"{where}.target.selector: expected a list, found {_kind(selectors)}")
    found = {s.get("type"): s for s in selectors if isinstance(s, dict)}
    for kind in ("TextQuoteSelector", "TextPositionSelector"):
        if kind not in found:
            raise BadExport(f"{where}.target.selector: no {kind}")
    return found["TextQuoteSelector"], found["TextPositionSelector"]


def _list(data: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list):
        raise BadExport(f"{where}: {key} must be a list, found {_kind(value)}")
    return value


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadExport(f"{where}: {key} must be text, found {_kind(value)}")
    return value


def _kind(value: object) -> str:
    return {type(None): "nothing", dict: "an object", list: "a list", str: "text"}.get(type(value), type(value).__name__)
